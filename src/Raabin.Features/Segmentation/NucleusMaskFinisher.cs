using Raabin.Features.Imaging;
using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Segmentation;

/// <summary>
/// The steps every nucleus segmenter shares after thresholding (METHOD.md §3.6-§4): drop external contours smaller
/// than a tenth of the largest, reject masks without a contour larger than the minimum area, then take the convex hull
/// of the nucleus pixel centres, fill it, and form the ROC (hull minus nucleus).
/// </summary>
internal static class NucleusMaskFinisher
{
    public static NucleusSegmentation Finish(
        string method, RgbImage input, RgbImage balanced, GrayImage channel, int threshold, IReadOnlyDictionary<string, double> parts,
        bool usedFallback, GrayImage mask, double minimumArea)
    {
        IReadOnlyList<Contour> initial = ContourTracer.FindExternalContours(mask);
        double largest = 0;
        foreach (var c in initial)
        {
            largest = Math.Max(largest, c.Area);
        }

        // Contours below a tenth of the largest are filled with 0 (drawn into a scratch mask first, as the reference does).
        GrayImage? erase = null;
        foreach (var c in initial)
        {
            if (c.Area < largest / 10)
            {
                erase ??= new GrayImage(mask.Width, mask.Height);
                PolygonFill.Fill(erase, c, 255);
            }
        }

        IReadOnlyList<Contour> contours = initial;
        if (erase is not null)
        {
            byte[] m = mask.Pixels, e = erase.Pixels;
            for (int i = 0; i < m.Length; i++)
            {
                if (e[i] != 0)
                {
                    m[i] = 0;
                }
            }

            contours = ContourTracer.FindExternalContours(mask);
        }

        double perimeter = 0;
        foreach (var c in contours)
        {
            perimeter += c.Perimeter;
        }

        int count = 0;
        foreach (byte v in mask.Pixels)
        {
            if (v == 255)
            {
                count++;
            }
        }

        string? failure = null;
        if (initial.Count == 0)
        {
            failure = "no nucleus: the thresholded mask has no contour";
        }
        else if (largest <= minimumArea)
        {
            failure = $"nucleus too small: largest contour area {largest} px² is not above {minimumArea} px²";
        }

        ConvexHull? hull = null;
        GrayImage? hullMask = null, roc = null;
        if (failure is null)
        {
            hull = ConvexHull.OfMask(mask);
            if (hull.IsDegenerate)
            {
                failure = "degenerate nucleus: its pixel centres are collinear";
                hull = null;
            }
            else
            {
                hullMask = new GrayImage(mask.Width, mask.Height);
                PolygonFill.Fill(hullMask, hull.Vertices, 255);
                roc = new GrayImage(mask.Width, mask.Height);
                byte[] h = hullMask.Pixels, n = mask.Pixels, r = roc.Pixels;
                for (int i = 0; i < r.Length; i++)
                {
                    // uint8 subtraction as the reference: 255 only where the hull is set and the nucleus is not.
                    r[i] = (byte)(h[i] - n[i]) == 255 ? (byte)255 : (byte)0;
                }
            }
        }

        return new NucleusSegmentation
        {
            Method = method,
            Input = input,
            Balanced = balanced,
            Channel = channel,
            Threshold = threshold,
            ThresholdParts = parts,
            UsedFallback = usedFallback,
            NucleusMask = mask,
            InitialContours = initial,
            Contours = contours,
            LargestContourArea = largest,
            NucleusPixelCount = count,
            ContourPerimeter = perimeter,
            Hull = hull,
            HullMask = hullMask,
            RocMask = roc,
            FailureReason = failure,
        };
    }

    /// <summary>255 where <paramref name="channel"/> ≥ <paramref name="threshold"/>, else 0.</summary>
    public static GrayImage ThresholdAtLeast(GrayImage channel, int threshold)
    {
        var mask = new GrayImage(channel.Width, channel.Height);
        byte[] c = channel.Pixels, m = mask.Pixels;
        for (int i = 0; i < c.Length; i++)
        {
            m[i] = c[i] >= threshold ? (byte)255 : (byte)0;
        }

        return mask;
    }
}
