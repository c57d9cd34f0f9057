namespace Raabin.Features.Learning.Svm;

/// <summary>
/// A least-recently-used cache of kernel-matrix columns with LIBSVM's <c>Cache</c> semantics: column
/// <c>i</c> holds the first <c>length</c> entries of Q's column <c>i</c> as 32-bit floats (LIBSVM's
/// <c>Qfloat</c>), columns grow on demand, and the total is bounded by a byte budget from which LIBSVM's
/// per-column bookkeeping (32 bytes a column) is deducted first. The budget never drops below two full columns.
/// </summary>
/// <remarks>
/// What is cached never changes a result (a recomputed column is bit-identical); the cache only saves time.
/// </remarks>
internal sealed class KernelCache
{
    // LIBSVM charges sizeof(head_t) = 32 bytes per column on 64-bit machines against the budget.
    private const long HeaderBytesPerColumn = 32;

    private readonly float[]?[] columns;
    private readonly int[] lengths;

    // Circular doubly linked LRU list over column indices; index `count` is the sentinel head.
    private readonly int[] previous;
    private readonly int[] next;
    private readonly int sentinel;
    private long freeFloats;

    /// <summary>Creates an empty cache for <paramref name="count"/> columns.</summary>
    /// <param name="count">Number of columns (and the full column length).</param>
    /// <param name="sizeBytes">Memory budget in bytes.</param>
    public KernelCache(int count, long sizeBytes)
    {
        columns = new float[]?[count];
        lengths = new int[count];
        previous = new int[count + 1];
        next = new int[count + 1];
        sentinel = count;
        previous[sentinel] = sentinel;
        next[sentinel] = sentinel;
        freeFloats = sizeBytes / sizeof(float);
        freeFloats -= count * HeaderBytesPerColumn / sizeof(float);
        freeFloats = Math.Max(freeFloats, 2L * count);
    }

    /// <summary>Floats still available before the least recently used columns are dropped.</summary>
    public long FreeFloats => freeFloats;

    /// <summary>
    /// Returns column <paramref name="index"/> with room for at least <paramref name="length"/> entries and marks it
    /// most recently used.
    /// </summary>
    /// <param name="index">Column index.</param>
    /// <param name="length">Entries wanted, <c>[0, length)</c>.</param>
    /// <param name="data">The column buffer.</param>
    /// <returns>The first position that still has to be filled (≥ <paramref name="length"/> when none).</returns>
    public int GetColumn(int index, int length, out float[] data)
    {
        int cachedLength = lengths[index];
        if (cachedLength > 0)
        {
            Unlink(index);
        }

        int more = length - cachedLength;
        int fillFrom = length;
        if (more > 0)
        {
            while (freeFloats < more)
            {
                int oldest = next[sentinel];
                Unlink(oldest);
                freeFloats += lengths[oldest];
                columns[oldest] = null;
                lengths[oldest] = 0;
            }

            // Entries past the copied prefix are always computed before they are read.
            float[] grown = GC.AllocateUninitializedArray<float>(length);
            if (cachedLength > 0)
            {
                Array.Copy(columns[index]!, grown, cachedLength);
            }

            columns[index] = grown;
            freeFloats -= more;
            lengths[index] = length;
            fillFrom = cachedLength;
        }

        InsertLast(index);
        data = columns[index]!;
        return fillFrom;
    }

    /// <summary>
    /// Follows a swap of positions <paramref name="i"/> and <paramref name="j"/> in the problem: swaps the two columns
    /// and the two entries inside every cached column; a column long enough to hold entry <c>min(i,j)</c> but not
    /// <c>max(i,j)</c> is dropped, as LIBSVM does.
    /// </summary>
    public void SwapIndex(int i, int j)
    {
        if (i == j)
        {
            return;
        }

        if (lengths[i] > 0)
        {
            Unlink(i);
        }

        if (lengths[j] > 0)
        {
            Unlink(j);
        }

        (columns[i], columns[j]) = (columns[j], columns[i]);
        (lengths[i], lengths[j]) = (lengths[j], lengths[i]);
        if (lengths[i] > 0)
        {
            InsertLast(i);
        }

        if (lengths[j] > 0)
        {
            InsertLast(j);
        }

        if (i > j)
        {
            (i, j) = (j, i);
        }

        int h = next[sentinel];
        while (h != sentinel)
        {
            int following = next[h];
            if (lengths[h] > i)
            {
                if (lengths[h] > j)
                {
                    float[] column = columns[h]!;
                    (column[i], column[j]) = (column[j], column[i]);
                }
                else
                {
                    Unlink(h);
                    freeFloats += lengths[h];
                    columns[h] = null;
                    lengths[h] = 0;
                }
            }

            h = following;
        }
    }

    private void Unlink(int h)
    {
        next[previous[h]] = next[h];
        previous[next[h]] = previous[h];
    }

    private void InsertLast(int h)
    {
        next[h] = sentinel;
        previous[h] = previous[sentinel];
        next[previous[h]] = h;
        previous[sentinel] = h;
    }
}
