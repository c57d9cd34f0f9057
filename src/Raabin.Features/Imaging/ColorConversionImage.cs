namespace Raabin.Features.Imaging;

/// <summary>
/// An 8-bit three-channel image in some colour space other than RGB (HSV, HLS, L*a*b*, YCrCb, BGR): one
/// contiguous row-major buffer of <c>Width * Height * 3</c> bytes, channels interleaved in the order that
/// <see cref="ChannelNames"/> gives (the order OpenCV writes them). Produced by <see cref="ColorConversion"/>.
/// </summary>
public sealed class ThreeChannelImage
{
    /// <summary>Creates an all-zero image.</summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    /// <param name="channelNames">The three channel names in storage order, e.g. <c>"H", "S", "V"</c>.</param>
    public ThreeChannelImage(int width, int height, IReadOnlyList<string> channelNames)
        : this(width, height, new byte[checked(RgbImage.ValidateSize(width, height) * 3)], channelNames)
    {
    }

    /// <summary>Wraps an existing interleaved buffer (not copied).</summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    /// <param name="pixels">Row-major interleaved bytes, exactly <c>width * height * 3</c> long.</param>
    /// <param name="channelNames">The three channel names in storage order.</param>
    public ThreeChannelImage(int width, int height, byte[] pixels, IReadOnlyList<string> channelNames)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(channelNames);
        long count = RgbImage.ValidateSize(width, height);
        if (pixels.LongLength != count * 3)
        {
            throw new ArgumentException($"Expected {count * 3} bytes for a {width}x{height} three-channel image, got {pixels.LongLength}.", nameof(pixels));
        }

        if (channelNames.Count != 3)
        {
            throw new ArgumentException($"Expected 3 channel names, got {channelNames.Count}.", nameof(channelNames));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
        ChannelNames = channelNames;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Row-major interleaved bytes; channel <c>c</c> of pixel (x, y) is at <c>(y * Width + x) * 3 + c</c>.</summary>
    public byte[] Pixels { get; }

    /// <summary>The channel names in storage order, e.g. <c>["H", "S", "V"]</c>.</summary>
    public IReadOnlyList<string> ChannelNames { get; }

    /// <summary>Number of bytes in one row (<c>Width * 3</c>; rows are not padded).</summary>
    public int Stride => Width * 3;

    /// <summary>The bytes of row <paramref name="y"/>.</summary>
    public Span<byte> Row(int y) => Pixels.AsSpan(y * Stride, Stride);

    /// <summary>Copies channel <paramref name="channel"/> (0, 1 or 2) into a new single-channel image.</summary>
    public GrayImage ExtractChannel(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channel, 2);
        var plane = new GrayImage(Width, Height);
        byte[] src = Pixels;
        byte[] dst = plane.Pixels;
        for (int i = 0, j = channel; i < dst.Length; i++, j += 3)
        {
            dst[i] = src[j];
        }

        return plane;
    }

    /// <summary>Copies channel named <paramref name="name"/> (ordinal comparison) into a new single-channel image.</summary>
    public GrayImage ExtractChannel(string name)
    {
        for (int c = 0; c < 3; c++)
        {
            if (string.Equals(ChannelNames[c], name, StringComparison.Ordinal))
            {
                return ExtractChannel(c);
            }
        }

        throw new ArgumentException($"No channel named '{name}'; channels are {string.Join(", ", ChannelNames)}.", nameof(name));
    }
}
