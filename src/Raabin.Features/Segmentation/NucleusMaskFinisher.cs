using System.Runtime.Intrinsics;
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
        bool usedFallback, GrayImage mask, double minimumArea, double smallContourFraction = 0.1, GrayImage? cellMask = null) =>
        Finish(method, input, balanced, null, channel, threshold, parts, usedFallback, mask, minimumArea, smallContourFraction, cellMask);

    /// <summary>
    /// As the other overload; with <paramref name="balanced"/> null the balanced image comes from
    /// <paramref name="deferredBalanced"/> on first read, and the hull and ROC masks are filled on first read too.
    /// </summary>
    public static NucleusSegmentation Finish(
        string method, RgbImage input, RgbImage? balanced, Func<RgbImage>? deferredBalanced, GrayImage channel, int threshold,
        IReadOnlyDictionary<string, double> parts, bool usedFallback, GrayImage mask, double minimumArea, double smallContourFraction,
        GrayImage? cellMask)
    {
        bool deferred = balanced is null;
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
            if (c.Area < largest * smallContourFraction)
            {
                erase ??= ScratchImage.Rent(ref t_eraseScratch, mask.Width, mask.Height, clear: true);
                PolygonFill.Fill(erase, c, 255);
            }
        }

        IReadOnlyList<Contour> contours = initial;
        if (erase is not null)
        {
            ClearWhereSet(mask.Pixels, erase.Pixels);

            contours = ContourTracer.FindExternalContours(mask);
        }

        double perimeter = 0;
        foreach (var c in contours)
        {
            perimeter += c.Perimeter;
        }

        int count = mask.Pixels.AsSpan().Count((byte)255);

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
            else if (!deferred)
            {
                (hullMask, roc) = HullMasks(hull, mask);
            }
        }

        return new NucleusSegmentation
        {
            Method = method,
            Input = input,
            Balanced = balanced!,
            DeferredBalanced = deferredBalanced,
            DeferredHullMasks = deferred,
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
            CellMask = failure is null ? cellMask : null,
            FailureReason = failure,
        };
    }

    /// <summary>The hull filled (0/255) and the ROC (hull minus nucleus) at the mask's size.</summary>
    public static (GrayImage Hull, GrayImage Roc) HullMasks(ConvexHull hull, GrayImage mask)
    {
        var hullMask = new GrayImage(mask.Width, mask.Height);
        PolygonFill.Fill(hullMask, hull.Vertices, 255);
        var roc = new GrayImage(mask.Width, mask.Height, GC.AllocateUninitializedArray<byte>(mask.Pixels.Length));
        RegionOfCytoplasm(hullMask.Pixels, mask.Pixels, roc.Pixels);
        return (hullMask, roc);
    }

    // One reusable all-zero mask per thread for the contours to erase, which no result keeps.
    [ThreadStatic]
    private static GrayImage? t_eraseScratch;

    /// <summary>255 where <paramref name="channel"/> ≥ <paramref name="threshold"/>, else 0.</summary>
    public static GrayImage ThresholdAtLeast(GrayImage channel, int threshold)
    {
        var mask = new GrayImage(channel.Width, channel.Height, GC.AllocateUninitializedArray<byte>(channel.Pixels.Length));
        ThresholdAtLeast(channel.Pixels, threshold, mask.Pixels);
        return mask;
    }

    // The per-pixel loops below are vectorised where the hardware allows; allowVector: false runs their scalar twins,
    // which tests compare them with.

    /// <summary>mask[i] = 255 where channel[i] ≥ threshold, else 0.</summary>
    internal static void ThresholdAtLeast(ReadOnlySpan<byte> channel, int threshold, Span<byte> mask, bool allowVector = true)
    {
        int i = 0;
        if (threshold <= 0 || threshold > 255)
        {
            mask[..channel.Length].Fill(threshold <= 0 ? (byte)255 : (byte)0);
            return;
        }

        if (allowVector && Vector256.IsHardwareAccelerated)
        {
            var limit = Vector256.Create((byte)threshold);
            for (; i + Vector256<byte>.Count <= channel.Length; i += Vector256<byte>.Count)
            {
                // Unsigned byte comparison: all ones (255) where true.
                Vector256.GreaterThanOrEqual(Vector256.Create(channel.Slice(i, Vector256<byte>.Count)), limit).CopyTo(mask.Slice(i));
            }
        }

        for (; i < channel.Length; i++)
        {
            mask[i] = channel[i] >= threshold ? (byte)255 : (byte)0;
        }
    }

    /// <summary>mask[i] = 0 wherever erase[i] is nonzero.</summary>
    internal static void ClearWhereSet(Span<byte> mask, ReadOnlySpan<byte> erase, bool allowVector = true)
    {
        int i = 0;
        if (allowVector && Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<byte>.Count <= mask.Length; i += Vector256<byte>.Count)
            {
                Vector256<byte> keep = Vector256.Equals(Vector256.Create(erase.Slice(i, Vector256<byte>.Count)), Vector256<byte>.Zero);
                (Vector256.Create((ReadOnlySpan<byte>)mask.Slice(i, Vector256<byte>.Count)) & keep).CopyTo(mask.Slice(i));
            }
        }

        for (; i < mask.Length; i++)
        {
            if (erase[i] != 0)
            {
                mask[i] = 0;
            }
        }
    }

    /// <summary>roc[i] = 255 where the uint8 difference hull[i] − nucleus[i] is 255 (as the reference computes the ROC), else 0.</summary>
    internal static void RegionOfCytoplasm(ReadOnlySpan<byte> hull, ReadOnlySpan<byte> nucleus, Span<byte> roc, bool allowVector = true)
    {
        int i = 0;
        if (allowVector && Vector256.IsHardwareAccelerated)
        {
            var full = Vector256.Create((byte)255);
            for (; i + Vector256<byte>.Count <= roc.Length; i += Vector256<byte>.Count)
            {
                Vector256<byte> difference = Vector256.Create(hull.Slice(i, Vector256<byte>.Count)) - Vector256.Create(nucleus.Slice(i, Vector256<byte>.Count));
                Vector256.Equals(difference, full).CopyTo(roc.Slice(i));
            }
        }

        for (; i < roc.Length; i++)
        {
            roc[i] = (byte)(hull[i] - nucleus[i]) == 255 ? (byte)255 : (byte)0;
        }
    }
}
