namespace Raabin.Features.Imaging;

/// <summary>
/// An 8-bit RGB image: one contiguous row-major buffer of <c>Width * Height * 3</c> bytes in R, G, B order
/// (OpenCV's <c>imread</c> returns B, G, R; this type always holds R, G, B). The single image buffer type of
/// the library: every decoder produces it and every colour conversion reads it.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Creates a black image.</summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    public RgbImage(int width, int height)
        : this(width, height, new byte[checked(ValidateSize(width, height) * 3)])
    {
    }

    /// <summary>Wraps an existing RGB24 buffer (not copied).</summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    /// <param name="pixels">Row-major R, G, B bytes, exactly <c>width * height * 3</c> long.</param>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        long count = ValidateSize(width, height);
        if (pixels.LongLength != count * 3)
        {
            throw new ArgumentException($"Expected {count * 3} bytes for a {width}x{height} RGB image, got {pixels.LongLength}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Row-major R, G, B bytes; pixel (x, y) starts at <c>(y * Width + x) * 3</c>.</summary>
    public byte[] Pixels { get; }

    /// <summary>Number of bytes in one row (<c>Width * 3</c>; rows are not padded).</summary>
    public int Stride => Width * 3;

    /// <summary>The bytes of row <paramref name="y"/>.</summary>
    public Span<byte> Row(int y) => Pixels.AsSpan(y * Stride, Stride);

    internal static long ValidateSize(int width, int height)
    {
        if (width < 1 || height < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size must be positive, got {width}x{height}.");
        }

        return (long)width * height;
    }
}
