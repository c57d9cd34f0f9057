using System.Runtime.CompilerServices;

namespace Raabin.Features.Imaging;

public static partial class ColorConversion
{
    private const int HsvShift = 12;

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

    private readonly struct HsvConverter : IPixelConverter
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Convert(int x, int width, byte r, byte g, byte b, out byte c0, out byte c1, out byte c2)
            => RgbToHsv(r, g, b, out c0, out c1, out c2);
    }
}
