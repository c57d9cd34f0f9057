using System.Runtime.CompilerServices;

namespace Raabin.Features.Imaging;

public static partial class ColorConversion
{
    // OpenCV's x86-64 build runs its AVX2 kernel, 8 float lanes wide, over whole groups of 8 pixels of each row and
    // a scalar loop over the remaining (width mod 8) pixels; the two round differently in rare cases, so the image
    // form reproduces both (blocks of 256 pixels are a multiple of 8 and change nothing).
    private const int HlsVectorLanes = 8;
    private const float HlsFullHueScale = 256f / 360f;   // RGB2HLS_f: hrange / 360.f, hrange = 256
    private const float InverseOf255 = 1f / 255f;
    private const float FloatEpsilon = 1.1920929E-07f;   // FLT_EPSILON

    /// <summary>
    /// HLS of one pixel as <c>cv2.COLOR_RGB2HLS_FULL</c> computes it for 8-bit input in OpenCV's vector kernel (the path
    /// taken for all but the last <c>width mod 8</c> pixels of a row; see <see cref="RgbToHlsFullScalarTail"/>). Single
    /// precision throughout: <c>r = R * (1f/255)</c> etc.; <c>L = (max + min) * 0.5</c>;
    /// <c>S = (max - min) / (L &lt; 0.5 ? max + min : 2 - (max + min))</c>; the hue in degrees is
    /// <c>fma(G - B, 60/d, B &gt; G ? 360 : 0)</c> if max = r, <c>fma(B - R, 60/d, 120)</c> if max = g, else
    /// <c>fma(R - G, 60/d, 240)</c>, times <c>256f/360</c>; H and S are 0 when <c>d = max - min</c> is not above
    /// FLT_EPSILON. Output bytes: <c>H = round(hue)</c>, <c>L = round(L * 255)</c>, <c>S = round(S * 255)</c>, rounded
    /// half to even and saturated: H 0..255 (a full turn is 256), L and S 0..255.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RgbToHlsFull(byte r, byte g, byte b, out byte h, out byte l, out byte s)
    {
        float rf = r * InverseOf255, gf = g * InverseOf255, bf = b * InverseOf255;
        float max = MathF.Max(MathF.Max(rf, gf), bf);
        float min = MathF.Min(MathF.Min(rf, gf), bf);
        float diff = max - min;
        float sum = max + min;
        float lightness = sum * 0.5f;
        float saturation = diff / (lightness < 0.5f ? sum : 2f - sum);
        float hueDelta, hueOffset;
        if (max == rf)
        {
            hueDelta = gf - bf;
            hueOffset = gf < bf ? 360f : 0f;
        }
        else if (max == gf)
        {
            hueDelta = bf - rf;
            hueOffset = 120f;
        }
        else
        {
            hueDelta = rf - gf;
            hueOffset = 240f;
        }

        float hue = MathF.FusedMultiplyAdd(hueDelta, 60f / diff, hueOffset) * HlsFullHueScale;
        if (!(diff > FloatEpsilon))
        {
            hue = 0f;
            saturation = 0f;
        }

        h = RoundToByte(hue);
        l = RoundToByte(lightness * 255f);
        s = RoundToByte(saturation * 255f);
    }

    /// <summary>
    /// HLS of one pixel as OpenCV's scalar loop computes <c>cv2.COLOR_RGB2HLS_FULL</c>, used for the last
    /// <c>width mod 8</c> pixels of every row. Same ranges as <see cref="RgbToHlsFull(byte, byte, byte, out byte, out byte, out byte)"/>;
    /// differs in operation order: <c>S = d / (2 - max - min)</c> evaluated left to right, the red-sector hue is
    /// <c>(G - B) * (60/d)</c> with 360 added afterwards when negative, and the other sectors use a fused
    /// multiply-add as GCC emits for <c>(B - R) * (60/d) + 120</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RgbToHlsFullScalarTail(byte r, byte g, byte b, out byte h, out byte l, out byte s)
    {
        float rf = r * InverseOf255, gf = g * InverseOf255, bf = b * InverseOf255;
        float max = rf, min = rf;
        if (max < gf) max = gf;
        if (max < bf) max = bf;
        if (min > gf) min = gf;
        if (min > bf) min = bf;
        float diff = max - min;
        float lightness = (max + min) * 0.5f;
        float hue = 0f, saturation = 0f;
        if (diff > FloatEpsilon)
        {
            saturation = lightness < 0.5f ? diff / (max + min) : diff / (2f - max - min);
            float scale = 60f / diff;
            if (max == rf)
            {
                hue = (gf - bf) * scale;
            }
            else if (max == gf)
            {
                hue = MathF.FusedMultiplyAdd(bf - rf, scale, 120f);
            }
            else
            {
                hue = MathF.FusedMultiplyAdd(rf - gf, scale, 240f);
            }

            if (hue < 0f)
            {
                hue += 360f;
            }
        }

        h = RoundToByte(hue * HlsFullHueScale);
        l = RoundToByte(lightness * 255f);
        s = RoundToByte(saturation * 255f);
    }

    /// <summary>
    /// Converts as <c>cv2.cvtColor(x, cv2.COLOR_RGB2HLS_FULL)</c>; channels H (0..255 for a full turn), L, S (0..255).
    /// Reproduces OpenCV's position dependence: the last <c>width mod 8</c> pixels of each row use
    /// <see cref="RgbToHlsFullScalarTail"/>, all others <see cref="RgbToHlsFull(byte, byte, byte, out byte, out byte, out byte)"/>.
    /// </summary>
    public static ThreeChannelImage RgbToHlsFull(RgbImage src) => Interleaved<HlsFullConverter>(src, HlsChannels);

    /// <summary>Converts as <c>cv2.COLOR_RGB2HLS_FULL</c> into three planes (H, L, S) of the size of <paramref name="src"/>.</summary>
    public static void RgbToHlsFull(RgbImage src, GrayImage h, GrayImage l, GrayImage s) => Planar<HlsFullConverter>(src, h, l, s);

    // saturate_cast<uchar>(float): round half to even (cvRound), then clamp to 0..255.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte RoundToByte(float value)
    {
        float rounded = MathF.Round(value, MidpointRounding.ToEven);
        return rounded <= 0f ? (byte)0 : rounded >= 255f ? (byte)255 : (byte)rounded;
    }

    private readonly struct HlsFullConverter : IPixelConverter
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Convert(int x, int width, byte r, byte g, byte b, out byte c0, out byte c1, out byte c2)
        {
            if (x < width - width % HlsVectorLanes)
            {
                RgbToHlsFull(r, g, b, out c0, out c1, out c2);
            }
            else
            {
                RgbToHlsFullScalarTail(r, g, b, out c0, out c1, out c2);
            }
        }
    }
}
