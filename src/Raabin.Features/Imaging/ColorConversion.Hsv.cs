using System.Runtime.CompilerServices;

namespace Raabin.Features.Imaging;

public static partial class ColorConversion
{
    private const int HsvShift = 12;

    // HSV2RGB_b's AVX2 kernel converts whole groups of 32 pixels of each row (4 x 8 float lanes) and truncates; a
    // scalar loop converts the remaining (width mod 32) pixels and rounds. The image form reproduces both.
    private const int HsvToRgbVectorPixels = 32;
    private const float HsvHueScale = 6f / 180f;   // HSV2RGB_b: hscale = 6.0f / hrange, hrange = 180

    // OpenCV's 8-bit HSV division tables (color_hsv: sdiv_table, hdiv_table180), each entry rounded half to even
    // as saturate_cast<int>(double) does: SaturationDivisor[v] = round(255 * 2^12 / v),
    // HueDivisor180[d] = round(180 * 2^12 / (6 d)); index 0 holds 0.
    private static readonly int[] SaturationDivisor = BuildDivisionTable(255.0 * (1 << HsvShift), 1.0);
    private static readonly int[] HueDivisor180 = BuildDivisionTable(180.0 * (1 << HsvShift), 6.0);

    /// <summary>
    /// HSV of one pixel as <c>cv2.COLOR_RGB2HSV</c> computes it for 8-bit input. <c>V = max(R, G, B)</c> (0..255);
    /// with <c>d = V - min(R, G, B)</c>, <c>S = (d * round(255 * 2^12 / V) + 2^11) &gt;&gt; 12</c> (0..255, 0 when V = 0);
    /// hue before scaling is <c>G - B</c> if V = R, else <c>B - R + 2d</c> if V = G, else <c>R - G + 4d</c>, then
    /// <c>H = (hue * round(180 * 2^12 / (6 d)) + 2^11) &gt;&gt; 12</c>, plus 180 when negative: H in 0..179 (degrees / 2),
    /// 0 for greys. Integer-only, so OpenCV's vector and scalar paths agree.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RgbToHsv(byte r, byte g, byte b, out byte h, out byte s, out byte v)
    {
        int max = Math.Max(Math.Max(r, g), b);
        int min = Math.Min(Math.Min(r, g), b);
        int diff = max - min;
        int sat = (diff * SaturationDivisor[max] + (1 << (HsvShift - 1))) >> HsvShift;
        int hue;
        if (max == r)
        {
            hue = g - b;
        }
        else if (max == g)
        {
            hue = b - r + 2 * diff;
        }
        else
        {
            hue = r - g + 4 * diff;
        }

        hue = (hue * HueDivisor180[diff] + (1 << (HsvShift - 1))) >> HsvShift;
        if (hue < 0)
        {
            hue += 180;
        }

        h = Saturate(hue);
        s = (byte)sat;
        v = (byte)max;
    }

    /// <summary>Converts as <c>cv2.cvtColor(x, cv2.COLOR_RGB2HSV)</c>; channels H (0..179), S, V (0..255).</summary>
    public static ThreeChannelImage RgbToHsv(RgbImage src) => Interleaved<HsvConverter>(src, HsvChannels);

    /// <summary>Converts as <c>cv2.COLOR_RGB2HSV</c> into three planes of the size of <paramref name="src"/>.</summary>
    public static void RgbToHsv(RgbImage src, GrayImage h, GrayImage s, GrayImage v) => Planar<HsvConverter>(src, h, s, v);

    private static int[] BuildDivisionTable(double numerator, double denominatorScale)
    {
        var table = new int[256];
        for (int i = 1; i < 256; i++)
        {
            table[i] = (int)Math.Round(numerator / (denominatorScale * i), MidpointRounding.ToEven);
        }

        return table;
    }

    /// <summary>
    /// RGB of one 8-bit HSV pixel as <c>cv2.COLOR_HSV2RGB</c> computes it in OpenCV 4.6's vector kernel (the path taken
    /// for all but the last <c>width mod 32</c> pixels of a row; see <see cref="HsvToRgbScalarTail"/>). Input ranges:
    /// H in OpenCV's half-degree units (0..179 is one turn; 180..255 wrap around), S and V 0..255. Single precision:
    /// <c>s = S * (1f/255)</c>, <c>v = V * (1f/255)</c>, <c>h = H * (6f/180)</c>, sector <c>k = trunc(h) mod 6</c>,
    /// <c>f = h - trunc(h)</c>; the three outputs are chosen from <c>v</c>, <c>v (1 - s)</c>, <c>v fma(-s, f, 1)</c>,
    /// <c>v fma(-s, 1 - f, 1)</c> by sector as in OpenCV (the fused forms are what its AVX2 build computes), each
    /// multiplied by 255 and truncated toward zero (the kernel's <c>v_trunc</c>). Output R, G, B 0..255. Checked over
    /// all 2^24 byte triples.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void HsvToRgb(byte h, byte s, byte v, out byte r, out byte g, out byte b)
    {
        HsvToRgbFloat(h, s, v, fusedTab3: true, out float rf, out float gf, out float bf);
        r = (byte)(int)(rf * 255f);
        g = (byte)(int)(gf * 255f);
        b = (byte)(int)(bf * 255f);
    }

    /// <summary>
    /// RGB of one 8-bit HSV pixel as OpenCV's scalar loop computes <c>cv2.COLOR_HSV2RGB</c>, used for the last
    /// <c>width mod 32</c> pixels of every row. The same single-precision values as
    /// <see cref="HsvToRgb(byte, byte, byte, out byte, out byte, out byte)"/> except that <c>v (1 - s (1 - f))</c> is
    /// not fused, and each channel times 255 is rounded half to even (<c>saturate_cast&lt;uchar&gt;</c>) instead of
    /// truncated, so results differ by at most 1. Checked over all 2^24 byte triples.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void HsvToRgbScalarTail(byte h, byte s, byte v, out byte r, out byte g, out byte b)
    {
        HsvToRgbFloat(h, s, v, fusedTab3: false, out float rf, out float gf, out float bf);
        r = RoundToByte(rf * 255f);
        g = RoundToByte(gf * 255f);
        b = RoundToByte(bf * 255f);
    }

    /// <summary>
    /// Converts as <c>cv2.cvtColor(x, cv2.COLOR_HSV2RGB)</c> for an 8-bit H, S, V image (H 0..179, S and V 0..255, e.g.
    /// from <see cref="RgbToHsv(RgbImage)"/>). Reproduces OpenCV's position dependence: the last <c>width mod 32</c>
    /// pixels of each row use <see cref="HsvToRgbScalarTail"/>, all others
    /// <see cref="HsvToRgb(byte, byte, byte, out byte, out byte, out byte)"/>.
    /// </summary>
    public static RgbImage HsvToRgb(ThreeChannelImage hsv)
    {
        ArgumentNullException.ThrowIfNull(hsv);
        var dst = new RgbImage(hsv.Width, hsv.Height);
        int width = hsv.Width;
        int vectorEnd = width - width % HsvToRgbVectorPixels;
        byte[] s = hsv.Pixels;
        byte[] d = dst.Pixels;
        int j = 0;
        for (int y = 0; y < hsv.Height; y++)
        {
            for (int x = 0; x < width; x++, j += 3)
            {
                if (x < vectorEnd)
                {
                    HsvToRgb(s[j], s[j + 1], s[j + 2], out d[j], out d[j + 1], out d[j + 2]);
                }
                else
                {
                    HsvToRgbScalarTail(s[j], s[j + 1], s[j + 2], out d[j], out d[j + 1], out d[j + 2]);
                }
            }
        }

        return dst;
    }

    // The float core of HSV2RGB_simd / HSV2RGB_native. The sector and fraction agree for every byte input (fmod by 6 and
    // trunc-then-mod-6 are exact here); the builds differ in which products GCC fused: v (1 - s f) is fused in both,
    // v (1 - s (1 - f)) only in the vector kernel. Found by comparing all 2^24 inputs with cv2 on both paths.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HsvToRgbFloat(byte hb, byte sb, byte vb, bool fusedTab3, out float r, out float g, out float b)
    {
        float s = sb * InverseOf255;
        float v = vb * InverseOf255;
        float h = hb * HsvHueScale;
        float whole = MathF.Truncate(h);
        float f = h - whole;
        int sector = (int)whole % 6;
        float tab0 = v;
        float tab1 = v * (1f - s);
        float tab2 = v * MathF.FusedMultiplyAdd(-s, f, 1f);
        float tab3 = fusedTab3 ? v * MathF.FusedMultiplyAdd(-s, 1f - f, 1f) : v * (1f - s * (1f - f));
        switch (sector)
        {
            case 0: b = tab1; g = tab3; r = tab0; break;
            case 1: b = tab1; g = tab0; r = tab2; break;
            case 2: b = tab3; g = tab0; r = tab1; break;
            case 3: b = tab0; g = tab2; r = tab1; break;
            case 4: b = tab0; g = tab1; r = tab3; break;
            default: b = tab2; g = tab1; r = tab0; break;
        }
    }

    private readonly struct HsvConverter : IPixelConverter
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Convert(int x, int width, byte r, byte g, byte b, out byte c0, out byte c1, out byte c2)
            => RgbToHsv(r, g, b, out c0, out c1, out c2);
    }
}
