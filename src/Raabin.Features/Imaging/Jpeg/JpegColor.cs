using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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

    /// <summary>Four components C, M, Y, K as stored (Adobe transform 0, or no Adobe segment).</summary>
    Cmyk,

    /// <summary>Four components Y, Cb, Cr, K (Adobe transform 2, or any transform other than 0).</summary>
    Ycck,
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

    /// <summary>Converts one row of Y, Cb, Cr samples to interleaved RGB (vector body when AVX2 is present, scalar tail).</summary>
    internal static unsafe void YCbCrRowToRgb(ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<byte> rgb, int width)
    {
        int done = 0;
        if (Avx2.IsSupported && width >= 16)
        {
            done = YCbCrRowToRgbVector(y, cb, cr, rgb, width);
        }

        YCbCrRowToRgbScalar(y[done..], cb[done..], cr[done..], rgb[(3 * done)..], width - done);
    }

    /// <summary>
    /// Converts the first multiple-of-16 pixels of a row with 8 lanes of 32-bit arithmetic: the same formulas the
    /// tables hold, evaluated per pixel, so the result equals <see cref="YCbCrRowToRgbScalar"/>. Returns the
    /// number of pixels converted.
    /// </summary>
    internal static unsafe int YCbCrRowToRgbVector(ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<byte> rgb, int width)
    {
        int blocks = width / 16;
        if (y.Length < blocks * 16 || cb.Length < blocks * 16 || cr.Length < blocks * 16 || rgb.Length < blocks * 48)
        {
            throw new ArgumentException("Rows are shorter than the width.");
        }

        var center = Vector256.Create(128);
        var half = Vector256.Create((int)OneHalf);
        var crToR = Vector256.Create((int)Fix(1.40200));
        var cbToB = Vector256.Create((int)Fix(1.77200));
        var crToG = Vector256.Create(-(int)Fix(0.71414));
        var cbToG = Vector256.Create(-(int)Fix(0.34414));
        fixed (byte* yp = y, cbp = cb, crp = cr, outp = rgb)
        {
            for (int i = 0; i < blocks; i++)
            {
                int x = 16 * i;
                Convert8(yp + x, cbp + x, crp + x, out var r0, out var g0, out var b0);
                Convert8(yp + x + 8, cbp + x + 8, crp + x + 8, out var r1, out var g1, out var b1);
                Interleave(NarrowClamped(r0, r1), NarrowClamped(g0, g1), NarrowClamped(b0, b1), outp + 3 * x);
            }
        }

        return blocks * 16;

        void Convert8(byte* yp, byte* cbp, byte* crp, out Vector256<int> r, out Vector256<int> g, out Vector256<int> b)
        {
            var luma = Avx2.ConvertToVector256Int32(yp);
            var blue = Avx2.ConvertToVector256Int32(cbp) - center;
            var red = Avx2.ConvertToVector256Int32(crp) - center;
            r = luma + Vector256.ShiftRightArithmetic(red * crToR + half, ScaleBits);
            g = luma + Vector256.ShiftRightArithmetic(blue * cbToG + half + red * crToG, ScaleBits);
            b = luma + Vector256.ShiftRightArithmetic(blue * cbToB + half, ScaleBits);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> NarrowClamped(Vector256<int> low, Vector256<int> high)
    {
        var max = Vector256.Create(255);
        var shorts = Vector256.Narrow(
            Vector256.Min(Vector256.Max(low, Vector256<int>.Zero), max),
            Vector256.Min(Vector256.Max(high, Vector256<int>.Zero), max));
        return Vector128.Narrow(shorts.GetLower().AsUInt16(), shorts.GetUpper().AsUInt16());
    }

    // Byte j of output chunk c (c = 0..2) is channel (16c + j) % 3 of pixel (16c + j) / 3; 0xFF selects zero.
    private static readonly Vector128<byte>[] InterleaveMasks = BuildInterleaveMasks();

    private static Vector128<byte>[] BuildInterleaveMasks()
    {
        var masks = new Vector128<byte>[9];
        Span<byte> mask = stackalloc byte[16];
        for (int chunk = 0; chunk < 3; chunk++)
        {
            for (int channel = 0; channel < 3; channel++)
            {
                for (int j = 0; j < 16; j++)
                {
                    int g = 16 * chunk + j;
                    mask[j] = g % 3 == channel ? (byte)(g / 3) : (byte)0xFF;
                }

                masks[3 * chunk + channel] = Vector128.Create<byte>(mask);
            }
        }

        return masks;
    }

    /// <summary>Writes 16 pixels of planar R, G, B as 48 interleaved bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Interleave(Vector128<byte> r, Vector128<byte> g, Vector128<byte> b, byte* output)
    {
        var m = InterleaveMasks;
        (Ssse3.Shuffle(r, m[0]) | Ssse3.Shuffle(g, m[1]) | Ssse3.Shuffle(b, m[2])).Store(output);
        (Ssse3.Shuffle(r, m[3]) | Ssse3.Shuffle(g, m[4]) | Ssse3.Shuffle(b, m[5])).Store(output + 16);
        (Ssse3.Shuffle(r, m[6]) | Ssse3.Shuffle(g, m[7]) | Ssse3.Shuffle(b, m[8])).Store(output + 32);
    }

    /// <summary>Converts one row of Y, Cb, Cr samples to interleaved RGB with the lookup tables, one pixel at a time.</summary>
    internal static void YCbCrRowToRgbScalar(ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<byte> rgb, int width)
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
    internal static unsafe void GrayRowToRgb(ReadOnlySpan<byte> gray, Span<byte> rgb, int width)
    {
        int done = 0;
        if (Ssse3.IsSupported && width >= 16 && gray.Length >= width && rgb.Length >= 3 * width)
        {
            done = width & ~15;
            fixed (byte* source = gray, target = rgb)
            {
                for (int x = 0; x < done; x += 16)
                {
                    var value = Vector128.Load(source + x);
                    Interleave(value, value, value, target + 3 * x);
                }
            }
        }

        gray = gray[done..];
        rgb = rgb[(3 * done)..];
        width -= done;
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

    /// <summary>
    /// Converts one row of C, M, Y, K samples (as libjpeg outputs them: stored values, Adobe-inverted for Adobe
    /// files) to RGB the way OpenCV 4.6 does (<c>icvCvt_CMYK2BGR_8u_C4C3R</c>): R = K − ((255 − C)·K &gt;&gt; 8),
    /// G = K − ((255 − M)·K &gt;&gt; 8), B = K − ((255 − Y)·K &gt;&gt; 8), integer arithmetic, always within 0..255.
    /// </summary>
    internal static void CmykRowToRgb(ReadOnlySpan<byte> c, ReadOnlySpan<byte> m, ReadOnlySpan<byte> y, ReadOnlySpan<byte> k, Span<byte> rgb, int width)
    {
        for (int x = 0; x < width; x++)
        {
            int kk = k[x];
            rgb[3 * x] = (byte)(kk - (((255 - c[x]) * kk) >> 8));
            rgb[3 * x + 1] = (byte)(kk - (((255 - m[x]) * kk) >> 8));
            rgb[3 * x + 2] = (byte)(kk - (((255 - y[x]) * kk) >> 8));
        }
    }

    /// <summary>
    /// Converts one row of Y, Cb, Cr, K samples to RGB as libjpeg-turbo (<c>ycck_cmyk_convert</c>) then OpenCV do:
    /// libjpeg makes C = 255 − R, M = 255 − G, Y = 255 − B from the YCbCr → RGB tables above (each clamped to
    /// 0..255) and passes K through; the result goes through <see cref="CmykRowToRgb"/>'s formula.
    /// </summary>
    internal static void YcckRowToRgb(ReadOnlySpan<byte> luma, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, ReadOnlySpan<byte> k, Span<byte> rgb, int width)
    {
        for (int x = 0; x < width; x++)
        {
            int yy = luma[x];
            int kk = k[x];
            int cyan = 255 - Math.Clamp(yy + CrToR[cr[x]], 0, 255);
            int magenta = 255 - Math.Clamp(yy + ((CbToG[cb[x]] + CrToG[cr[x]]) >> ScaleBits), 0, 255);
            int yellow = 255 - Math.Clamp(yy + CbToB[cb[x]], 0, 255);
            rgb[3 * x] = (byte)(kk - (((255 - cyan) * kk) >> 8));
            rgb[3 * x + 1] = (byte)(kk - (((255 - magenta) * kk) >> 8));
            rgb[3 * x + 2] = (byte)(kk - (((255 - yellow) * kk) >> 8));
        }
    }

    /// <summary>Interleaves three planar R, G, B rows.</summary>
    internal static unsafe void PlanarRowToRgb(ReadOnlySpan<byte> r, ReadOnlySpan<byte> g, ReadOnlySpan<byte> b, Span<byte> rgb, int width)
    {
        int done = 0;
        if (Ssse3.IsSupported && width >= 16 && r.Length >= width && g.Length >= width && b.Length >= width && rgb.Length >= 3 * width)
        {
            done = width & ~15;
            fixed (byte* rp = r, gp = g, bp = b, target = rgb)
            {
                for (int x = 0; x < done; x += 16)
                {
                    Interleave(Vector128.Load(rp + x), Vector128.Load(gp + x), Vector128.Load(bp + x), target + 3 * x);
                }
            }
        }

        r = r[done..];
        g = g[done..];
        b = b[done..];
        rgb = rgb[(3 * done)..];
        width -= done;
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
