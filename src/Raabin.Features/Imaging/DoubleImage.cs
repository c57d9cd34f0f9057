namespace Raabin.Features.Imaging;

/// <summary>
/// A single-channel image of float64 values (optical density, distances, filter responses): one contiguous row-major
/// buffer of <c>Width * Height</c> doubles. Units are the producer's (stated where it is made).
/// </summary>
public sealed class DoubleImage
{
    /// <summary>Creates an all-zero image.</summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    public DoubleImage(int width, int height)
        : this(width, height, new double[checked(RgbImage.ValidateSize(width, height))])
    {
    }

    /// <summary>Wraps an existing buffer (not copied).</summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    /// <param name="pixels">Row-major values, exactly <c>width * height</c> long.</param>
    public DoubleImage(int width, int height, double[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        long count = RgbImage.ValidateSize(width, height);
        if (pixels.LongLength != count)
        {
            throw new ArgumentException($"Expected {count} values for a {width}x{height} image, got {pixels.LongLength}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Row-major values; pixel (x, y) is at <c>y * Width + x</c>.</summary>
    public double[] Pixels { get; }

    /// <summary>The value at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public double this[int x, int y]
    {
        get => Pixels[y * Width + x];
        set => Pixels[y * Width + x] = value;
    }

    /// <summary>The values of row <paramref name="y"/>.</summary>
    public Span<double> Row(int y) => Pixels.AsSpan(y * Width, Width);

    /// <summary>An 8-bit image as doubles (0..255).</summary>
    public static DoubleImage From(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var result = new DoubleImage(image.Width, image.Height);
        for (int i = 0; i < image.Pixels.Length; i++)
        {
            result.Pixels[i] = image.Pixels[i];
        }

        return result;
    }
}
