using System.Globalization;
using System.Security.Cryptography;
using Raabin.Features.Imaging;

namespace Raabin.Features.Tests.Imaging;

/// <summary>
/// <see cref="ColorConversion.HsvToRgb(ThreeChannelImage)"/> against OpenCV 4.6 (Debian python3-opencv 4.6.0). The
/// digests and the sample table were made once by Fixtures/Augmentation/make_golden.py; the cube is every (h, s, v)
/// byte triple, pixel i = (h&lt;&lt;16)|(s&lt;&lt;8)|v, laid out 4096 wide (all on OpenCV's vector path) and 1 wide
/// (all on its scalar path).
/// </summary>
public class HsvToRgbTests
{
    private static readonly string FixtureDir = TestPaths.Fixture("Augmentation");

    private static readonly Lazy<Dictionary<string, string>> Digests = new(() => File.ReadAllLines(Path.Combine(FixtureDir, "hsv2rgb_digests.txt"))
        .Where(l => !l.StartsWith('#') && l.Length > 0)
        .Select(l => l.Split(' '))
        .ToDictionary(p => p[0], p => p[1]));

    [Theory]
    [InlineData("cube_4096x4096", 4096, 4096)]
    [InlineData("cube_1x16777216", 1, 16777216)]
    public void Every_hsv_triple_matches_opencv_on_both_paths(string name, int width, int height)
    {
        var cube = new byte[(1 << 24) * 3];
        for (int i = 0, j = 0; i < 1 << 24; i++, j += 3)
        {
            cube[j] = (byte)(i >> 16);
            cube[j + 1] = (byte)(i >> 8);
            cube[j + 2] = (byte)i;
        }

        var hsv = new ThreeChannelImage(width, height, cube, ColorConversion.HsvChannels);
        Assert.Equal(Digests.Value[name], Sha256(ColorConversion.HsvToRgb(hsv).Pixels));
    }

    [Fact]
    public void Odd_width_image_mixes_the_two_paths_as_opencv()
    {
        // 67 = 2 * 32 + 3: the last 3 pixels of each row take the rounding scalar loop.
        byte[] raw = File.ReadAllBytes(Path.Combine(FixtureDir, "hsv_random_67x61.rgb"));
        var hsv = new ThreeChannelImage(67, 61, raw, ColorConversion.HsvChannels);
        Assert.Equal(Digests.Value["hsv_random_67x61"], Sha256(ColorConversion.HsvToRgb(hsv).Pixels));
    }

    [Fact]
    public void Sample_triples_match_opencv_table()
    {
        string[] lines = File.ReadAllLines(Path.Combine(FixtureDir, "hsv2rgb_samples.csv"));
        Assert.True(lines.Length > 30);
        int pathsDiffer = 0;
        foreach (string line in lines.Skip(1))
        {
            int[] v = line.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            ColorConversion.HsvToRgbScalarTail((byte)v[0], (byte)v[1], (byte)v[2], out byte r, out byte g, out byte b);
            Assert.Equal((v[3], v[4], v[5]), (r, g, b));
            ColorConversion.HsvToRgb((byte)v[0], (byte)v[1], (byte)v[2], out r, out g, out b);
            Assert.Equal((v[6], v[7], v[8]), (r, g, b));
            pathsDiffer += v[3] != v[6] || v[4] != v[7] || v[5] != v[8] ? 1 : 0;
        }

        Assert.True(pathsDiffer > 0, "the table should show the truncating vector path differing from the scalar one");
    }

    [Fact]
    public void Hand_computed_values()
    {
        // Pure hues at full S and V: sector boundaries give exact 0 and 255 on both paths.
        ColorConversion.HsvToRgb(0, 255, 255, out byte r, out byte g, out byte b);
        Assert.Equal((255, 0, 0), (r, g, b));
        ColorConversion.HsvToRgb(60, 255, 255, out r, out g, out b);
        Assert.Equal((0, 255, 0), (r, g, b));
        ColorConversion.HsvToRgb(120, 255, 255, out r, out g, out b);
        Assert.Equal((0, 0, 255), (r, g, b));

        // Grey: S = 0 gives R = G = B = V whatever the hue.
        ColorConversion.HsvToRgbScalarTail(77, 0, 200, out r, out g, out b);
        Assert.Equal((200, 200, 200), (r, g, b));

        // H = 180 wraps to red like H = 0.
        ColorConversion.HsvToRgb(180, 255, 255, out r, out g, out b);
        Assert.Equal((255, 0, 0), (r, g, b));
    }

    [Fact]
    public void Round_trip_through_rgb_to_hsv_stays_close()
    {
        // Not an identity (both directions quantise), but within a few levels on saturated, bright colours.
        var rng = new Random(5);
        for (int k = 0; k < 2000; k++)
        {
            byte r0 = (byte)rng.Next(256), g0 = (byte)rng.Next(256), b0 = (byte)rng.Next(256);
            ColorConversion.RgbToHsv(r0, g0, b0, out byte h, out byte s, out byte v);
            ColorConversion.HsvToRgbScalarTail(h, s, v, out byte r, out byte g, out byte b);
            Assert.InRange(Math.Abs(r - r0), 0, 6);
            Assert.InRange(Math.Abs(g - g0), 0, 6);
            Assert.InRange(Math.Abs(b - b0), 0, 6);
        }
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
