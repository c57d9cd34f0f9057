using Raabin.Features.IO;

namespace Raabin.Features.Tests.IO;

public sealed class OrderedParallelTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public void Results_come_in_input_order_whatever_order_items_finish_in()
    {
        var items = Enumerable.Range(0, 500).ToArray();
        var results = OrderedParallel.Select(items, 4, i =>
        {
            // Later items of each group of 7 finish first.
            Thread.SpinWait((7 - (i % 7)) * 2000);
            return i * 3;
        }).ToList();

        Assert.Equal(items.Select(i => i * 3), results);
    }

    [Fact]
    public void A_slow_item_holds_the_workers_at_the_window_instead_of_letting_results_pile_up()
    {
        const int window = 5;
        using var release = new ManualResetEventSlim();
        int started = 0;
        var results = new List<int>();
        Exception? failure = null;
        var consumer = new Thread(() =>
        {
            try
            {
                foreach (int r in OrderedParallel.Select(Enumerable.Range(0, 100), 3, i =>
                {
                    Interlocked.Increment(ref started);
                    return i == 0 && !release.Wait(Patience) ? throw new TimeoutException("item 0 was never released") : i;
                }, window))
                {
                    results.Add(r);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        consumer.Start();

        // While item 0 is stuck, the other workers fill the window and then wait: exactly `window` items are started.
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref started) >= window, Patience));
        Thread.Sleep(300);
        Assert.Equal(window, Volatile.Read(ref started));

        release.Set();
        Assert.True(consumer.Join(Patience));
        Assert.Null(failure);
        Assert.Equal(Enumerable.Range(0, 100), results);
        Assert.Equal(100, started);
    }

    [Fact]
    public void Workers_never_run_more_than_the_window_ahead_of_a_slow_consumer()
    {
        const int window = 4;
        long taken = 0;
        long worstAhead = 0;
        foreach (int r in OrderedParallel.Select(Enumerable.Range(0, 200), 2, i =>
        {
            long ahead = i - Interlocked.Read(ref taken);
            InterlockedMax(ref worstAhead, ahead);
            return i;
        }, window))
        {
            if (r % 10 == 0)
            {
                Thread.Sleep(2);
            }

            Interlocked.Increment(ref taken);
        }

        // Item i starts only once item i - window has been taken (this loop counts a result a moment after it is taken).
        Assert.InRange(worstAhead, 0, window);
    }

    [Fact]
    public void The_source_is_read_only_as_far_as_the_window_reaches()
    {
        const int window = 6;
        int pulled = 0;
        IEnumerable<int> Source()
        {
            for (int i = 0; i < 1000; i++)
            {
                Interlocked.Increment(ref pulled);
                yield return i;
            }
        }

        using (var e = OrderedParallel.Select(Source(), 2, i => i, window).GetEnumerator())
        {
            Assert.True(e.MoveNext());
            Assert.Equal(0, e.Current);
            Thread.Sleep(200);

            // One result taken: at most `window` more items may be in flight.
            Assert.InRange(Volatile.Read(ref pulled), 1, 1 + window);
        }

        int atDispose = Volatile.Read(ref pulled);
        Thread.Sleep(100);
        Assert.Equal(atDispose, Volatile.Read(ref pulled));
    }

    [Fact]
    public void An_exception_of_the_map_comes_out_as_it_was_at_its_item_after_the_items_before_it()
    {
        var results = new List<int>();
        var e = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (int r in OrderedParallel.Select(Enumerable.Range(0, 50), 2, i => i == 7 ? throw new InvalidOperationException("item 7") : i))
            {
                results.Add(r);
            }
        });

        Assert.Equal("item 7", e.Message);
        Assert.Equal(Enumerable.Range(0, 7), results);
    }

    [Fact]
    public void Cancelling_stops_starting_items_and_throws_at_the_next_result()
    {
        const int window = 8;
        using var cancel = new CancellationTokenSource();
        int started = 0;
        int taken = 0;
        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (int r in OrderedParallel.Select(Enumerable.Range(0, 10_000), 2, i =>
            {
                Interlocked.Increment(ref started);
                return i;
            }, window, cancel.Token))
            {
                taken++;
                if (taken == 10)
                {
                    cancel.Cancel();
                }
            }
        });

        Assert.Equal(10, taken);
        Assert.InRange(started, 10, 10 + window);
    }

    [Fact]
    public void Leaving_the_loop_early_waits_for_the_items_being_mapped_and_starts_no_more()
    {
        int started = 0, finished = 0;
        foreach (int r in OrderedParallel.Select(Enumerable.Range(0, 1000), 2, i =>
        {
            Interlocked.Increment(ref started);
            Thread.Sleep(5);
            Interlocked.Increment(ref finished);
            return i;
        }))
        {
            if (r == 3)
            {
                break;
            }
        }

        // Disposing the enumerator joined the workers: nothing is half done, nothing new starts.
        Assert.Equal(Volatile.Read(ref started), Volatile.Read(ref finished));
        int atBreak = Volatile.Read(ref started);
        Thread.Sleep(100);
        Assert.Equal(atBreak, Volatile.Read(ref started));
        Assert.InRange(atBreak, 4, 4 + OrderedParallel.DefaultWindow(2));
    }

    [Fact]
    public void The_default_window_grows_with_the_workers()
    {
        Assert.Equal(OrderedParallel.MinimumWindow, OrderedParallel.DefaultWindow(1));
        Assert.Equal(64, OrderedParallel.DefaultWindow(8));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderedParallel.Select([1], 1, i => i, window: 0));
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            long previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
