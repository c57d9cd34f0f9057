using Raabin.Features.Learning.Svm;

namespace Raabin.Features.Tests.Learning.Svm;

public class KernelCacheTests
{
    // LIBSVM deducts 32 bytes (8 floats) of bookkeeping per column from the budget.
    private static long BytesForFloats(int count, long floats) => (floats + 8L * count) * sizeof(float);

    [Fact]
    public void Budget_is_bytes_less_bookkeeping_and_at_least_two_columns()
    {
        Assert.Equal(100, new KernelCache(10, BytesForFloats(10, 100)).FreeFloats);
        Assert.Equal(20, new KernelCache(10, 1).FreeFloats);
    }

    [Fact]
    public void A_column_is_filled_once_and_grows_on_demand()
    {
        var cache = new KernelCache(10, BytesForFloats(10, 100));
        Assert.Equal(0, cache.GetColumn(3, 4, out float[] column));
        column[0] = 42;
        Assert.Equal(4, cache.GetColumn(3, 4, out float[] again));
        Assert.Same(column, again);
        Assert.Equal(4, cache.GetColumn(3, 10, out float[] longer)); // entries [4, 10) still to fill
        Assert.Equal(42, longer[0]);
        Assert.Equal(90, cache.FreeFloats);
        Assert.Equal(2, cache.GetColumn(3, 2, out _)); // shorter request: nothing to fill (LIBSVM returns the requested length)
    }

    [Fact]
    public void The_least_recently_used_column_is_dropped_first()
    {
        var cache = new KernelCache(10, BytesForFloats(10, 20)); // room for two full columns
        cache.GetColumn(0, 10, out _);
        cache.GetColumn(1, 10, out _);
        cache.GetColumn(0, 10, out _); // 0 is now more recent than 1
        Assert.Equal(0, cache.GetColumn(2, 10, out _)); // evicts 1
        Assert.Equal(10, cache.GetColumn(0, 10, out _)); // 0 survived
        Assert.Equal(0, cache.GetColumn(1, 10, out _)); // 1 must be recomputed (and evicts 2)
        Assert.Equal(0, cache.GetColumn(2, 10, out _));
    }

    [Fact]
    public void Swapping_positions_swaps_columns_and_entries_and_drops_short_columns()
    {
        var cache = new KernelCache(6, BytesForFloats(6, 100));
        cache.GetColumn(0, 6, out float[] full);
        cache.GetColumn(1, 3, out float[] shortColumn);
        cache.GetColumn(4, 6, out float[] four);
        for (int k = 0; k < 6; k++)
        {
            full[k] = k;
            four[k] = 10 + k;
        }

        cache.SwapIndex(4, 2);

        // Column 4 moved to position 2, its entries 2 and 4 swapped like every long-enough column's.
        Assert.Equal(6, cache.GetColumn(2, 6, out float[] moved));
        Assert.Equal([10f, 11f, 14f, 13f, 12f, 15f], moved);
        Assert.Equal(6, cache.GetColumn(0, 6, out float[] zero));
        Assert.Equal([0f, 1f, 4f, 3f, 2f, 5f], zero);
        Assert.Equal(0, cache.GetColumn(4, 6, out _)); // position 4 had no column

        // Column 1 held [0, 3): it covers entry 2 but not 4, so it was dropped.
        Assert.Equal(0, cache.GetColumn(1, 3, out float[] recomputed));
        Assert.NotSame(shortColumn, recomputed);
    }
}
