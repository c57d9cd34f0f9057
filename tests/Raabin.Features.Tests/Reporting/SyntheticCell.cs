using Raabin.Features.Imaging;
using Raabin.Features.Segmentation;
using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Tests.Reporting;

/// <summary>
/// A 40×30 pale image with a hand-made segmentation: nucleus = the rectangle x 10..19, y 8..17; cell (when asked) =
/// x 5..29, y 4..24, so every contour pixel is known without running a segmenter.
/// </summary>
internal static class SyntheticCell
{
    public const int Width = 40, Height = 30;
    public static readonly (byte R, byte G, byte B) Background = (230, 220, 200);

    public static GrayImage Rectangle(int x0, int y0, int x1, int y1, byte value = 255, GrayImage? into = null)
    {
        var mask = into ?? new GrayImage(Width, Height);
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                mask[x, y] = value;
            }
        }

        return mask;
    }

    public static NucleusSegmentation Make(bool withCell, GrayImage? nucleus = null, GrayImage? cell = null)
    {
        var image = new RgbImage(Width, Height);
        for (int i = 0; i < image.Pixels.Length; i += 3)
        {
            (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]) = Background;
        }

        nucleus ??= Rectangle(10, 8, 19, 17);
        var contours = ContourTracer.FindExternalContours(nucleus);
        return new NucleusSegmentation
        {
            Method = "synthetic",
            Input = image,
            Balanced = image,
            Channel = new GrayImage(Width, Height),
            Threshold = 128,
            NucleusMask = nucleus,
            InitialContours = contours,
            Contours = contours,
            LargestContourArea = contours.Max(c => c.Area),
            NucleusPixelCount = nucleus.Pixels.Count(v => v == 255),
            ContourPerimeter = contours.Sum(c => c.Perimeter),
            Hull = ConvexHull.OfMask(nucleus),
            CellMask = withCell ? cell ?? Rectangle(5, 4, 29, 24) : null,
        };
    }

    public static (byte R, byte G, byte B) At(RgbImage image, int x, int y)
    {
        int o = (y * image.Width + x) * 3;
        return (image.Pixels[o], image.Pixels[o + 1], image.Pixels[o + 2]);
    }
}
