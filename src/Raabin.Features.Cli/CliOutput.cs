namespace Raabin.Features.Cli;

/// <summary>Exit codes and the plain conventions every command shares: errors to stderr, progress only on a terminal.</summary>
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

    /// <summary>Reports progress: a rewritten line on a terminal, nothing when stderr is redirected (logs stay clean).</summary>
    public static void Progress(string verb, int done, int total)
    {
        if (Console.IsErrorRedirected || total <= 0)
        {
            return;
        }

        if (done == total || done % 50 == 0)
        {
            Console.Error.Write($"\r{verb} {done}/{total}");
            if (done == total)
            {
                Console.Error.WriteLine();
            }
        }
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
