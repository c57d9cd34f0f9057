using System.CommandLine;
using Raabin.Features.IO;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Cli.Commands;

/// <summary><c>raabin predict --model FILE INPUT... --out FILE.csv</c>: one prediction per image.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Arity = ArgumentArity.OneOrMore, Description = "A dataset folder, image files, or a feature CSV." };
        var model = new Option<string>("--model", "-m") { Required = true, Description = "A model written by `raabin train`: images are decoded, segmented and measured with its own steps." };
        var output = new Option<string>("--out", "-o") { Required = true, Description = "Output CSV: path,label, then pred,status,probability,rule,other_rule_pred,p_<class>...,error." };
        var split = new Option<string?>("--split") { Description = "Only rows of this split." };
        var manifest = new Option<string?>("--manifest") { Description = "A manifest.csv joined to a feature CSV by path (split, domain)." };
        var rule = new Option<string?>("--decision-rule") { Description = "Override the model's decision rule: vote or probability." };
        var allowDamaged = new Option<bool>("--allow-damaged") { Description = "Measure and classify damaged images (e.g. truncated JPEGs) instead of writing them with status 'damaged'." };
        var transductive = new Option<string>("--transductive")
        {
            DefaultValueFactory = _ => "none",
            Description = "Standardise each domain's cells with their own statistics before classifying (transductive: every prediction then depends on the batch): " +
                "none, domain, or class-balanced. Needs a z-score model (best one trained with --per-domain-standardisation) and --min-batch cells per domain; " +
                "cells are grouped by their domain column, else all form one batch.",
        };
        var minBatch = CliValidation.AtLeast(new Option<int>("--min-batch") { DefaultValueFactory = _ => TransductiveOptions.DefaultMinimumBatch, Description = "Fewest cells per domain for --transductive." }, 2);
        var rejectBelow = new Option<double?>("--reject-below")
        {
            Description = "Override the model's reject rule: a cell whose best label has a probability below this (0-1) is 'not_recognised'; 0 labels every cell.",
        };
        var noRejectOutside = new Option<bool>("--no-reject-outside") { Description = "Label cells outside the training distribution too (ignore the model's out-of-distribution rule, train --reject-outside)." };
        var jobs = CliValidation.JobsOption();
        var shards = new ShardOptions();
        var command = new Command("predict", "Classify cells with a trained model.") { inputs, model, output, split, manifest, rule, allowDamaged, transductive, minBatch, rejectBelow, noRejectOutside, jobs };
        shards.AddTo(command);
        command.SetAction(parse =>
        {
            try
            {
                var shard = shards.Resolve(parse);
                var pipelineModel = Load(parse.GetValue(model)!, parse.GetValue(rule));
                if (parse.GetValue(rejectBelow) is { } threshold)
                {
                    pipelineModel = pipelineModel.WithRejectBelow(threshold == 0 ? null : threshold);
                }

                if (parse.GetValue(noRejectOutside))
                {
                    pipelineModel = pipelineModel.WithRejectOutside(null);
                }
                string[] given = parse.GetValue(inputs)!;
                PrecheckLabels(given, parse.GetValue(split), pipelineModel.Classes);
                string path = parse.GetValue(output)!;
                var mode = TransductiveOptions.ParseMode(parse.GetValue(transductive)!);
                var transduction = new TransductiveOptions { Mode = mode, MinimumBatch = parse.GetValue(minBatch) };
                List<CellPrediction> predictions;
                if (shard is not null)
                {
                    return PredictShard(parse, shard, given, pipelineModel, mode, path, parse.GetValue(split), parse.GetValue(allowDamaged), parse.GetValue(jobs));
                }

                if (FeatureInput.IsFeatureCsv(given))
                {
                    var table = FeatureInput.LoadTable(given[0], parse.GetValue(split), parse.GetValue(manifest));
                    var binding = pipelineModel.Bind(table);
                    CliValidation.WarnUnknownClasses(Path.GetFileName(given[0]), pipelineModel.Classes, table.Rows.Select(r => r.Label));
                    predictions = mode == TransductiveMode.None
                        ? table.Rows.Select(r => pipelineModel.Classify(r, binding)).ToList()
                        : [.. pipelineModel.ClassifyTransductive(table.Rows, binding, transduction, Report)];
                }
                else
                {
                    var table = FeatureInput.Measure(given, parse.GetValue(split), pipelineModel.CreateCellPipeline(parse.GetValue(allowDamaged)), parse.GetValue(jobs));
                    predictions = mode == TransductiveMode.None
                        ? table.Rows.Select(pipelineModel.Classify).ToList()
                        : [.. pipelineModel.ClassifyTransductive(table.Rows, transduction, Report)];
                }

                CliOutput.EnsureParent(path);
                ShardOptions.Forget(path);
                Write(path, pipelineModel, predictions);
                var differential = Evaluation.DifferentialCount.Of(pipelineModel.Classes, predictions.Select(p => p.Prediction?.Label));
                string differentialPath = DifferentialPath(path);
                WriteDifferential(differentialPath, differential);
                PrintDifferential(differential, differentialPath);
                int ok = predictions.Count(p => p.Prediction is not null);
                int disagree = predictions.Count(p => p.Prediction?.RulesDisagree == true);
                int notRecognised = predictions.Count(p => p.Status == CellStatus.NotRecognised);
                Console.Error.WriteLine($"{ok} of {predictions.Count} cells classified by {PredictionColumns.RuleName(pipelineModel.DecisionRule)} -> {path}" +
                    (disagree > 0 ? $"; the other rule disagrees on {disagree} (column other_rule_pred)" : string.Empty) +
                    (notRecognised > 0 ? $"; {notRecognised} not recognised (the model's reject rule: the error column says why)" : string.Empty));

                // A cell the reject rule leaves unlabelled is an answer, not a failed input.
                return CliOutput.Finished(predictions.Count - ok - notRecognised);
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or CsvFormatException)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }
        });
        return command;
    }

    /// <summary>
    /// One shard of a dataset folder: its predictions with <c>OUT.shard.json</c>, and no differential count (that of one
    /// shard says little; <c>raabin merge</c> writes the whole batch's). Transductive prediction depends on the whole
    /// batch, so it cannot be sharded.
    /// </summary>
    private static int PredictShard(ParseResult parse, Datasets.Shard shard, string[] given, PipelineModel model, TransductiveMode mode, string path,
        string? split, bool allowDamaged, int jobs)
    {
        if (given.Length != 1 || !Directory.Exists(given[0]))
        {
            throw new ArgumentException("--shard splits a dataset folder: give one folder (a feature CSV or a list of image files is not sharded)");
        }

        if (mode != TransductiveMode.None)
        {
            throw new ArgumentException("--transductive standardises each domain with the statistics of all its cells, so it cannot run in shards; run it once");
        }

        var (dataset, all) = FeatureInput.OpenDataset(given[0], split);
        var items = ShardOptions.Select(shard, all);
        var table = FeatureInput.Measure(dataset, items, model.CreateCellPipeline(allowDamaged), jobs);
        var predictions = table.Rows.Select(model.Classify).ToList();
        CliOutput.EnsureParent(path);
        ShardOptions.Forget(path);
        Write(path, model, predictions);
        ShardOptions.WriteManifest("predict", shard, given[0], all, ShardSettings(parse), path, predictions.Count, []);
        int ok = predictions.Count(p => p.Prediction is not null);
        int notRecognised = predictions.Count(p => p.Status == CellStatus.NotRecognised);
        Console.Error.WriteLine($"shard {shard}: {ok} of {predictions.Count} cells classified -> {path}; the differential count comes with `raabin merge`");
        return CliOutput.Finished(predictions.Count - ok - notRecognised);
    }

    /// <summary>
    /// The settings a predict shard's rows depend on: every option but the output, the workers and the shard, with the
    /// model by the SHA-256 of its file (jobs may see it at other paths) and the inputs left to the listing's digests.
    /// </summary>
    internal static IEnumerable<KeyValuePair<string, string>> ShardSettings(ParseResult parse) =>
        ResumableOutput.Fingerprint(parse, [], excluded: ["--out", "--jobs", "inputs", "--model"], paths: []).Settings
            .Append(new("--model", "sha256:" + IO.ShardManifest.Sha256File(parse.GetValue<string>("--model")!)));

    /// <summary>Where the differential count of <paramref name="output"/> goes: <c>NAME.differential.csv</c> beside it.</summary>
    internal static string DifferentialPath(string output) =>
        (output.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? output[..^4] : output) + ".differential.csv";

    internal static void WriteDifferential(string path, Evaluation.DifferentialCount d)
    {
        using var writer = new CsvWriter(path);
        writer.Row(["class", "cells", "fraction", "ci_low", "ci_high"]);
        foreach (var row in d.Classes)
        {
            writer.Field(row.Class).Field(row.Count).Field(row.Fraction).Field(row.Lower).Field(row.Upper).EndRow();
        }

        writer.Commit();
    }

    internal static void PrintDifferential(Evaluation.DifferentialCount d, string path)
    {
        Console.WriteLine($"Differential count ({d.Classified} cells classified{(d.NotClassified > 0 ? $", {d.NotClassified} not" : string.Empty)}; " +
            $"95 % Wilson intervals; they cover sampling, not misclassification) -> {path}");
        Console.WriteLine($"  {"class",-14} {"cells",6} {"per 100",8}  {"95 % interval",15}");
        foreach (var row in d.Classes)
        {
            Console.WriteLine(FormattableString.Invariant($"  {row.Class,-14} {row.Count,6} {100 * row.Fraction,8:F1}  [{100 * row.Lower,5:F1}, {100 * row.Upper,5:F1}]"));
        }
    }

    private static void Report(TransductiveResult fitted) => Console.Error.WriteLine(
        FormattableString.Invariant($"transductive standardisation of {fitted.Domain}: {fitted.Cells} cells, {fitted.Iterations} re-weightings; predicted mix ") +
        string.Join(", ", fitted.EstimatedPriors.Select(kv => FormattableString.Invariant($"{kv.Key} {kv.Value:P1}"))));

    /// <summary>
    /// For a dataset folder, checks the split and warns about classes the model does not know before any image is
    /// read; for a feature CSV, after reading it (no pixels involved either way).
    /// </summary>
    private static void PrecheckLabels(string[] inputs, string? split, IReadOnlyList<string> classes)
    {
        if (inputs.Length != 1 || !Directory.Exists(inputs[0]))
        {
            return;
        }

        var dataset = Datasets.Dataset.Open(inputs[0]);
        CliValidation.WarnUnknownClasses(dataset.Name, classes, dataset.InSplit(split).Select(i => i.Label));
    }

    /// <summary>Loads a model, applies a decision-rule override, and reports what loading had to assume.</summary>
    internal static PipelineModel Load(string path, string? rule)
    {
        var model = PipelineModel.Load(path, ML.MlNetClassifiers.Loader);
        foreach (string warning in model.LoadWarnings)
        {
            CliOutput.Warn(warning);
        }

        return rule is null ? model : model.WithDecisionRule(PredictionColumns.ParseRule(rule));
    }

    internal static void Write(string path, PipelineModel model, IReadOnlyList<CellPrediction> predictions)
    {
        using var writer = new CsvWriter(path);
        writer.Row(new[] { "path", "label" }.Concat(PredictionColumns.Header(model.Classes)));
        foreach (var p in predictions)
        {
            writer.Field(p.Path).Field(p.Features.Label);
            PredictionColumns.Write(writer, p.Status, p.Prediction, model.Classes.Count, p.Error);
        }

        writer.Commit();
    }
}
