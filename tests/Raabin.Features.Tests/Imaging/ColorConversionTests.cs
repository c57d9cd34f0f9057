using System.Globalization;
using System.Security.Cryptography;
using Raabin.Features.Imaging;

namespace Raabin.Features.Tests.Imaging;

/// <summary>
/// Golden tests against OpenCV 4.6 (Debian python3-opencv 4.6.0). The digests and the sample table were made once by
/// Fixtures/Colour/make_golden.py; the cube is every RGB value laid out as a 4096x4096 image, i = (r&lt;&lt;16)|(g&lt;&lt;8)|b.
/// </summary>
public class ColorConversionTests
{
    internal static readonly string FixtureDir = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Colour");

    private static readonly Lazy<RgbImage> Cube = new(BuildCube);

    private static readonly Lazy<Dictionary<(string Input, string Conversion), string>> Digests = new(LoadDigests);

    public static TheoryData<string> Conversions => new() { "gray", "hsv", "hls_full", "lab", "ycrcb", "bgr" };

    public static TheoryData<string, string> SmallInputs
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string input in new[] { "random_67x61", "pbc_BNE_100878_crop_101x97" })
            {
                foreach (string conversion in new[] { "gray", "hsv", "hls_full", "lab", "ycrcb", "bgr" })
                {
                    data.Add(input, conversion);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Conversions))]
    public void Whole_rgb_cube_matches_opencv(string conversion)
    {
        Assert.Equal(Digests.Value[("cube_4096x4096", conversion)], Sha256(Convert(Cube.Value, conversion)));
    }

    [Theory]
    [MemberData(nameof(SmallInputs))]
    public void Odd_width_images_match_opencv(string input, string conversion)
    {
        // Widths 67 and 101 leave 3 and 5 pixels per row for OpenCV's scalar tail loop.
        RgbImage image = LoadRgb(input);
        Assert.Equal(Digests.Value[(input, conversion)], Sha256(Convert(image, conversion)));
    }

    [Fact]
    public void Sample_colours_match_opencv_table()
    {
        string[] lines = File.ReadAllLines(Path.Combine(FixtureDir, "colour_samples.csv"));
        Assert.True(lines.Length > 10);
        foreach (string line in lines.Skip(1))
        {
            int[] v = line.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            byte r = (byte)v[0], g = (byte)v[1], b = (byte)v[2];
            Assert.Equal(v[3], ColorConversion.RgbToGray(r, g, b));
            ColorConversion.RgbToHsv(r, g, b, out byte h, out byte s, out byte vv);
            Assert.Equal((v[4], v[5], v[6]), (h, s, vv));
            ColorConversion.RgbToHlsFull(r, g, b, out byte hh, out byte l, out byte ss);
            Assert.Equal((v[7], v[8], v[9]), (hh, l, ss));
            ColorConversion.RgbToLab(r, g, b, out byte lab0, out byte lab1, out byte lab2);
            Assert.Equal((v[10], v[11], v[12]), (lab0, lab1, lab2));
            ColorConversion.RgbToYCrCb(r, g, b, out byte y, out byte cr, out byte cb);
            Assert.Equal((v[13], v[14], v[15]), (y, cr, cb));
        }
    }

    [Fact]
    public void Planar_forms_equal_the_interleaved_forms()
    {
        RgbImage image = LoadRgb("pbc_BNE_100878_crop_101x97");
        var p = new[] { new GrayImage(101, 97), new GrayImage(101, 97), new GrayImage(101, 97) };
        AssertPlanes(ColorConversion.RgbToHsv(image), () => ColorConversion.RgbToHsv(image, p[0], p[1], p[2]), p);
        AssertPlanes(ColorConversion.RgbToHlsFull(image), () => ColorConversion.RgbToHlsFull(image, p[0], p[1], p[2]), p);
        AssertPlanes(ColorConversion.RgbToLab(image), () => ColorConversion.RgbToLab(image, p[0], p[1], p[2]), p);
        AssertPlanes(ColorConversion.RgbToYCrCb(image), () => ColorConversion.RgbToYCrCb(image, p[0], p[1], p[2]), p);
    }

    [Fact]
    public void Hand_computed_values()
    {
        // Grey of pure red: (255 * 9798 + 16384) >> 15 = 2514874 >> 15 = 76.
        Assert.Equal(76, ColorConversion.RgbToGray(255, 0, 0));
        // Pure blue: (255 * 3735 + 16384) >> 15 = 968809 >> 15 = 29 (29.57); (0, 0, 250) is 28.999 -> 28, where
        // the 14-bit YCrCb weights would give 29.
        Assert.Equal(29, ColorConversion.RgbToGray(0, 0, 255));
        Assert.Equal(28, ColorConversion.RgbToGray(0, 0, 250));
        // White: (255 * 32768 + 16384) >> 15 = 255 (the weights sum to 2^15).
        Assert.Equal(255, ColorConversion.RgbToGray(255, 255, 255));
        // Mid grey 128 -> 128; black -> 0.
        Assert.Equal(128, ColorConversion.RgbToGray(128, 128, 128));
        Assert.Equal(0, ColorConversion.RgbToGray(0, 0, 0));

        // HSV of pure red: V = 255, d = 255, S = (255 * round(255*4096/255) + 2048) >> 12 = 255; hue = G - B = 0.
        ColorConversion.RgbToHsv(255, 0, 0, out byte h, out byte s, out byte v);
        Assert.Equal((0, 255, 255), (h, s, v));
        // Pure blue: hue = R - G + 4d = 1020, table round(737280 / 1530) = 482, (1020 * 482 + 2048) >> 12 = 120.
        ColorConversion.RgbToHsv(0, 0, 255, out h, out s, out v);
        Assert.Equal((120, 255, 255), (h, s, v));
        // (200, 30, 90): V = 200 (red), d = 170, S = (170 * round(1044480/200) + 2048) >> 12
        //   = (170 * 5222 + 2048) >> 12 = 889788 >> 12 = 217; hue = G - B = -60,
        //   (-60 * round(737280/1020) + 2048) >> 12 = (-60 * 723 + 2048) >> 12 = -41332 >> 12 = -11 -> 169.
        ColorConversion.RgbToHsv(200, 30, 90, out h, out s, out v);
        Assert.Equal((169, 217, 200), (h, s, v));

        // YCrCb of pure red: Y = 76; Cr = (179 * 11682 + 128*16384 + 8192) >> 14 = 4191222 >> 14 = 255.8.. -> 255;
        // Cb = (-76 * 9241 + 2097152 + 8192) >> 14 = 1402028 >> 14 = 85.
        ColorConversion.RgbToYCrCb(255, 0, 0, out byte y, out byte cr, out byte cb);
        Assert.Equal((76, 255, 85), (y, cr, cb));

        // HLS_FULL of pure green: max = 1, min = 0, L = 0.5 -> round(127.5) = 128 (half to even),
        // S = 1 / (2 - 1) = 1 -> 255, hue = fma(0 - 0, 60, 120) = 120 degrees * 256/360 = 85.33 -> 85.
        ColorConversion.RgbToHlsFull(0, 255, 0, out byte hh, out byte l, out byte ss);
        Assert.Equal((85, 128, 255), (hh, l, ss));

        // Lab: white is L = 255 (L* = 100), a = b = 128; black is 0, 128, 128.
        ColorConversion.RgbToLab(255, 255, 255, out byte lab0, out byte lab1, out byte lab2);
        Assert.Equal((255, 128, 128), (lab0, lab1, lab2));
        ColorConversion.RgbToLab(0, 0, 0, out lab0, out lab1, out lab2);
        Assert.Equal((0, 128, 128), (lab0, lab1, lab2));
    }

    [Fact]
    public void Hls_scalar_tail_differs_from_the_vector_path_on_rare_colours()
    {
        // Why the image form is position dependent: OpenCV's two HLS paths round differently for a few colours.
        int differing = 0;
        for (int i = 0; i < 1 << 24; i++)
        {
            byte r = (byte)(i >> 16), g = (byte)(i >> 8), b = (byte)i;
            ColorConversion.RgbToHlsFull(r, g, b, out byte h1, out byte l1, out byte s1);
            ColorConversion.RgbToHlsFullScalarTail(r, g, b, out byte h2, out byte l2, out byte s2);
            if (h1 != h2 || l1 != l2 || s1 != s2)
            {
                differing++;
            }
        }

        Assert.InRange(differing, 1, (1 << 24) / 1000);
    }

    [Fact]
    public void OpenCv_cube_root_is_within_one_ulp_below_the_true_root()
    {
        for (int i = 1; i < 3072; i++)
        {
            float t = (1f / 2040f) * i;
            float exact = (float)Math.Cbrt(t);
            float opencv = ColorConversion.OpenCvCubeRoot(t);
            Assert.True(opencv == exact || opencv == MathF.BitDecrement(exact), $"cbrt({t:R}) = {opencv:R}, exact {exact:R}");
        }

        Assert.Equal(2f, ColorConversion.OpenCvCubeRoot(8f));
        Assert.Equal(0f, ColorConversion.OpenCvCubeRoot(0f));
    }

    [Fact]
    public void Swaps_reverse_the_channel_order_and_round_trip()
    {
        var image = new RgbImage(2, 1, [1, 2, 3, 4, 5, 6]);
        ThreeChannelImage bgr = ColorConversion.RgbToBgr(image);
        Assert.Equal(new byte[] { 3, 2, 1, 6, 5, 4 }, bgr.Pixels);
        Assert.Equal(["B", "G", "R"], bgr.ChannelNames);
        Assert.Equal(image.Pixels, ColorConversion.BgrToRgb(bgr).Pixels);
        Assert.Equal(3, bgr.ExtractChannel("B")[0, 0]);
    }

    [Fact]
    public void Wrong_destination_size_is_refused()
    {
        var image = new RgbImage(3, 2);
        Assert.Throws<ArgumentException>(() => ColorConversion.RgbToGray(image, new GrayImage(2, 3)));
        Assert.Throws<ArgumentException>(() =>
            ColorConversion.RgbToHsv(image, new GrayImage(3, 2), new GrayImage(3, 2), new GrayImage(3, 3)));
    }

    private static void AssertPlanes(ThreeChannelImage interleaved, Action fillPlanes, GrayImage[] planes)
    {
        fillPlanes();
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(interleaved.ExtractChannel(c).Pixels, planes[c].Pixels);
        }
    }

    internal static byte[] Convert(RgbImage image, string conversion) => conversion switch
    {
        "gray" => ColorConversion.RgbToGray(image).Pixels,
        "hsv" => ColorConversion.RgbToHsv(image).Pixels,
        "hls_full" => ColorConversion.RgbToHlsFull(image).Pixels,
        "lab" => ColorConversion.RgbToLab(image).Pixels,
        "ycrcb" => ColorConversion.RgbToYCrCb(image).Pixels,
        "bgr" => ColorConversion.RgbToBgr(image).Pixels,
        _ => throw new ArgumentOutOfRangeException(nameof(conversion), conversion, "unknown conversion"),
    };

    internal static string Sha256(byte[] bytes) => System.Convert.ToHexStringLower(SHA256.HashData(bytes));

    internal static RgbImage BuildCube()
    {
        var pixels = new byte[(1 << 24) * 3];
        for (int i = 0; i < 1 << 24; i++)
        {
            pixels[i * 3] = (byte)(i >> 16);
            pixels[i * 3 + 1] = (byte)(i >> 8);
            pixels[i * 3 + 2] = (byte)i;
        }

        return new RgbImage(4096, 4096, pixels);
    }

    private static RgbImage LoadRgb(string name)
    {
        string size = name[(name.LastIndexOf('_') + 1)..];
        int x = size.IndexOf('x', StringComparison.Ordinal);
        int width = int.Parse(size[..x], CultureInfo.InvariantCulture);
        int height = int.Parse(size[(x + 1)..], CultureInfo.InvariantCulture);
        return new RgbImage(width, height, File.ReadAllBytes(Path.Combine(FixtureDir, name + ".rgb")));
    }

    private static Dictionary<(string, string), string> LoadDigests()
    {
        var map = new Dictionary<(string, string), string>();
        foreach (string line in File.ReadAllLines(Path.Combine(FixtureDir, "colour_digests.txt")))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            string[] parts = line.Split(' ');
            map[(parts[0], parts[1])] = parts[2];
        }

        return map;
    }
}
