namespace Raabin.Features.Augmentation;

/// <summary>
/// The values one randomisation drew, lever by lever; null means the lever is not applied. Together with the input
/// image and <see cref="DomainRandomizationOptions.BrightFraction"/> it fixes the output exactly
/// (<see cref="DomainRandomizer.Apply"/>), so it can be recorded, inspected, or built by hand to apply one lever.
/// </summary>
public sealed record RandomizationDraw
{
    /// <summary>No lever applied: <see cref="DomainRandomizer.Apply"/> returns a copy of the image.</summary>
    public static RandomizationDraw Identity { get; } = new();

    /// <summary>Per-channel multiplier of optical density (stain strength), or null.</summary>
    public ChannelFactors? ChannelStain { get; init; }

    /// <summary>Multiplier of the optical density of all channels, or null.</summary>
    public double? GlobalStain { get; init; }

    /// <summary>Per-channel factor of the background level (re-tint), or null; the new background is clipped to
    /// <see cref="DomainRandomizer.MinimumTint"/>..<see cref="DomainRandomizer.MaximumTint"/>.</summary>
    public ChannelFactors? Tint { get; init; }

    /// <summary>Resize factor for both sides (area interpolation), or null. Raised if needed so that each side keeps at
    /// least <see cref="DomainRandomizer.MinimumSide"/> pixels.</summary>
    public double? Scale { get; init; }

    /// <summary>Gaussian blur standard deviation in output pixels, or null (lever off, skipped by its probability, or
    /// the drawn sigma at most <see cref="DomainRandomizer.MinimumBlurSigma"/>).</summary>
    public double? BlurSigma { get; init; }

    /// <summary>Gamma exponent: <c>I = 255 (I / 255)^gamma</c>, or null.</summary>
    public double? Gamma { get; init; }

    /// <summary>Hue shift in OpenCV 8-bit hue units (2 degrees each; 180 is a full turn), or null.</summary>
    public double? HueShift { get; init; }

    /// <summary>Saturation multiplier in HSV, or null.</summary>
    public double? Saturation { get; init; }

    /// <summary>Standard deviation of the additive Gaussian noise in 8-bit levels, or null.</summary>
    public double? NoiseSigma { get; init; }

    /// <summary>Seed of the <see cref="Random"/> that generates the noise samples.</summary>
    public int NoiseSeed { get; init; }

    /// <summary>JPEG quality (1..100) of the simulated compression, or null.</summary>
    public int? JpegQuality { get; init; }

    /// <summary>Eosin added to the cytoplasm's optical density (see <see cref="DomainRandomizationOptions.Eosin"/>), or null.</summary>
    public double? Eosin { get; init; }
}
