using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Raabin.Features.Segmentation;

// The AVX2 form of the fused colour pass, eight pixels at a time, for the pixels in OpenCV's HLS vector body. Each
// quantity is computed with the same IEEE operations as its scalar definition, or from an exact integer identity:
// - balance: min(v · scale, 255) in double precision, truncated (as GrayWorldBalance.Scale);
// - K: 255 − max, minus one for the few maxima where the reference's double arithmetic lands just below
// the integer (a 256-bit correction mask taken from Cmyk.KTable);
// - M: floor(255 (max − G) / max) (single-precision quotient, exact at these magnitudes), minus one where
// the quotient is an exact integer and the reference's double arithmetic lands just below it (a 65,536-bit mask
// taken from Cmyk.MTable, read only when some lane divides exactly);
// - S: OpenCV's single-precision HLS vector kernel, operation for operation;
// then x in integers. Tests compare it with the table-driven loop over the whole RGB cube.
internal static partial class NucleusChannel
{
    private const float InverseOf255 = 1f / 255f;
    private const float FloatEpsilon = 1.1920929E-07f;

    // Bit (max & 31) of word (max >> 5) is set where K = 254 − max instead of 255 − max; null if some K is neither.
    private static readonly uint[]? KeyCorrection = BuildKeyCorrection();

    // Bit i & 31 of word i >> 5, i = (max << 8) | G, is set where M = floor(255 (max − G) / max) − 1; null if some M
    // is neither that nor the floor.
    private static readonly uint[]? MagentaCorrection = BuildMagentaCorrection();

    /// <summary>Whether the integer identities above hold for every table entry (checked when the masks are built);
    /// the vector path is only used when they do.</summary>
    internal static bool VectorIdentitiesHold => KeyCorrection is not null && MagentaCorrection is not null;

    /// <summary>Whether the AVX2 loop can run with these scales (finite ones; infinite or NaN scales take the tables).</summary>
    private static bool CanVectorise(double scaleR, double scaleG, double scaleB) =>
        Avx2.IsSupported && VectorIdentitiesHold && double.IsFinite(scaleR) && double.IsFinite(scaleG) && double.IsFinite(scaleB);

    // Processes whole groups of eight pixels of one row's body; returns how many pixels it did. Every load and store
    // touches four bytes past the group's 24, so it stops where fewer than 28 bytes are left in the buffer.
    private static unsafe int BodyAvx2<TBalance>(byte* source, byte* balanced, byte* channel, int count, int bytesLeft,
        double scaleR, double scaleG, double scaleB)
        where TBalance : IVectorBalance
    {
        var pickR = Vector256.Create((byte)0, 0x80, 0x80, 0x80, 3, 0x80, 0x80, 0x80, 6, 0x80, 0x80, 0x80, 9, 0x80, 0x80, 0x80,
            0, 0x80, 0x80, 0x80, 3, 0x80, 0x80, 0x80, 6, 0x80, 0x80, 0x80, 9, 0x80, 0x80, 0x80);
        Vector256<byte> nextChannel = Vector256.Create(1u).AsByte();
        Vector256<byte> pickG = pickR + nextChannel;
        Vector256<byte> pickB = pickG + nextChannel;
        var packRgb = Vector256.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80,
            0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80);
        var lowBytes = Vector256.Create((byte)0, 4, 8, 12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
            0, 4, 8, 12, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
        var gatherLow = Vector256.Create(0, 4, 1, 1, 1, 1, 1, 1);
        var vScaleR = Vector256.Create(scaleR);
        var vScaleG = Vector256.Create(scaleG);
        var vScaleB = Vector256.Create(scaleB);
        var fScaleR = Vector256.Create((float)scaleR);
        var fScaleG = Vector256.Create((float)scaleG);
        var fScaleB = Vector256.Create((float)scaleB);
        var keyBits = Vector256.Create(KeyCorrection!.AsSpan()).AsInt32();
        var i255 = Vector256.Create(255);
        var one = Vector256.Create(1);
        var low5 = Vector256.Create(31);
        var f255 = Vector256.Create(255f);
        var inverse255 = Vector256.Create(InverseOf255);
        var half = Vector256.Create(0.5f);
        var two = Vector256.Create(2f);
        var epsilon = Vector256.Create(FloatEpsilon);
        int p = 0;
        fixed (uint* magentaCorrection = MagentaCorrection!)
        {
            for (; p + 8 <= count && (p * 3) + 28 <= bytesLeft; p += 8)
            {
                byte* s = source + (p * 3);
                Vector256<byte> pixels = Vector256.Create(Vector128.Load(s), Vector128.Load(s + 12));
                Vector256<int> r = TBalance.Apply(Avx2.Shuffle(pixels, pickR).AsInt32(), vScaleR, fScaleR);
                Vector256<int> g = TBalance.Apply(Avx2.Shuffle(pixels, pickG).AsInt32(), vScaleG, fScaleG);
                Vector256<int> b = TBalance.Apply(Avx2.Shuffle(pixels, pickB).AsInt32(), vScaleB, fScaleB);

                Vector256<byte> packed = Avx2.Shuffle((r | (g << 8) | (b << 16)).AsByte(), packRgb);
                byte* d = balanced + (p * 3);
                packed.GetLower().Store(d);
                packed.GetUpper().Store(d + 12);

                Vector256<int> max = Vector256.Max(r, Vector256.Max(g, b));
                Vector256<int> min = Vector256.Min(r, Vector256.Min(g, b));

                // K = 255 − max − correction bit.
                Vector256<int> keyWord = Avx2.PermuteVar8x32(keyBits, max >>> 5);
                Vector256<int> key = i255 - max - (Avx2.ShiftRightLogicalVariable(keyWord.AsUInt32(), (max & low5).AsUInt32()).AsInt32() & one);

                // M = floor(255 (max − G) / max) − correction bit (max = 0 only with G = 0: numerator 0, divisor 1, M 0).
                Vector256<int> numerator = (max - g) * i255;
                Vector256<int> divisor = Vector256.Max(max, one);
                Vector256<int> quotient = Avx.ConvertToVector256Int32WithTruncation(
                    Avx.Divide(Avx.ConvertToVector256Single(numerator), Avx.ConvertToVector256Single(divisor)));
                Vector256<int> exact = Vector256.Equals(numerator, quotient * divisor);
                Vector256<int> magenta = quotient;
                if (!Vector256.EqualsAll(exact, Vector256<int>.Zero))
                {
                    Vector256<int> index = (max << 8) | g;
                    Vector256<int> word = Avx2.GatherVector256((int*)magentaCorrection, index >>> 5, 4);
                    magenta -= Avx2.ShiftRightLogicalVariable(word.AsUInt32(), (index & low5).AsUInt32()).AsInt32() & one;
                }

                // S of OpenCV's HLS_FULL vector kernel.
                Vector256<float> maxF = Avx.ConvertToVector256Single(max) * inverse255;
                Vector256<float> minF = Avx.ConvertToVector256Single(min) * inverse255;
                Vector256<float> diff = maxF - minF;
                Vector256<float> sum = maxF + minF;
                Vector256<float> lightness = sum * half;
                Vector256<float> denominator = Vector256.ConditionalSelect(Vector256.LessThan(lightness, half), sum, two - sum);
                Vector256<float> saturation = Vector256.GreaterThan(diff, epsilon) & (diff / denominator);
                Vector256<float> rounded = Avx.RoundToNearestInteger(saturation * f255);
                Vector256<int> sat = Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.Max(rounded, Vector256<float>.Zero), f255));

                // x = a − min(a, K − min(K, M)), a = min(M, S).
                Vector256<int> a = Vector256.Min(magenta, sat);
                Vector256<int> km = key - Vector256.Min(key, magenta);
                Vector256<int> x = a - Vector256.Min(a, km);
                Vector256<int> bytes = Avx2.PermuteVar8x32(Avx2.Shuffle(x.AsByte(), lowBytes).AsInt32(), gatherLow);
                *(ulong*)(channel + p) = bytes.AsUInt64().ToScalar();
            }
        }

        return p;
    }

    /// <summary>
    /// Whether single precision balances every value of one channel as the reference's double precision does:
    /// <c>trunc(min(v · (float)scale, 255f)) = table[v]</c> for all 256 values v. Usually true; when it is, the vector
    /// loop can balance eight values per instruction instead of four.
    /// </summary>
    internal static bool SingleBalanceIsExact(double scale, ReadOnlySpan<byte> table)
    {
        float single = (float)scale;
        for (int v = 0; v < 256; v++)
        {
            float product = MathF.Min(v * single, 255f);
            if (!(product >= 0f) || (int)product != table[v])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One channel's gray-world balance of eight values in 32-bit lanes.</summary>
    private interface IVectorBalance
    {
        static abstract Vector256<int> Apply(Vector256<int> value, Vector256<double> scale, Vector256<float> singleScale);
    }

    // min(v · scale, 255) in double precision, truncated toward zero: GrayWorldBalance.Scale for a finite scale.
    private readonly struct DoubleBalance : IVectorBalance
    {
        public static Vector256<int> Apply(Vector256<int> value, Vector256<double> scale, Vector256<float> singleScale)
        {
            var limit = Vector256.Create(255.0);
            Vector256<double> lower = Avx.Min(Avx.ConvertToVector256Double(value.GetLower()) * scale, limit);
            Vector256<double> upper = Avx.Min(Avx.ConvertToVector256Double(value.GetUpper()) * scale, limit);
            return Vector256.Create(Avx.ConvertToVector128Int32WithTruncation(lower), Avx.ConvertToVector128Int32WithTruncation(upper));
        }
    }

    // The same in single precision, used only where SingleBalanceIsExact has shown it equal for all 256 values.
    private readonly struct SingleBalance : IVectorBalance
    {
        public static Vector256<int> Apply(Vector256<int> value, Vector256<double> scale, Vector256<float> singleScale) =>
            Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.ConvertToVector256Single(value) * singleScale, Vector256.Create(255f)));
    }

    private static uint[]? BuildKeyCorrection()
    {
        var bits = new uint[8];
        for (int max = 0; max < 256; max++)
        {
            int correction = 255 - max - Cmyk.KTable[max];
            if (correction == 1)
            {
                bits[max >> 5] |= 1u << (max & 31);
            }
            else if (correction != 0)
            {
                return null;
            }
        }

        return bits;
    }

    private static uint[]? BuildMagentaCorrection()
    {
        var bits = new uint[256 * 256 / 32];
        for (int max = 0; max < 256; max++)
        {
            for (int g = 0; g <= max; g++)
            {
                int numerator = 255 * (max - g);
                int divisor = Math.Max(max, 1);
                int floor = numerator / divisor;
                int index = (max << 8) | g;
                int correction = floor - Cmyk.MTable[index];
                if (correction == 1 && numerator == floor * divisor)
                {
                    bits[index >> 5] |= 1u << (index & 31);
                }
                else if (correction != 0)
                {
                    return null;
                }
            }
        }

        return bits;
    }
}
