using System.Buffers;
using Raabin.Features.Imaging;

namespace Raabin.Features.Segmentation.Thresholding;

/// <summary>
/// Multi-level Otsu thresholds with the exact semantics of scikit-image 0.19.3
/// <c>skimage.filters.threshold_multiotsu(image, classes)</c> on 8-bit (integer) images.
/// </summary>
/// <remarks>
/// <para>How scikit-image computes them, reproduced here step by step:</para>
/// <list type="number">
/// <item>Histogram with one bin per integer value from the image minimum to its maximum
/// (<c>exposure.histogram(..., source_range='image')</c>).</item>
/// <item>Probabilities <c>count / total</c> divided in double precision, then rounded to single precision.</item>
/// <item>If fewer distinct values than classes: error (here <see cref="TryThresholds(GrayImage,int,out int[])"/>
/// returns false). If exactly as many: the thresholds are the distinct values except the largest.</item>
/// <item>Otherwise a lookup table of between-class terms <c>S(i..j)² / P(i..j)</c> in single precision
/// (Liao, Chen &amp; Chung, J. Inf. Sci. Eng. 17(5), 2001), built as scikit-image's Cython code builds it,
/// including its two quirks: the cumulative first moment starts at <c>prob[0]</c> instead of 0, and the entry
/// for the class made of the first bin alone is left at 0.</item>
/// <item>Brute-force search over all threshold tuples in lexicographic order, summing the class terms in single
/// precision; a tuple replaces the best only when strictly greater, so ties go to the first (lowest) tuple.</item>
/// <item>Each threshold is the grey value of its bin (<c>bin_centers[index]</c>); the search treats it as the last
/// value of the lower class.</item>
/// </list>
/// <para>A constant image (or any image with fewer distinct values than classes) has no thresholds: scikit-image
/// raises <c>ValueError</c>; <see cref="Thresholds(GrayImage,int)"/> throws <see cref="ArgumentException"/> with
/// the same message and <see cref="TryThresholds(GrayImage,int,out int[])"/> returns false, so a caller can fall
/// back to another channel as the reference segmentation does.</para>
/// </remarks>
public static class MultiOtsu
{
    private const int PartialHistograms = 8;

    /// <summary>The <paramref name="classes"/> − 1 thresholds of <paramref name="image"/>, ascending, as grey levels.</summary>
    /// <param name="image">An 8-bit image (every pixel counts).</param>
    /// <param name="classes">Number of classes, at least 2 (the search costs about bins^(classes−1)).</param>
    /// <returns>Thresholds in 0..255.</returns>
    /// <exception cref="ArgumentException">The image has fewer distinct values than <paramref name="classes"/>.</exception>
    public static int[] Thresholds(GrayImage image, int classes)
    {
        ArgumentNullException.ThrowIfNull(image);
        Span<long> histogram = stackalloc long[256];
        Histogram(image, histogram, out int min, out int max);
        return Thresholds(histogram[min..(max + 1)], min, classes);
    }

    /// <summary>Like <see cref="Thresholds(GrayImage,int)"/>, but returns false instead of throwing when the image has
    /// fewer distinct values than <paramref name="classes"/>.</summary>
    /// <param name="image">An 8-bit image.</param>
    /// <param name="classes">Number of classes, at least 2.</param>
    /// <param name="thresholds">The thresholds, or an empty array when there are none.</param>
    /// <returns>Whether thresholds exist.</returns>
    public static bool TryThresholds(GrayImage image, int classes, out int[] thresholds)
    {
        ArgumentNullException.ThrowIfNull(image);
        Span<long> histogram = stackalloc long[256];
        Histogram(image, histogram, out int min, out int max);
        return TryThresholds(histogram[min..(max + 1)], min, classes, out thresholds);
    }

    /// <summary>
    /// The thresholds of the image whose histogram is <paramref name="counts"/>: <c>counts[i]</c> pixels have value
    /// <c>firstValue + i</c>. Same result as <c>threshold_multiotsu</c> on such an image (empty bins at either end are
    /// trimmed, as the image's own min..max histogram would not have them). Note that this is the image path of
    /// scikit-image, with probabilities; its <c>hist=</c> argument path works on raw counts and can differ.
    /// </summary>
    /// <param name="counts">Pixel counts per consecutive integer value, none negative.</param>
    /// <param name="firstValue">The value of <c>counts[0]</c>.</param>
    /// <param name="classes">Number of classes, at least 2.</param>
    /// <returns>Thresholds as values (<c>firstValue + bin index</c>), ascending.</returns>
    /// <exception cref="ArgumentException">Fewer nonzero bins than <paramref name="classes"/>.</exception>
    public static int[] Thresholds(ReadOnlySpan<long> counts, int firstValue, int classes)
    {
        if (!TryThresholds(counts, firstValue, classes, out int[] thresholds, out int distinct))
        {
            throw new ArgumentException(
                $"The input image has only {distinct} different values. It cannot be thresholded in {classes} classes.",
                nameof(counts));
        }

        return thresholds;
    }

    /// <summary>Like <see cref="Thresholds(ReadOnlySpan{long},int,int)"/>, but returns false instead of throwing when
    /// there are fewer nonzero bins than <paramref name="classes"/>.</summary>
    /// <param name="counts">Pixel counts per consecutive integer value, none negative.</param>
    /// <param name="firstValue">The value of <c>counts[0]</c>.</param>
    /// <param name="classes">Number of classes, at least 2.</param>
    /// <param name="thresholds">The thresholds, or an empty array when there are none.</param>
    /// <returns>Whether thresholds exist.</returns>
    public static bool TryThresholds(ReadOnlySpan<long> counts, int firstValue, int classes, out int[] thresholds) =>
        TryThresholds(counts, firstValue, classes, out thresholds, out _);

    /// <summary>Like <see cref="TryThresholds(ReadOnlySpan{long},int,int,out int[])"/> but always through the full
    /// between-class table and tuple search, also for two classes (the twin that tests compare the shortcut with).</summary>
    internal static bool TryThresholdsByTable(ReadOnlySpan<long> counts, int firstValue, int classes, out int[] thresholds) =>
        TryThresholds(counts, firstValue, classes, out thresholds, out _, twoClassShortcut: false);

    private static bool TryThresholds(ReadOnlySpan<long> counts, int firstValue, int classes, out int[] thresholds, out int distinct,
        bool twoClassShortcut = true)
    {
        if (classes < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "Multi-Otsu needs at least 2 classes.");
        }

        long total = 0;
        distinct = 0;
        int start = -1, end = -1;
        for (int i = 0; i < counts.Length; i++)
        {
            long count = counts[i];
            if (count < 0)
            {
                throw new ArgumentException($"Histogram bin {i} has a negative count ({count}).", nameof(counts));
            }

            if (count > 0)
            {
                total += count;
                distinct++;
                if (start < 0)
                {
                    start = i;
                }

                end = i;
            }
        }

        if (distinct < classes)
        {
            thresholds = [];
            return false;
        }

        ReadOnlySpan<long> trimmed = counts[start..(end + 1)];
        int offset = firstValue + start;
        int bins = trimmed.Length;
        var probability = new float[bins];
        double totalAsDouble = total;
        for (int i = 0; i < bins; i++)
        {
            probability[i] = (float)(trimmed[i] / totalAsDouble);
        }

        thresholds = new int[classes - 1];
        if (distinct == classes)
        {
            // Every value is its own class: thresholds at all distinct values but the largest.
            int k = 0;
            for (int i = 0; i < bins && k < thresholds.Length; i++)
            {
                if (probability[i] > 0)
                {
                    thresholds[k++] = offset + i;
                }
            }

            return true;
        }

        if (classes == 2 && twoClassShortcut)
        {
            thresholds[0] = offset + TwoClassBestIndex(probability);
            return true;
        }

        // The table has bins·(bins+1)/2 entries (up to 33 K floats): rented, so repeated calls stay off the
        // large-object heap.
        int tableLength = bins * (bins + 1) / 2;
        float[] table = ArrayPool<float>.Shared.Rent(tableLength);
        try
        {
            BetweenClassTable(probability, table.AsSpan(0, tableLength));
            var current = new int[classes - 1];
            var best = new int[classes - 1];
            Search(table, bins, 0, 0, classes - 1, 0f, current, best);
            for (int k = 0; k < best.Length; k++)
            {
                thresholds[k] = offset + best[k];
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(table);
        }

        return true;
    }

    private static void Histogram(GrayImage image, Span<long> histogram, out int min, out int max)
    {
        // Eight interleaved partial histograms, so that runs of equal values do not wait on one counter.
        Span<int> partial = stackalloc int[PartialHistograms * 256];
        partial.Clear();
        CountValues(image.Pixels, partial);
        for (int v = 0; v < 256; v++)
        {
            long total = 0;
            for (int k = 0; k < PartialHistograms; k++)
            {
                total += partial[(k * 256) + v];
            }

            histogram[v] = total;
        }

        min = 0;
        while (histogram[min] == 0)
        {
            min++;
        }

        max = 255;
        while (histogram[max] == 0)
        {
            max--;
        }
    }

    // The upper-triangular table H[i, j] = S(i..j)² / P(i..j), stored row by row (row i holds j = i..bins-1),
    // in single precision exactly as scikit-image's _set_var_btwcls_lut builds it.
    private static void BetweenClassTable(float[] probability, Span<float> table)
    {
        int bins = probability.Length;
        table.Clear(); // entries whose class is empty stay 0, as in scikit-image
        var zeroth = new float[bins];
        var first = new float[bins];
        zeroth[0] = probability[0];
        first[0] = probability[0]; // scikit-image's value (0 · prob[0] would be 0); kept for identical results
        for (int i = 1; i < bins; i++)
        {
            zeroth[i] = zeroth[i - 1] + probability[i];
            first[i] = first[i - 1] + (float)i * probability[i];
            if (zeroth[i] > 0)
            {
                table[i] = first[i] * first[i] / zeroth[i];
            }
        }

        // table[0] (the first bin alone) stays 0, as in scikit-image.
        int index = bins;
        for (int i = 1; i < bins; i++)
        {
            for (int j = i; j < bins; j++)
            {
                float zeroth_ij = zeroth[j] - zeroth[i - 1];
                if (zeroth_ij > 0)
                {
                    float first_ij = first[j] - first[i - 1];
                    table[index] = first_ij * first_ij / zeroth_ij;
                }

                index++;
            }
        }
    }

    // Pointers: this runs over every pixel of every image, and span bounds checks would double its cost.
    private static unsafe void CountValues(ReadOnlySpan<byte> pixels, Span<int> partial)
    {
        if (partial.Length < PartialHistograms * 256)
        {
            throw new ArgumentException("Need eight histograms of 256 bins.", nameof(partial));
        }

        fixed (byte* start = pixels)
        fixed (int* counts = partial)
        {
            byte* p = start;
            byte* end = start + pixels.Length;
            for (; p + 8 <= end; p += 8)
            {
                counts[p[0]]++;
                counts[256 + p[1]]++;
                counts[512 + p[2]]++;
                counts[768 + p[3]]++;
                counts[1024 + p[4]]++;
                counts[1280 + p[5]]++;
                counts[1536 + p[6]]++;
                counts[1792 + p[7]]++;
            }

            for (; p < end; p++)
            {
                counts[*p]++;
            }
        }
    }

    // The 2-class search of the table path computes only the table's first row (class 0..j) and last column
    // (class i..end): the same entries with the same single-precision operations, summed and compared in the same
    // order, so the same index wins. O(bins) instead of O(bins²).
    private static int TwoClassBestIndex(float[] probability)
    {
        int bins = probability.Length;
        var zeroth = new float[bins];
        var first = new float[bins];
        zeroth[0] = probability[0];
        first[0] = probability[0]; // scikit-image's quirk, as in BetweenClassTable
        for (int i = 1; i < bins; i++)
        {
            zeroth[i] = zeroth[i - 1] + probability[i];
            first[i] = first[i - 1] + (float)i * probability[i];
        }

        int last = bins - 1;
        float best = 0f;
        int bestIndex = 0;
        for (int index = 0; index < last; index++)
        {
            // Row 0 of the table: entry 0 stays 0 (scikit-image), others S(0..j)² / P(0..j) when P > 0.
            float lower = 0f;
            if (index > 0 && zeroth[index] > 0)
            {
                lower = first[index] * first[index] / zeroth[index];
            }

            // Last column of the table, row index + 1: S(i..end)² / P(i..end) when P > 0.
            float upper = 0f;
            float zerothUpper = zeroth[last] - zeroth[index];
            if (zerothUpper > 0)
            {
                float firstUpper = first[last] - first[index];
                upper = firstUpper * firstUpper / zerothUpper;
            }

            float sigma = lower + upper;
            if (sigma > best)
            {
                best = sigma;
                bestIndex = index;
            }
        }

        return bestIndex;
    }

    private static float TableAt(float[] table, int i, int j, int bins) => table[i * (2 * bins - i + 1) / 2 + j - i];

    // Depth-first enumeration of threshold tuples in scikit-image's order; returns the best sum so far.
    private static float Search(float[] table, int bins, int histogramIndex, int thresholdIndex, int thresholdCount,
        float best, int[] current, int[] bestIndices)
    {
        if (thresholdIndex < thresholdCount)
        {
            for (int index = histogramIndex; index < bins - thresholdCount + thresholdIndex; index++)
            {
                current[thresholdIndex] = index;
                best = Search(table, bins, index + 1, thresholdIndex + 1, thresholdCount, best, current, bestIndices);
            }

            return best;
        }

        float sigma = TableAt(table, 0, current[0], bins) + TableAt(table, current[thresholdCount - 1] + 1, bins - 1, bins);
        for (int k = 0; k < thresholdCount - 1; k++)
        {
            sigma += TableAt(table, current[k] + 1, current[k + 1], bins);
        }

        if (sigma > best)
        {
            best = sigma;
            current.CopyTo(bestIndices, 0);
        }

        return best;
    }
}
