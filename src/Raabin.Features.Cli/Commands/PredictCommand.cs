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
                if (shard is not null)
                {
                    return PredictShard(parse, shard, given, pipelineModel, mode, path, parse.GetValue(split), parse.GetValue(allowDamaged), parse.GetValue(jobs));
                }

                // Without --transductive each cell is classified on its own, so predictions stream: each row is written as
                // its image is measured, and nothing is kept but the counts. --transductive standardises each domain with
                // the statistics of all its cells, so it holds the batch's features (not pixels) until they are classified.
                IEnumerable<CellPrediction> predictions;
                if (FeatureInput.IsFeatureCsv(given))
                {
                    var table = FeatureInput.LoadTable(given[0], parse.GetValue(split), parse.GetValue(manifest));
                    var binding = pipelineModel.Bind(table);
                    CliValidation.WarnUnknownClasses(Path.GetFileName(given[0]), pipelineModel.Classes, table.Rows.Select(r => r.Label));
                    predictions = mode == TransductiveMode.None
                        ? table.Rows.Select(r => pipelineModel.Classify(r, binding))
                        : pipelineModel.ClassifyTransductive(table.Rows, binding, transduction, Report);
                }
                else
                {
                    var rows = FeatureInput.MeasureRows(given, parse.GetValue(split), pipelineModel.CreateCellPipeline(parse.GetValue(allowDamaged)), parse.GetValue(jobs));
                    predictions = mode == TransductiveMode.None
                        ? rows.Select(pipelineModel.Classify)
                        : pipelineModel.ClassifyTransductive([.. rows], transduction, Report);
                }

                CliOutput.EnsureParent(path);
                ShardOptions.Forget(path);
                var tally = Write(path, pipelineModel, predictions);
                var differential = tally.Differential();
                string differentialPath = DifferentialPath(path);
                WriteDifferential(differentialPath, differential);
                PrintDifferential(differential, differentialPath);
                int ok = tally.Classified;
                int disagree = tally.RulesDisagree;
                int notRecognised = tally.NotRecognised;
                Console.Error.WriteLine($"{ok} of {tally.Cells} cells classified by {PredictionColumns.RuleName(pipelineModel.DecisionRule)} -> {path}" +
                    (disagree > 0 ? $"; the other rule disagrees on {disagree} (column other_rule_pred)" : string.Empty) +
                    (notRecognised > 0 ? $"; {notRecognised} not recognised (the model's reject rule: the error column says why)" : string.Empty));

                // A cell the reject rule leaves unlabelled is an answer, not a failed input.
                return CliOutput.Finished(tally.Cells - ok - notRecognised);
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
        var rows = FeatureInput.MeasureRows(dataset, items, model.CreateCellPipeline(allowDamaged), jobs);
        CliOutput.EnsureParent(path);
        ShardOptions.Forget(path);
        var tally = Write(path, model, rows.Select(model.Classify));
        ShardOptions.WriteManifest("predict", shard, given[0], all, ShardSettings(parse), path, tally.Cells, []);
        Console.Error.WriteLine($"shard {shard}: {tally.Classified} of {tally.Cells} cells classified -> {path}; the differential count comes with `raabin merge`");
        return CliOutput.Finished(tally.Cells - tally.Classified - tally.NotRecognised);
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

    /// <summary>
    /// Writes the predictions file as the predictions come (atomically: the file appears when the last row is written)
    /// and returns what it holds, counted; nothing else of a prediction is kept after its row.
    /// </summary>
    internal static PredictionTally Write(string path, PipelineModel model, IEnumerable<CellPrediction> predictions)
    {
        var tally = new PredictionTally(model.Classes);
        using var writer = new CsvWriter(path);
        writer.Row(new[] { "path", "label" }.Concat(PredictionColumns.Header(model.Classes)));
        foreach (var p in predictions)
        {
            writer.Field(p.Path).Field(p.Features.Label);
            PredictionColumns.Write(writer, p.Status, p.Prediction, model.Classes.Count, p.Error);
            tally.Add(p);
        }

        writer.Commit();
        return tally;
    }

    /// <summary>The counts a predict run reports, kept as rows are written instead of the predictions themselves.</summary>
    internal sealed class PredictionTally(IReadOnlyList<string> classes)
    {
        private readonly Dictionary<string, int> _labels = new(StringComparer.Ordinal);

        /// <summary>Rows written.</summary>
        public int Cells { get; private set; }

        /// <summary>Rows with a prediction.</summary>
        public int Classified { get; private set; }

        /// <summary>Rows where the other decision rule predicts another label.</summary>
        public int RulesDisagree { get; private set; }

        /// <summary>Rows the model's reject rule leaves unlabelled.</summary>
        public int NotRecognised { get; private set; }

        public void Add(CellPrediction p)
        {
            Cells++;
            if (p.Prediction is { } prediction)
            {
                Classified++;
                RulesDisagree += prediction.RulesDisagree ? 1 : 0;
                _labels[prediction.Label] = _labels.GetValueOrDefault(prediction.Label) + 1;
            }

            NotRecognised += p.Status == CellStatus.NotRecognised ? 1 : 0;
        }

        /// <summary>The differential count of the predicted labels (rows without a prediction count as not classified).</summary>
        public Evaluation.DifferentialCount Differential() => Evaluation.DifferentialCount.Of(classes,
            _labels.SelectMany(kv => Enumerable.Repeat<string?>(kv.Key, kv.Value)).Concat(Enumerable.Repeat<string?>(null, Cells - Classified)));
    }
}
