using System.Globalization;
using Raabin.Features.Imaging;

namespace Raabin.Features.Tests.Imaging;

/// <summary>
/// Golden tests against cv2.GaussianBlur of OpenCV 4.6 (Debian python3-opencv 4.6.0), made once by
/// Fixtures/Colour/make_golden.py: SHA-256 of the output per (input, k, sigma), the bit-exact double kernels, and an
/// impulse response.
/// </summary>
public class GaussianBlurTests
{
    private static readonly string BlurDir = Path.Combine(ColorConversionTests.FixtureDir, "Blur");

    public static TheoryData<string, int, double, string> GoldenCases()
    {
        var data = new TheoryData<string, int, double, string>();
        foreach (string line in File.ReadAllLines(Path.Combine(BlurDir, "blur_digests.txt")))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            string[] p = line.Split(' ');
            data.Add(p[0], int.Parse(p[1], CultureInfo.InvariantCulture), double.Parse(p[2], CultureInfo.InvariantCulture), p[3]);
        }

        return data;
    }

    public static TheoryData<int, double, string> KernelCases()
    {
        var data = new TheoryData<int, double, string>();
        foreach (string line in File.ReadAllLines(Path.Combine(BlurDir, "kernels.txt")))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            string[] p = line.Split(' ', 3);
            data.Add(int.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture), p[2]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Matches_opencv(string file, int kernelSize, double sigma, string expectedSha256)
    {
        GrayImage input = LoadGray(file);
        GrayImage output = GaussianBlur.Apply(input, kernelSize, sigma);
        Assert.Equal(expectedSha256, ColorConversionTests.Sha256(output.Pixels));
    }

    [Theory]
    [MemberData(nameof(KernelCases))]
    public void Kernel_matches_getGaussianKernel(int n, double sigma, string expectedBits)
    {
        double[] expected = expectedBits.Split(' ')
            .Select(h => BitConverter.Int64BitsToDouble(long.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
            .ToArray();
        double[] kernel = GaussianBlur.Kernel(n, sigma);
        Assert.Equal(n, kernel.Length);
        for (int i = 0; i < n; i++)
        {
            // OpenCV's software exp is not correctly rounded (and less accurate, relatively, far out in the tails):
            // allow 1e-15 absolute, some 1e-13 of a 1/256 fixed-point step.
            Assert.True(Math.Abs(kernel[i] - expected[i]) <= 1e-15,
                $"tap {i}: {kernel[i]:R} vs OpenCV {expected[i]:R}");
        }

        // What the 8-bit blur uses must be identical.
        Assert.Equal(GaussianBlur.ToFixedPoint(expected), GaussianBlur.FixedPointKernel(n, sigma));
    }

    [Fact]
    public void Impulse_gives_the_fixed_point_kernel_outer_product()
    {
        // k = 7, sigma 0: taps [8 28 56 72 56 28 8]/256; output = (ky * (kx * 255) + 2^15) >> 16.
        // Centre: 72 * (72 * 255) = 1321920, (1321920 + 32768) >> 16 = 20 (20.17 rounded).
        // Left of centre: 72 * (56 * 255) = 1028160 -> 16 (15.69). Corner (0, 0): reflect-101 maps offset -3 onto
        // the centre too, so both outer taps see the 255: (8 + 8) * ((8 + 8) * 255) = 65280 -> 1.
        var image = new GrayImage(7, 7);
        image[3, 3] = 255;
        GrayImage output = GaussianBlur.Apply(image, 7);
        Assert.Equal(20, output[3, 3]);
        Assert.Equal(16, output[2, 3]);
        Assert.Equal(1, output[0, 0]);
        string[] expectedRows = File.ReadAllLines(Path.Combine(BlurDir, "impulse_7x7_k7.txt"));
        for (int y = 0; y < 7; y++)
        {
            int[] expected = expectedRows[y].Split(' ').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            for (int x = 0; x < 7; x++)
            {
                Assert.Equal(expected[x], output[x, y]);
            }
        }
    }

    [Fact]
    public void Fixed_point_kernels_sum_to_256()
    {
        Assert.Equal([64, 128, 64], GaussianBlur.FixedPointKernel(3, 0));
        Assert.Equal([16, 64, 96, 64, 16], GaussianBlur.FixedPointKernel(5, 0));
        for (int n = 1; n <= 31; n += 2)
        {
            Assert.Equal(256, GaussianBlur.FixedPointKernel(n, 0).Sum());
            Assert.Equal(256, GaussianBlur.FixedPointKernel(n, 2.5).Sum());
        }
    }

    [Fact]
    public void Reflect101_border_by_hand()
    {
        // Row [0 0 255], k = 3 ([64 128 64]/256). A one-high image gets kernel height 1 (tap 256), so the result is
        // (256 * h + 2^15) >> 16 = (h + 128) >> 8 of the horizontal sum h. x = 0: neighbours x = -1 -> 1 and 1, both 0,
        // so 0. x = 1: 64 * 255 = 16320 -> 64. x = 2: 128 * 255 (its right neighbour x = 3 reflects to 1, a 0) -> 128.
        var row = new GrayImage(3, 1, [0, 0, 255]);
        GrayImage output = GaussianBlur.Apply(row, 3);
        Assert.Equal(new byte[] { 0, 64, 128 }, output.Pixels);

        // Reflect-101 index map for length 3, radius 4: -4..6 -> 0 1 2 1 | 0 1 2 | 1 0 1 2.
        Assert.Equal([0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2], GaussianBlur.ReflectedIndices(3, 4));
        Assert.Equal(0, GaussianBlur.Reflect101(-5, 1));
    }

    [Fact]
    public void Constant_image_stays_constant_and_in_place_works()
    {
        var image = new GrayImage(9, 5);
        image.Pixels.AsSpan().Fill(173);
        GaussianBlur.Apply(image, image, 15, 0);
        Assert.All(image.Pixels, v => Assert.Equal(173, v));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(5, 4)]
    [InlineData(31, 2)]
    [InlineData(32, 7)]
    [InlineData(33, 9)]
    [InlineData(67, 61)]
    [InlineData(360, 363)]
    public void Binomial5_fast_path_equals_the_general_convolution(int width, int height)
    {
        // The specialised 5x5 path (vector and scalar) against the general one, on seeded noise and on saturated input
        // (the largest sums, where 16-bit lanes would overflow first).
        int[] taps = GaussianBlur.FixedPointKernel(5, 0);
        Assert.Equal([16, 64, 96, 64, 16], taps);
        var random = new Random(width * 1000 + height);
        for (int pass = 0; pass < 2; pass++)
        {
            var input = new GrayImage(width, height);
            if (pass == 0)
            {
                random.NextBytes(input.Pixels);
            }
            else
            {
                input.Pixels.AsSpan().Fill(255);
                input.Pixels[random.Next(input.Pixels.Length)] = 0;
            }

            var expected = new GrayImage(width, height);
            GaussianBlur.Convolve(input, expected, taps, taps);
            var vector = new GrayImage(width, height);
            GaussianBlur.ConvolveBinomial5(input, vector, allowVector: true);
            var scalar = new GrayImage(width, height);
            GaussianBlur.ConvolveBinomial5(input, scalar, allowVector: false);
            Assert.Equal(expected.Pixels, vector.Pixels);
            Assert.Equal(expected.Pixels, scalar.Pixels);
        }
    }

    [Theory]
    [InlineData(2, 2, 0.4)]
    [InlineData(5, 4, 0.4)]
    [InlineData(15, 3, 0.5)]
    [InlineData(16, 17, 0.4)]
    [InlineData(33, 9, 0.45)]
    [InlineData(67, 61, 0.4)]
    [InlineData(180, 181, 0.4)]
    public void Three_tap_fast_path_equals_the_general_convolution(int width, int height, double sigma)
    {
        // A 5-tap kernel whose outer taps round to 0 ([0 a b a 0]) through the 3-tap path (vector and scalar) against
        // the general 5-tap one, on seeded noise and on saturated input (the largest sums).
        int[] taps = GaussianBlur.FixedPointKernel(5, sigma);
        Assert.Equal(0, taps[0]);
        Assert.NotEqual(0, taps[1]);
        var random = new Random(width * 1000 + height);
        for (int pass = 0; pass < 2; pass++)
        {
            var input = new GrayImage(width, height);
            if (pass == 0)
            {
                random.NextBytes(input.Pixels);
            }
            else
            {
                input.Pixels.AsSpan().Fill(255);
                input.Pixels[random.Next(input.Pixels.Length)] = 0;
            }

            var expected = new GrayImage(width, height);
            GaussianBlur.Convolve(input, expected, taps, taps);
            var vector = new GrayImage(width, height);
            GaussianBlur.ConvolveThreeTaps(input, vector, taps[1], taps[2], allowVector: true);
            var scalar = new GrayImage(width, height);
            GaussianBlur.ConvolveThreeTaps(input, scalar, taps[1], taps[2], allowVector: false);
            Assert.Equal(expected.Pixels, vector.Pixels);
            Assert.Equal(expected.Pixels, scalar.Pixels);
            Assert.Equal(expected.Pixels, GaussianBlur.Apply(input, 5, sigma).Pixels);
        }
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        var image = new GrayImage(4, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianBlur.Apply(image, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianBlur.Apply(image, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianBlur.Apply(image, 3, double.NaN));
        Assert.Throws<ArgumentException>(() => GaussianBlur.Apply(image, new GrayImage(4, 5), 3));
    }

    private static GrayImage LoadGray(string file)
    {
        string stem = Path.GetFileNameWithoutExtension(file);
        string size = stem[(stem.LastIndexOf('_') + 1)..];
        int x = size.IndexOf('x', StringComparison.Ordinal);
        int width = int.Parse(size[..x], CultureInfo.InvariantCulture);
        int height = int.Parse(size[(x + 1)..], CultureInfo.InvariantCulture);
        return new GrayImage(width, height, File.ReadAllBytes(Path.Combine(BlurDir, file)));
    }
}
