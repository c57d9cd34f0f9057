namespace Raabin.Features.Imaging.Jpeg;

/// <summary>How the decoded components map to RGB.</summary>
internal enum JpegColorTransform
{
    /// <summary>One component: R = G = B = grey.</summary>
    Grayscale,

    /// <summary>Three components Y, Cb, Cr (JFIF, or Adobe transform 1, or unlabelled).</summary>
    YCbCr,

    /// <summary>Three components stored as R, G, B (Adobe transform 0, or component ids 'R','G','B').</summary>
    Rgb,
}

/// <summary>
/// YCbCr → RGB conversion with libjpeg's fixed-point tables (<c>jdcolor.c</c>, 16 fraction bits, JFIF/BT.601 full
/// range): R = Y + round(1.402·(Cr−128)), B = Y + round(1.772·(Cb−128)),
/// G = Y + ((−0.34414·(Cb−128) − 0.71414·(Cr−128))·2^16 + 2^15) &gt;&gt; 16, each clamped to 0..255.
/// </summary>
internal static class JpegColor
{
    private const int ScaleBits = 16;
    private const long OneHalf = 1L << (ScaleBits - 1);

    /// <summary>Cr → R offset per Cr value 0..255.</summary>
    internal static readonly int[] CrToR = new int[256];

    /// <summary>Cb → B offset per Cb value 0..255.</summary>
    internal static readonly int[] CbToB = new int[256];

    /// <summary>Cr → G term (scaled by 2^16) per Cr value.</summary>
    internal static readonly int[] CrToG = new int[256];

    /// <summary>Cb → G term (scaled by 2^16, with the rounding half folded in) per Cb value.</summary>
    internal static readonly int[] CbToG = new int[256];

    static JpegColor()
    {
        long fixCrR = Fix(1.40200);
        long fixCbB = Fix(1.77200);
        long fixCrG = Fix(0.71414);
        long fixCbG = Fix(0.34414);
        for (int i = 0; i < 256; i++)
        {
            long x = i - 128;
            CrToR[i] = (int)((fixCrR * x + OneHalf) >> ScaleBits);
            CbToB[i] = (int)((fixCbB * x + OneHalf) >> ScaleBits);
            CrToG[i] = (int)(-fixCrG * x);
            CbToG[i] = (int)(-fixCbG * x + OneHalf);
        }
    }

    // libjpeg's FIX(): the constant times 2^16, rounded half up, truncated toward zero.
    private static long Fix(double value) => (long)(value * (1L << ScaleBits) + 0.5);

    /// <summary>Converts one row of Y, Cb, Cr samples to interleaved RGB.</summary>
    internal static void YCbCrRowToRgb(ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<byte> rgb, int width)
    {
        int[] crToR = CrToR;
        int[] cbToB = CbToB;
        int[] crToG = CrToG;
        int[] cbToG = CbToG;
        y = y[..width];
        cb = cb[..width];
        cr = cr[..width];
        rgb = rgb[..(width * 3)];
        for (int x = 0; x < y.Length; x++)
        {
            int luma = y[x];
            int blue = cb[x];
            int red = cr[x];
            rgb[3 * x] = JpegIdct.ClampSample(luma + crToR[red]);
            rgb[3 * x + 1] = JpegIdct.ClampSample(luma + ((cbToG[blue] + crToG[red]) >> ScaleBits));
            rgb[3 * x + 2] = JpegIdct.ClampSample(luma + cbToB[blue]);
        }
    }

    /// <summary>Copies a grey row into all three channels.</summary>
    internal static void GrayRowToRgb(ReadOnlySpan<byte> gray, Span<byte> rgb, int width)
    {
        gray = gray[..width];
        rgb = rgb[..(width * 3)];
        for (int x = 0; x < gray.Length; x++)
        {
            byte value = gray[x];
            rgb[3 * x] = value;
            rgb[3 * x + 1] = value;
            rgb[3 * x + 2] = value;
        }
    }

    /// <summary>Interleaves three planar R, G, B rows.</summary>
    internal static void PlanarRowToRgb(ReadOnlySpan<byte> r, ReadOnlySpan<byte> g, ReadOnlySpan<byte> b, Span<byte> rgb, int width)
    {
        r = r[..width];
        g = g[..width];
        b = b[..width];
        rgb = rgb[..(width * 3)];
        for (int x = 0; x < r.Length; x++)
        {
            rgb[3 * x] = r[x];
            rgb[3 * x + 1] = g[x];
            rgb[3 * x + 2] = b[x];
        }
    }
}
