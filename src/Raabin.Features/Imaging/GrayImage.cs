namespace Raabin.Features.Imaging;

/// <summary>
/// An 8-bit single-channel image: one contiguous row-major buffer of <c>Width * Height</c> bytes. Used for
/// grey levels, single colour channels and masks (0 = outside, 255 = inside, as OpenCV draws them).
/// </summary>
public sealed class GrayImage
{
    /// <summary>Creates an all-zero image.</summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    public GrayImage(int width, int height)
        : this(width, height, new byte[checked(RgbImage.ValidateSize(width, height))])
    {
    }

    /// <summary>Wraps an existing buffer (not copied).</summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    /// <param name="pixels">Row-major bytes, exactly <c>width * height</c> long.</param>
    public GrayImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        long count = RgbImage.ValidateSize(width, height);
        if (pixels.LongLength != count)
        {
            throw new ArgumentException($"Expected {count} bytes for a {width}x{height} image, got {pixels.LongLength}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Row-major bytes; pixel (x, y) is at <c>y * Width + x</c>.</summary>
    public byte[] Pixels { get; }

    /// <summary>The value at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public byte this[int x, int y]
    {
        get => Pixels[y * Width + x];
        set => Pixels[y * Width + x] = value;
    }

    /// <summary>The bytes of row <paramref name="y"/>.</summary>
    public Span<byte> Row(int y) => Pixels.AsSpan(y * Width, Width);
}
