using Raabin.Features.Imaging;

namespace Raabin.Features.Segmentation;

/// <summary>
/// Gray-world colour balance as the reference code does it (METHOD.md §2): each channel X of R, G, B is scaled by
/// <c>mean(gray) / mean(X)</c>, where gray is OpenCV's 8-bit RGB→GRAY of the input, in double precision; values
/// above 255 become 255 and the result is stored as a byte by <b>truncation</b>. Means are exact (integer sums
/// divided by the pixel count). A channel whose mean is 0 makes a ratio of +∞; its zero pixels then give NaN, which
/// the reference's NumPy cast stores as 0, and that is what is returned here too.
/// </summary>
public static class GrayWorldBalance
{
    /// <summary>Returns the balanced image (a new buffer) and the three scale factors used.</summary>
    public static RgbImage Apply(RgbImage image, out double scaleR, out double scaleG, out double scaleB)
    {
        ArgumentNullException.ThrowIfNull(image);

        // Each channel maps 256 values through one scale: a table per channel keeps the per-pixel loop to lookups.
        Span<byte> lutR = stackalloc byte[256], lutG = stackalloc byte[256], lutB = stackalloc byte[256];
        Tables(image, lutR, lutG, lutB, out scaleR, out scaleG, out scaleB);
        var balanced = new RgbImage(image.Width, image.Height);
        byte[] src = image.Pixels;
        byte[] dst = balanced.Pixels;
        for (int i = 0; i < src.Length; i += 3)
        {
            dst[i] = lutR[src[i]];
            dst[i + 1] = lutG[src[i + 1]];
            dst[i + 2] = lutB[src[i + 2]];
        }

        return balanced;
    }

    /// <summary>
    /// The three scale factors of <paramref name="image"/> and, for each channel, the table of its 256 balanced values
    /// (<c>lut[v] = Scale(v, scale)</c>), so that callers can balance pixels inside their own per-pixel loops.
    /// </summary>
    internal static void Tables(RgbImage image, Span<byte> lutR, Span<byte> lutG, Span<byte> lutB,
        out double scaleR, out double scaleG, out double scaleB)
    {
        ChannelSums(image.Pixels, out long sumR, out long sumG, out long sumB, out long sumGray);
        double n = image.Pixels.Length / 3;
        double meanGray = sumGray / n;
        scaleR = meanGray / (sumR / n);
        scaleG = meanGray / (sumG / n);
        scaleB = meanGray / (sumB / n);
        FillTable(lutR, scaleR);
        FillTable(lutG, scaleG);
        FillTable(lutB, scaleB);
    }

    /// <summary>Exact sums of R, G, B and of OpenCV's 8-bit grey (<see cref="ColorConversion.RgbToGray(byte, byte, byte)"/>).</summary>
    internal static void ChannelSums(ReadOnlySpan<byte> rgb, out long sumR, out long sumG, out long sumB, out long sumGray)
    {
        sumR = 0;
        sumG = 0;
        sumB = 0;
        sumGray = 0;
        for (int i = 0; i + 2 < rgb.Length; i += 3)
        {
            byte r = rgb[i], g = rgb[i + 1], b = rgb[i + 2];
            sumR += r;
            sumG += g;
            sumB += b;
            sumGray += ColorConversion.RgbToGray(r, g, b);
        }
    }

    /// <summary>Returns the balanced image (a new buffer).</summary>
    public static RgbImage Apply(RgbImage image) => Apply(image, out _, out _, out _);

    /// <summary>The balanced value of one 8-bit value under <paramref name="scale"/>: min(v·scale, 255), truncated.</summary>
    public static byte Scale(byte value, double scale)
    {
        double v = value * scale;
        if (v > 255)
        {
            v = 255;
        }

        // NaN (0 × ∞) is stored as 0, as NumPy's float→uint8 cast does on x86.
        return double.IsNaN(v) ? (byte)0 : (byte)v;
    }

    private static void FillTable(Span<byte> table, double scale)
    {
        for (int v = 0; v < 256; v++)
        {
            table[v] = Scale((byte)v, scale);
        }
    }
}
