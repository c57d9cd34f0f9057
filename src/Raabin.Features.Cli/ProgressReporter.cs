using System.Diagnostics;
using System.Globalization;

namespace Raabin.Features.Cli;

/// <summary>
/// Progress of one batch on stderr, with rate and time left. On a terminal: one line rewritten in place (at most every
/// <see cref="RedrawInterval"/>, and at the end), e.g. <c>measured 1200/100000 (1.2%), 480 images/s, 3m 28s left</c>.
/// When stderr is redirected (a pipe or a log): the same text as a plain line at most every <see cref="PlainInterval"/>,
/// the first one only after that long, so runs shorter than it print nothing and logs stay readable. Thread-safe:
/// <see cref="Report"/> may be called from parallel workers, in any order.
/// </summary>
internal sealed class ProgressReporter
{
    /// <summary>How often a plain progress line is written when stderr is redirected: every 10 seconds at most.</summary>
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);

    /// <summary>How often the terminal line is rewritten at most (5 times a second: readable, and cheap for fast batches).</summary>
    public static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(200);

    private readonly object _gate = new();
    private readonly TextWriter _writer;
    private readonly bool _terminal;
    private readonly Func<TimeSpan> _clock;
    private readonly TimeSpan _start;
    private readonly int _startDone;
    private TimeSpan _lastWritten;
    private int _done;
    private int _lastLength;
    private bool _finished;

    /// <summary>Starts reporting a batch.</summary>
    /// <param name="verb">What is done to each item, e.g. <c>measured</c>.</param>
    /// <param name="total">Items in the whole batch.</param>
    /// <param name="writer">Where lines go (stderr).</param>
    /// <param name="terminal">Whether <paramref name="writer"/> is a terminal (rewritten line) or not (plain periodic lines).</param>
    /// <param name="clock">Time since any fixed origin; the rate and the intervals are measured with it.</param>
    /// <param name="alreadyDone">Items done before this run (e.g. rows kept by <c>--resume</c>): counted as done, not in the rate.</param>
    /// <param name="unit">What the items are, for the rate, e.g. <c>images</c>.</param>
    public ProgressReporter(string verb, int total, TextWriter writer, bool terminal, Func<TimeSpan> clock, int alreadyDone = 0, string unit = "images")
    {
        Verb = verb;
        Total = total;
        Unit = unit;
        _writer = writer;
        _terminal = terminal;
        _clock = clock;
        _start = clock();
        _lastWritten = _start;
        _startDone = alreadyDone;
        _done = alreadyDone;
    }

    /// <summary>What is done to each item.</summary>
    public string Verb { get; }

    /// <summary>Items in the whole batch.</summary>
    public int Total { get; }

    /// <summary>What the items are.</summary>
    public string Unit { get; }

    /// <summary>Items done so far (the highest count reported).</summary>
    public int Done
    {
        get
        {
            lock (_gate)
            {
                return _done;
            }
        }
    }

    /// <summary>A reporter on stderr, as a terminal when stderr is not redirected, timed by a stopwatch.</summary>
    public static ProgressReporter OnStderr(string verb, int total, int alreadyDone = 0, string unit = "images")
    {
        var watch = Stopwatch.StartNew();
        return new ProgressReporter(verb, total, Console.Error, !Console.IsErrorRedirected, () => watch.Elapsed, alreadyDone, unit);
    }

    /// <summary>Records that <paramref name="done"/> items of <see cref="Total"/> are done, and writes a line when one is due.</summary>
    public void Report(int done)
    {
        lock (_gate)
        {
            if (_finished || Total <= 0 || done < _done)
            {
                return;
            }

            _done = done;
            var now = _clock();
            bool last = done >= Total;
            if (_terminal)
            {
                if (last || now - _lastWritten >= RedrawInterval)
                {
                    string text = Text(now);
                    // Pads over the rest of a longer previous line.
                    _writer.Write("\r" + text + new string(' ', Math.Max(0, _lastLength - text.Length)));
                    _lastLength = text.Length;
                    _lastWritten = now;
                    if (last)
                    {
                        _writer.WriteLine();
                        _finished = true;
                    }
                }
            }
            else if (!last && now - _lastWritten >= PlainInterval)
            {
                _writer.WriteLine(Text(now));
                _lastWritten = now;
            }
        }
    }

    /// <summary>The progress text at <paramref name="now"/> (on the reporter's clock): done/total, percentage, rate, time left.</summary>
    public string Text(TimeSpan now)
    {
        lock (_gate)
        {
            var c = CultureInfo.InvariantCulture;
            string text = string.Format(c, "{0} {1}/{2} ({3:F1}%)", Verb, _done, Total, 100.0 * _done / Total);
            double seconds = (now - _start).TotalSeconds;
            int doneHere = _done - _startDone;
            if (doneHere <= 0 || seconds <= 0)
            {
                return text;
            }

            double rate = doneHere / seconds;
            text += string.Format(c, ", {0} {1}/s", FormatRate(rate), Unit);
            return _done >= Total
                ? text + ", took " + FormatDuration(seconds)
                : text + ", " + FormatDuration((Total - _done) / rate) + " left";
        }
    }

    /// <summary>A rate with three significant digits at most: 0.512, 4.85, 48.5, 485, 4850.</summary>
    public static string FormatRate(double perSecond) => perSecond switch
    {
        >= 100 => perSecond.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => perSecond.ToString("F1", CultureInfo.InvariantCulture),
        >= 1 => perSecond.ToString("F2", CultureInfo.InvariantCulture),
        _ => perSecond.ToString("F3", CultureInfo.InvariantCulture),
    };

    /// <summary>A duration rounded up to the second, as <c>7s</c>, <c>3m 05s</c> or <c>2h 04m</c>.</summary>
    public static string FormatDuration(double seconds)
    {
        long s = (long)Math.Ceiling(Math.Max(0, Math.Min(seconds, 99 * 3600.0)));
        return s switch
        {
            < 60 => string.Create(CultureInfo.InvariantCulture, $"{s}s"),
            < 3600 => string.Create(CultureInfo.InvariantCulture, $"{s / 60}m {s % 60:D2}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{s / 3600}h {s % 3600 / 60:D2}m"),
        };
    }
}
