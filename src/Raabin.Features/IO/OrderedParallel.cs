namespace Raabin.Features.IO;

/// <summary>
/// The one way batches run in parallel here: items are mapped on several threads and the results come back in input
/// order, each as soon as it and those before it are done (streaming, not buffered), so a caller can write rows out
/// while later items are still being processed.
/// </summary>
public static class OrderedParallel
{
    /// <summary>Maps <paramref name="items"/> with <paramref name="map"/> on up to <paramref name="jobs"/> threads.</summary>
    /// <param name="items">Inputs, in the order results are wanted.</param>
    /// <param name="jobs">Worker threads; 0 or less means one per core.</param>
    /// <param name="map">The work for one item; it must not throw for bad input (return an error result instead).</param>
    /// <param name="cancellation">Stops the batch.</param>
    public static IEnumerable<TResult> Select<TItem, TResult>(
        IEnumerable<TItem> items, int jobs, Func<TItem, TResult> map, CancellationToken cancellation = default) =>
        items
            .AsParallel()
            .AsOrdered()
            .WithDegreeOfParallelism(jobs > 0 ? jobs : Environment.ProcessorCount)
            .WithCancellation(cancellation)
            .WithMergeOptions(ParallelMergeOptions.NotBuffered)
            .Select(map);
}
