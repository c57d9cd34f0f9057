using Raabin.Features.Imaging;
using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Segmentation;

/// <summary>
/// Everything a nucleus segmenter decided, so that a reader can see why a cell got its features: the balanced image,
/// the channel that was thresholded, the threshold, the masks, the contours and the convex hull. Masks are 0/255.
/// When <see cref="Succeeded"/> is false, <see cref="FailureReason"/> says why and the hull fields are null.
/// </summary>
public sealed class NucleusSegmentation
{
    /// <summary>Name of the segmenter that produced this result (e.g. "reference").</summary>
    public required string Method { get; init; }

    /// <summary>The image as decoded (R, G, B), before any processing.</summary>
    public required RgbImage Input { get; init; }

    private RgbImage? _balanced;
    private Func<RgbImage>? _balance;
    private GrayImage? _hullMask;
    private GrayImage? _rocMask;
    private readonly Lock _hullLock = new();
    private bool _hullMasksFilled = true;

    /// <summary>
    /// The gray-world balanced image every later step of the reference segmenter reads (METHOD.md §2). A segmenter
    /// whose own steps do not read it (<c>od-cell</c>) defers it: it is computed on first read, the same image.
    /// </summary>
    public RgbImage Balanced
    {
        get => _balanced ??= (_balance ?? throw new InvalidOperationException("No balanced image was given.")).Invoke();
        init => _balanced = value;
    }

    /// <summary>Computes <see cref="Balanced"/> on its first read, when it was not given.</summary>
    internal Func<RgbImage>? DeferredBalanced
    {
        init => _balance = value;
    }

    /// <summary>
    /// The single channel that was thresholded (for the reference: blurred max(min(M, S) − (K − min(K, M)), 0)). A
    /// segmenter that works on a reduced crop returns it at that working size (<c>od-cell</c>: see its
    /// <c>working_scale</c> in <see cref="ThresholdParts"/>); the masks are always at the input's size.
    /// </summary>
    public required GrayImage Channel { get; init; }

    /// <summary>The threshold; nucleus = <see cref="Channel"/> ≥ threshold.</summary>
    public required int Threshold { get; init; }

    /// <summary>Other thresholds that went into <see cref="Threshold"/> (e.g. the 2- and 3-class Otsu values), by name.</summary>
    public IReadOnlyDictionary<string, double> ThresholdParts { get; init; } = new Dictionary<string, double>();

    /// <summary>True when the primary channel could not be thresholded and a fallback channel was used.</summary>
    public bool UsedFallback { get; init; }

    /// <summary>The nucleus mask after small contours were removed (0/255).</summary>
    public required GrayImage NucleusMask { get; init; }

    /// <summary>External contours of the thresholded mask before clean-up, with their areas.</summary>
    public required IReadOnlyList<Contour> InitialContours { get; init; }

    /// <summary>External contours of the final nucleus mask.</summary>
    public required IReadOnlyList<Contour> Contours { get; init; }

    /// <summary>Largest <c>contourArea</c> among <see cref="InitialContours"/> (0 when there are none), px².</summary>
    public required double LargestContourArea { get; init; }

    /// <summary>Number of 255 pixels in <see cref="NucleusMask"/>.</summary>
    public required int NucleusPixelCount { get; init; }

    /// <summary>Sum of OpenCV <c>arcLength(closed)</c> over <see cref="Contours"/>, px.</summary>
    public required double ContourPerimeter { get; init; }

    /// <summary>Convex hull of the nucleus pixel centres, or null on failure.</summary>
    public ConvexHull? Hull { get; init; }

    /// <summary>
    /// The hull polygon filled as OpenCV <c>drawContours(thickness=-1)</c> does (0/255), or null on failure. When the
    /// segmenter deferred it (<see cref="DeferredHullMasks"/>) it is filled from <see cref="Hull"/> on first read.
    /// </summary>
    public GrayImage? HullMask
    {
        get
        {
            FillHullMasks();
            return _hullMask;
        }

        init => _hullMask = value;
    }

    /// <summary>Region of cytoplasm: hull mask minus nucleus mask (0/255), or null on failure; deferred with <see cref="HullMask"/>.</summary>
    public GrayImage? RocMask
    {
        get
        {
            FillHullMasks();
            return _rocMask;
        }

        init => _rocMask = value;
    }

    /// <summary>Whether <see cref="HullMask"/> and <see cref="RocMask"/> are filled from <see cref="Hull"/> on first read.</summary>
    internal bool DeferredHullMasks
    {
        init => _hullMasksFilled = !value;
    }

    /// <summary>
    /// The whole cell (nucleus and cytoplasm, 0/255) at the input's size, for segmenters that find it; null for the
    /// nucleus-only segmenters (reference, cmyk-otsu) and on failure.
    /// </summary>
    public GrayImage? CellMask { get; init; }

    /// <summary>Why the image was rejected, or null when it was not.</summary>
    public string? FailureReason { get; init; }

    /// <summary>Whether a nucleus was found and the hull measured.</summary>
    public bool Succeeded => FailureReason is null;

    private void FillHullMasks()
    {
        if (Volatile.Read(ref _hullMasksFilled))
        {
            return;
        }

        lock (_hullLock)
        {
            if (!_hullMasksFilled && Hull is not null)
            {
                (_hullMask, _rocMask) = NucleusMaskFinisher.HullMasks(Hull, NucleusMask);
            }

            Volatile.Write(ref _hullMasksFilled, true);
        }
    }
}

/// <summary>A nucleus segmenter: balanced RGB image in, a fully explained segmentation out. Never throws on image content.</summary>
public interface INucleusSegmenter
{
    /// <summary>Stable name, recorded in outputs and model files.</summary>
    string Name { get; }

    /// <summary>The segmenter with every option, as a model file or feature table records it.</summary>
    SegmenterSpec Spec { get; }

    /// <summary>Segments the nucleus of a single-cell crop.</summary>
    NucleusSegmentation Segment(RgbImage image);
}
