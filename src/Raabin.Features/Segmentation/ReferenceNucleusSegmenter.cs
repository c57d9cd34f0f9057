using Raabin.Features.Imaging;
using Raabin.Features.Segmentation.Thresholding;

namespace Raabin.Features.Segmentation;

/// <summary>Settings of <see cref="ReferenceNucleusSegmenter"/>; the defaults are the published method's.</summary>
public sealed record ReferenceSegmenterOptions
{
    /// <summary>Defaults of the published method.</summary>
    public static ReferenceSegmenterOptions Default { get; } = new();

    /// <summary>Gaussian kernel size applied to the nucleus channel (published: 5; sigma derived from it as OpenCV does).</summary>
    public int BlurKernelSize { get; init; } = 5;

    /// <summary>A nucleus whose largest contour area (px²) is not above this is rejected (published: 100).</summary>
    public double MinimumArea { get; init; } = 100;
}

/// <summary>
/// The published nucleus segmenter ("reference" mode, METHOD.md §2-4), quirks included:
/// gray-world balance (truncating), CMYK M and K in double precision (truncating), S of OpenCV RGB→HLS_FULL,
/// <c>x = max(min(M, S) − (K − min(K, M)), 0)</c> in uint8, a 5×5 Gaussian blur, scikit-image's 2-class multi-Otsu
/// threshold (nucleus = x ≥ t; if x cannot be thresholded, the same on blurred M), removal of external contours below a
/// tenth of the largest, rejection when the largest is ≤ 100 px², then the convex hull of nucleus pixel centres.
/// </summary>
public sealed class ReferenceNucleusSegmenter : INucleusSegmenter
{
    /// <summary>The name recorded in outputs.</summary>
    public const string MethodName = "reference";

    private readonly ReferenceSegmenterOptions _options;

    /// <summary>Creates the segmenter.</summary>
    public ReferenceNucleusSegmenter(ReferenceSegmenterOptions? options = null) => _options = options ?? ReferenceSegmenterOptions.Default;

    /// <inheritdoc />
    public string Name => MethodName;

    /// <inheritdoc />
    public SegmenterSpec Spec => SegmenterSpec.Of(MethodName, _options);

    /// <inheritdoc />
    public NucleusSegmentation Segment(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        int w = image.Width, h = image.Height;
        // Both passes below write every byte, so the returned buffers skip zeroing; the unblurred channel is scratch.
        var balanced = new RgbImage(w, h, GC.AllocateUninitializedArray<byte>(checked(w * h * 3)));
        GrayImage raw = ScratchImage.Rent(ref t_scratch, w, h, clear: false);
        NucleusChannel.Compute(image, balanced, raw);

        var channel = new GrayImage(w, h, GC.AllocateUninitializedArray<byte>(w * h));
        GaussianBlur.Apply(raw, channel, _options.BlurKernelSize);
        bool fallback = false;
        if (!MultiOtsu.TryThresholds(channel, 2, out int[] thresholds))
        {
            // The reference falls back to the blurred M channel when multi-Otsu raises.
            fallback = true;
            var magenta = new GrayImage(w, h);
            Cmyk.MagentaAndKey(balanced, magenta, new GrayImage(w, h));
            channel = GaussianBlur.Apply(magenta, _options.BlurKernelSize);
            if (!MultiOtsu.TryThresholds(channel, 2, out thresholds))
            {
                return NucleusMaskFinisher.Finish(MethodName, image, balanced, channel, 0, new Dictionary<string, double>(), fallback,
                    new GrayImage(w, h), _options.MinimumArea);
            }
        }

        int t = thresholds[0];
        var parts = new Dictionary<string, double> { ["otsu2"] = t };
        return NucleusMaskFinisher.Finish(MethodName, image, balanced, channel, t, parts, fallback,
            NucleusMaskFinisher.ThresholdAtLeast(channel, t), _options.MinimumArea);
    }

    // One reusable buffer per thread for the unblurred channel, which no result keeps.
    [ThreadStatic]
    private static GrayImage? t_scratch;
}
