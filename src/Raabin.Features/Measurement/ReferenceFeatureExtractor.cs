using Raabin.Features.Imaging;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Measurement;

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
    /// <summary>The name recorded in feature tables and model files.</summary>
    public const string ExtractorName = "reference-51";

    /// <summary>The version of its numbers and feature list.</summary>
    public const int ExtractorVersion = 1;

    private const int ChannelCount = 12;

    /// <inheritdoc />
    public string Name => ExtractorName;

    /// <inheritdoc />
    public int Version => ExtractorVersion;

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

        // Only hull pixels are measured, so they are converted one by one (HSV, L*a*b* and YCrCb are OpenCV's integer
        // paths, which do not depend on a pixel's position in its row) and counted into per-region, per-channel
        // histograms; sums and sums of squares follow exactly from the histograms.
        Span<int> histograms = stackalloc int[2 * ChannelCount * 256];
        histograms.Clear();
        long nucleusInHull = 0, roc = 0;
        CountHullPixels(segmentation.Balanced, segmentation.HullMask, segmentation.NucleusMask, histograms, ref nucleusInHull, ref roc);

        // Per channel: [0] nucleus inside the hull, [1] ROC. Hull statistics are their union.
        Span<long> sum = stackalloc long[ChannelCount * 2];
        Span<long> sumSquares = stackalloc long[ChannelCount * 2];
        for (int region = 0; region < 2; region++)
        {
            for (int c = 0; c < ChannelCount; c++)
            {
                ReadOnlySpan<int> histogram = histograms.Slice((region * ChannelCount + c) * 256, 256);
                long s = 0, q = 0;
                for (int v = 0; v < 256; v++)
                {
                    long count = histogram[v];
                    s += count * v;
                    q += count * v * v;
                }

                sum[c * 2 + region] = s;
                sumSquares[c * 2 + region] = q;
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

    // Histograms of the twelve channels over the hull pixels: region 0 (nucleus) then region 1 (ROC), each twelve
    // blocks of 256 counts in the channel order R, G, B, H, S, V, L, a, b, Y, Cr, Cb. Pointers for the per-pixel part:
    // the span bounds checks of twelve increments cost about as much as the conversions.
    private static unsafe void CountHullPixels(RgbImage balanced, GrayImage hullMask, GrayImage nucleusMask, Span<int> histograms,
        ref long nucleusInHull, ref long roc)
    {
        int width = balanced.Width;
        byte[] rgb = balanced.Pixels;
        byte[] hull = hullMask.Pixels;
        byte[] nucleus = nucleusMask.Pixels;
        if (hull.Length != nucleus.Length || rgb.Length != hull.Length * 3 || histograms.Length < 2 * ChannelCount * 256)
        {
            throw new ArgumentException("The masks must have the size of the balanced image.");
        }

        long inNucleus = 0, inRoc = 0;
        fixed (int* counts = histograms)
        fixed (byte* pixels = rgb)
        {
            for (int y = 0; y < balanced.Height; y++)
            {
                int rowStart = y * width;
                ReadOnlySpan<byte> hullRow = hull.AsSpan(rowStart, width);
                int first = hullRow.IndexOf((byte)255);
                if (first < 0)
                {
                    continue;
                }

                int last = hullRow.LastIndexOf((byte)255);
                for (int i = rowStart + first; i <= rowStart + last; i++)
                {
                    if (hull[i] != 255)
                    {
                        continue;
                    }

                    int* h;
                    if (nucleus[i] == 255)
                    {
                        h = counts;
                        inNucleus++;
                    }
                    else
                    {
                        h = counts + (ChannelCount * 256);
                        inRoc++;
                    }

                    byte* p = pixels + (i * 3);
                    byte r = p[0], g = p[1], b = p[2];
                    ColorConversion.RgbToHsv(r, g, b, out byte hue, out byte saturation, out byte value);
                    ColorConversion.RgbToLab(r, g, b, out byte lightness, out byte aStar, out byte bStar);
                    ColorConversion.RgbToYCrCb(r, g, b, out byte luma, out byte cr, out byte cb);
                    h[r]++;
                    h[256 + g]++;
                    h[(2 * 256) + b]++;
                    h[(3 * 256) + hue]++;
                    h[(4 * 256) + saturation]++;
                    h[(5 * 256) + value]++;
                    h[(6 * 256) + lightness]++;
                    h[(7 * 256) + aStar]++;
                    h[(8 * 256) + bStar]++;
                    h[(9 * 256) + luma]++;
                    h[(10 * 256) + cr]++;
                    h[(11 * 256) + cb]++;
                }
            }
        }

        nucleusInHull += inNucleus;
        roc += inRoc;
    }
}
