using Raabin.Features.Imaging;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Tests.Segmentation;

/// <summary>The fused, table-driven colour pass of the reference segmenter against the per-pixel definitions.</summary>
public class NucleusChannelTests
{
    [Fact]
    public void Saturation_tables_equal_hls_full_s_for_every_rgb_colour()
    {
        // S of both OpenCV paths depends only on the maximum and minimum channel: checked over the whole RGB cube.
        int mismatches = 0;
        for (int r = 0; r < 256; r++)
        {
            for (int g = 0; g < 256; g++)
            {
                for (int b = 0; b < 256; b++)
                {
                    int max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
                    ColorConversion.RgbToHlsFull((byte)r, (byte)g, (byte)b, out _, out _, out byte body);
                    ColorConversion.RgbToHlsFullScalarTail((byte)r, (byte)g, (byte)b, out _, out _, out byte tail);
                    if (NucleusChannel.SaturationBody[(max << 8) | min] != body || NucleusChannel.SaturationTail[(max << 8) | min] != tail)
                    {
                        mismatches++;
                    }
                }
            }
        }

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Vector_pass_equals_the_per_pixel_definition_over_the_whole_rgb_cube()
    {
        // Scale 1 leaves every value unchanged, so the 4096 x 4096 image holds each RGB colour once, all in OpenCV's
        // HLS vector body (4096 is a multiple of 8).
        Assert.True(NucleusChannel.VectorIdentitiesHold);
        const int side = 4096;
        var image = new RgbImage(side, side);
        byte[] pixels = image.Pixels;
        for (int colour = 0, j = 0; colour < side * side; colour++, j += 3)
        {
            pixels[j] = (byte)(colour >> 16);
            pixels[j + 1] = (byte)(colour >> 8);
            pixels[j + 2] = (byte)colour;
        }

        var balanced = new RgbImage(side, side);
        var channel = new GrayImage(side, side);
        NucleusChannel.Compute(image, 1.0, 1.0, 1.0, balanced, channel, allowVector: true);
        Assert.Equal(pixels, balanced.Pixels);
        int mismatches = 0;
        for (int colour = 0, j = 0; colour < side * side; colour++, j += 3)
        {
            if (channel.Pixels[colour] != NucleusChannel.Value(pixels[j], pixels[j + 1], pixels[j + 2], scalarTail: false))
            {
                mismatches++;
            }
        }

        Assert.Equal(0, mismatches);
    }

    [Theory]
    [InlineData(8, 1, 0.93, 1.07, 1.21)]
    [InlineData(360, 363, 1.0000001, 0.5, 3.7)]
    [InlineData(366, 9, 255.0, 0.0, 1e-300)]
    [InlineData(37, 5, double.PositiveInfinity, 1.0, 1.0)]
    public void Vector_pass_equals_the_table_pass_for_any_scales(int width, int height, double scaleR, double scaleG, double scaleB)
    {
        var random = new Random(width + height);
        var image = new RgbImage(width, height);
        random.NextBytes(image.Pixels);
        var scalarBalanced = new RgbImage(width, height);
        var scalarChannel = new GrayImage(width, height);
        NucleusChannel.Compute(image, scaleR, scaleG, scaleB, scalarBalanced, scalarChannel, allowVector: false);
        foreach (bool single in new[] { true, false })
        {
            var vectorBalanced = new RgbImage(width, height);
            var vectorChannel = new GrayImage(width, height);
            NucleusChannel.Compute(image, scaleR, scaleG, scaleB, vectorBalanced, vectorChannel, allowVector: true, allowSingleBalance: single);
            Assert.Equal(scalarBalanced.Pixels, vectorBalanced.Pixels);
            Assert.Equal(scalarChannel.Pixels, vectorChannel.Pixels);
        }

        for (int i = 0; i < image.Pixels.Length; i += 3)
        {
            Assert.Equal(GrayWorldBalance.Scale(image.Pixels[i], scaleR), scalarBalanced.Pixels[i]);
            Assert.Equal(GrayWorldBalance.Scale(image.Pixels[i + 1], scaleG), scalarBalanced.Pixels[i + 1]);
            Assert.Equal(GrayWorldBalance.Scale(image.Pixels[i + 2], scaleB), scalarBalanced.Pixels[i + 2]);
        }
    }

    [Fact]
    public void Single_precision_balance_is_used_only_when_it_equals_the_table()
    {
        var table = new byte[256];
        GrayWorldBalance.FillTable(table, 1.0);
        Assert.True(NucleusChannel.SingleBalanceIsExact(1.0, table));

        // A scale just below 2 in double that rounds to exactly 2 in single precision: v = 1 gives 1 in double
        // (1.999... truncated) but 2 in single, so single precision must be refused.
        double scale = Math.BitDecrement(2.0);
        GrayWorldBalance.FillTable(table, scale);
        Assert.Equal(1, table[1]);
        Assert.False(NucleusChannel.SingleBalanceIsExact(scale, table));
    }

    [Fact]
    public void The_two_saturation_tables_differ_somewhere()
    {
        // Otherwise the position dependence tested below would be vacuous.
        Assert.NotEqual(NucleusChannel.SaturationBody, NucleusChannel.SaturationTail);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(8, 2)]
    [InlineData(37, 11)]
    [InlineData(300, 4)]
    [InlineData(366, 5)]
    public void Fused_pass_equals_balance_then_per_pixel_channel(int width, int height)
    {
        var random = new Random(width * 31 + height);
        var image = new RgbImage(width, height);
        random.NextBytes(image.Pixels);
        var balanced = new RgbImage(width, height);
        var channel = new GrayImage(width, height);
        NucleusChannel.Compute(image, balanced, channel);

        RgbImage expectedBalanced = GrayWorldBalance.Apply(image);
        Assert.Equal(expectedBalanced.Pixels, balanced.Pixels);
        int bodyWidth = width - width % 8;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int j = (y * width + x) * 3;
                byte expected = NucleusChannel.Value(balanced.Pixels[j], balanced.Pixels[j + 1], balanced.Pixels[j + 2], scalarTail: x >= bodyWidth);
                Assert.Equal(expected, channel[x, y]);
            }
        }
    }

    [Fact]
    public void Fused_pass_uses_the_scalar_tail_only_in_the_last_width_mod_8_columns()
    {
        // A colour whose x differs between OpenCV's two HLS paths, in every pixel; identity balance tables keep it.
        (byte r, byte g, byte b) = FindColourWithDifferentTailValue();
        var image = new RgbImage(13, 2);
        for (int i = 0; i < image.Pixels.Length; i += 3)
        {
            image.Pixels[i] = r;
            image.Pixels[i + 1] = g;
            image.Pixels[i + 2] = b;
        }

        var balanced = new RgbImage(13, 2);
        var channel = new GrayImage(13, 2);
        NucleusChannel.Compute(image, 1.0, 1.0, 1.0, balanced, channel);
        Assert.Equal(image.Pixels, balanced.Pixels);
        byte body = NucleusChannel.Value(r, g, b, scalarTail: false), tail = NucleusChannel.Value(r, g, b, scalarTail: true);
        Assert.NotEqual(body, tail);
        for (int y = 0; y < 2; y++)
        {
            for (int x = 0; x < 13; x++)
            {
                Assert.Equal(x < 8 ? body : tail, channel[x, y]);
            }
        }
    }

    private static (byte R, byte G, byte B) FindColourWithDifferentTailValue()
    {
        for (int max = 1; max < 256; max++)
        {
            for (int min = 0; min < max; min++)
            {
                if (NucleusChannel.SaturationBody[(max << 8) | min] == NucleusChannel.SaturationTail[(max << 8) | min])
                {
                    continue;
                }

                for (int g = min; g <= max; g++)
                {
                    if (NucleusChannel.Value((byte)max, (byte)g, (byte)min, false) != NucleusChannel.Value((byte)max, (byte)g, (byte)min, true))
                    {
                        return ((byte)max, (byte)g, (byte)min);
                    }
                }
            }
        }

        throw new InvalidOperationException("No colour distinguishes the two HLS paths.");
    }
}
