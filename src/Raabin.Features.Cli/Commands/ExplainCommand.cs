using System.CommandLine;
using System.Globalization;
using Raabin.Features.Explanations;
using Raabin.Features.IO;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// <c>raabin explain --model M INPUT... [--out FILE.csv]</c>: why each cell got its label (the library's
/// <see cref="CellExplainer"/>): the features that favour the label over the runner-up class, the nearest training cells
/// and the smallest one-feature change that flips the label.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Arity = ArgumentArity.OneOrMore, Description = "Image files, a dataset folder, or a feature CSV." };
        var model = new Option<string>("--model", "-m") { Required = true, Description = "A model written by `raabin train` (trained by this version: it needs the class statistics models now carry)." };
        var output = new Option<string?>("--out", "-o") { Description = "Also write one row per cell: path,label,pred,runner_up,rule, the top features (id, support, deviations), counterfactual." };
        var split = new Option<string?>("--split") { Description = "Only rows of this split." };
        var top = CliValidation.AtLeast(new Option<int>("--top") { DefaultValueFactory = _ => 3, Description = "Features listed per cell." }, 1);
        var noCounterfactual = new Option<bool>("--no-counterfactual") { Description = "Skip the counterfactual search (nearly all of the cost: ~0.3 s per cell on the robust model)." };
        var jobs = CliValidation.JobsOption();
        var command = new Command("explain", "Explain each cell's label: the features that moved it, the nearest training cells, what would flip it.")
        {
            inputs, model, output, split, top, noCounterfactual, jobs,
        };
        command.SetAction(parse =>
        {
            try
            {
                var pipelineModel = PredictCommand.Load(parse.GetValue(model)!, null);
                var explainer = new CellExplainer(pipelineModel, ExplainerOptions.Default with { SearchCounterfactual = !parse.GetValue(noCounterfactual) });
                string[] given = parse.GetValue(inputs)!;
                FeatureTable table;
                FeatureBinding binding;
                if (FeatureInput.IsFeatureCsv(given))
                {
                    table = FeatureInput.LoadTable(given[0], parse.GetValue(split), null);
                    binding = pipelineModel.Bind(table);
                }
                else
                {
                    table = FeatureInput.Measure(given, parse.GetValue(split), pipelineModel.CreateCellPipeline(), parse.GetValue(jobs));
                    binding = pipelineModel.Bind(table.FeatureIds, "the measured cells");
                }

                int k = parse.GetValue(top);
                var rows = new List<(FeatureRow Row, CellExplanation? Why)>();
                foreach (var row in table.Rows)
                {
                    var why = pipelineModel.ClassifierInput(row, binding) is { } values ? explainer.Explain(values) : null;
                    rows.Add((row, why));
                    Print(row, why, k);
                }

                if (parse.GetValue(output) is { } path)
                {
                    CliOutput.EnsureParent(path);
                    Write(path, rows, k);
                    Console.Error.WriteLine($"{rows.Count(r => r.Why is not null)} of {rows.Count} cells explained -> {path}");
                }

                return CliOutput.Finished(rows.Count(r => r.Why is null));
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or CsvFormatException)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }
        });
        return command;
    }

    private static void Print(FeatureRow row, CellExplanation? why, int k)
    {
        if (why is null)
        {
            Console.WriteLine($"{row.Path}: not explained ({row.Status}{(row.Error is null ? string.Empty : ": " + row.Error)})");
            return;
        }

        Console.WriteLine($"{row.Path}: {why.PredictedClass} rather than {why.RunnerUpClass}{(row.Label.Length > 0 ? $" (labelled {row.Label})" : string.Empty)}");
        foreach (var f in why.Features.Take(k))
        {
            Console.WriteLine(FormattableString.Invariant(
                $"  {f.FeatureId} = {f.Value:G4} {f.Unit}: {Signed(f.DeviationFromPredicted)} SD from {why.PredictedClass}, {Signed(f.DeviationFromRunnerUp)} SD from {why.RunnerUpClass}"));
        }

        if (why.NearestPredicted.Count > 0)
        {
            Console.WriteLine(FormattableString.Invariant($"  nearest training cells: {why.PredictedClass} at {why.NearestPredicted[0].Distance:F2}") +
                (why.NearestRunnerUp.Count > 0 ? FormattableString.Invariant($", {why.RunnerUpClass} at {why.NearestRunnerUp[0].Distance:F2}") : string.Empty));
        }

        Console.WriteLine($"  to flip: {why.CounterfactualText}");
    }

    // A deviation with its sign, one decimal (a value that rounds to zero is written 0.0, not -0.0).
    private static string Signed(double d)
    {
        double r = Math.Round(d, 1);
        return (r == 0 ? 0 : r).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);
    }

    private static void Write(string path, List<(FeatureRow Row, CellExplanation? Why)> rows, int k)
    {
        using var w = new CsvWriter(path);
        var header = new List<string> { "path", "label", "pred", "runner_up", "runner_up_rule" };
        for (int i = 1; i <= k; i++)
        {
            header.AddRange([$"feature_{i}", $"support_{i}", $"z_pred_{i}", $"z_runner_up_{i}"]);
        }

        header.AddRange(["counterfactual_feature", "counterfactual_value", "counterfactual_change_sd", "counterfactual_label", "status"]);
        w.Row(header);
        foreach (var (row, why) in rows)
        {
            w.Field(row.Path).Field(row.Label).Field(why?.PredictedClass).Field(why?.RunnerUpClass)
                .Field(why is null ? null : why.RunnerUpRule.ToString().ToLowerInvariant());
            for (int i = 0; i < k; i++)
            {
                var f = why is not null && i < why.Features.Count ? why.Features[i] : null;
                w.Field(f?.FeatureId);
                if (f is null)
                {
                    w.Field((string?)null).Field((string?)null).Field((string?)null);
                }
                else
                {
                    w.Field(f.Support).Field(f.DeviationFromPredicted).Field(f.DeviationFromRunnerUp);
                }
            }

            var c = why?.Counterfactual;
            w.Field(c?.FeatureId);
            if (c is null)
            {
                w.Field((string?)null).Field((string?)null);
            }
            else
            {
                w.Field(c.NewValue).Field(c.ChangeInStandardDeviations);
            }

            w.Field(c?.NewLabel).Field(why is null ? row.Status : CellStatus.Ok).EndRow();
        }

        w.Commit();
    }
}
