using Raabin.Features.Imaging;

namespace Raabin.Features.Datasets.Dedup;

/// <summary>
/// Resizes an 8-bit grey image the way Pillow 9.4 does for <c>Image.resize(size, Image.LANCZOS)</c> on an 'L' image
/// (the resampling the <c>imagehash</c> package uses), so that hashes can be compared with imagehash's bit for bit.
/// <para>
/// Pillow's arithmetic, reproduced step by step: a separable two-pass filter, horizontal pass first, then vertical.
/// For each output sample <c>i</c> of an axis scaled from <c>n</c> to <c>m</c> samples: <c>scale = n / m</c>,
/// <c>filterscale = max(scale, 1)</c>, support <c>3 · filterscale</c>, centre <c>(i + 0.5) · scale</c>; the window is
/// <c>[trunc(centre − support + 0.5), trunc(centre + support + 0.5))</c> clipped to the image (so the edges are not
/// padded: the weights of the remaining taps are renormalised); tap <c>j</c> weighs
/// <c>L((j − centre + 0.5) / filterscale)</c> with the Lanczos-3 kernel <c>L(x) = sinc(x) · sinc(x / 3)</c> for
/// <c>−3 ≤ x &lt; 3</c> (else 0); the weights are divided by their sum (in double) and then rounded half away from zero
/// to 22-bit fixed point. Each pass sums <c>pixel · weight</c> in 32-bit integers starting from <c>2^21</c>, shifts right
/// by 22 (arithmetic) and clamps to 0..255. An axis whose size does not change is not filtered.
/// </para>
/// </summary>
internal static class PillowLanczos
{
    /// <summary>Fixed-point precision of the weights: Pillow's <c>PRECISION_BITS = 32 − 8 − 2</c>.</summary>
    private const int PrecisionBits = 22;

    /// <summary>Half-width of the Lanczos kernel (Pillow's LANCZOS support).</summary>
    private const double Support = 3.0;

    /// <summary>Resizes <paramref name="source"/> to <paramref name="width"/> × <paramref name="height"/>.</summary>
    public static GrayImage Resize(GrayImage source, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (width < 1 || height < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Target size must be positive, got {width}x{height}.");
        }

        bool horizontal = width != source.Width;
        bool vertical = height != source.Height;
        if (!horizontal && !vertical)
        {
            return new GrayImage(width, height, (byte[])source.Pixels.Clone());
        }

        var columns = Weights.For(source.Width, width);
        var rows = Weights.For(source.Height, height);
        GrayImage current = source;
        int firstRow = 0;
        if (horizontal)
        {
            // Like Pillow, filter only the source rows the vertical pass will read.
            firstRow = rows.Start[0];
            int lastRow = rows.Start[height - 1] + rows.Count[height - 1];
            current = ResampleRows(source, columns, firstRow, lastRow - firstRow);
        }

        return vertical ? ResampleColumns(current, rows, firstRow) : current;
    }

    private static GrayImage ResampleRows(GrayImage source, Weights w, int firstRow, int rowCount)
    {
        int outWidth = w.Start.Length;
        var result = new GrayImage(outWidth, rowCount);
        byte[] src = source.Pixels;
        byte[] dst = result.Pixels;
        for (int y = 0; y < rowCount; y++)
        {
            int rowOffset = (y + firstRow) * source.Width;
            for (int x = 0; x < outWidth; x++)
            {
                int taps = w.Count[x];
                ReadOnlySpan<byte> pixels = src.AsSpan(rowOffset + w.Start[x], taps);
                ReadOnlySpan<int> weights = w.Fixed.AsSpan(x * w.Stride, taps);
                int sum = 1 << (PrecisionBits - 1);
                for (int t = 0; t < pixels.Length; t++)
                {
                    sum += pixels[t] * weights[t];
                }

                dst[y * outWidth + x] = Clip(sum);
            }
        }

        return result;
    }

    private static GrayImage ResampleColumns(GrayImage source, Weights w, int firstRow)
    {
        int outHeight = w.Start.Length;
        int width = source.Width;
        var result = new GrayImage(width, outHeight);
        byte[] src = source.Pixels;
        byte[] dst = result.Pixels;
        // Accumulate whole rows tap by tap (row-major reads); the integer sums equal Pillow's column-by-column ones.
        var sums = new int[width];
        for (int y = 0; y < outHeight; y++)
        {
            int start = w.Start[y] - firstRow;
            int taps = w.Count[y];
            ReadOnlySpan<int> weights = w.Fixed.AsSpan(y * w.Stride, taps);
            Span<int> acc = sums;
            acc.Fill(1 << (PrecisionBits - 1));
            for (int t = 0; t < weights.Length; t++)
            {
                int weight = weights[t];
                ReadOnlySpan<byte> row = src.AsSpan((start + t) * width, width);
                for (int x = 0; x < acc.Length && x < row.Length; x++)
                {
                    acc[x] += row[x] * weight;
                }
            }

            Span<byte> outRow = dst.AsSpan(y * width, width);
            for (int x = 0; x < outRow.Length && x < acc.Length; x++)
            {
                outRow[x] = Clip(acc[x]);
            }
        }

        return result;
    }

    private static byte Clip(int sum) => (byte)Math.Clamp(sum >> PrecisionBits, 0, 255);

    /// <summary>Lanczos-3 as Pillow evaluates it (<c>lanczos_filter</c>): defined on [−3, 3), zero elsewhere.</summary>
    internal static double Lanczos(double x) => x >= -Support && x < Support ? Sinc(x) * Sinc(x / 3) : 0.0;

    private static double Sinc(double x)
    {
        if (x == 0.0)
        {
            return 1.0;
        }

        x *= Math.PI;
        return Math.Sin(x) / x;
    }

    /// <summary>Per-output-sample windows and fixed-point weights of one axis (Pillow's <c>precompute_coeffs</c>).</summary>
    private sealed class Weights
    {
        private Weights(int[] start, int[] count, int[] weights, int stride)
        {
            Start = start;
            Count = count;
            Fixed = weights;
            Stride = stride;
        }

        /// <summary>First input sample of each output sample's window.</summary>
        public int[] Start { get; }

        /// <summary>Number of input samples in each window.</summary>
        public int[] Count { get; }

        /// <summary>Weights in 22-bit fixed point, <see cref="Stride"/> per output sample.</summary>
        public int[] Fixed { get; }

        public int Stride { get; }

        public static Weights For(int inSize, int outSize)
        {
            double scale = (double)inSize / outSize;
            double filterScale = Math.Max(scale, 1.0);
            double support = Support * filterScale;
            int stride = (int)Math.Ceiling(support) * 2 + 1;
            var start = new int[outSize];
            var count = new int[outSize];
            var weights = new int[outSize * stride];
            var k = new double[stride];
            double inverseScale = 1.0 / filterScale;
            for (int i = 0; i < outSize; i++)
            {
                double centre = (i + 0.5) * scale;
                // (int) truncates toward zero, as C's cast does; Pillow relies on that before clamping.
                int min = Math.Max((int)(centre - support + 0.5), 0);
                int max = Math.Min((int)(centre + support + 0.5), inSize) - min;
                double total = 0.0;
                for (int t = 0; t < max; t++)
                {
                    double w = Lanczos((t + min - centre + 0.5) * inverseScale);
                    k[t] = w;
                    total += w;
                }

                for (int t = 0; t < max; t++)
                {
                    double normalised = total != 0.0 ? k[t] / total : k[t];
                    double scaled = normalised * (1 << PrecisionBits);
                    weights[i * stride + t] = normalised < 0 ? (int)(-0.5 + scaled) : (int)(0.5 + scaled);
                }

                start[i] = min;
                count[i] = max;
            }

            return new Weights(start, count, weights, stride);
        }
    }
}
