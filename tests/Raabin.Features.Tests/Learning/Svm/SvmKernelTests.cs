using Raabin.Features.Learning.Svm;

namespace Raabin.Features.Tests.Learning.Svm;

public class SvmKernelTests
{
    [Theory]
    [InlineData(2.0, 3, 8.0)]
    [InlineData(1.5, 5, 7.59375)]
    [InlineData(-3.0, 3, -27.0)]
    [InlineData(0.5, 0, 1.0)]
    [InlineData(7.0, -1, 1.0)] // LIBSVM's powi returns 1 for a non-positive power
    [InlineData(10.0, 1, 10.0)]
    public void Powi_multiplies_by_repeated_squaring(double value, int times, double expected)
    {
        Assert.Equal(expected, KernelMath.Powi(value, times));
    }

    [Fact]
    public void Powi_rounds_like_binary_exponentiation_not_like_Math_Pow()
    {
        // x^3 by powi is (x) * (x*x): two roundings in that order.
        double x = 0.1;
        Assert.Equal(x * (x * x), KernelMath.Powi(x, 3));
        double y = 1.0000001;
        double y2 = y * y;
        double y4 = y2 * y2;
        Assert.Equal(y * y4, KernelMath.Powi(y, 5));
    }

    [Fact]
    public void Four_way_dot_is_bit_identical_to_the_scalar_dot()
    {
        var random = new Random(42);
        foreach (int length in new[] { 1, 3, 8, 51, 64 })
        {
            for (int trial = 0; trial < 50; trial++)
            {
                double[] x = RandomVector(random, length);
                double[][] ys = [RandomVector(random, length), RandomVector(random, length), RandomVector(random, length), RandomVector(random, length)];
                KernelMath.Dot4(ref x[0], ref ys[0][0], ref ys[1][0], ref ys[2][0], ref ys[3][0], length, out double s0, out double s1, out double s2, out double s3);
                Assert.Equal(KernelMath.Dot(x, ys[0]), s0);
                Assert.Equal(KernelMath.Dot(x, ys[1]), s1);
                Assert.Equal(KernelMath.Dot(x, ys[2]), s2);
                Assert.Equal(KernelMath.Dot(x, ys[3]), s3);
            }
        }
    }

    [Fact]
    public void Dot_sums_left_to_right_from_zero()
    {
        // 1e16 + 1 - 1e16 is 0 left to right in double, 1 in exact arithmetic.
        Assert.Equal(0.0, KernelMath.Dot([1e16, 1, -1e16], [1, 1, 1]));
        Assert.Equal(1.0, KernelMath.Dot([1e16, -1e16, 1], [1, 1, 1]));
    }

    [Fact]
    public void Kernels_give_their_textbook_values()
    {
        double[] x = [1, 2, 3];
        double[] y = [0.5, -1, 2];

        // <x, y> = 0.5 - 2 + 6 = 4.5, |x - y|^2 = 0.25 + 9 + 1 = 10.25
        Assert.Equal(4.5, new SvmKernel.Linear().Evaluate(x, y));
        Assert.Equal(Math.Pow(0.5 * 4.5 + 1, 3), new SvmKernel.Polynomial(0.5, 1, 3).Evaluate(x, y), 12);
        Assert.Equal(Math.Exp(-0.1 * 10.25), new SvmKernel.Rbf(0.1).Evaluate(x, y), 15);
        Assert.Equal(Math.Tanh(0.2 * 4.5 - 1), new SvmKernel.Sigmoid(0.2, -1).Evaluate(x, y), 15);
        Assert.Throws<ArgumentException>(() => new SvmKernel.Linear().Evaluate(x, [1.0]));
    }

    [Fact]
    public void Rbf_training_and_prediction_forms_agree_closely_but_are_computed_differently()
    {
        var kernel = new SvmKernel.Rbf(0.7);
        var random = new Random(3);
        for (int trial = 0; trial < 100; trial++)
        {
            double[] x = RandomVector(random, 51);
            double[] y = RandomVector(random, 51);
            double viaNorms = kernel.FromDot(KernelMath.Dot(x, y), KernelMath.Dot(x, x), KernelMath.Dot(y, y));
            Assert.Equal(kernel.Evaluate(x, y), viaNorms, 1e-12);
        }

        // For x = y the norm form is exp(-g (|x|^2 + |x|^2 - 2|x|^2)) = exp(0) = 1 exactly only when the sums cancel.
        double[] z = [0.1, 0.2, 0.3];
        double square = KernelMath.Dot(z, z);
        Assert.Equal(Math.Exp(-0.7 * (square + square - 2 * square)), kernel.FromDot(square, square, square));
        Assert.Equal(1.0, kernel.Evaluate(z, z));
    }

    [Fact]
    public void Kernel_records_compare_by_value_and_name_their_libsvm_type()
    {
        Assert.Equal(new SvmKernel.Polynomial(0.3, 0, 3), new SvmKernel.Polynomial(0.3, 0, 3));
        Assert.NotEqual<SvmKernel>(new SvmKernel.Polynomial(0.3, 0, 3), new SvmKernel.Polynomial(0.3, 0, 2));
        Assert.Equal(0, new SvmKernel.Linear().LibSvmKernelType);
        Assert.Equal(1, new SvmKernel.Polynomial(1, 0, 3).LibSvmKernelType);
        Assert.Equal(2, new SvmKernel.Rbf(1).LibSvmKernelType);
        Assert.Equal(3, new SvmKernel.Sigmoid(1, 0).LibSvmKernelType);
    }

    private static double[] RandomVector(Random random, int length)
    {
        var v = new double[length];
        for (int i = 0; i < length; i++)
        {
            v[i] = random.NextDouble() * 2 - 1;
        }

        return v;
    }
}
