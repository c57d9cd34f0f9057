using System.CommandLine;
using Raabin.Features.Measurement;
using Raabin.Features.IO;

namespace Raabin.Features.Cli.Commands;

/// <summary><c>raabin features DATASET --out FILE.csv</c>: one row of features per image.</summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var common = new PipelineOptions();
        var output = new Option<string>("--out", "-o") { Required = true, Description = "Output CSV: path,label,split,domain,status,error, then one column per feature id." };
        var command = new Command("features", "Segment every image of a dataset and measure its features (the 51 reference features).");
        common.AddTo(command);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var opened = common.Open(parse);
            if (opened is not { } o)
            {
                return CliOutput.Failed;
            }

            string path = parse.GetValue(output)!;
            CliOutput.EnsureParent(path);
            var (ok, failed, damaged) = Write(o.Dataset, o.Items, o.Pipeline, path, parse.GetValue(common.Jobs));
            Console.Error.WriteLine($"{ok} images measured, {failed} without features -> {path}");
            // A damaged image is a bad input file, not a finding about a cell (see CellStatus.Damaged).
            return damaged > 0 ? CliOutput.SomeFailed : CliOutput.Success;
        });
        return command;
    }

    /// <summary>Streams the rows to <paramref name="path"/> as they complete (in input order).</summary>
    internal static (int Ok, int Failed, int Damaged) Write(Datasets.Dataset dataset, IReadOnlyList<Datasets.DatasetItem> items, CellPipeline pipeline, string path, int jobs)
    {
        int ok = 0, failed = 0, damaged = 0, done = 0;
        using var writer = new CsvWriter(path);
        FeatureTable.WriteHeader(writer, pipeline.FeatureIds);
        foreach (var result in pipeline.ProcessAll(dataset, items, jobs))
        {
            FeatureTable.WriteRow(writer, result.Row);
            if (result.Row.IsOk)
            {
                ok++;
            }
            else
            {
                failed++;
                damaged += result.Row.Status == CellStatus.Damaged ? 1 : 0;
                CliOutput.Warn($"{result.Row.Path}: {result.Row.Status}: {result.Row.Error}");
            }

            CliOutput.Progress("measured", ++done, items.Count);
            if (done % 256 == 0)
            {
                // Finished rows reach the disk as the batch goes, so an interrupted run keeps them.
                writer.Flush();
            }
        }

        return (ok, failed, damaged);
    }
}
