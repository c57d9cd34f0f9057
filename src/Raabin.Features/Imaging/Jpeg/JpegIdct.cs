using System.Runtime.CompilerServices;

namespace Raabin.Features.Imaging.Jpeg;

/// <summary>
/// The accurate integer inverse DCT of libjpeg-turbo 2.1.5 (<c>jidctint.c</c>, "islow": the Loeffler-Ligtenberg-
/// Moschytz algorithm with 13-bit constants, 2 extra bits kept between the column and the row pass), including
/// dequantisation. Intermediate values are 32-bit, as in libjpeg-turbo's SIMD version that the Debian build runs.
/// Output samples are clamped to 0..255 after adding 128; this saturation is what the SIMD version does (the C version
/// wraps out-of-range values through a mask, which differs only for values no real encoder produces).
/// </summary>
internal static class JpegIdct
{
    internal const int ConstBits = 13;
    internal const int Pass1Bits = 2;

    // FIX(x) = round(x * 2^13), the constants of jidctint.c.
    internal const int Fix0_298631336 = 2446;
    internal const int Fix0_390180644 = 3196;
    internal const int Fix0_541196100 = 4433;
    internal const int Fix0_765366865 = 6270;
    internal const int Fix0_899976223 = 7373;
    internal const int Fix1_175875602 = 9633;
    internal const int Fix1_501321110 = 12299;
    internal const int Fix1_847759065 = 15137;
    internal const int Fix1_961570560 = 16069;
    internal const int Fix2_053119869 = 16819;
    internal const int Fix2_562915447 = 20995;
    internal const int Fix3_072711026 = 25172;

    /// <summary>
    /// Transforms one block: <paramref name="coefficients"/> (64, natural order) times <paramref name="quant"/> (64,
    /// natural order) into 8×8 samples written to <paramref name="output"/> with row pitch <paramref name="stride"/>.
    /// </summary>
    [SkipLocalsInit]
    internal static unsafe void TransformScalar(short* coefficients, int* quant, byte* output, int stride)
    {
        int* workspace = stackalloc int[64];

        // Pass 1: columns. A column whose AC terms are all zero transforms to its scaled DC in every row; this is
        // the same value the full computation gives, so the shortcut is exact.
        for (int column = 0; column < 8; column++)
        {
            short* input = coefficients + column;
            int* q = quant + column;
            int* ws = workspace + column;
            if (input[8] == 0 && input[16] == 0 && input[24] == 0 && input[32] == 0 &&
                input[40] == 0 && input[48] == 0 && input[56] == 0)
            {
                int dc = (input[0] * q[0]) << Pass1Bits;
                ws[0] = dc;
                ws[8] = dc;
                ws[16] = dc;
                ws[24] = dc;
                ws[32] = dc;
                ws[40] = dc;
                ws[48] = dc;
                ws[56] = dc;
                continue;
            }

            Butterfly(
                input[0] * q[0], input[8] * q[8], input[16] * q[16], input[24] * q[24],
                input[32] * q[32], input[40] * q[40], input[48] * q[48], input[56] * q[56],
                out int o0, out int o1, out int o2, out int o3, out int o4, out int o5, out int o6, out int o7);

            const int shift = ConstBits - Pass1Bits;
            const int round = 1 << (shift - 1);
            ws[0] = (o0 + round) >> shift;
            ws[8] = (o1 + round) >> shift;
            ws[16] = (o2 + round) >> shift;
            ws[24] = (o3 + round) >> shift;
            ws[32] = (o4 + round) >> shift;
            ws[40] = (o5 + round) >> shift;
            ws[48] = (o6 + round) >> shift;
            ws[56] = (o7 + round) >> shift;
        }

        // Pass 2: rows, removing the 2^PASS1_BITS scale and the factor 8 of the transform.
        for (int row = 0; row < 8; row++)
        {
            int* ws = workspace + row * 8;
            byte* outRow = output + row * stride;
            if (ws[1] == 0 && ws[2] == 0 && ws[3] == 0 && ws[4] == 0 && ws[5] == 0 && ws[6] == 0 && ws[7] == 0)
            {
                const int dcShift = Pass1Bits + 3;
                byte dc = ClampSample(((ws[0] + (1 << (dcShift - 1))) >> dcShift) + 128);
                for (int i = 0; i < 8; i++)
                {
                    outRow[i] = dc;
                }

                continue;
            }

            Butterfly(
                ws[0], ws[1], ws[2], ws[3], ws[4], ws[5], ws[6], ws[7],
                out int o0, out int o1, out int o2, out int o3, out int o4, out int o5, out int o6, out int o7);

            const int shift = ConstBits + Pass1Bits + 3;
            const int round = 1 << (shift - 1);
            outRow[0] = ClampSample(((o0 + round) >> shift) + 128);
            outRow[1] = ClampSample(((o1 + round) >> shift) + 128);
            outRow[2] = ClampSample(((o2 + round) >> shift) + 128);
            outRow[3] = ClampSample(((o3 + round) >> shift) + 128);
            outRow[4] = ClampSample(((o4 + round) >> shift) + 128);
            outRow[5] = ClampSample(((o5 + round) >> shift) + 128);
            outRow[6] = ClampSample(((o6 + round) >> shift) + 128);
            outRow[7] = ClampSample(((o7 + round) >> shift) + 128);
        }
    }

    /// <summary>
    /// One 8-point islow transform of the inputs <c>x0..x7</c> (frequency order), giving outputs scaled by
    /// 2^13 (not yet descaled), in spatial order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly(
        int x0, int x1, int x2, int x3, int x4, int x5, int x6, int x7,
        out int o0, out int o1, out int o2, out int o3, out int o4, out int o5, out int o6, out int o7)
    {
        // Even part: rotation of x2, x6 by sqrt(2)*c6, then sums with x0 +/- x4.
        int z1 = (x2 + x6) * Fix0_541196100;
        int even2 = z1 - x6 * Fix1_847759065;
        int even3 = z1 + x2 * Fix0_765366865;
        int even0 = (x0 + x4) << ConstBits;
        int even1 = (x0 - x4) << ConstBits;
        int t10 = even0 + even3;
        int t13 = even0 - even3;
        int t11 = even1 + even2;
        int t12 = even1 - even2;

        // Odd part (x7, x5, x3, x1).
        int sum71 = x7 + x1;
        int sum53 = x5 + x3;
        int sum73 = x7 + x3;
        int sum51 = x5 + x1;
        int z5 = (sum73 + sum51) * Fix1_175875602;
        int odd0 = x7 * Fix0_298631336;
        int odd1 = x5 * Fix2_053119869;
        int odd2 = x3 * Fix3_072711026;
        int odd3 = x1 * Fix1_501321110;
        int m71 = sum71 * -Fix0_899976223;
        int m53 = sum53 * -Fix2_562915447;
        int m73 = sum73 * -Fix1_961570560 + z5;
        int m51 = sum51 * -Fix0_390180644 + z5;
        odd0 += m71 + m73;
        odd1 += m53 + m51;
        odd2 += m53 + m73;
        odd3 += m71 + m51;

        o0 = t10 + odd3;
        o7 = t10 - odd3;
        o1 = t11 + odd2;
        o6 = t11 - odd2;
        o2 = t12 + odd1;
        o5 = t12 - odd1;
        o3 = t13 + odd0;
        o4 = t13 - odd0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static byte ClampSample(int value) => (byte)Math.Clamp(value, 0, 255);
}
