using Raabin.Features.Learning.Svm;

namespace Raabin.Features.Tests.Learning.Svm;

/// <summary>The SIMD gradient updates against their scalar twins (LIBSVM's loops as written): bit for bit.</summary>
public class GradientMathTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(37)]
    [InlineData(1000)]
    public void Vector_updates_equal_their_scalar_twins(int length)
    {
        var random = new Random(length);
        float[] a = RandomFloats(random, length + 3);
        float[] b = RandomFloats(random, length + 3);
        double[] start = new double[length];
        for (int k = 0; k < length; k++)
        {
            start[k] = (random.NextDouble() - 0.5) * 10;
        }

        double scaleA = random.NextDouble() - 0.5;
        double scaleB = (random.NextDouble() - 0.5) * 1e-3;

        double[] vector = (double[])start.Clone();
        double[] scalar = (double[])start.Clone();
        GradientMath.AddTwoScaledColumns(vector, a, scaleA, b, scaleB);
        GradientMath.AddTwoScaledColumnsScalar(scalar, a, scaleA, b, scaleB);
        Assert.Equal(scalar, vector);
        Assert.NotEqual(start, vector);

        GradientMath.AddScaledColumn(vector, a, scaleB);
        GradientMath.AddScaledColumnScalar(scalar, a, scaleB);
        Assert.Equal(scalar, vector);

        GradientMath.SubtractScaledColumn(vector, b, scaleA);
        GradientMath.SubtractScaledColumnScalar(scalar, b, scaleA);
        Assert.Equal(scalar, vector);
    }

    [Fact]
    public void Short_columns_are_refused()
    {
        Assert.Throws<ArgumentException>(() => GradientMath.AddScaledColumn(new double[4], new float[3], 1));
        Assert.Throws<ArgumentException>(() => GradientMath.AddTwoScaledColumns(new double[4], new float[4], 1, new float[2], 1));
    }

    private static float[] RandomFloats(Random random, int length)
    {
        var values = new float[length];
        for (int k = 0; k < length; k++)
        {
            values[k] = (float)((random.NextDouble() - 0.5) * 4);
        }

        return values;
    }
}
