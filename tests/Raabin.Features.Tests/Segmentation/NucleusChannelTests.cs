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

        var identity = new byte[256];
        for (int v = 0; v < 256; v++)
        {
            identity[v] = (byte)v;
        }

        var balanced = new RgbImage(13, 2);
        var channel = new GrayImage(13, 2);
        NucleusChannel.Compute(image, identity, identity, identity, balanced, channel);
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
