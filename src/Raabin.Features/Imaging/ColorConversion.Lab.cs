using System.Runtime.CompilerServices;

namespace Raabin.Features.Imaging;

public static partial class ColorConversion
{
    private const int LabShift = 12;                  // xyz_shift: fixed-point bits of the RGB->XYZ matrix
    private const int GammaShift = 3;                 // extra bits of the linearised channel values
    private const int LabShift2 = LabShift + GammaShift;
    private const int CubeRootTableSize = 256 * 3 / 2 * (1 << GammaShift);   // LAB_CBRT_TAB_SIZE_B = 3072
    private const int LabLScale = (116 * 255 + 50) / 100;                     // 296
    private const int LabLOffset = -((16 * 255 * (1 << LabShift2) + 50) / 100);

    // sRGB -> linear, scaled to 0..255 * 2^3: round(2040 * gamma(i / 255)) in single precision.
    private static readonly ushort[] SrgbToLinear = BuildSrgbToLinearTable();

    // f(t) = cbrt(t) above (6/29)^3, else t * 841/108 + 16/116, scaled by 2^15, for t = i / 2040.
    private static readonly ushort[] LabCubeRoot = BuildLabCubeRootTable();

    // The sRGB->XYZ (D65) matrix divided by the D65 white point, in 12-bit fixed point, rows X, Y, Z; columns R, G, B.
    private static readonly int[] LabMatrix = BuildLabMatrix();

    /// <summary>
    /// CIE L*a*b* (D65, sRGB gamma) of one pixel as <c>cv2.COLOR_RGB2Lab</c> computes it for 8-bit input, with
    /// OpenCV's integer path: each channel is linearised through a 256-entry table <c>round(2040 * gamma(c / 255))</c>,
    /// mapped by the sRGB→XYZ matrix divided by the white point in 12-bit fixed point
    /// (<c>X = CV_DESCALE(Σ m_i c_i, 12)</c>), passed through a table of <c>2^15 * f(X / 2040)</c> with
    /// <c>f(t) = cbrt t</c> above <c>(6/29)^3</c> and <c>841/108 t + 16/116</c> below, then
    /// <c>L = CV_DESCALE(296 fY - 1336934, 15)</c>, <c>a = CV_DESCALE(500 (fX - fY) + 128 * 2^15, 15)</c>,
    /// <c>b = CV_DESCALE(200 (fY - fZ) + 128 * 2^15, 15)</c>, each saturated to 0..255. So L is L* * 255/100 and
    /// a, b are a*, b* + 128.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RgbToLab(byte r, byte g, byte b, out byte l, out byte a, out byte bStar)
    {
        int[] m = LabMatrix;
        ushort[] cube = LabCubeRoot;
        int rl = SrgbToLinear[r], gl = SrgbToLinear[g], bl = SrgbToLinear[b];
        const int half = 1 << (LabShift - 1);
        int fx = cube[(rl * m[0] + gl * m[1] + bl * m[2] + half) >> LabShift];
        int fy = cube[(rl * m[3] + gl * m[4] + bl * m[5] + half) >> LabShift];
        int fz = cube[(rl * m[6] + gl * m[7] + bl * m[8] + half) >> LabShift];
        const int half2 = 1 << (LabShift2 - 1);
        l = Saturate((LabLScale * fy + LabLOffset + half2) >> LabShift2);
        a = Saturate((500 * (fx - fy) + (128 << LabShift2) + half2) >> LabShift2);
        bStar = Saturate((200 * (fy - fz) + (128 << LabShift2) + half2) >> LabShift2);
    }

    /// <summary>
    /// Converts as <c>cv2.cvtColor(x, cv2.COLOR_RGB2Lab)</c>; channels L (L* × 255/100), a (a* + 128), b (b* + 128),
    /// all 0..255 (see the per-pixel overload).
    /// </summary>
    public static ThreeChannelImage RgbToLab(RgbImage src) => Interleaved<LabConverter>(src, LabChannels);

    /// <summary>Converts as <c>cv2.COLOR_RGB2Lab</c> into three planes (L, a, b) of the size of <paramref name="src"/>.</summary>
    public static void RgbToLab(RgbImage src, GrayImage l, GrayImage a, GrayImage b) => Planar<LabConverter>(src, l, a, b);

    private static ushort[] BuildSrgbToLinearTable()
    {
        // OpenCV builds this with its software float/double (softfloat) types: x = i / 255 in single precision,
        // gamma in double with constants 0.04045 = 809/20000, 12.92 = 323/25, 0.055 = 11/200, 2.4 = 12/5,
        // the result narrowed to single, multiplied by 2040 in single precision and rounded half to even.
        double threshold = 809.0 / 20000.0, lowScale = 323.0 / 25.0, power = 12.0 / 5.0, shift = 11.0 / 200.0;
        var table = new ushort[256];
        for (int i = 0; i < 256; i++)
        {
            double x = (float)i / 255f;
            double linear = x <= threshold ? x / lowScale : Math.Pow((x + shift) / (1.0 + shift), power);
            float scaled = (float)linear * (float)(255 << GammaShift);
            table[i] = (ushort)MathF.Round(scaled, MidpointRounding.ToEven);
        }

        return table;
    }

    private static ushort[] BuildLabCubeRootTable()
    {
        // Single precision as OpenCV's softfloat: t = (1/2040) * i, the linear branch a fused multiply-add, the cube
        // root OpenCV's own truncating approximation rather than a correctly rounded one.
        float step = 1f / (255 << GammaShift);
        float threshold = 216f / 24389f;    // (6/29)^3
        float slope = 841f / 108f;          // (29/3)^3 / 116
        float offset = 16f / 116f;
        var table = new ushort[CubeRootTableSize];
        for (int i = 0; i < table.Length; i++)
        {
            float t = step * i;
            float f = t < threshold ? MathF.FusedMultiplyAdd(t, slope, offset) : OpenCvCubeRoot(t);
            table[i] = (ushort)MathF.Round(f * (1 << LabShift2), MidpointRounding.ToEven);
        }

        return table;
    }

    /// <summary>
    /// The cube root of a positive normal float exactly as OpenCV's softfloat <c>cbrt</c> computes it (Turkowski's
    /// method): the argument is split into <c>m * 2^(3k)</c> with <c>m</c> in [1/8, 1), the cube root of <c>m</c> is
    /// approximated by a quartic rational function evaluated in double precision, and the double's top 23 fraction
    /// bits are kept without rounding. Being truncated, it is sometimes one unit in the last place below the
    /// correctly rounded cube root, which changes two entries of the L*a*b* table.
    /// </summary>
    internal static float OpenCvCubeRoot(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        if ((bits & 0x7FFF_FFFFu) == 0)
        {
            return 0f;
        }

        uint sign = bits >> 31;
        int exponent = (int)((bits >> 23) & 0xFF) - 127;
        int reducedExponent = exponent % 3;     // C remainder: takes the sign of the dividend
        if (reducedExponent >= 0)
        {
            reducedExponent -= 3;               // now -3, -2 or -1, so m lies in [1/8, 1)
        }

        int rootExponent = (exponent - reducedExponent) / 3 - 1;
        double m = BitConverter.UInt64BitsToDouble(((ulong)(reducedExponent + 1023) << 52) | ((ulong)(bits & 0x7F_FFFFu) << 29));

        // Numerator and denominator of the rational approximation (error below 2^-24 on [1/8, 1)); plain
        // double multiplies and adds, never fused, as in the reference.
        double numerator = (((45.2548339756803022511987494 * m + 192.2798368355061050458134625) * m
            + 119.1654824285581628956914143) * m + 13.43250139086239872172837314) * m + 0.1636161226585754240958355063;
        double denominator = (((14.80884093219134573786480845 * m + 151.9714051044435648658557668) * m
            + 168.5254414101568283957668343) * m + 33.9905941350215598754191872) * m + 1.0;
        double root = numerator / denominator;  // in [1/2, 1)

        uint fraction = (uint)((BitConverter.DoubleToUInt64Bits(root) & 0x000F_FFFF_FFFF_FFFFul) >> 29);
        return BitConverter.UInt32BitsToSingle((sign << 31) | ((uint)(rootExponent + 127) << 23) | fraction);
    }

    private static int[] BuildLabMatrix()
    {
        // sRGB2XYZ_D65 (0.412453, 0.357580, 0.180423 / 0.212671, 0.715160, 0.072169 / 0.019334, 0.119193, 0.950227)
        // and the D65 white point (0.950456, 1, 1.088754) as the exact doubles OpenCV stores.
        ReadOnlySpan<long> matrixBits =
        [
            0x3fda65a14488c60d, 0x3fd6e297396d0918, 0x3fc71819d2391d58,
            0x3fcb38cda6e75ff6, 0x3fe6e297396d0918, 0x3fb279aae6c8f755,
            0x3f93cc4ac6cdaf4b, 0x3fbe836eb4e98138, 0x3fee68427418d691,
        ];
        ReadOnlySpan<long> whiteBits = [0x3fee6a22b3892ee8, 0x3ff0000000000000, 0x3ff16b8950763a19];
        var m = new int[9];
        for (int i = 0; i < 9; i++)
        {
            double c = BitConverter.Int64BitsToDouble(matrixBits[i]);
            double white = BitConverter.Int64BitsToDouble(whiteBits[i / 3]);
            m[i] = (int)Math.Round((1 << LabShift) * c / white, MidpointRounding.ToEven);
        }

        return m;
    }

    private readonly struct LabConverter : IPixelConverter
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Convert(int x, int width, byte r, byte g, byte b, out byte c0, out byte c1, out byte c2)
            => RgbToLab(r, g, b, out c0, out c1, out c2);
    }
}
