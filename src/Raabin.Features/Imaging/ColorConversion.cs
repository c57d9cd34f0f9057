using System.Runtime.CompilerServices;

namespace Raabin.Features.Imaging;

/// <summary>
/// 8-bit colour conversions that reproduce OpenCV 4.6's <c>cv2.cvtColor</c> byte for byte (checked over all
/// 16,777,216 RGB values against Debian's python3-opencv 4.6.0). Input is always <see cref="RgbImage"/>
/// (R, G, B order, i.e. OpenCV's <c>COLOR_RGB2*</c> codes). Every conversion comes in three forms: a per-pixel
/// function, an interleaved <see cref="ThreeChannelImage"/> result and a form writing three <see cref="GrayImage"/>
/// planes (convenient for per-channel statistics over masks).
/// </summary>
/// <remarks>
/// OpenCV's 8-bit arithmetic is reproduced exactly: fixed-point integer formulas where OpenCV uses them (grey,
/// YCrCb, HSV, L*a*b*), IEEE single-precision float with the same operation order, fused multiply-adds and
/// round-half-to-even where OpenCV goes through float (HLS). <c>CV_DESCALE(x, n)</c> below means
/// <c>(x + 2^(n-1)) &gt;&gt; n</c> with an arithmetic shift; <c>saturate</c> clamps to 0..255.
/// </remarks>
public static partial class ColorConversion
{
    // OpenCV's BT.601 luma weights. RGB2GRAY uses 15-bit fixed point (color_rgb: RY15, GY15, BY15, gray_shift);
    // YCrCb uses 14-bit ones (color.hpp: R2Y, G2Y, B2Y, yuv_shift).
    private const int GrayShift = 15;
    private const int R2Gray = 9798;    // round(0.299 * 32768)
    private const int G2Gray = 19235;   // round(0.587 * 32768)
    private const int B2Gray = 3735;    // 0.114 * 32768 = 3735.5, rounded down so that the three sum to 2^15
    private const int YuvShift = 14;
    private const int R2Y = 4899;   // round(0.299 * 16384)
    private const int G2Y = 9617;   // round(0.587 * 16384)
    private const int B2Y = 1868;   // round(0.114 * 16384)
    private const int CrScale = 11682; // round(0.713 * 16384)
    private const int CbScale = 9241;  // round(0.564 * 16384)

    /// <summary>Channel names of <see cref="RgbToHsv(RgbImage)"/>.</summary>
    public static readonly IReadOnlyList<string> HsvChannels = ["H", "S", "V"];

    /// <summary>Channel names of <see cref="RgbToHlsFull(RgbImage)"/>.</summary>
    public static readonly IReadOnlyList<string> HlsChannels = ["H", "L", "S"];

    /// <summary>Channel names of <see cref="RgbToLab(RgbImage)"/>.</summary>
    public static readonly IReadOnlyList<string> LabChannels = ["L", "a", "b"];

    /// <summary>Channel names of <see cref="RgbToYCrCb(RgbImage)"/>.</summary>
    public static readonly IReadOnlyList<string> YCrCbChannels = ["Y", "Cr", "Cb"];

    /// <summary>Channel names of <see cref="RgbToBgr(RgbImage)"/>.</summary>
    public static readonly IReadOnlyList<string> BgrChannels = ["B", "G", "R"];

    // ------------------------------------------------------------------ grey

    /// <summary>
    /// Luma of one pixel as <c>cv2.COLOR_RGB2GRAY</c> computes it for 8-bit input:
    /// <c>Y = (9798 R + 19235 G + 3735 B + 16384) &gt;&gt; 15</c> (BT.601 weights 0.299, 0.587, 0.114 in 15-bit fixed
    /// point, result rounded half up). Range 0..255.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte RgbToGray(byte r, byte g, byte b)
        => (byte)((r * R2Gray + g * G2Gray + b * B2Gray + (1 << (GrayShift - 1))) >> GrayShift);

    /// <summary>Converts to grey as <c>cv2.cvtColor(x, cv2.COLOR_RGB2GRAY)</c> (see <see cref="RgbToGray(byte, byte, byte)"/>).</summary>
    public static GrayImage RgbToGray(RgbImage src)
    {
        ArgumentNullException.ThrowIfNull(src);
        var dst = new GrayImage(src.Width, src.Height);
        RgbToGray(src, dst);
        return dst;
    }

    /// <summary>Converts to grey into <paramref name="dst"/>, which must have the size of <paramref name="src"/>.</summary>
    public static void RgbToGray(RgbImage src, GrayImage dst)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(dst);
        RequireSameSize(src, dst.Width, dst.Height, nameof(dst));
        byte[] s = src.Pixels;
        byte[] d = dst.Pixels;
        for (int i = 0, j = 0; i < d.Length; i++, j += 3)
        {
            d[i] = RgbToGray(s[j], s[j + 1], s[j + 2]);
        }
    }

    // ------------------------------------------------------------------ YCrCb

    /// <summary>
    /// YCrCb of one pixel as <c>cv2.COLOR_RGB2YCrCb</c> computes it for 8-bit input (14-bit fixed point):
    /// <c>Y = CV_DESCALE(4899 R + 9617 G + 1868 B, 14)</c>,
    /// <c>Cr = saturate(CV_DESCALE((R - Y) * 11682 + 128 * 2^14, 14))</c>,
    /// <c>Cb = saturate(CV_DESCALE((B - Y) * 9241 + 128 * 2^14, 14))</c>. All three in 0..255; Cr, Cb offset by 128.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RgbToYCrCb(byte r, byte g, byte b, out byte y, out byte cr, out byte cb)
    {
        const int half = 1 << (YuvShift - 1);
        const int delta = 128 << YuvShift;
        int luma = (r * R2Y + g * G2Y + b * B2Y + half) >> YuvShift;
        y = (byte)luma;
        cr = Saturate(((r - luma) * CrScale + delta + half) >> YuvShift);
        cb = Saturate(((b - luma) * CbScale + delta + half) >> YuvShift);
    }

    /// <summary>Converts as <c>cv2.cvtColor(x, cv2.COLOR_RGB2YCrCb)</c>; channels Y, Cr, Cb (see the per-pixel overload).</summary>
    public static ThreeChannelImage RgbToYCrCb(RgbImage src) => Interleaved<YCrCbConverter>(src, YCrCbChannels);

    /// <summary>Converts as <c>cv2.COLOR_RGB2YCrCb</c> into three planes of the size of <paramref name="src"/>.</summary>
    public static void RgbToYCrCb(RgbImage src, GrayImage y, GrayImage cr, GrayImage cb) => Planar<YCrCbConverter>(src, y, cr, cb);

    // ------------------------------------------------------------------ channel order

    /// <summary>Reorders R, G, B to B, G, R (<c>cv2.COLOR_RGB2BGR</c>), e.g. to hand pixels to OpenCV-ordered code.</summary>
    public static ThreeChannelImage RgbToBgr(RgbImage src)
    {
        ArgumentNullException.ThrowIfNull(src);
        var dst = new ThreeChannelImage(src.Width, src.Height, BgrChannels);
        SwapRedBlue(src.Pixels, dst.Pixels);
        return dst;
    }

    /// <summary>Reorders B, G, R to R, G, B (<c>cv2.COLOR_BGR2RGB</c>).</summary>
    /// <param name="bgr">An image whose channels are B, G, R in that order.</param>
    public static RgbImage BgrToRgb(ThreeChannelImage bgr)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        var dst = new RgbImage(bgr.Width, bgr.Height);
        SwapRedBlue(bgr.Pixels, dst.Pixels);
        return dst;
    }

    /// <summary>
    /// Swaps the first and third byte of every 3-byte pixel (RGB ↔ BGR). <paramref name="source"/> and
    /// <paramref name="destination"/> may be the same buffer; otherwise they must not overlap.
    /// </summary>
    public static void SwapRedBlue(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length % 3 != 0)
        {
            throw new ArgumentException($"Interleaved 3-channel data must be a multiple of 3 bytes long, got {source.Length}.", nameof(source));
        }

        if (destination.Length < source.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes, need {source.Length}.", nameof(destination));
        }

        for (int i = 0; i < source.Length; i += 3)
        {
            byte first = source[i];
            byte third = source[i + 2];
            destination[i] = third;
            destination[i + 1] = source[i + 1];
            destination[i + 2] = first;
        }
    }

    // ------------------------------------------------------------------ shared loops

    /// <summary>A per-pixel conversion; <c>x</c> and <c>width</c> let a conversion follow OpenCV's position-dependent paths.</summary>
    private interface IPixelConverter
    {
        static abstract void Convert(int x, int width, byte r, byte g, byte b, out byte c0, out byte c1, out byte c2);
    }

    private static ThreeChannelImage Interleaved<TConverter>(RgbImage src, IReadOnlyList<string> names)
        where TConverter : IPixelConverter
    {
        ArgumentNullException.ThrowIfNull(src);
        var dst = new ThreeChannelImage(src.Width, src.Height, names);
        int width = src.Width;
        byte[] s = src.Pixels;
        byte[] d = dst.Pixels;
        int j = 0;
        for (int y = 0; y < src.Height; y++)
        {
            for (int x = 0; x < width; x++, j += 3)
            {
                TConverter.Convert(x, width, s[j], s[j + 1], s[j + 2], out d[j], out d[j + 1], out d[j + 2]);
            }
        }

        return dst;
    }

    private static void Planar<TConverter>(RgbImage src, GrayImage p0, GrayImage p1, GrayImage p2)
        where TConverter : IPixelConverter
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(p0);
        ArgumentNullException.ThrowIfNull(p1);
        ArgumentNullException.ThrowIfNull(p2);
        RequireSameSize(src, p0.Width, p0.Height, nameof(p0));
        RequireSameSize(src, p1.Width, p1.Height, nameof(p1));
        RequireSameSize(src, p2.Width, p2.Height, nameof(p2));
        int width = src.Width;
        byte[] s = src.Pixels;
        byte[] d0 = p0.Pixels, d1 = p1.Pixels, d2 = p2.Pixels;
        int i = 0;
        for (int y = 0; y < src.Height; y++)
        {
            for (int x = 0; x < width; x++, i++)
            {
                int j = i * 3;
                TConverter.Convert(x, width, s[j], s[j + 1], s[j + 2], out d0[i], out d1[i], out d2[i]);
            }
        }
    }

    private static void RequireSameSize(RgbImage src, int width, int height, string paramName)
    {
        if (width != src.Width || height != src.Height)
        {
            throw new ArgumentException($"Destination is {width}x{height}, source is {src.Width}x{src.Height}.", paramName);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Saturate(int value) => (byte)Math.Clamp(value, 0, 255);

    private readonly struct YCrCbConverter : IPixelConverter
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Convert(int x, int width, byte r, byte g, byte b, out byte c0, out byte c1, out byte c2)
            => RgbToYCrCb(r, g, b, out c0, out c1, out c2);
    }
}
