using System.Globalization;
using System.Text.Json;
using Raabin.Features.Imaging;

namespace Raabin.Features.Tests.Imaging;

public class LaplacianOfGaussianTests
{
    public static TheoryData<int> GoldenCases()
    {
        var data = new TheoryData<int>();
        int n = ResampleFixtures.Root("log.json").GetProperty("cases").GetArrayLength();
        for (int i = 0; i < n; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static (DoubleImage Source, JsonElement Case) Load(int index)
    {
        JsonElement root = ResampleFixtures.Root("log.json");
        JsonElement c = root.GetProperty("cases")[index];
        JsonElement input = root.GetProperty("inputs").GetProperty(c.GetProperty("input").GetString()!);
        (GrayImage gray, _) = ResampleFixtures.Input(input);
        return (ResampleFixtures.AsDouble(input, gray), c);
    }

    private static double[] OpenCvKernel(double sigma)
    {
        // Keys are Python reprs ("1.0", "1.3").
        JsonElement k = ResampleFixtures.Root("log.json").GetProperty("kernels").EnumerateObject()
            .Single(p => double.Parse(p.Name, CultureInfo.InvariantCulture) == sigma).Value;
        return k.GetProperty("bits").GetString()!.Split(' ')
            .Select(h => BitConverter.Int64BitsToDouble(long.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))
            .ToArray();
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void With_opencvs_kernel_blur_and_laplacian_are_bit_exact(int index)
    {
        (DoubleImage src, JsonElement c) = Load(index);
        double sigma = c.GetProperty("sigma").GetDouble();
        double[] kernel = OpenCvKernel(sigma);
        Assert.Equal(GaussianBlur.DoubleKernelSize(sigma), kernel.Length);
        DoubleImage blur = GaussianBlur.ConvolveDouble(src, src.Width == 1 ? [1.0] : kernel, src.Height == 1 ? [1.0] : kernel);
        Assert.Equal(c.GetProperty("blurSha256").GetString(), ResampleFixtures.Sha256(blur.Pixels));
        Assert.Equal(c.GetProperty("logSha256").GetString(), ResampleFixtures.Sha256(LaplacianOfGaussian.Laplacian(blur).Pixels));
    }

    [Theory]
    [InlineData(1, 1, 1.0)]
    [InlineData(3, 2, 1.0)]
    [InlineData(8, 9, 1.0)]
    [InlineData(9, 9, 1.0)]
    [InlineData(13, 5, 2.0)]
    [InlineData(17, 17, 2.0)]
    [InlineData(21, 30, 2.0)]
    [InlineData(103, 98, 2.0)]
    [InlineData(102, 101, 1.0)]
    public void Vectorised_double_blur_equals_its_scalar_twin_bit_for_bit(int width, int height, double sigma)
    {
        var random = new Random(width * 100 + height);
        var src = new DoubleImage(width, height);
        for (int i = 0; i < src.Pixels.Length; i++)
        {
            src.Pixels[i] = (random.NextDouble() * 9) - (i % 7 == 0 ? 4 : 0);
        }

        double[] kernel = GaussianBlur.Kernel(GaussianBlur.DoubleKernelSize(sigma), sigma);
        double[] kx = width == 1 ? [1.0] : kernel, ky = height == 1 ? [1.0] : kernel;
        DoubleImage vector = GaussianBlur.ConvolveDouble(src, kx, ky, allowVector: true);
        DoubleImage scalar = GaussianBlur.ConvolveDouble(src, kx, ky, allowVector: false);
        Assert.Equal(scalar.Pixels.Select(BitConverter.DoubleToInt64Bits), vector.Pixels.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void End_to_end_matches_cv2_within_1e13_of_the_input_range(int index)
    {
        (DoubleImage src, JsonElement c) = Load(index);
        double sigma = c.GetProperty("sigma").GetDouble();
        int stride = c.GetProperty("stride").GetInt32();
        double magnitude = src.Pixels.Max(Math.Abs);
        double tolerance = 1e-13 * Math.Max(magnitude, 1e-300);
        DoubleImage blur = GaussianBlur.Apply(src, sigma);
        DoubleImage log = LaplacianOfGaussian.Apply(src, sigma);
        Compare(c.GetProperty("blur"), blur, stride, tolerance);
        Compare(c.GetProperty("log"), log, stride, tolerance);
    }

    private static void Compare(JsonElement expected, DoubleImage actual, int stride, double tolerance)
    {
        int i = 0;
        foreach (JsonElement e in expected.EnumerateArray())
        {
            double v = actual.Pixels[i * stride];
            Assert.True(Math.Abs(e.GetDouble() - v) <= tolerance, $"pixel {i * stride}: cv2 {e.GetDouble():R}, ours {v:R}");
            i++;
        }

        Assert.Equal((actual.Pixels.Length + stride - 1) / stride, i);
    }

    [Fact]
    public void Constant_image_gives_zero()
    {
        var d = new DoubleImage(17, 9);
        d.Pixels.AsSpan().Fill(3.25);
        foreach (double sigma in new[] { 0.5, 1.0, 2.2, 4.0 })
        {
            Assert.All(LaplacianOfGaussian.Apply(d, sigma).Pixels, p => Assert.True(Math.Abs(p) < 1e-13));
            Assert.All(GaussianBlur.Apply(d, sigma).Pixels, p => Assert.Equal(3.25, p, 1e-14));
        }
    }

    [Fact]
    public void Laplacian_of_a_quadratic_is_its_second_derivative_inside()
    {
        // f = x^2 + 3 y^2 has a 5-point Laplacian of exactly 2 + 6 = 8 away from the border.
        var d = new DoubleImage(7, 6);
        for (int y = 0; y < 6; y++)
        {
            for (int x = 0; x < 7; x++)
            {
                d[x, y] = x * x + 3 * y * y;
            }
        }

        DoubleImage l = LaplacianOfGaussian.Laplacian(d);
        for (int y = 1; y < 5; y++)
        {
            for (int x = 1; x < 6; x++)
            {
                Assert.Equal(8.0, l[x, y]);
            }
        }

        // Reflect-101 at the left edge: f(-1) = f(1), so 2 (f(1) - f(0)) + 6 = 2 + 6 at x = 0.
        Assert.Equal(2 * (1 - 0) + 6.0, l[0, 2]);
    }

    [Fact]
    public void Kernel_size_follows_opencv_for_float_images()
    {
        Assert.Equal(5, GaussianBlur.DoubleKernelSize(0.5));
        Assert.Equal(9, GaussianBlur.DoubleKernelSize(1.0));
        Assert.Equal(33, GaussianBlur.DoubleKernelSize(4.0));
        Assert.Equal(11, GaussianBlur.DoubleKernelSize(1.3)); // 11.4 -> 11
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianBlur.Apply(new DoubleImage(2, 2), 0));
    }
}
