using Raabin.Features.Imaging;

namespace Raabin.Features.Segmentation;

/// <summary>
/// The reference segmenter's colour steps fused into one pass over the pixels (METHOD.md §2-3.3): gray-world balance,
/// then from the balanced pixel CMYK M and K, S of OpenCV's RGB→HLS_FULL, and
/// <c>x = a − min(a, K − min(K, M))</c> with <c>a = min(M, S)</c>, all in uint8 as the reference.
/// </summary>
/// <remarks>
/// Each per-pixel quantity comes from a table built once from the exact per-pixel functions: the balanced value from
/// <see cref="GrayWorldBalance.Scale"/>, M and K from <see cref="Cmyk"/>, and S, which depends only on the pixel's
/// maximum and minimum channel, from <see cref="ColorConversion.RgbToHlsFull(byte, byte, byte, out byte, out byte, out byte)"/>
/// for the vector body of each row and <see cref="ColorConversion.RgbToHlsFullScalarTail"/> for its last
/// <c>width mod 8</c> pixels, exactly where OpenCV uses each. Where AVX2 is available the body pixels go through an
/// eight-pixel vector form (NucleusChannel.Avx2.cs) that computes the same values; tests prove it equal to the tables
/// over the whole RGB cube.
/// </remarks>
internal static partial class NucleusChannel
{
    private const int HlsVectorLanes = 8;

    /// <summary>HLS_FULL S of OpenCV's vector kernel, indexed by <c>(max &lt;&lt; 8) | min</c> (entries with min &gt; max unused, 0).</summary>
    internal static readonly byte[] SaturationBody = BuildSaturation(scalarTail: false);

    /// <summary>HLS_FULL S of OpenCV's scalar tail loop, indexed like <see cref="SaturationBody"/>.</summary>
    internal static readonly byte[] SaturationTail = BuildSaturation(scalarTail: true);

    /// <summary>
    /// Balances <paramref name="image"/> into <paramref name="balanced"/> (same size) and writes the nucleus channel
    /// x of every balanced pixel into <paramref name="channel"/> (same size).
    /// </summary>
    public static void Compute(RgbImage image, RgbImage balanced, GrayImage channel)
    {
        GrayWorldBalance.ChannelSums(image.Pixels, out long sumR, out long sumG, out long sumB, out long sumGray);
        GrayWorldBalance.Scales(image.Pixels.Length / 3, sumR, sumG, sumB, sumGray, out double scaleR, out double scaleG, out double scaleB);
        Compute(image, scaleR, scaleG, scaleB, balanced, channel);
    }

    /// <summary>
    /// Like <see cref="Compute(RgbImage, RgbImage, GrayImage)"/> with given gray-world scale factors (channel value v
    /// becomes <see cref="GrayWorldBalance.Scale"/>(v, scale)). <paramref name="allowVector"/> false forces the
    /// table-driven scalar loop, the twin that tests compare the vector loop with; <paramref name="allowSingleBalance"/>
    /// false keeps the vector loop's balance in double precision even where single precision is proven equal.
    /// </summary>
    internal static unsafe void Compute(RgbImage image, double scaleR, double scaleG, double scaleB, RgbImage balanced, GrayImage channel,
        bool allowVector = true, bool allowSingleBalance = true)
    {
        Span<byte> lutR = stackalloc byte[256], lutG = stackalloc byte[256], lutB = stackalloc byte[256];
        GrayWorldBalance.FillTable(lutR, scaleR);
        GrayWorldBalance.FillTable(lutG, scaleG);
        GrayWorldBalance.FillTable(lutB, scaleB);
        bool vector = allowVector && CanVectorise(scaleR, scaleG, scaleB);
        bool single = vector && allowSingleBalance
            && SingleBalanceIsExact(scaleR, lutR) && SingleBalanceIsExact(scaleG, lutG) && SingleBalanceIsExact(scaleB, lutB);
        int width = image.Width;
        int bodyWidth = width - width % HlsVectorLanes;
        byte[] src = image.Pixels, dst = balanced.Pixels, x = channel.Pixels;
        if (dst.Length != src.Length || x.Length * 3 != src.Length)
        {
            throw new ArgumentException("The balanced image and the channel must have the size of the input.");
        }

        fixed (byte* source = src, destination = dst, output = x)
        {
            for (int y = 0; y < image.Height; y++)
            {
                int start = y * width;
                int done = !vector ? 0
                    : single ? BodyAvx2<SingleBalance>(source + (start * 3), destination + (start * 3), output + start, bodyWidth,
                        src.Length - (start * 3), scaleR, scaleG, scaleB)
                    : BodyAvx2<DoubleBalance>(source + (start * 3), destination + (start * 3), output + start, bodyWidth,
                        src.Length - (start * 3), scaleR, scaleG, scaleB);
                int from = start + done;
                int to = start + bodyWidth;
                Row(src.AsSpan(from * 3, (to - from) * 3), dst.AsSpan(from * 3, (to - from) * 3), x.AsSpan(from, to - from),
                    lutR, lutG, lutB, SaturationBody);
                from = to;
                to = start + width;
                Row(src.AsSpan(from * 3, (to - from) * 3), dst.AsSpan(from * 3, (to - from) * 3), x.AsSpan(from, to - from),
                    lutR, lutG, lutB, SaturationTail);
            }
        }
    }

    /// <summary>x of one balanced pixel, from the per-pixel functions (no tables); <paramref name="scalarTail"/> picks
    /// OpenCV's HLS path. The definition that <see cref="Compute(RgbImage, RgbImage, GrayImage)"/> must equal.</summary>
    internal static byte Value(byte r, byte g, byte b, bool scalarTail)
    {
        byte m = Cmyk.Magenta(r, g, b), k = Cmyk.Key(r, g, b);
        byte s;
        if (scalarTail)
        {
            ColorConversion.RgbToHlsFullScalarTail(r, g, b, out _, out _, out s);
        }
        else
        {
            ColorConversion.RgbToHlsFull(r, g, b, out _, out _, out s);
        }

        int a = Math.Min(m, s);
        int km = k - Math.Min(k, m);
        return (byte)(a - Math.Min(a, km));
    }

    // One stretch of a row (all of it in OpenCV's vector body, or all in its scalar tail). Pointers: this loop runs
    // over every pixel of every image and the span bounds checks cost as much as the work.
    private static unsafe void Row(ReadOnlySpan<byte> src, Span<byte> dst, Span<byte> x, ReadOnlySpan<byte> lutR, ReadOnlySpan<byte> lutG,
        ReadOnlySpan<byte> lutB, byte[] saturationTable)
    {
        int count = x.Length;
        if (src.Length < count * 3 || dst.Length < count * 3 || lutR.Length < 256 || lutG.Length < 256 || lutB.Length < 256)
        {
            throw new ArgumentException("Row buffers are shorter than the pixel count.");
        }

        fixed (byte* source = src, balanced = dst, channel = x, tableR = lutR, tableG = lutG, tableB = lutB)
        fixed (byte* magenta = Cmyk.MTable, key = Cmyk.KTable, saturation = saturationTable)
        {
            byte* s = source;
            byte* d = balanced;
            for (int p = 0; p < count; p++, s += 3, d += 3)
            {
                int r = tableR[s[0]], g = tableG[s[1]], b = tableB[s[2]];
                d[0] = (byte)r;
                d[1] = (byte)g;
                d[2] = (byte)b;
                int max = Math.Max(r, Math.Max(g, b));
                int min = Math.Min(r, Math.Min(g, b));
                int m = magenta[(max << 8) | g];
                int k = key[max];
                int sat = saturation[(max << 8) | min];

                // All in uint8 as the reference: a = min(M, S); km = K − min(K, M); x = a − min(a, km).
                int a = Math.Min(m, sat);
                int km = k - Math.Min(k, m);
                channel[p] = (byte)(a - Math.Min(a, km));
            }
        }
    }

    private static byte[] BuildSaturation(bool scalarTail)
    {
        var table = new byte[256 * 256];
        for (int max = 0; max < 256; max++)
        {
            for (int min = 0; min <= max; min++)
            {
                byte s;
                if (scalarTail)
                {
                    ColorConversion.RgbToHlsFullScalarTail((byte)max, (byte)min, (byte)min, out _, out _, out s);
                }
                else
                {
                    ColorConversion.RgbToHlsFull((byte)max, (byte)min, (byte)min, out _, out _, out s);
                }

                table[(max << 8) | min] = s;
            }
        }

        return table;
    }
}
