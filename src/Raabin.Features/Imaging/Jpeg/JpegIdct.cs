using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Raabin.Features.Imaging.Jpeg;

/// <summary>
/// The accurate integer inverse DCT of libjpeg-turbo 2.1.5 ("islow": the Loeffler-Ligtenberg-Moschytz algorithm with
/// 13-bit constants, 2 extra bits kept between the column and the row pass), including dequantisation, with the
/// arithmetic of libjpeg-turbo's SIMD version (<c>jidctint-avx2.asm</c>; the SSE2 version gives the same bytes), which
/// is what OpenCV 4.6 runs on x86-64. That version keeps samples in 16-bit lanes, so for inputs outside what an
/// 8-bit encoder produces it differs from the plain C version (<c>jidctint.c</c>, 32-bit throughout, output wrapped
/// through a 10-bit range mask). Reproduced exactly, as checked against <c>cv2.imread</c> on JPEGs whose dequantised
/// coefficients overflow (fixtures <c>idct-overflow-*.jpg</c>):
/// <list type="bullet">
/// <item>dequantisation keeps the low 16 bits of coefficient × quantiser (signed);</item>
/// <item>the sums x0 ± x4, x7 + x3 and x5 + x1 that feed the multiplications wrap to 16 bits;</item>
/// <item>after the column pass each value is saturated to −32768..32767;</item>
/// <item>a block whose coefficient rows 1..7 are all zero takes a shortcut in which each column's value is
/// (dequantised first-row value × 4) wrapped to 16 bits, not saturated;</item>
/// <item>the row pass's results saturate to −128..127 before 128 is added, i.e. samples clamp to 0..255.</item>
/// </list>
/// Products and sums of 16-bit values wrap modulo 2^32 in both versions, which 32-bit C# arithmetic reproduces.
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

    /// <summary>True when the 8-lane vector transform runs in hardware (AVX2).</summary>
    internal static bool VectorPathAvailable => Avx2.IsSupported;

    /// <summary>
    /// Transforms one block with the fastest exact path: a block whose 63 AC coefficients are zero becomes its
    /// constant DC value (what the full transform gives); others go to the vector transform when AVX2 is present,
    /// else to <see cref="TransformScalar"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Transform(short* coefficients, int* quant, byte* output, int stride)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            var first = Vector256.Load(coefficients) & Vector256.Create(0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
            var rest = Vector256.Load(coefficients + 16) | Vector256.Load(coefficients + 32) | Vector256.Load(coefficients + 48);
            if ((first | rest) == Vector256<short>.Zero)
            {
                FillDc(coefficients[0] * quant[0], output, stride);
                return;
            }
        }

        if (Avx2.IsSupported)
        {
            TransformVector(coefficients, quant, output, stride);
        }
        else
        {
            TransformScalar(coefficients, quant, output, stride);
        }
    }

    /// <summary>
    /// Writes the 8×8 block of a DC-only input: the SIMD shortcut for empty rows 1..7 scales the 16-bit dequantised
    /// DC by 2^PASS1_BITS in 16 bits, pass 2 descales by 2^5.
    /// </summary>
    private static unsafe void FillDc(int dequantizedDc, byte* output, int stride)
    {
        const int shift = Pass1Bits + 3;
        int columnValue = Wrap16(Wrap16(dequantizedDc) << Pass1Bits);
        byte value = ClampSample(((columnValue + (1 << (shift - 1))) >> shift) + 128);
        ulong row = value * 0x0101010101010101UL;
        for (int i = 0; i < 8; i++)
        {
            *(ulong*)(output + i * stride) = row;
        }
    }

    /// <summary>
    /// The same transform as <see cref="TransformScalar"/> with all eight columns (then rows) in the lanes of
    /// 256-bit vectors; 32-bit lane arithmetic is identical to the scalar code's, and the zero-column/zero-row
    /// shortcuts the scalar code takes are exact, so both give the same bytes (a test checks this).
    /// </summary>
    [SkipLocalsInit]
    internal static unsafe void TransformVector(short* coefficients, int* quant, byte* output, int stride)
    {
        var r0 = Wrap16(Avx2.ConvertToVector256Int32(coefficients) * Avx.LoadVector256(quant));
        var r1 = Wrap16(Avx2.ConvertToVector256Int32(coefficients + 8) * Avx.LoadVector256(quant + 8));
        var r2 = Wrap16(Avx2.ConvertToVector256Int32(coefficients + 16) * Avx.LoadVector256(quant + 16));
        var r3 = Wrap16(Avx2.ConvertToVector256Int32(coefficients + 24) * Avx.LoadVector256(quant + 24));
        var r4 = Wrap16(Avx2.ConvertToVector256Int32(coefficients + 32) * Avx.LoadVector256(quant + 32));
        var r5 = Wrap16(Avx2.ConvertToVector256Int32(coefficients + 40) * Avx.LoadVector256(quant + 40));
        var r6 = Wrap16(Avx2.ConvertToVector256Int32(coefficients + 48) * Avx.LoadVector256(quant + 48));
        var r7 = Wrap16(Avx2.ConvertToVector256Int32(coefficients + 56) * Avx.LoadVector256(quant + 56));

        // Pass 1: each lane is one column; results saturate to 16 bits. When coefficient rows 1..7 are all zero
        // the SIMD code instead takes the first row times 4, wrapped to 16 bits, for every row.
        bool firstRowOnly = RowsOneToSevenZero(coefficients);
        if (firstRowOnly)
        {
            r0 = Wrap16(Vector256.ShiftLeft(r0, Pass1Bits));
            r1 = r0;
            r2 = r0;
            r3 = r0;
            r4 = r0;
            r5 = r0;
            r6 = r0;
            r7 = r0;
        }
        else
        {
            ButterflyVector(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            var round1 = Vector256.Create(1 << (ConstBits - Pass1Bits - 1));
            r0 = Saturate16(Vector256.ShiftRightArithmetic(r0 + round1, ConstBits - Pass1Bits));
            r1 = Saturate16(Vector256.ShiftRightArithmetic(r1 + round1, ConstBits - Pass1Bits));
            r2 = Saturate16(Vector256.ShiftRightArithmetic(r2 + round1, ConstBits - Pass1Bits));
            r3 = Saturate16(Vector256.ShiftRightArithmetic(r3 + round1, ConstBits - Pass1Bits));
            r4 = Saturate16(Vector256.ShiftRightArithmetic(r4 + round1, ConstBits - Pass1Bits));
            r5 = Saturate16(Vector256.ShiftRightArithmetic(r5 + round1, ConstBits - Pass1Bits));
            r6 = Saturate16(Vector256.ShiftRightArithmetic(r6 + round1, ConstBits - Pass1Bits));
            r7 = Saturate16(Vector256.ShiftRightArithmetic(r7 + round1, ConstBits - Pass1Bits));
        }

        // Pass 2: transpose so each lane is one row.
        Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        ButterflyVector(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
        // The centre 128 is added after the descale (adding it before could wrap 32 bits where the SIMD code does not).
        const int shift = ConstBits + Pass1Bits + 3;
        var round2 = Vector256.Create(1 << (shift - 1));
        var centre = Vector256.Create(128);
        r0 = Vector256.ShiftRightArithmetic(r0 + round2, shift) + centre;
        r1 = Vector256.ShiftRightArithmetic(r1 + round2, shift) + centre;
        r2 = Vector256.ShiftRightArithmetic(r2 + round2, shift) + centre;
        r3 = Vector256.ShiftRightArithmetic(r3 + round2, shift) + centre;
        r4 = Vector256.ShiftRightArithmetic(r4 + round2, shift) + centre;
        r5 = Vector256.ShiftRightArithmetic(r5 + round2, shift) + centre;
        r6 = Vector256.ShiftRightArithmetic(r6 + round2, shift) + centre;
        r7 = Vector256.ShiftRightArithmetic(r7 + round2, shift) + centre;
        Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);

        // Saturating packs clamp to 0..255; a dword permute undoes the AVX2 packs' 128-bit-lane interleaving.
        var rows01 = Avx2.PackSignedSaturate(r0, r1);
        var rows23 = Avx2.PackSignedSaturate(r2, r3);
        var rows45 = Avx2.PackSignedSaturate(r4, r5);
        var rows67 = Avx2.PackSignedSaturate(r6, r7);
        var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        var bytes0123 = Avx2.PermuteVar8x32(Avx2.PackUnsignedSaturate(rows01, rows23).AsInt32(), order).AsUInt64();
        var bytes4567 = Avx2.PermuteVar8x32(Avx2.PackUnsignedSaturate(rows45, rows67).AsInt32(), order).AsUInt64();
        *(ulong*)output = bytes0123.GetElement(0);
        *(ulong*)(output + stride) = bytes0123.GetElement(1);
        *(ulong*)(output + 2 * stride) = bytes0123.GetElement(2);
        *(ulong*)(output + 3 * stride) = bytes0123.GetElement(3);
        *(ulong*)(output + 4 * stride) = bytes4567.GetElement(0);
        *(ulong*)(output + 5 * stride) = bytes4567.GetElement(1);
        *(ulong*)(output + 6 * stride) = bytes4567.GetElement(2);
        *(ulong*)(output + 7 * stride) = bytes4567.GetElement(3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ButterflyVector(
        ref Vector256<int> x0, ref Vector256<int> x1, ref Vector256<int> x2, ref Vector256<int> x3,
        ref Vector256<int> x4, ref Vector256<int> x5, ref Vector256<int> x6, ref Vector256<int> x7)
    {
        var z1 = (x2 + x6) * Vector256.Create(Fix0_541196100);
        var even2 = z1 - x6 * Vector256.Create(Fix1_847759065);
        var even3 = z1 + x2 * Vector256.Create(Fix0_765366865);
        var even0 = Vector256.ShiftLeft(Wrap16(x0 + x4), ConstBits);
        var even1 = Vector256.ShiftLeft(Wrap16(x0 - x4), ConstBits);
        var t10 = even0 + even3;
        var t13 = even0 - even3;
        var t11 = even1 + even2;
        var t12 = even1 - even2;

        var sum71 = x7 + x1;
        var sum53 = x5 + x3;
        var sum73 = Wrap16(x7 + x3);
        var sum51 = Wrap16(x5 + x1);
        var z5 = (sum73 + sum51) * Vector256.Create(Fix1_175875602);
        var odd0 = x7 * Vector256.Create(Fix0_298631336);
        var odd1 = x5 * Vector256.Create(Fix2_053119869);
        var odd2 = x3 * Vector256.Create(Fix3_072711026);
        var odd3 = x1 * Vector256.Create(Fix1_501321110);
        var m71 = sum71 * Vector256.Create(-Fix0_899976223);
        var m53 = sum53 * Vector256.Create(-Fix2_562915447);
        var m73 = sum73 * Vector256.Create(-Fix1_961570560) + z5;
        var m51 = sum51 * Vector256.Create(-Fix0_390180644) + z5;
        odd0 += m71 + m73;
        odd1 += m53 + m51;
        odd2 += m53 + m73;
        odd3 += m71 + m51;

        x0 = t10 + odd3;
        x7 = t10 - odd3;
        x1 = t11 + odd2;
        x6 = t11 - odd2;
        x2 = t12 + odd1;
        x5 = t12 - odd1;
        x3 = t13 + odd0;
        x4 = t13 - odd0;
    }

    /// <summary>Transposes the 8×8 matrix whose rows are <paramref name="r0"/>..<paramref name="r7"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(
        ref Vector256<int> r0, ref Vector256<int> r1, ref Vector256<int> r2, ref Vector256<int> r3,
        ref Vector256<int> r4, ref Vector256<int> r5, ref Vector256<int> r6, ref Vector256<int> r7)
    {
        var t0 = Avx2.UnpackLow(r0, r1);
        var t1 = Avx2.UnpackHigh(r0, r1);
        var t2 = Avx2.UnpackLow(r2, r3);
        var t3 = Avx2.UnpackHigh(r2, r3);
        var t4 = Avx2.UnpackLow(r4, r5);
        var t5 = Avx2.UnpackHigh(r4, r5);
        var t6 = Avx2.UnpackLow(r6, r7);
        var t7 = Avx2.UnpackHigh(r6, r7);

        var u0 = Avx2.UnpackLow(t0.AsInt64(), t2.AsInt64()).AsInt32();
        var u1 = Avx2.UnpackHigh(t0.AsInt64(), t2.AsInt64()).AsInt32();
        var u2 = Avx2.UnpackLow(t1.AsInt64(), t3.AsInt64()).AsInt32();
        var u3 = Avx2.UnpackHigh(t1.AsInt64(), t3.AsInt64()).AsInt32();
        var u4 = Avx2.UnpackLow(t4.AsInt64(), t6.AsInt64()).AsInt32();
        var u5 = Avx2.UnpackHigh(t4.AsInt64(), t6.AsInt64()).AsInt32();
        var u6 = Avx2.UnpackLow(t5.AsInt64(), t7.AsInt64()).AsInt32();
        var u7 = Avx2.UnpackHigh(t5.AsInt64(), t7.AsInt64()).AsInt32();

        r0 = Avx2.Permute2x128(u0, u4, 0x20);
        r1 = Avx2.Permute2x128(u1, u5, 0x20);
        r2 = Avx2.Permute2x128(u2, u6, 0x20);
        r3 = Avx2.Permute2x128(u3, u7, 0x20);
        r4 = Avx2.Permute2x128(u0, u4, 0x31);
        r5 = Avx2.Permute2x128(u1, u5, 0x31);
        r6 = Avx2.Permute2x128(u2, u6, 0x31);
        r7 = Avx2.Permute2x128(u3, u7, 0x31);
    }

    /// <summary>
    /// Transforms one block: <paramref name="coefficients"/> (64, natural order) times <paramref name="quant"/> (64,
    /// natural order) into 8×8 samples written to <paramref name="output"/> with row pitch <paramref name="stride"/>.
    /// </summary>
    [SkipLocalsInit]
    internal static unsafe void TransformScalar(short* coefficients, int* quant, byte* output, int stride)
    {
        int* workspace = stackalloc int[64];

        // Pass 1: columns. A column whose AC terms are all zero transforms to its scaled DC in every row: saturated to
        // 16 bits as the full computation gives it, or wrapped when all of rows 1..7 are zero (the SIMD shortcut).
        bool firstRowOnly = RowsOneToSevenZero(coefficients);
        for (int column = 0; column < 8; column++)
        {
            short* input = coefficients + column;
            int* q = quant + column;
            int* ws = workspace + column;
            if (input[8] == 0 && input[16] == 0 && input[24] == 0 && input[32] == 0 &&
                input[40] == 0 && input[48] == 0 && input[56] == 0)
            {
                int scaled = Wrap16(input[0] * q[0]) << Pass1Bits;
                int dc = firstRowOnly ? Wrap16(scaled) : Saturate16(scaled);
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
                Wrap16(input[0] * q[0]), Wrap16(input[8] * q[8]), Wrap16(input[16] * q[16]), Wrap16(input[24] * q[24]),
                Wrap16(input[32] * q[32]), Wrap16(input[40] * q[40]), Wrap16(input[48] * q[48]), Wrap16(input[56] * q[56]),
                out int o0, out int o1, out int o2, out int o3, out int o4, out int o5, out int o6, out int o7);

            const int shift = ConstBits - Pass1Bits;
            const int round = 1 << (shift - 1);
            ws[0] = Saturate16((o0 + round) >> shift);
            ws[8] = Saturate16((o1 + round) >> shift);
            ws[16] = Saturate16((o2 + round) >> shift);
            ws[24] = Saturate16((o3 + round) >> shift);
            ws[32] = Saturate16((o4 + round) >> shift);
            ws[40] = Saturate16((o5 + round) >> shift);
            ws[48] = Saturate16((o6 + round) >> shift);
            ws[56] = Saturate16((o7 + round) >> shift);
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
    /// One 8-point islow transform of the 16-bit inputs <c>x0..x7</c> (frequency order), giving outputs scaled by
    /// 2^13 (not yet descaled), in spatial order. The sums the SIMD code forms in 16-bit lanes wrap to 16 bits.
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
        int even0 = Wrap16(x0 + x4) << ConstBits;
        int even1 = Wrap16(x0 - x4) << ConstBits;
        int t10 = even0 + even3;
        int t13 = even0 - even3;
        int t11 = even1 + even2;
        int t12 = even1 - even2;

        // Odd part (x7, x5, x3, x1).
        int sum71 = x7 + x1;
        int sum53 = x5 + x3;
        int sum73 = Wrap16(x7 + x3);
        int sum51 = Wrap16(x5 + x1);
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

    /// <summary>The low 16 bits of <paramref name="value"/>, sign-extended (a 16-bit lane's wrap-around).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Wrap16(int value) => (short)value;

    /// <summary><paramref name="value"/> limited to −32768..32767 (a saturating pack to 16 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Saturate16(int value) => Math.Clamp(value, short.MinValue, short.MaxValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Wrap16(Vector256<int> value) => Vector256.ShiftRightArithmetic(Vector256.ShiftLeft(value, 16), 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Saturate16(Vector256<int> value) =>
        Vector256.Min(Vector256.Max(value, Vector256.Create((int)short.MinValue)), Vector256.Create((int)short.MaxValue));

    /// <summary>True when coefficient rows 1..7 (indices 8..63, natural order) are all zero: the SIMD code's shortcut test.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe bool RowsOneToSevenZero(short* coefficients)
    {
        long any = 0;
        long* words = (long*)(coefficients + 8);
        for (int i = 0; i < 14; i++)
        {
            any |= words[i];
        }

        return any == 0;
    }
}
