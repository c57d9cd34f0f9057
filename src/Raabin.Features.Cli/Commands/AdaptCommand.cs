using System.CommandLine;
using Raabin.Features.Adaptation;
using Raabin.Features.IO;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// <c>raabin adapt --model M --labelled INPUT --out M2</c>: adapt a model to a new microscope from a few labelled cells
/// of it (the library's <see cref="FewShotAdapter"/>), choosing the method by cross-validation on those cells.
/// </summary>
internal static class AdaptCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Required = true, Description = "The model to adapt (from `raabin train`)." };
        var labelled = new Option<string>("--labelled") { Required = true, Description = "Labelled cells of the new microscope: a dataset folder (measured with the model's own steps) or a feature CSV." };
        var split = new Option<string?>("--split") { Description = "Only the labelled rows of this split." };
        var unlabelled = new Option<string[]>("--unlabelled") { Description = "Other cells of the same microscope (dataset folder or feature CSV; labels ignored), used for its statistics." };
        var methods = new Option<string>("--methods") { DefaultValueFactory = _ => "affine-map,target-only,joint,transductive,source", Description = "Candidate methods, comma-separated, in order of preference on a tie: affine-map, target-only, joint, transductive (z-score models, 30 cells or more), source." };
        var domain = new Option<string?>("--domain") { Description = "The new microscope's name, recorded in the model (default: the labelled input's name)." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the cross-validation folds." };
        var output = new Option<string>("--out", "-o") { Required = true, Description = "Where to write the adapted model." };
        var jobs = CliValidation.JobsOption();
        var command = new Command("adapt",
            "Adapt a model to a new microscope with a few labelled cells per class: each method is cross-validated on those cells, the best is refitted on all of them, and the model records what was done.")
        {
            model, labelled, split, unlabelled, methods, domain, seed, output, jobs,
        };
        command.SetAction(parse =>
        {
            try
            {
                var source = PredictCommand.Load(parse.GetValue(model)!, null);
                var labelledRows = Rows(source, parse.GetValue(labelled)!, parse.GetValue(split), parse.GetValue(jobs))
                    .Where(r => r.Values is not null && r.Label.Length > 0).ToList();
                var data = new LabelledFeatures(source.FeatureIds, labelledRows.Select(r => r.Values!).ToList(), labelledRows.Select(r => r.Label).ToList(),
                    labelledRows.Select(r => r.Domain).ToList());
                var pool = (parse.GetValue(unlabelled) ?? []).SelectMany(u => Rows(source, u, null, parse.GetValue(jobs))).Where(r => r.Values is not null).Select(r => r.Values!).ToList();
                string name = parse.GetValue(domain) ?? Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(parse.GetValue(labelled)!));
                var options = new FewShotOptions
                {
                    Methods = parse.GetValue(methods)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(FewShotOptions.ParseMethod).ToList(),
                    Seed = parse.GetValue(seed),
                };
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var result = new FewShotAdapter(options).Adapt(source, data, pool, name);
                watch.Stop();
                string path = parse.GetValue(output)!;
                CliOutput.EnsureParent(path);
                result.Model.Save(path);
                var r = result.Record;
                Console.WriteLine($"labelled cells: {string.Join(", ", r.LabelledPerClass.Select(kv => $"{kv.Key} {kv.Value}"))}; unlabelled: {r.UnlabelledCells}");
                Console.WriteLine(r.Folds > 0 ? $"{r.Folds}-fold cross-validation on the labelled cells:" : "too few labelled cells to cross-validate (a class has one): the default method is used");
                foreach (var c in r.Candidates)
                {
                    Console.WriteLine(FormattableString.Invariant($"  {c.Method,-12} macro-F1 {c.MacroF1:F3}  accuracy {c.Accuracy:F3}{(c.Method == r.Method ? "  <- used" : string.Empty)}"));
                }

                Console.WriteLine(FormattableString.Invariant($"adapted by {r.Method} ({r.Choice}) in {watch.Elapsed.TotalSeconds:F1} s -> {path}"));
                return CliOutput.Success;
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or CsvFormatException)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }
        });
        return command;
    }

    private sealed record Row(string Label, string Domain, double[]? Values);

    // A dataset folder is measured with the model's own steps; a feature CSV is checked against them and bound by id.
    private static List<Row> Rows(PipelineModel model, string input, string? split, int jobs)
    {
        FeatureTable table;
        FeatureBinding binding;
        if (FeatureInput.IsFeatureCsv([input]))
        {
            table = FeatureInput.LoadTable(input, split, null);
            binding = model.Bind(table);
        }
        else
        {
            table = FeatureInput.Measure([input], split, model.CreateCellPipeline(), jobs);
            binding = model.Bind(table.FeatureIds, input);
        }

        foreach (var bad in table.Rows.Where(r => !r.IsOk))
        {
            CliOutput.Warn($"{bad.Path}: {bad.Status}: {bad.Error} (left out)");
        }

        return table.Rows.Select(r => new Row(r.Label, r.Domain, model.ClassifierInput(r, binding))).ToList();
    }
}
