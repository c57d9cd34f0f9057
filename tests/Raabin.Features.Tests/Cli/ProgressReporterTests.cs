using Raabin.Features.Cli;

namespace Raabin.Features.Tests.Cli;

public sealed class ProgressReporterTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(7.2, "8s")]
    [InlineData(59.5, "1m 00s")]
    [InlineData(185, "3m 05s")]
    [InlineData(3599, "59m 59s")]
    [InlineData(7440, "2h 04m")]
    public void Durations_read_as_seconds_minutes_or_hours_rounded_up(double seconds, string text) =>
        Assert.Equal(text, ProgressReporter.FormatDuration(seconds));

    [Theory]
    [InlineData(4850.2, "4850")]
    [InlineData(485.3, "485")]
    [InlineData(48.52, "48.5")]
    [InlineData(4.851, "4.85")]
    [InlineData(0.5123, "0.512")]
    public void Rates_keep_three_significant_digits(double rate, string text) =>
        Assert.Equal(text, ProgressReporter.FormatRate(rate));

    [Fact]
    public void The_text_has_done_total_percentage_rate_and_time_left()
    {
        var clock = new FakeClock();
        var p = new ProgressReporter("measured", 100, TextWriter.Null, terminal: true, clock.Now);
        clock.Advance(5);
        p.Report(25);

        Assert.Equal("measured 25/100 (25.0%), 5.00 images/s, 15s left", p.Text(clock.Now()));
    }

    [Fact]
    public void Rows_kept_from_an_earlier_run_count_as_done_but_not_in_the_rate()
    {
        var clock = new FakeClock();
        var p = new ProgressReporter("segmented", 1000, TextWriter.Null, terminal: true, clock.Now, alreadyDone: 600);
        clock.Advance(10);
        p.Report(700);

        Assert.Equal("segmented 700/1000 (70.0%), 10.0 images/s, 30s left", p.Text(clock.Now()));
    }

    [Fact]
    public void On_a_terminal_one_line_is_rewritten_at_most_five_times_a_second_and_ended_with_the_total_time()
    {
        var clock = new FakeClock();
        var writer = new StringWriter();
        var p = new ProgressReporter("measured", 10, writer, terminal: true, clock.Now);
        for (int i = 1; i <= 10; i++)
        {
            clock.Advance(0.1);
            p.Report(i);
        }

        string text = writer.ToString();
        Assert.DoesNotContain("\n", text.TrimEnd('\n'));
        Assert.EndsWith("measured 10/10 (100.0%), 10.0 images/s, took 1s\n", text);

        // Every 0.2 s: after items 2, 4, 6, 8, and the last one.
        Assert.Equal(5, text.Count(c => c == '\r'));
    }

    [Fact]
    public void When_redirected_a_plain_line_comes_every_ten_seconds_and_none_at_the_end()
    {
        var clock = new FakeClock();
        var writer = new StringWriter();
        var p = new ProgressReporter("measured", 35, writer, terminal: false, clock.Now);
        for (int i = 1; i <= 35; i++)
        {
            clock.Advance(1);
            p.Report(i);
        }

        Assert.Equal(
            [
                "measured 10/35 (28.6%), 1.00 images/s, 25s left",
                "measured 20/35 (57.1%), 1.00 images/s, 15s left",
                "measured 30/35 (85.7%), 1.00 images/s, 5s left",
            ],
            writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("\r", writer.ToString());
    }

    [Fact]
    public void When_redirected_a_run_shorter_than_the_interval_prints_nothing()
    {
        var clock = new FakeClock();
        var writer = new StringWriter();
        var p = new ProgressReporter("measured", 9, writer, terminal: false, clock.Now);
        for (int i = 1; i <= 9; i++)
        {
            clock.Advance(1);
            p.Report(i);
        }

        Assert.Equal(string.Empty, writer.ToString());
    }

    [Fact]
    public void Reports_from_parallel_workers_in_any_order_keep_the_highest_count()
    {
        var clock = new FakeClock();
        var writer = new StringWriter();
        var p = new ProgressReporter("measured", 10_000, writer, terminal: true, clock.Now);
        Parallel.For(1, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            clock.Advance(0.001);
            p.Report(i);
        });

        Assert.Equal(9_999, p.Done);
        p.Report(10_000);
        Assert.StartsWith("measured 10000/10000 (100.0%), ", writer.ToString().Split('\r')[^1]);
        Assert.EndsWith("\n", writer.ToString());
    }

    /// <summary>A clock the test moves; safe to read and move from several threads.</summary>
    private sealed class FakeClock
    {
        private long _ticks;

        public TimeSpan Now() => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public void Advance(double seconds) => Interlocked.Add(ref _ticks, TimeSpan.FromSeconds(seconds).Ticks);
    }
}
