using System.CommandLine;
using Raabin.Features.Cli.Commands;

namespace Raabin.Features.Cli;

/// <summary>The <c>raabin</c> command: one class per sub-command under <c>Commands/</c>.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args) => BuildRoot().Parse(args).Invoke();

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
        };
        return root;
    }
}
