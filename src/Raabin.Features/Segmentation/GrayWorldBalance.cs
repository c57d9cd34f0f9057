using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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
        Scales(image.Pixels.Length / 3, sumR, sumG, sumB, sumGray, out scaleR, out scaleG, out scaleB);
        FillTable(lutR, scaleR);
        FillTable(lutG, scaleG);
        FillTable(lutB, scaleB);
    }

    /// <summary>The three scale factors <c>mean(gray) / mean(X)</c> from exact channel sums over <paramref name="pixelCount"/> pixels.</summary>
    internal static void Scales(int pixelCount, long sumR, long sumG, long sumB, long sumGray,
        out double scaleR, out double scaleG, out double scaleB)
    {
        double n = pixelCount;
        double meanGray = sumGray / n;
        scaleR = meanGray / (sumR / n);
        scaleG = meanGray / (sumG / n);
        scaleB = meanGray / (sumB / n);
    }

    /// <summary>Exact sums of R, G, B and of OpenCV's 8-bit grey (<see cref="ColorConversion.RgbToGray(byte, byte, byte)"/>)
    /// over interleaved RGB pixels; vectorised where the hardware allows (<paramref name="allowVector"/> false forces
    /// the scalar loop, the twin that tests compare it with).</summary>
    internal static void ChannelSums(ReadOnlySpan<byte> rgb, out long sumR, out long sumG, out long sumB, out long sumGray,
        bool allowVector = true)
    {
        sumR = 0;
        sumG = 0;
        sumB = 0;
        sumGray = 0;
        int i = allowVector && Avx2.IsSupported ? ChannelSumsAvx2(rgb, ref sumR, ref sumG, ref sumB, ref sumGray) : 0;
        for (; i + 2 < rgb.Length; i += 3)
        {
            byte r = rgb[i], g = rgb[i + 1], b = rgb[i + 2];
            sumR += r;
            sumG += g;
            sumB += b;
            sumGray += ColorConversion.RgbToGray(r, g, b);
        }
    }

    // Eight pixels per step: each 128-bit half loads four pixels (12 of its 16 bytes) and byte shuffles spread R, G
    // and B into 32-bit lanes, where grey is the same integer formula as the scalar one. Returns the bytes consumed.
    private static int ChannelSumsAvx2(ReadOnlySpan<byte> rgb, ref long sumR, ref long sumG, ref long sumB, ref long sumGray)
    {
        const int PixelsPerStep = 8;
        const int BytesPerStep = PixelsPerStep * 3;
        const int FlushSteps = 1 << 16; // lanes gain at most 255 per step: flushed while even their 8-lane sum fits 32 bits
        var pickR = Vector256.Create((byte)0, 0x80, 0x80, 0x80, 3, 0x80, 0x80, 0x80, 6, 0x80, 0x80, 0x80, 9, 0x80, 0x80, 0x80,
            0, 0x80, 0x80, 0x80, 3, 0x80, 0x80, 0x80, 6, 0x80, 0x80, 0x80, 9, 0x80, 0x80, 0x80);
        Vector256<byte> nextChannel = Vector256.Create(1u).AsByte(); // +1 on the index byte of each 32-bit lane
        Vector256<byte> pickG = pickR + nextChannel;
        Vector256<byte> pickB = pickG + nextChannel;
        var weightR = Vector256.Create(9798);
        var weightG = Vector256.Create(19235);
        var weightB = Vector256.Create(3735);
        var half = Vector256.Create(1 << 14);
        int i = 0;
        while (i + BytesPerStep + 4 <= rgb.Length)
        {
            Vector256<int> accR = Vector256<int>.Zero, accG = accR, accB = accR, accGray = accR;
            for (int step = 0; step < FlushSteps && i + BytesPerStep + 4 <= rgb.Length; step++, i += BytesPerStep)
            {
                Vector256<byte> pixels = Vector256.Create(Vector128.Create(rgb.Slice(i, 16)), Vector128.Create(rgb.Slice(i + 12, 16)));
                Vector256<int> r = Avx2.Shuffle(pixels, pickR).AsInt32();
                Vector256<int> g = Avx2.Shuffle(pixels, pickG).AsInt32();
                Vector256<int> b = Avx2.Shuffle(pixels, pickB).AsInt32();
                accR += r;
                accG += g;
                accB += b;
                accGray += ((r * weightR) + (g * weightG) + (b * weightB) + half) >> 15;
            }

            sumR += Vector256.Sum(accR);
            sumG += Vector256.Sum(accG);
            sumB += Vector256.Sum(accB);
            sumGray += Vector256.Sum(accGray);
        }

        return i;
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

    /// <summary>Fills <c>table[v] = Scale(v, scale)</c> for v = 0..255.</summary>
    internal static void FillTable(Span<byte> table, double scale)
    {
        for (int v = 0; v < 256; v++)
        {
            table[v] = Scale((byte)v, scale);
        }
    }
}
