using Raabin.Features.Segmentation;
using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Tests.Segmentation;

/// <summary>The vectorised per-pixel mask loops against their scalar twins, on seeded noise of awkward lengths.</summary>
public class MaskLoopTests
{
    public static TheoryData<int> Lengths => new() { 0, 1, 31, 32, 33, 100, 130_680 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Threshold_vector_equals_scalar(int length)
    {
        byte[] channel = Noise(length, 1);
        foreach (int threshold in new[] { -3, 0, 1, 77, 128, 254, 255, 256 })
        {
            var vector = new byte[length];
            var scalar = new byte[length];
            NucleusMaskFinisher.ThresholdAtLeast(channel, threshold, vector, allowVector: true);
            NucleusMaskFinisher.ThresholdAtLeast(channel, threshold, scalar, allowVector: false);
            Assert.Equal(scalar, vector);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(channel[i] >= threshold ? 255 : 0, scalar[i]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Clear_where_set_vector_equals_scalar(int length)
    {
        byte[] mask = Noise(length, 2), erase = Sparse(length, 3);
        byte[] vector = (byte[])mask.Clone(), scalar = (byte[])mask.Clone();
        NucleusMaskFinisher.ClearWhereSet(vector, erase, allowVector: true);
        NucleusMaskFinisher.ClearWhereSet(scalar, erase, allowVector: false);
        Assert.Equal(scalar, vector);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(erase[i] != 0 ? 0 : mask[i], scalar[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Region_of_cytoplasm_vector_equals_scalar(int length)
    {
        // Arbitrary bytes, not only 0/255, so that the uint8 wrap-around of the difference is exercised.
        byte[] hull = Noise(length, 4), nucleus = Noise(length, 5);
        for (int i = 0; i < length; i += 3)
        {
            hull[i] = (byte)(nucleus[i] + 255);
        }

        var vector = new byte[length];
        var scalar = new byte[length];
        NucleusMaskFinisher.RegionOfCytoplasm(hull, nucleus, vector, allowVector: true);
        NucleusMaskFinisher.RegionOfCytoplasm(hull, nucleus, scalar, allowVector: false);
        Assert.Equal(scalar, vector);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal((byte)(hull[i] - nucleus[i]) == 255 ? 255 : 0, scalar[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Contour_working_copy_vector_equals_scalar(int length)
    {
        byte[] mask = Sparse(length, 6);
        var vector = new byte[length];
        var scalar = new byte[length];
        ContourTracer.ToUnvisited(mask, vector, allowVector: true);
        ContourTracer.ToUnvisited(mask, scalar, allowVector: false);
        Assert.Equal(scalar, vector);
        for (int i = 0; i < length; i++)
        {
            Assert.Equal(mask[i] != 0 ? 1 : 0, scalar[i]);
        }
    }

    private static byte[] Noise(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    // About half zeros, the rest arbitrary nonzero values.
    private static byte[] Sparse(int length, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = random.Next(2) == 0 ? (byte)0 : (byte)random.Next(1, 256);
        }

        return bytes;
    }
}
