using System.Runtime.ExceptionServices;

namespace Raabin.Features.IO;

/// <summary>
/// The one way batches run in parallel here: items are mapped on several threads and the results come back in input
/// order, each as soon as it and those before it are done (streaming, not buffered), so a caller can write rows out
/// while later items are still being processed.
/// </summary>
/// <remarks>
/// Memory is bounded by a reorder window, not by the number of items: a worker may start item <c>i</c> only when the
/// caller has taken every result before <c>i - window + 1</c>, so at most <c>window</c> items are being mapped or
/// waiting to be taken at any time. A slow item therefore holds the others back once the window is full instead of
/// letting finished results pile up behind it, and a caller that writes slowly slows the workers down. Items are
/// pulled from the source one at a time, as workers become free, so the source can be lazy too.
/// </remarks>
public static class OrderedParallel
{
    /// <summary>Reorder window per worker when none is given: <see cref="DefaultWindow"/> is this times the workers, at least <see cref="MinimumWindow"/>.</summary>
    public const int WindowPerWorker = 8;

    /// <summary>The smallest default reorder window.</summary>
    public const int MinimumWindow = 16;

    /// <summary>The reorder window used for <paramref name="jobs"/> workers (0 or less: one per core) when none is given.</summary>
    public static int DefaultWindow(int jobs) => Math.Max(MinimumWindow, WindowPerWorker * Workers(jobs));

    /// <summary>Maps <paramref name="items"/> with <paramref name="map"/> on up to <paramref name="jobs"/> threads, with the default window.</summary>
    /// <param name="items">Inputs, in the order results are wanted.</param>
    /// <param name="jobs">Worker threads; 0 or less means one per core.</param>
    /// <param name="map">The work for one item; it must not throw for bad input (return an error result instead).</param>
    /// <param name="cancellation">Stops the batch: no item is started after it, and enumeration throws <see cref="OperationCanceledException"/>.</param>
    public static IEnumerable<TResult> Select<TItem, TResult>(
        IEnumerable<TItem> items, int jobs, Func<TItem, TResult> map, CancellationToken cancellation = default) =>
        Select(items, jobs, map, DefaultWindow(jobs), cancellation);

    /// <summary>
    /// Maps <paramref name="items"/> with <paramref name="map"/> on up to <paramref name="jobs"/> threads, at most
    /// <paramref name="window"/> items in flight (being mapped, or mapped and not yet taken by the caller). Enumeration
    /// starts the workers; ending it (completely, by an exception, or by disposing the enumerator early) stops them and
    /// waits for the items they are mapping. An exception thrown by <paramref name="map"/> is rethrown, as it was, to the
    /// caller when its item's turn comes.
    /// </summary>
    /// <param name="items">Inputs, in the order results are wanted.</param>
    /// <param name="jobs">Worker threads; 0 or less means one per core.</param>
    /// <param name="map">The work for one item; it must not throw for bad input (return an error result instead).</param>
    /// <param name="window">Items in flight at most (1 or more; fewer than <paramref name="jobs"/> leaves workers idle).</param>
    /// <param name="cancellation">Stops the batch: no item is started after it, and enumeration throws <see cref="OperationCanceledException"/>.</param>
    public static IEnumerable<TResult> Select<TItem, TResult>(
        IEnumerable<TItem> items, int jobs, Func<TItem, TResult> map, int window, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(map);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        return Run(items, Workers(jobs), map, window, cancellation);
    }

    private static int Workers(int jobs) => jobs > 0 ? jobs : Environment.ProcessorCount;

    private static IEnumerable<TResult> Run<TItem, TResult>(IEnumerable<TItem> items, int jobs, Func<TItem, TResult> map, int window,
        CancellationToken cancellation)
    {
        using var run = new Window<TItem, TResult>(items, map, window, cancellation);
        run.Start(jobs);
        while (run.Next(out var result))
        {
            yield return result;
        }
    }

    /// <summary>The shared state of one enumeration: the source, the ring of slots, and the workers.</summary>
    private sealed class Window<TItem, TResult> : IDisposable
    {
        private readonly object _gate = new();
        private readonly IEnumerator<TItem> _source;
        private readonly Func<TItem, TResult> _map;
        private readonly Slot[] _slots;
        private readonly CancellationToken _cancellation;
        private readonly CancellationTokenRegistration _registration;
        private readonly List<Thread> _workers = [];
        private long _started;      // items handed to workers
        private long _taken;        // results handed to the caller
        private bool _exhausted;    // the source has no more items
        private bool _stopping;     // the caller is done: start nothing more
        private ExceptionDispatchInfo? _sourceError;

        public Window(IEnumerable<TItem> items, Func<TItem, TResult> map, int window, CancellationToken cancellation)
        {
            _source = items.GetEnumerator();
            _map = map;
            _slots = new Slot[window];
            _cancellation = cancellation;
            _registration = cancellation.Register(() =>
            {
                lock (_gate)
                {
                    Monitor.PulseAll(_gate);
                }
            });
        }

        public void Start(int jobs)
        {
            // No more workers than the window lets run at once.
            for (int i = 0; i < Math.Min(jobs, _slots.Length); i++)
            {
                var thread = new Thread(Work) { IsBackground = true, Name = "raabin worker " + i };
                _workers.Add(thread);
                thread.Start();
            }
        }

        /// <summary>Waits for the next result in input order; false when there are no more.</summary>
        public bool Next(out TResult result)
        {
            lock (_gate)
            {
                while (true)
                {
                    _cancellation.ThrowIfCancellationRequested();
                    ref var slot = ref _slots[_taken % _slots.Length];
                    if (slot.Done)
                    {
                        result = slot.Result!;
                        var error = slot.Error;
                        slot = default;
                        _taken++;
                        Monitor.PulseAll(_gate);
                        error?.Throw();
                        return true;
                    }

                    if (_exhausted && _taken == _started)
                    {
                        _sourceError?.Throw();
                        result = default!;
                        return false;
                    }

                    Monitor.Wait(_gate);
                }
            }
        }

        private void Work()
        {
            while (true)
            {
                long index;
                TItem item;
                lock (_gate)
                {
                    while (!_stopping && !_exhausted && !_cancellation.IsCancellationRequested && _started - _taken >= _slots.Length)
                    {
                        Monitor.Wait(_gate);
                    }

                    if (_stopping || _exhausted || _cancellation.IsCancellationRequested)
                    {
                        return;
                    }

                    try
                    {
                        if (!_source.MoveNext())
                        {
                            _exhausted = true;
                            Monitor.PulseAll(_gate);
                            return;
                        }

                        item = _source.Current;
                    }
                    catch (Exception e)
                    {
                        _sourceError = ExceptionDispatchInfo.Capture(e);
                        _exhausted = true;
                        Monitor.PulseAll(_gate);
                        return;
                    }

                    index = _started++;
                }

                TResult result = default!;
                ExceptionDispatchInfo? error = null;
                try
                {
                    result = _map(item);
                }
                catch (Exception e)
                {
                    error = ExceptionDispatchInfo.Capture(e);
                }

                lock (_gate)
                {
                    _slots[index % _slots.Length] = new Slot { Done = true, Result = result, Error = error };
                    Monitor.PulseAll(_gate);
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _stopping = true;
                Monitor.PulseAll(_gate);
            }

            // Items being mapped finish (their side effects, e.g. files written, are whole) before the caller goes on.
            foreach (var thread in _workers)
            {
                thread.Join();
            }

            _registration.Dispose();
            _source.Dispose();
        }

        private struct Slot
        {
            public bool Done;
            public TResult? Result;
            public ExceptionDispatchInfo? Error;
        }
    }
}
