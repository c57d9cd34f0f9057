using Raabin.Features.Imaging;
using Raabin.Features.Segmentation.Thresholding;

namespace Raabin.Features.Segmentation;

/// <summary>Settings of <see cref="CmykOtsuSegmenter"/>.</summary>
public sealed record CmykOtsuSegmenterOptions
{
    /// <summary>Default settings.</summary>
    public static CmykOtsuSegmenterOptions Default { get; } = new();

    /// <summary>
    /// Weight w of the 2-class Otsu threshold in <c>T = w·t₂ + (1 − w)·t₃</c>, where t₃ is the upper 3-class threshold.
    /// 0.5 by default: halfway between the two, which the Raabin-WBC ground-truth tool describes as its starting point.
    /// </summary>
    public double Weight { get; init; } = 0.5;

    /// <summary>Gaussian kernel size applied to M before thresholding (0 or 1: none). Default 5, as the reference segmenter.</summary>
    public int BlurKernelSize { get; init; } = 5;

    /// <summary>A nucleus whose largest contour area (px²) is not above this is rejected.</summary>
    public double MinimumArea { get; init; } = 100;
}

/// <summary>
/// The Raabin-WBC paper's nucleus ground-truth tool: gray-world balance, CMYK, and a threshold on M that is a convex
/// combination of its 2-class Otsu threshold t₂ and the upper of its two 3-class Otsu thresholds t₃
/// (<c>T = w·t₂ + (1 − w)·t₃</c>, rounded to the nearest integer, halves up); nucleus = M ≥ T. The clean-up, hull and ROC
/// are the reference segmenter's.
/// </summary>
public sealed class CmykOtsuSegmenter : INucleusSegmenter
{
    /// <summary>The name recorded in outputs.</summary>
    public const string MethodName = "cmyk-otsu";

    private readonly CmykOtsuSegmenterOptions _options;

    /// <summary>Creates the segmenter.</summary>
    public CmykOtsuSegmenter(CmykOtsuSegmenterOptions? options = null)
    {
        _options = options ?? CmykOtsuSegmenterOptions.Default;
        if (_options.Weight is < 0 or > 1 || double.IsNaN(_options.Weight))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Weight must be in [0, 1], got {_options.Weight}.");
        }
    }

    /// <inheritdoc />
    public string Name => MethodName;

    /// <inheritdoc />
    public SegmenterSpec Spec => SegmenterSpec.Of(MethodName, _options);

    /// <inheritdoc />
    public NucleusSegmentation Segment(RgbImage image)
    {
        RgbImage balanced = GrayWorldBalance.Apply(image);
        var magenta = new GrayImage(image.Width, image.Height);
        var key = new GrayImage(image.Width, image.Height);
        Cmyk.MagentaAndKey(balanced, magenta, key);
        GrayImage channel = _options.BlurKernelSize > 1 ? GaussianBlur.Apply(magenta, _options.BlurKernelSize) : magenta;
        if (!MultiOtsu.TryThresholds(channel, 2, out int[] two) || !MultiOtsu.TryThresholds(channel, 3, out int[] three))
        {
            return NucleusMaskFinisher.Finish(MethodName, image, balanced, channel, 0, new Dictionary<string, double>(), false,
                new GrayImage(image.Width, image.Height), _options.MinimumArea);
        }

        double combined = _options.Weight * two[0] + (1 - _options.Weight) * three[1];
        int t = (int)Math.Floor(combined + 0.5);
        var parts = new Dictionary<string, double> { ["otsu2"] = two[0], ["otsu3_lower"] = three[0], ["otsu3_upper"] = three[1], ["weight"] = _options.Weight };
        return NucleusMaskFinisher.Finish(MethodName, image, balanced, channel, t, parts, false,
            NucleusMaskFinisher.ThresholdAtLeast(channel, t), _options.MinimumArea);
    }
}
