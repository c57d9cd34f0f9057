using Raabin.Features.Imaging;

namespace Raabin.Features.Augmentation;

/// <summary>A randomised image and what was decided to make it.</summary>
/// <param name="Image">The new image.</param>
/// <param name="Draw">The drawn values that were applied.</param>
/// <param name="Background">The input's background level per channel (0..255, the median of the brightest pixels),
/// when the optical-density step ran; else null.</param>
/// <param name="NewBackground">The background level the image was re-synthesised with (0..255), when the
/// optical-density step ran; else null.</param>
/// <param name="Scale">The resize factor used (the drawn one, raised to keep the minimum side), or null when not
/// resized.</param>
public sealed record RandomizationResult(
    RgbImage Image,
    RandomizationDraw Draw,
    ChannelFactors? Background,
    ChannelFactors? NewBackground,
    double? Scale);
