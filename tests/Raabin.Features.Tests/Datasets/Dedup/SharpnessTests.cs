using Raabin.Features.Datasets.Dedup;
using Raabin.Features.Imaging;

namespace Raabin.Features.Tests.Datasets.Dedup;

public class SharpnessTests
{
    [Fact]
    public void Constant_image_has_zero_sharpness()
    {
        Assert.Equal(0.0, Sharpness.MeanSobelMagnitude(ImageHashTests.Gray(9, 7, (_, _) => 93)));
        Assert.Equal(0.0, Sharpness.MeanSobelMagnitude(ImageHashTests.Gray(1, 1, (_, _) => 93)));
    }

    [Fact]
    public void Vertical_step_edge_by_hand()
    {
        // 6 × 4, columns 0-2 are 0 and 3-5 are 10. At columns 2 and 3, gx = (1 + 2 + 1) · 10 = 40; elsewhere the
        // neighbours are equal (reflect-101 makes columns 0 and 5 see column 1 and 4 on both sides). gy = 0 (equal rows).
        // Mean = 2 columns · 4 rows · 40 / 24 pixels.
        var gray = ImageHashTests.Gray(6, 4, (x, _) => x < 3 ? (byte)0 : (byte)10);
        Assert.Equal(2 * 4 * 40 / 24.0, Sharpness.MeanSobelMagnitude(gray), 14);
        // The same edge turned horizontal gives the same mean through gy.
        var turned = ImageHashTests.Gray(4, 6, (_, y) => y < 3 ? (byte)0 : (byte)10);
        Assert.Equal(2 * 4 * 40 / 24.0, Sharpness.MeanSobelMagnitude(turned), 14);
    }

    [Fact]
    public void Single_bright_pixel_by_hand()
    {
        // A 1 in the middle of a 5 × 5 zero image: its 4 edge neighbours see |g| = 2 (weight 2 on one axis), its 4 diagonal
        // neighbours see gx = ±1 and gy = ±1, |g| = √2; the pixel itself sees 0 on both axes.
        var gray = ImageHashTests.Gray(5, 5, (x, y) => x == 2 && y == 2 ? (byte)1 : (byte)0);
        Assert.Equal((4 * 2 + 4 * Math.Sqrt(2)) / 25, Sharpness.MeanSobelMagnitude(gray), 14);
    }

    [Fact]
    public void Reflect_101_border_mirrors_without_repeating_the_edge_pixel()
    {
        // 3 × 1 row [0, 0, 9]: column 0 sees neighbours column 1 on both sides (0, 0) → 0; column 1 sees 0 and 9 →
        // gx = 4 · 9 = 36 (the single row is its own neighbour above and below); column 2 sees column 1 on both sides → 0.
        var gray = ImageHashTests.Gray(3, 1, (x, _) => x == 2 ? (byte)9 : (byte)0);
        Assert.Equal(36.0 / 3, Sharpness.MeanSobelMagnitude(gray), 14);
    }

    [Fact]
    public void Colour_overload_uses_opencv_grey()
    {
        var image = ImageHashTests.LoadSample("pbc", "images/lymphocyte/LY_683648.jpg");
        Assert.Equal(Sharpness.MeanSobelMagnitude(ColorConversion.RgbToGray(image)), Sharpness.MeanSobelMagnitude(image));
    }

    [Fact]
    public void Blurring_lowers_sharpness()
    {
        var image = ImageHashTests.LoadSample("pbc", "images/lymphocyte/LY_683648.jpg");
        var gray = ColorConversion.RgbToGray(image);
        var blurred = ImageHashTests.Gray(gray.Width, gray.Height, (x, y) =>
        {
            int sum = 0;
            for (int dy = -2; dy <= 2; dy++)
            {
                for (int dx = -2; dx <= 2; dx++)
                {
                    sum += gray[Math.Clamp(x + dx, 0, gray.Width - 1), Math.Clamp(y + dy, 0, gray.Height - 1)];
                }
            }

            return (byte)((sum + 12) / 25);
        });
        Assert.True(Sharpness.MeanSobelMagnitude(blurred) < 0.8 * Sharpness.MeanSobelMagnitude(gray));
    }
}
