using Raabin.Features.Imaging;

namespace Raabin.Features.Segmentation;

/// <summary>The numbers of a <see cref="NucleusSegmentation"/> without its images: small enough to keep for every cell.</summary>
/// <param name="Method">Segmenter name.</param>
/// <param name="Threshold">Threshold applied to the channel.</param>
/// <param name="UsedFallback">Whether the fallback channel was thresholded.</param>
/// <param name="NucleusPixels">Nucleus pixel count.</param>
/// <param name="Components">External contours of the final nucleus mask.</param>
/// <param name="LargestContourArea">Largest initial contour area, px².</param>
/// <param name="ContourPerimeter">Sum of contour arc lengths, px.</param>
/// <param name="HullArea">Convex hull area, px² (NaN on failure).</param>
/// <param name="HullPerimeter">Convex hull perimeter, px (NaN on failure).</param>
/// <param name="HullPixels">Pixels of the filled hull mask (0 on failure).</param>
/// <param name="RocPixels">Pixels of the ROC mask (0 on failure).</param>
public sealed record SegmentationSummary(
    string Method, int Threshold, bool UsedFallback, int NucleusPixels, int Components, double LargestContourArea,
    double ContourPerimeter, double HullArea, double HullPerimeter, int HullPixels, int RocPixels)
{
    /// <summary>Summarises a segmentation.</summary>
    public static SegmentationSummary Of(NucleusSegmentation s) => new(
        s.Method, s.Threshold, s.UsedFallback, s.NucleusPixelCount, s.Contours.Count, s.LargestContourArea, s.ContourPerimeter,
        s.Hull?.Area ?? double.NaN, s.Hull?.Perimeter ?? double.NaN, CountSet(s.HullMask), CountSet(s.RocMask));

    private static int CountSet(GrayImage? mask)
    {
        if (mask is null)
        {
            return 0;
        }

        int n = 0;
        foreach (byte v in mask.Pixels)
        {
            n += v == 255 ? 1 : 0;
        }

        return n;
    }
}
