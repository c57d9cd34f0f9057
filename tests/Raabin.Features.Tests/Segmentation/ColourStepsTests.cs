using Raabin.Features.Imaging;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Tests.Segmentation;

public class ColourStepsTests
{
    [Fact]
    public void Gray_world_truncates_and_clips()
    {
        // Scale 1.5: 100 -> 150, 171 -> 256.5 -> 255, 3 -> 4.5 -> 4 (truncation, not rounding).
        Assert.Equal(150, GrayWorldBalance.Scale(100, 1.5));
        Assert.Equal(255, GrayWorldBalance.Scale(171, 1.5));
        Assert.Equal(4, GrayWorldBalance.Scale(3, 1.5));
        Assert.Equal(0, GrayWorldBalance.Scale(0, double.PositiveInfinity));
    }

    [Fact]
    public void Gray_world_of_a_gray_image_is_the_identity()
    {
        var image = new RgbImage(3, 2, [10, 10, 10, 20, 20, 20, 30, 30, 30, 40, 40, 40, 50, 50, 50, 250, 250, 250]);
        var balanced = GrayWorldBalance.Apply(image, out double r, out double g, out double b);
        Assert.Equal(1.0, r);
        Assert.Equal(1.0, g);
        Assert.Equal(1.0, b);
        Assert.Equal(image.Pixels, balanced.Pixels);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(1000)]
    [InlineData(130_680)]
    public void Vector_channel_sums_equal_the_scalar_sums(int pixels)
    {
        var rgb = new byte[pixels * 3];
        new Random(pixels).NextBytes(rgb);
        for (int pass = 0; pass < 2; pass++)
        {
            if (pass == 1)
            {
                rgb.AsSpan().Fill(255); // the largest lane sums
            }

            GrayWorldBalance.ChannelSums(rgb, out long r, out long g, out long b, out long gray, allowVector: true);
            GrayWorldBalance.ChannelSums(rgb, out long r0, out long g0, out long b0, out long gray0, allowVector: false);
            Assert.Equal((r0, g0, b0, gray0), (r, g, b, gray));
        }

        // The scalar sums themselves, by their definition.
        long expectedGray = 0;
        for (int i = 0; i < rgb.Length; i += 3)
        {
            expectedGray += ColorConversion.RgbToGray(rgb[i], rgb[i + 1], rgb[i + 2]);
        }

        GrayWorldBalance.ChannelSums(rgb, out long sumR, out _, out _, out long sumGray);
        Assert.Equal(255L * pixels, sumR);
        Assert.Equal(expectedGray, sumGray);
    }

    [Fact]
    public void Cmyk_matches_hand_computed_values()
    {
        // White: K = 0, M = 0. Pure red (255,0,0): K = 0, M = (1 − 0 − 0)/(1 − 0)·255 = 255.
        Assert.Equal(0, Cmyk.Key(255, 255, 255));
        Assert.Equal(0, Cmyk.Magenta(255, 255, 255));
        Assert.Equal(255, Cmyk.Magenta(255, 0, 0));
        Assert.Equal(0, Cmyk.Key(255, 0, 0));
        // (200,100,50): k = 1 − 200/255 = 0.2157; M = (1 − 100/255 − k)/(1 − k)·255 = 127.5 → 127 (truncated);
        // K = k·255 = 55 (NumPy gives 55 for this pixel too).
        Assert.Equal(127, Cmyk.Magenta(200, 100, 50));
        Assert.Equal(55, Cmyk.Key(200, 100, 50));
        // Black: 0/0 stored as 0.
        Assert.Equal(0, Cmyk.Magenta(0, 0, 0));
        Assert.Equal(255, Cmyk.Key(0, 0, 0));
    }
}
