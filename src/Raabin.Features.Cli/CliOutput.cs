namespace Raabin.Features.Cli;

/// <summary>Exit codes and the plain conventions every command shares: errors to stderr, progress as a rewritten line on a terminal, plain periodic lines in a log.</summary>
internal static class CliOutput
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;

    /// <summary>The command finished but some inputs failed (each reported on stderr and in the output).</summary>
    public const int SomeFailed = 1;

    /// <summary>The command could not run (bad arguments, unreadable input, incompatible model).</summary>
    public const int Failed = 2;

    /// <summary>The exit code of a command that ran to the end: <see cref="SomeFailed"/> when any input failed.</summary>
    public static int Finished(int failedInputs) => failedInputs == 0 ? Success : SomeFailed;

    /// <summary>
    /// Stopped by SIGINT or SIGTERM (128 + SIGINT's number, as shells report it): the finished rows are kept in
    /// <c>OUT.partial</c> and <c>--resume</c> continues from them (see <see cref="Interruption"/>).
    /// </summary>
    public const int Interrupted = 130;

    /// <summary>Writes an error line to stderr.</summary>
    public static void Error(string message) => Console.Error.WriteLine($"raabin: {message}");

    /// <summary>Writes a warning line to stderr.</summary>
    public static void Warn(string message) => Console.Error.WriteLine($"raabin: warning: {message}");

    private static readonly object ProgressGate = new();
    private static ProgressReporter? _progress;

    /// <summary>
    /// Reports progress of a batch that calls back with (done, total) only: a rewritten line with rate and time left on a
    /// terminal, a plain line every <see cref="ProgressReporter.PlainInterval"/> when stderr is redirected (see
    /// <see cref="ProgressReporter"/>). A new batch starts when the verb or the total changes or the count goes back;
    /// its clock starts at its first report. Thread-safe. Commands that know when their batch starts use
    /// <see cref="ProgressReporter.OnStderr"/> instead, so the rate counts from the start.
    /// </summary>
    public static void Progress(string verb, int done, int total)
    {
        ProgressReporter reporter;
        lock (ProgressGate)
        {
            if (_progress is null || _progress.Verb != verb || _progress.Total != total || done < _progress.Done)
            {
                _progress = ProgressReporter.OnStderr(verb, total, alreadyDone: Math.Max(0, done - 1));
            }

            reporter = _progress;
        }

        reporter.Report(done);
    }

    /// <summary>Creates the folder that will hold a file.</summary>
    public static void EnsureParent(string file)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(file));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }
    }
}
