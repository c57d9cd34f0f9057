namespace Raabin.Features.Imaging;

/// <summary>Limits that every decoder checks before it allocates pixel memory.</summary>
public sealed record DecoderOptions
{
    /// <summary>The default pixel limit: 100 megapixels (a 10,000 × 10,000 slide tile), far above any cell crop.</summary>
    public const long DefaultMaxPixels = 100_000_000;

    /// <summary>Shared default options.</summary>
    public static DecoderOptions Default { get; } = new();

    /// <summary>
    /// Largest <c>width × height</c> accepted. A header declaring more is refused with
    /// <see cref="ImageDecodeException"/> before any pixel buffer is allocated (decompression-bomb guard).
    /// </summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;
}
