using System.CommandLine;
using System.CommandLine.Invocation;
using Raabin.Features.Cli.Commands;

namespace Raabin.Features.Cli;

/// <summary>The <c>raabin</c> command: one class per sub-command under <c>Commands/</c>.</summary>
public static class Program
{
    /// <summary>Environment variable that, set to 1, shows the stack trace of an error (as <c>--debug</c> does).</summary>
    public const string DebugVariable = "RAABIN_DEBUG";

    /// <summary>The global <c>--debug</c> option: show the stack trace of an error.</summary>
    internal static readonly Option<bool> Debug = new("--debug")
    {
        Description = $"Show the full stack trace of an error (also: {DebugVariable}=1).",
        Recursive = true,
    };

    /// <summary>Entry point.</summary>
    public static int Main(string[] args) => Run(BuildRoot(), args, Console.Error);

    /// <summary>
    /// Parses and runs <paramref name="args"/> with the exit-code contract of every command: 0 every input done, 1 some
    /// inputs failed, 2 the command could not run. A usage error prints its message and exits 2; an exception that a
    /// command did not handle prints one line (a data or I/O error its message, anything else its type and message and
    /// a hint) and exits 2; the stack trace only with <c>--debug</c> or <c>RAABIN_DEBUG=1</c>.
    /// </summary>
    internal static int Run(RootCommand root, string[] args, TextWriter error)
    {
        var parse = root.Parse(args);
        bool debug = parse.GetValue(Debug) || Environment.GetEnvironmentVariable(DebugVariable) is "1" or "true";
        if (parse.Action is ParseErrorAction)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine($"raabin: {e.Message}");
            }

            string command = parse.CommandResult.Command == root ? string.Empty : parse.CommandResult.Command.Name + " ";
            error.WriteLine($"raabin: run 'raabin {command}--help' for usage");
            return CliOutput.Failed;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            error.WriteLine($"raabin: {Describe(e)}");
            if (debug)
            {
                error.WriteLine(e.ToString());
            }

            return CliOutput.Failed;
        }
    }

    /// <summary>
    /// One line for an exception no command handled: the message alone for bad input (files, folders, arguments,
    /// data formats), which names the file and the problem; otherwise the type, the message and where to learn more.
    /// </summary>
    internal static string Describe(Exception e) => e switch
    {
        // The parameter name is for programmers; the message already says what was wrong.
        ArgumentException { ParamName: { } name } a => a.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal),
        IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException or FormatException
            or IO.DataFileException or Imaging.ImageDecodeException => e.Message,
        _ => $"unexpected error: {e.GetType().Name}: {e.Message} (run with --debug or {DebugVariable}=1 for the stack trace, and please report it)",
    };

    /// <summary>The command tree (also used by tests to run commands in-process).</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Raabin.Features: interpretable white-blood-cell classification with classical features.")
        {
            InfoCommand.Create(),
            SegmentCommand.Create(),
            FeaturesCommand.Create(),
            TrainCommand.Create(),
            TuneCommand.Create(),
            PredictCommand.Create(),
            DemoCommand.Create(),
            EvaluateCommand.Create(),
            CompareCommand.Create(),
            CatalogCommand.Create(),
            DedupCommand.Create(),
            ModelCommand.Create(),
            AdaptCommand.Create(),
            ExplainCommand.Create(),
            AblationCommand.Create(),
            MergeCommand.Create(),
            ReportCommand.Create(),
        };
        root.Options.Add(Debug);
        return root;
    }
}
