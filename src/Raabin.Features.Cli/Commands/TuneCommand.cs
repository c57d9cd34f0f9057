using System.CommandLine;
using System.Globalization;
using Raabin.Features.Measurement;
using Raabin.Features.IO;
using Raabin.Features.Learning;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Cli.Commands;

/// <summary><c>raabin tune INPUT --out cv.csv [--model best.json]</c>: stratified k-fold grid search.</summary>
internal static class TuneCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A dataset folder or a feature CSV." };
        var output = new Option<string>("--out", "-o") { Required = true, Description = "CSV of every grid point: mean and spread of accuracy and macro-F1, and each fold's scores." };
        var model = new Option<string?>("--model", "-m") { Description = "Also train the best point on all rows and save it here." };
        var kernels = new Option<string>("--kernels") { DefaultValueFactory = _ => "poly,rbf", Description = "Comma-separated kernels (linear, poly, rbf, sigmoid)." };
        var cs = new Option<string>("--c-values") { DefaultValueFactory = _ => "0.5,1,2,6,10,30,100", Description = "Comma-separated C values." };
        var gammas = new Option<string>("--gammas") { DefaultValueFactory = _ => "scale,0.03,0.1,0.3,1,3", Description = "Comma-separated γ values (scale, auto or numbers)." };
        var degrees = new Option<string>("--degrees") { DefaultValueFactory = _ => "2,3,4", Description = "Comma-separated polynomial degrees." };
        var folds = CliValidation.AtLeast(new Option<int>("--folds", "-k") { DefaultValueFactory = _ => 5, Description = "Number of folds (2 or more)." }, 2);
        var seed = CliValidation.AtLeast(new Option<int>("--seed") { DefaultValueFactory = _ => 1, Description = "Seed of the fold assignment (and of the final model's probabilities; 0 or more)." }, 0);
        var split = new Option<string?>("--split") { Description = "Only rows of this split (e.g. train)." };
        var manifest = new Option<string?>("--manifest") { Description = "A manifest.csv joined to a feature CSV by path (split, domain)." };
        var classWeight = new Option<string[]>("--class-weight") { Description = "CLASS=WEIGHT multiplier of C (repeatable)." };
        var normalizer = new Option<string>("--normalizer") { DefaultValueFactory = _ => "minmax", Description = "minmax, zscore or none." };
        var jobs = CliValidation.JobsOption();
        var trainerChoice = new TrainerOptions();
        var trainerGrid = new Option<string?>("--grid")
        {
            Description = "The grid of an ML.NET trainer: KEY=V1,V2,…;KEY2=… (its settings, see --trainer-options); every combination is scored, unnamed keys at --trainer-options or the defaults.",
        };
        var command = new Command("tune", "Choose the classifier's settings by stratified k-fold cross-validation over a grid (best = highest mean macro-F1): the kernel SVM's kernel, C, γ, degree, or an ML.NET trainer's --grid.")
        {
            input, output, model, kernels, cs, gammas, degrees, folds, seed, split, manifest, classWeight, normalizer, jobs, trainerGrid,
        };
        trainerChoice.AddTo(command);
        command.SetAction(parse =>
        {
            try
            {
                var baseOptions = new SvmClassifierOptions
                {
                    ClassWeights = ParseWeights(parse.GetValue(classWeight) ?? []),
                    Normalizer = SvmOptions.ParseNormalizer(parse.GetValue(normalizer)!),
                    Seed = parse.GetValue(seed),
                };
                var external = trainerChoice.Read(parse, parse.GetValue(seed), [kernels, cs, gammas, degrees]);
                if (external is null && parse.GetValue(trainerGrid) is not null)
                {
                    throw new ArgumentException("--grid is the grid of an ML.NET trainer; the kernel SVM's grid is --kernels, --c-values, --gammas, --degrees");
                }

                var grid = external is not null
                    ? ExternalGrid(external.Name, parse.GetValue(trainerChoice.Settings), parse.GetValue(trainerGrid), parse.GetValue(seed))
                    : GridSearch.Product(
                        Split(parse.GetValue(kernels)!).Select(SvmOptions.ParseKernel),
                        Split(parse.GetValue(cs)!).Select(v => ParseNumber("--c-values", v, positive: true)),
                        Split(parse.GetValue(gammas)!).Select(GammaSpec.Parse),
                        Split(parse.GetValue(degrees)!).Select(v => (int)ParseNumber("--degrees", v, positive: true, integer: true)));
                string inputPath = parse.GetValue(input)!;
                var table = FeatureInput.IsFeatureCsv([inputPath])
                    ? FeatureInput.LoadTable(inputPath, parse.GetValue(split), parse.GetValue(manifest))
                    : FeatureInput.Measure([inputPath], parse.GetValue(split), CellPipeline.Reference(), parse.GetValue(jobs));

                // The same checks and the same id binding (the extractor's order) as `train`.
                var probe = new PipelineTrainerOptions();
                var ids = (table.Provenance.Extractor ?? ExtractorSpec.Reference).Create().Features.Select(f => f.Id).ToList();
                var bound = table.Select(ids);
                var usable = bound.Rows.Where(r => r.IsOk && r.Label.Length > 0 && r.Values.All(double.IsFinite)).ToList();
                var data = new LabelledFeatures(ids, usable.Select(r => r.Values).ToList(), usable.Select(r => r.Label).ToList(), usable.Select(r => r.Domain).ToList());
                var search = new GridSearch(baseOptions, grid, parse.GetValue(folds), parse.GetValue(seed));
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var results = search.Run(data, parse.GetValue(jobs), (done, total) => CliOutput.Progress("fits", done, total));
                watch.Stop();
                string path = parse.GetValue(output)!;
                CliOutput.EnsureParent(path);
                Write(path, results);
                var best = GridSearch.Best(results);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{results.Count} settings × {search.Folds} folds on {data.Rows.Count} rows in {watch.Elapsed.TotalSeconds:F1} s -> {path}"));
                foreach (var r in results.OrderByDescending(r => r.MeanMacroF1).Take(5))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {r.Point,-32} macro-F1 {r.MeanMacroF1:F4} ± {r.StdMacroF1:F4}  accuracy {r.MeanAccuracy:F4} ± {r.StdAccuracy:F4}"));
                }

                if (parse.GetValue(model) is { } modelPath)
                {
                    var options = best.Point.External is not null ? baseOptions : baseOptions with { Kernel = best.Point.Kernel, C = best.Point.C, Gamma = best.Point.Gamma, Degree = best.Point.Degree };
                    var trained = new PipelineTrainer(probe with { Classifier = options, ExternalTrainer = best.Point.External }).Fit(table, parse.GetValue(split) ?? string.Empty, CliOutput.Warn);
                    CliOutput.EnsureParent(modelPath);
                    trained.Save(modelPath);
                    Console.WriteLine($"best {best.Point} trained on all {data.Rows.Count} rows -> {modelPath}");
                }

                return CliOutput.Finished(table.Rows.Count(r => !r.IsOk));
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or FormatException or CsvFormatException)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }
        });
        return command;
    }

    // Every combination of the --grid values (KEY=V1,V2;…) over the base settings, as trainers.
    private static List<GridPoint> ExternalGrid(string trainer, string? baseSettings, string? grid, int seed)
    {
        var combinations = new List<string> { baseSettings ?? string.Empty };
        foreach (string axis in (grid ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = axis.IndexOf('=');
            var values = eq > 0 ? Split(axis[(eq + 1)..]) : [];
            if (values.Length == 0)
            {
                throw new ArgumentException($"--grid '{axis}': expected KEY=V1,V2,…");
            }

            combinations = [.. combinations.SelectMany(c => values.Select(v => $"{c};{axis[..eq].Trim()}={v}"))];
        }

        return [.. combinations.Select(c => GridPoint.Of(ML.MlNetClassifierTrainer.Create(trainer, c, seed))).DistinctBy(p => p.ToString())];
    }

    internal static Dictionary<string, double> ParseWeights(IEnumerable<string> specs)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string spec in specs)
        {
            int eq = spec.LastIndexOf('=');
            if (eq <= 0 || !double.TryParse(spec[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double w) || w <= 0)
            {
                throw new ArgumentException($"--class-weight '{spec}': expected CLASS=WEIGHT with a positive weight");
            }

            weights[spec[..eq]] = w;
        }

        return weights;
    }

    private static double ParseNumber(string option, string text, bool positive, bool integer = false) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && (!positive || v > 0) && (!integer || (v == Math.Floor(v) && v <= int.MaxValue))
            ? v
            : throw new ArgumentException($"{option}: '{text}' is not a {(integer ? "whole" : "finite")} number{(positive ? " greater than 0" : string.Empty)}");

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void Write(string path, IReadOnlyList<CrossValidationResult> results)
    {
        using var w = new CsvWriter(path);
        int folds = results.Count > 0 ? results[0].FoldAccuracy.Count : 0;
        bool external = results.Any(r => r.Point.External is not null);
        w.Row((external ? new[] { "trainer", "settings" } : new[] { "kernel", "c", "gamma", "degree" })
            .Concat(["mean_accuracy", "std_accuracy", "mean_macro_f1", "std_macro_f1"])
            .Concat(Enumerable.Range(0, folds).Select(f => $"accuracy_fold{f}"))
            .Concat(Enumerable.Range(0, folds).Select(f => $"macro_f1_fold{f}")));
        foreach (var r in results)
        {
            if (r.Point.External is { } e)
            {
                w.Field(e.Name).Field(e.Settings);
            }
            else
            {
                w.Field(r.Point.Kernel.ToString().ToLowerInvariant()).Field(r.Point.C).Field(r.Point.Gamma.ToString()).Field(r.Point.Degree);
            }

            w.Field(r.MeanAccuracy).Field(r.StdAccuracy).Field(r.MeanMacroF1).Field(r.StdMacroF1);
            foreach (double a in r.FoldAccuracy)
            {
                w.Field(a);
            }

            foreach (double f in r.FoldMacroF1)
            {
                w.Field(f);
            }

            w.EndRow();
        }

        w.Commit();
    }
}
