using System.Globalization;
using System.Security.Cryptography;
using Raabin.Features.Datasets.Dedup;
using Raabin.Features.Imaging;
using Raabin.Features.IO;

namespace Raabin.Features.Tests.Datasets.Dedup;

public class ImageHashTests
{
    public static TheoryData<int, int, byte> ConstantImages => new()
    {
        { 1, 1, 0 }, { 8, 8, 0 }, { 8, 8, 200 }, { 37, 53, 1 }, { 37, 53, 128 }, { 360, 363, 255 }, { 5, 3, 77 },
    };

    [Theory]
    [MemberData(nameof(ConstantImages))]
    public void Constant_images_hash_to_zero_except_the_dc_bit_of_phash(int width, int height, byte value)
    {
        var gray = Gray(width, height, (_, _) => value);
        Assert.Equal(0UL, ImageHash.AverageHash(gray));
        // DC = 4096 · value is above the median 0 of the 63 zero AC terms; black has DC 0 too.
        Assert.Equal(value == 0 ? 0UL : 0x8000000000000000UL, ImageHash.PerceptualHash(gray));
    }

    [Fact]
    public void Average_hash_of_an_8x8_horizontal_gradient_by_hand()
    {
        // 8 × 8 needs no resize (Pillow copies). Columns 0, 32, ..., 224: mean 112, so columns 4..7 are above it.
        var gray = Gray(8, 8, (x, _) => (byte)(x * 32));
        Assert.Equal(0x0F0F0F0F0F0F0F0FUL, ImageHash.AverageHash(gray));
        Assert.Equal("0f0f0f0f0f0f0f0f", ImageHash.ToHex(ImageHash.AverageHash(gray)));
    }

    [Fact]
    public void Average_hash_bit_order_is_row_major_with_the_first_pixel_most_significant()
    {
        Assert.Equal(0x8000000000000000UL, ImageHash.AverageHash(Gray(8, 8, (x, y) => x == 0 && y == 0 ? (byte)255 : (byte)0)));
        Assert.Equal(0x0000000000000001UL, ImageHash.AverageHash(Gray(8, 8, (x, y) => x == 7 && y == 7 ? (byte)255 : (byte)0)));
        Assert.Equal(0xFFFFFFFF00000000UL, ImageHash.AverageHash(Gray(8, 8, (_, y) => y < 4 ? (byte)180 : (byte)20)));
    }

    [Fact]
    public void Average_hash_of_a_downscaled_half_dark_half_bright_image()
    {
        // 16 × 16, left half 0, right half 200: mirror symmetry puts the mean between the two halves, and the
        // Lanczos ringing at the edge cannot push a dark column above it or a bright one below it.
        var gray = Gray(16, 16, (x, _) => x < 8 ? (byte)0 : (byte)200);
        Assert.Equal(0x0F0F0F0F0F0F0F0FUL, ImageHash.AverageHash(gray));
    }

    [Fact]
    public void Pillow_luma_matches_the_16_bit_rule()
    {
        Assert.Equal(0, ImageHash.PillowLuma(0, 0, 0));
        Assert.Equal(255, ImageHash.PillowLuma(255, 255, 255));
        Assert.Equal((255 * 19595 + 0x8000) >> 16, ImageHash.PillowLuma(255, 0, 0)); // 76
        Assert.Equal((255 * 38470 + 0x8000) >> 16, ImageHash.PillowLuma(0, 255, 0)); // 150
        Assert.Equal((255 * 7471 + 0x8000) >> 16, ImageHash.PillowLuma(0, 0, 255)); // 29
        for (int v = 0; v < 256; v++)
        {
            Assert.Equal(v, ImageHash.PillowLuma((byte)v, (byte)v, (byte)v));
        }
    }

    [Theory]
    [InlineData(0UL, 0UL, 0)]
    [InlineData(0UL, ulong.MaxValue, 64)]
    [InlineData(0b1011UL, 0b0110UL, 3)]
    [InlineData(0x8000000000000000UL, 0x0000000000000001UL, 2)]
    [InlineData(0xF0F0F0F0F0F0F0F0UL, 0x0F0F0F0F0F0F0F0FUL, 64)]
    public void Hamming_distance_counts_differing_bits(ulong a, ulong b, int expected)
    {
        Assert.Equal(expected, ImageHash.HammingDistance(a, b));
        Assert.Equal(expected, ImageHash.HammingDistance(b, a));
    }

    [Fact]
    public void Hex_round_trips_and_rejects_bad_text()
    {
        foreach (ulong h in new[] { 0UL, 1UL, 0xfbdbc3c0e2e47777UL, ulong.MaxValue })
        {
            Assert.Equal(16, ImageHash.ToHex(h).Length);
            Assert.Equal(h, ImageHash.ParseHex(ImageHash.ToHex(h)));
        }

        Assert.Throws<FormatException>(() => ImageHash.ParseHex("123"));
        Assert.Throws<FormatException>(() => ImageHash.ParseHex("zzzzzzzzzzzzzzzz"));
    }

    [Theory]
    [InlineData("pbc", "images/eosinophil/EO_341474.jpg")]
    [InlineData("bccd", "images/neutrophil/BloodImage_00230_1.jpg")]
    [InlineData("zheng-cellavision", "images/010.bmp")]
    public void Perceptual_hash_of_a_brightened_copy_is_close(string dataset, string path)
    {
        var image = LoadSample(dataset, path);
        var brighter = new RgbImage(image.Width, image.Height, [.. image.Pixels.Select(v => (byte)Math.Min(255, v + 12))]);
        Assert.True(ImageHash.HammingDistance(ImageHash.PerceptualHash(image), ImageHash.PerceptualHash(brighter)) <= 4);
        Assert.True(ImageHash.HammingDistance(ImageHash.AverageHash(image), ImageHash.AverageHash(brighter)) <= 4);
    }

    [Theory]
    [InlineData("pbc", "images/eosinophil/EO_341474.jpg")]
    [InlineData("bccd", "images/neutrophil/BloodImage_00230_1.jpg")]
    [InlineData("zheng-cellavision", "images/010.bmp")]
    public void Perceptual_hash_of_a_transposed_image_is_the_transposed_hash_give_or_take_rounding(string dataset, string path)
    {
        // The 2-D DCT of a transposed image is the transposed DCT; only Pillow's rounding after the first (horizontal)
        // pass differs, so the bit matrices agree up to a few coefficients near the median.
        var gray = ImageHash.ToPillowGray(LoadSample(dataset, path));
        var transposed = Gray(gray.Height, gray.Width, (x, y) => gray[y, x]);
        ulong hash = ImageHash.PerceptualHash(gray);
        ulong other = ImageHash.PerceptualHash(transposed);
        Assert.True(ImageHash.HammingDistance(TransposeBits(hash), other) <= 4);
        Assert.NotEqual(hash, TransposeBits(hash)); // the check above is not vacuous: these cells are not symmetric
    }

    [Fact]
    public void Hashes_resizes_and_sharpness_match_pillow_scipy_and_opencv_on_every_sample()
    {
        var golden = CsvTable.Load(TestPaths.Fixture("Dedup", "imagehash-golden.csv"));
        Assert.Equal(["path", "ahash", "phash", "resize8_sha256", "resize32_sha256", "sharpness", "pil_equals_cv2"], golden.Header);
        Assert.Equal(54, golden.Rows.Count);
        foreach (var row in golden.Rows)
        {
            Assert.Equal("true", row[6]); // the golden values were computed from the same pixels this decoder returns
            var image = ImageDecoder.Load(TestPaths.Sample(row[0].Split('/')));
            var gray = ImageHash.ToPillowGray(image);
            Assert.True(row[3] == Sha256(PillowLanczos.Resize(gray, 8, 8)), $"{row[0]}: 8x8 Lanczos differs from Pillow");
            Assert.True(row[4] == Sha256(PillowLanczos.Resize(gray, 32, 32)), $"{row[0]}: 32x32 Lanczos differs from Pillow");
            Assert.Equal(row[1], ImageHash.ToHex(ImageHash.AverageHash(image)));
            Assert.Equal(row[2], ImageHash.ToHex(ImageHash.PerceptualHash(image)));
            double expected = double.Parse(row[5], CultureInfo.InvariantCulture);
            Assert.Equal(expected, Sharpness.MeanSobelMagnitude(image), expected * 1e-12);
        }
    }

    [Fact]
    public void Lanczos_resize_keeps_size_changes_only_the_axes_that_change_and_rejects_bad_sizes()
    {
        var gray = Gray(20, 8, (x, y) => (byte)(x * 10 + y));
        Assert.Equal(gray.Pixels, PillowLanczos.Resize(gray, 20, 8).Pixels);
        var narrower = PillowLanczos.Resize(gray, 8, 8);
        Assert.Equal((8, 8), (narrower.Width, narrower.Height));
        // Rows differ by exactly one level everywhere and only columns are filtered: the row step survives.
        for (int x = 0; x < 8; x++)
        {
            for (int y = 1; y < 8; y++)
            {
                Assert.InRange(narrower[x, y] - narrower[x, y - 1], 0, 2);
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => PillowLanczos.Resize(gray, 0, 8));
        Assert.Equal(1.0, PillowLanczos.Lanczos(0));
        Assert.Equal(0.0, PillowLanczos.Lanczos(3.0));
        Assert.NotEqual(0.0, PillowLanczos.Lanczos(-2.5));
    }

    internal static GrayImage Gray(int width, int height, Func<int, int, byte> value)
    {
        var g = new GrayImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                g[x, y] = value(x, y);
            }
        }

        return g;
    }

    internal static RgbImage LoadSample(string dataset, string path) => ImageDecoder.Load(TestPaths.Sample([dataset, .. path.Split('/')]));

    private static ulong TransposeBits(ulong hash)
    {
        ulong result = 0;
        for (int r = 0; r < 8; r++)
        {
            for (int c = 0; c < 8; c++)
            {
                if ((hash >> (63 - (r * 8 + c)) & 1) != 0)
                {
                    result |= 1UL << (63 - (c * 8 + r));
                }
            }
        }

        return result;
    }

    private static string Sha256(GrayImage image) => Convert.ToHexStringLower(SHA256.HashData(image.Pixels));
}
