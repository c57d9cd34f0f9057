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

/// <summary>
/// Per-thread scratch images for intermediate buffers that no result keeps: one slot per use, reused while the size
/// stays the same, so a batch allocates them once per worker thread instead of once per image.
/// </summary>
internal static class ScratchImage
{
    /// <summary>The image in <paramref name="slot"/> (a [ThreadStatic] field), replaced when the size differs.</summary>
    /// <param name="slot">The caller's thread-static field.</param>
    /// <param name="width">Width wanted.</param>
    /// <param name="height">Height wanted.</param>
    /// <param name="clear">Whether a reused image must come back all zero (a new one always is).</param>
    public static GrayImage Rent(ref GrayImage? slot, int width, int height, bool clear)
    {
        GrayImage? scratch = slot;
        if (scratch is null || scratch.Width != width || scratch.Height != height)
        {
            scratch = new GrayImage(width, height);
            slot = scratch;
        }
        else if (clear)
        {
            scratch.Pixels.AsSpan().Clear();
        }

        return scratch;
    }
}
