using Raabin.Features.Imaging;

namespace Raabin.Features.Segmentation;

/// <summary>
/// RGB→CMYK as the reference code computes it (pyhdust <c>rgb2cmyk</c>, METHOD.md §3.1), in double precision:
/// r, g, b = channel / 255; K = 1 − max(r, g, b); C = (1 − r − K) / (1 − K), M = (1 − g − K) / (1 − K),
/// Y = (1 − b − K) / (1 − K); each multiplied by 255 and stored as a byte by truncation. For pure black (K = 1) the
/// divisions are 0/0 = NaN, which the reference's cast stores as 0; so do we. M depends only on G and max(R, G, B), and
/// K only on the maximum, so both are tabulated once.
/// </summary>
public static class Cmyk
{
    // K by the pixel maximum; M by (maximum << 8) | G (entries with G above the maximum are unused and 0).
    internal static readonly byte[] KTable = BuildK();
    internal static readonly byte[] MTable = BuildM();

    /// <summary>K (0..255) of an RGB pixel.</summary>
    public static byte Key(byte r, byte g, byte b) => KTable[Math.Max(r, Math.Max(g, b))];

    /// <summary>M (0..255) of an RGB pixel.</summary>
    public static byte Magenta(byte r, byte g, byte b) => MTable[(Math.Max(r, Math.Max(g, b)) << 8) | g];

    /// <summary>One CMY component (C from R, M from G, Y from B) given that channel and the pixel's maximum channel.</summary>
    public static byte Component(byte channel, byte max)
    {
        double k = 1 - (max / 255.0);
        double c = channel / 255.0;
        double v = (1 - c - k) / (1 - k) * 255;
        return ToByte(v);
    }

    /// <summary>The M and K planes of an RGB image.</summary>
    public static void MagentaAndKey(RgbImage image, GrayImage magenta, GrayImage key)
    {
        byte[] src = image.Pixels;
        byte[] m = magenta.Pixels;
        byte[] k = key.Pixels;
        for (int i = 0, p = 0; p < m.Length; i += 3, p++)
        {
            byte r = src[i], g = src[i + 1], b = src[i + 2];
            int max = Math.Max(r, Math.Max(g, b));
            m[p] = MTable[(max << 8) | g];
            k[p] = KTable[max];
        }
    }

    private static byte ToByte(double v) => double.IsNaN(v) || v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)v;

    private static byte[] BuildK()
    {
        var t = new byte[256];
        for (int max = 0; max < 256; max++)
        {
            t[max] = ToByte((1 - (max / 255.0)) * 255);
        }

        return t;
    }

    private static byte[] BuildM()
    {
        var t = new byte[256 * 256];
        for (int max = 0; max < 256; max++)
        {
            for (int g = 0; g <= max; g++)
            {
                t[(max << 8) | g] = Component((byte)g, (byte)max);
            }
        }

        return t;
    }
}
