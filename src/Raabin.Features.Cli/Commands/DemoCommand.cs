using System.CommandLine;
using System.Globalization;
using Raabin.Features.Datasets;
using Raabin.Features.Measurement;
using Raabin.Features.Learning;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Cli.Commands;

/// <summary><c>raabin demo</c>: classify the shipped sample with the shipped model and print a differential count.</summary>
internal static class DemoCommand
{
    /// <summary>The model the demo uses, relative to the models folder.</summary>
    public const string DefaultModel = "reference-pbc.model.json";

    public static Command Create()
    {
        var samples = new Option<string?>("--samples") { Description = "Folder holding sample datasets (default: the shipped samples/)." };
        var model = new Option<string?>("--model", "-m") { Description = $"Model file (default: the shipped models/{DefaultModel})." };
        var quiet = new Option<bool>("--summary-only") { Description = "Print only the counts, not every cell." };
        var rule = new Option<string?>("--decision-rule") { Description = "Override the model's decision rule: vote or probability." };
        var command = new Command("demo", "Classify the real sample cells shipped with the toolkit and print the differential count.") { samples, model, quiet, rule };
        command.SetAction(parse => Run(parse.GetValue(samples) ?? Locate("samples"), parse.GetValue(model) ?? Path.Combine(Locate("models"), DefaultModel), !parse.GetValue(quiet),
            parse.GetValue(rule)));
        return command;
    }

    /// <summary>Finds a folder shipped next to the executable (copied at build) or in the repository above it.</summary>
    internal static string Locate(string name)
    {
        string beside = Path.Combine(AppContext.BaseDirectory, name);
        if (Directory.Exists(beside))
        {
            return beside;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Raabin.Features.sln")))
            {
                return Path.Combine(dir.FullName, name);
            }
        }

        return beside;
    }

    internal static int Run(string samplesRoot, string modelPath, bool perCell, string? rule = null)
    {
        PipelineModel model;
        try
        {
            model = PredictCommand.Load(modelPath, rule);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            CliOutput.Error(e.Message);
            return CliOutput.Failed;
        }

        if (!Directory.Exists(samplesRoot))
        {
            CliOutput.Error($"{samplesRoot}: sample folder not found");
            return CliOutput.Failed;
        }

        var pipeline = model.CreateCellPipeline();
        Console.WriteLine($"Model: {Path.GetFileName(modelPath)}: {model.Classes.Count} classes, {model.FeatureIds.Count} features, " +
            $"trained on {model.Training.Rows} cells of {model.Training.Source}{(model.Training.Split.Length > 0 ? $" ({model.Training.Split})" : string.Empty)}");
        Console.WriteLine($"  segmenter {model.Segmenter}, extractor {model.Extractor}, decision rule {PredictionColumns.RuleName(model.DecisionRule)}");
        Console.WriteLine();

        var predicted = new Dictionary<string, int>(StringComparer.Ordinal);
        int total = 0, classified = 0;
        foreach (string folder in Directory.GetDirectories(samplesRoot).Order(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(folder, "manifest.csv")))
            {
                continue;
            }

            var dataset = CliValidation.OpenDataset(folder);
            int correct = 0, n = 0;
            var here = new Dictionary<string, int>(StringComparer.Ordinal);
            var truth = dataset.Items.GroupBy(i => i.Label).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            if (perCell)
            {
                Console.WriteLine($"{dataset.Name}:");
            }

            foreach (var result in pipeline.ProcessAll(dataset, dataset.Items))
            {
                total++;
                n++;
                var row = result.Row;
                var cell = model.Classify(row);
                if (cell.Prediction is not { } p)
                {
                    if (perCell)
                    {
                        Console.WriteLine($"  {row.Path,-48} {row.Label,-11} -> not classified ({cell.Status}: {cell.Error})");
                    }

                    continue;
                }

                classified++;
                predicted[p.Label] = predicted.GetValueOrDefault(p.Label) + 1;
                here[p.Label] = here.GetValueOrDefault(p.Label) + 1;
                correct += p.Label == row.Label ? 1 : 0;
                if (perCell)
                {
                    string confidence = p.Probability is { } prob ? string.Create(CultureInfo.InvariantCulture, $" p={prob:F2}") : string.Empty;
                    string other = p.OtherRuleLabel is { } o
                        ? $"  ({(p.Rule == DecisionRule.Vote ? "probability" : "vote")} rule: {o})"
                        : string.Empty;
                    Console.WriteLine($"  {row.Path,-48} {row.Label,-11} -> {p.Label,-11}{confidence}{(p.Label == row.Label ? string.Empty : "  (wrong)")}{other}");
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {dataset.Name}: {correct} of {n} correct ({100.0 * correct / Math.Max(n, 1):F1} %), domain {dataset.Items[0].Domain}"));
            Console.WriteLine("    differential, predicted / true: " +
                string.Join(", ", model.Classes.Select(c => $"{c} {here.GetValueOrDefault(c)}/{truth.GetValueOrDefault(c)}")));
            if (perCell)
            {
                Console.WriteLine();
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Differential count ({classified} cells classified of {total}):");
        Console.WriteLine($"  {"class",-12} {"cells",6} {"per 100",8}");
        foreach (string c in model.Classes)
        {
            int count = predicted.GetValueOrDefault(c);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c,-12} {count,6} {100.0 * count / Math.Max(classified, 1),8:F1}"));
        }

        return CliOutput.Finished(total - classified);
    }
}
