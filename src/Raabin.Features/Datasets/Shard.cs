using System.Globalization;

namespace Raabin.Features.Datasets;

/// <summary>
/// Part <see cref="Index"/> of <see cref="Count"/> of a batch, for running one batch as several jobs (a Slurm job array,
/// a Kubernetes Indexed Job) and joining their outputs afterwards.
/// <para>
/// The rule: order the items by their key (the image path relative to the dataset folder) with ordinal comparison, number
/// them 0, 1, 2, ... in that order, and give item number <c>k</c> to shard <c>k mod Count</c>. The assignment therefore does
/// not depend on the order the listing (manifest, folder enumeration) gives the items in; shard sizes differ by at most one
/// (the first <c>total mod Count</c> shards have one item more); and, because a single run writes its rows in the same
/// ordinal path order, row <c>k</c> of the single run is row <c>k div Count</c> of shard <c>k mod Count</c>
/// (<see cref="Interleave{T}"/>).
/// </para>
/// </summary>
public sealed record Shard
{
    private Shard(int index, int count)
    {
        Index = index;
        Count = count;
    }

    /// <summary>The shard, 0-based: 0 ≤ Index &lt; Count.</summary>
    public int Index { get; }

    /// <summary>How many shards the batch is split into (1 or more).</summary>
    public int Count { get; }

    /// <summary>The checked shard.</summary>
    /// <exception cref="ArgumentException">Count is below 1 or Index is outside [0, Count).</exception>
    public static Shard Of(int index, int count)
    {
        if (count < 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"shard count must be 1 or more, got {count}"));
        }

        if (index < 0 || index >= count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"shard index {index} is outside 0..{count - 1} (shards are numbered from 0: with {count} shards the last is {count - 1}/{count})"));
        }

        return new Shard(index, count);
    }

    /// <summary>Parses <c>I/N</c> (e.g. <c>2/4</c>: the third of four shards).</summary>
    /// <exception cref="ArgumentException">Not two whole numbers separated by '/', or not a valid shard.</exception>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            throw new ArgumentException($"shard '{text}': expected I/N with whole numbers, 0 ≤ I < N (e.g. 0/4)");
        }

        return Of(index, count);
    }

    /// <summary>How many of <paramref name="total"/> items shard <paramref name="index"/> of <paramref name="count"/> holds.</summary>
    public static int SizeOf(int total, int index, int count) => total / count + (index < total % count ? 1 : 0);

    /// <summary>How many of <paramref name="total"/> items this shard holds.</summary>
    public int SizeOf(int total) => SizeOf(total, Index, Count);

    /// <summary>
    /// This shard's items, in ordinal key order (see the rule above).
    /// </summary>
    /// <param name="items">Every item of the batch, in any order.</param>
    /// <param name="key">The item's stable key (its dataset-relative path).</param>
    /// <exception cref="ArgumentException">Two items have the same key (the rule would be ambiguous).</exception>
    public IReadOnlyList<T> Select<T>(IReadOnlyList<T> items, Func<T, string> key)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(key);
        var ordered = InKeyOrder(items, key);
        var chosen = new List<T>(SizeOf(ordered.Count));
        for (int k = Index; k < ordered.Count; k += Count)
        {
            chosen.Add(ordered[k]);
        }

        return chosen;
    }

    /// <summary>The items ordered by key (ordinal), as the rule numbers them.</summary>
    /// <exception cref="ArgumentException">Two items have the same key.</exception>
    public static IReadOnlyList<T> InKeyOrder<T>(IReadOnlyList<T> items, Func<T, string> key)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(key);
        var keyed = new (string Key, T Item)[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            keyed[i] = (key(items[i]), items[i]);
        }

        // Stable and culture-free; duplicates are refused below, so ties never decide anything.
        Array.Sort(keyed, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var ordered = new T[keyed.Length];
        for (int i = 0; i < keyed.Length; i++)
        {
            if (i > 0 && keyed[i].Key == keyed[i - 1].Key)
            {
                throw new ArgumentException($"'{keyed[i].Key}' is listed twice; shards need each item once");
            }

            ordered[i] = keyed[i].Item;
        }

        return ordered;
    }

    /// <summary>
    /// Joins the rows of all <c>N</c> shards (shard <c>i</c> at position <c>i</c>, each in its own order) into the order of
    /// a single run: row <c>k</c> is row <c>k div N</c> of shard <c>k mod N</c>.
    /// </summary>
    /// <exception cref="ArgumentException">No shards, or a shard's size is not the one the rule gives it.</exception>
    public static IReadOnlyList<T> Interleave<T>(IReadOnlyList<IReadOnlyList<T>> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0)
        {
            throw new ArgumentException("no shards to join");
        }

        int n = shards.Count;
        int total = shards.Sum(s => s.Count);
        for (int i = 0; i < n; i++)
        {
            if (shards[i].Count != SizeOf(total, i, n))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"shard {i}/{n} has {shards[i].Count} rows, but {total} rows in {n} shards give it {SizeOf(total, i, n)}"));
            }
        }

        var joined = new T[total];
        for (int k = 0; k < total; k++)
        {
            joined[k] = shards[k % n][k / n];
        }

        return joined;
    }

    /// <summary><c>I/N</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
