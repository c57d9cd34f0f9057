using Raabin.Features.Imaging;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Features;

/// <summary>
/// The published method's 51 features (METHOD.md §5), quirks included: for each of twelve 8-bit channels of the
/// balanced image (R, G, B, OpenCV HSV, Lab, YCrCb), the ratios mean/mean and std/std (population standard deviation)
/// of nucleus over hull and of ROC over hull; then circularity, convexity and solidity with A = 255 × nucleus pixels and
/// π = 3.14. Nucleus values are gathered only inside the filled hull into an array sized by the whole nucleus (entries
/// for nucleus pixels outside the hull mask count as 0), as the reference does.
/// </summary>
/// <remarks>
/// Sums and sums of squares of the 8-bit values are accumulated as exact integers; the variance is formed exactly as
/// (n·Σv² − (Σv)²) / n² and rounded once, so results agree with NumPy's two-pass mean/std to about 1e-15 relative.
/// </remarks>
public sealed class ReferenceFeatureExtractor : IFeatureExtractor
{
    private const int ChannelCount = 12;

    /// <inheritdoc />
    public IReadOnlyList<FeatureDefinition> Features => FeatureCatalog.Reference;

    /// <inheritdoc />
    public void Extract(NucleusSegmentation segmentation, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(segmentation);
        if (!segmentation.Succeeded || segmentation.HullMask is null || segmentation.Hull is null)
        {
            throw new ArgumentException($"Cannot measure a failed segmentation: {segmentation.FailureReason}", nameof(segmentation));
        }

        if (destination.Length < FeatureCatalog.Reference.Count)
        {
            throw new ArgumentException($"Need room for {FeatureCatalog.Reference.Count} features.", nameof(destination));
        }

        RgbImage balanced = segmentation.Balanced;
        int w = balanced.Width, h = balanced.Height;
        var planes = new GrayImage[ChannelCount];
        for (int c = 0; c < ChannelCount; c++)
        {
            planes[c] = new GrayImage(w, h);
        }

        SplitRgb(balanced, planes[0], planes[1], planes[2]);
        ColorConversion.RgbToHsv(balanced, planes[3], planes[4], planes[5]);
        ColorConversion.RgbToLab(balanced, planes[6], planes[7], planes[8]);
        ColorConversion.RgbToYCrCb(balanced, planes[9], planes[10], planes[11]);

        // Per channel: [0] nucleus inside the hull, [1] ROC. Hull statistics are their union.
        Span<long> sum = stackalloc long[ChannelCount * 2];
        Span<long> sumSquares = stackalloc long[ChannelCount * 2];
        sum.Clear();
        sumSquares.Clear();
        long nucleusInHull = 0, roc = 0;
        byte[] hull = segmentation.HullMask.Pixels;
        byte[] nucleus = segmentation.NucleusMask.Pixels;
        for (int i = 0; i < hull.Length; i++)
        {
            if (hull[i] != 255)
            {
                continue;
            }

            int region;
            if (nucleus[i] == 255)
            {
                region = 0;
                nucleusInHull++;
            }
            else
            {
                region = 1;
                roc++;
            }

            for (int c = 0; c < ChannelCount; c++)
            {
                long v = planes[c].Pixels[i];
                sum[c * 2 + region] += v;
                sumSquares[c * 2 + region] += v * v;
            }
        }

        // The nucleus array is sized by every nucleus pixel; those outside the hull mask stay 0 (add nothing to the sums).
        long nucleusCount = segmentation.NucleusPixelCount;
        long hullCount = nucleusInHull + roc;
        for (int c = 0; c < ChannelCount; c++)
        {
            long hs = sum[c * 2] + sum[c * 2 + 1];
            long hq = sumSquares[c * 2] + sumSquares[c * 2 + 1];
            double hullMean = Mean(hs, hullCount), hullStd = Std(hs, hq, hullCount);
            destination[c * 2] = Mean(sum[c * 2], nucleusCount) / hullMean;
            destination[c * 2 + 1] = Std(sum[c * 2], sumSquares[c * 2], nucleusCount) / hullStd;
            destination[24 + c * 2] = Mean(sum[c * 2 + 1], roc) / hullMean;
            destination[24 + c * 2 + 1] = Std(sum[c * 2 + 1], sumSquares[c * 2 + 1], roc) / hullStd;
        }

        double area = 255.0 * nucleusCount;
        double perimeter = segmentation.ContourPerimeter;
        destination[48] = perimeter * perimeter / (4 * 3.14 * area);
        destination[49] = segmentation.Hull.Perimeter / perimeter;
        destination[50] = area / segmentation.Hull.Area;
    }

    /// <summary>Mean of n values with integer sum s (NaN for n = 0, as NumPy).</summary>
    internal static double Mean(long s, long n) => n == 0 ? double.NaN : (double)s / n;

    /// <summary>Population standard deviation from exact integer sums (NaN for n = 0).</summary>
    internal static double Std(long s, long sq, long n)
    {
        if (n == 0)
        {
            return double.NaN;
        }

        // n·Σv² − (Σv)² is exact in 128 bits and below 2^53 for any cell crop, so one rounding in the division.
        Int128 numerator = (Int128)n * sq - (Int128)s * s;
        return Math.Sqrt((double)numerator / ((double)n * n));
    }

    private static void SplitRgb(RgbImage image, GrayImage r, GrayImage g, GrayImage b)
    {
        byte[] src = image.Pixels;
        byte[] pr = r.Pixels, pg = g.Pixels, pb = b.Pixels;
        for (int i = 0, p = 0; p < pr.Length; i += 3, p++)
        {
            pr[p] = src[i];
            pg[p] = src[i + 1];
            pb[p] = src[i + 2];
        }
    }
}
