using System.CommandLine;
using System.Globalization;
using System.Text;
using Raabin.Features.Adaptation;
using Raabin.Features.IO;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// <c>raabin ablation --train FEATURES.csv:train --test FEATURES.csv ... --out DIR</c>: every domain lever on and off on
/// every test set (the library's <see cref="AblationProtocol"/>), as <c>ablation.csv</c> and <c>ablation.md</c>.
/// </summary>
internal static class AblationCommand
{
    public static Command Create()
    {
        var train = new Option<string>("--train") { Required = true, Description = "The source's feature CSV (from `raabin features`), optionally :SPLIT (e.g. pbc.csv:train)." };
        var randomised = new Option<string[]>("--randomised") { Description = "Features of randomised copies of the same images (`raabin features --randomise`), optionally :SPLIT (repeatable); adds the randomisation lever." };
        var tests = new Option<string[]>("--test") { Required = true, Description = "A labelled test set: [NAME=]FEATURES.csv[:SPLIT] (repeatable)." };
        var groups = new Option<string[]>("--groups") { Description = "Feature sets to compare: catalog groups joined by + (e.g. shape, shape+colour), or all (repeatable; default all)." };
        var transductive = new Option<string>("--transductive") { DefaultValueFactory = _ => "none,domain,class-balanced", Description = "Transductive modes to try, comma-separated: none, domain, class-balanced." };
        var shots = new Option<string>("--shots") { DefaultValueFactory = _ => "0,3,5,10,20", Description = "Labelled cells per class for few-shot adaptation, comma-separated (0 = none)." };
        var draws = CliValidation.AtLeast(new Option<int>("--draws") { DefaultValueFactory = _ => new AblationOptions().Draws, Description = "Seeded draws of the labelled cells per k." }, 1);
        var fixedMethods = new Option<string?>("--fixed-methods")
        {
            Description = "Adaptation methods to score alone as well, for each k (comma-separated: affine-map, target-only, joint, transductive, source): checks the cross-validated choice.",
        };
        var lodo = new Option<bool>("--lodo") { Description = "Also leave one domain out: train on the source plus every other test set not from it, test on the one left out." };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0, Description = "Seed of the draws." };
        var output = new Option<string>("--out", "-o") { Required = true, Description = "Output folder: ablation.csv and ablation.md." };
        var command = new Command("ablation",
            "Each domain lever on and off (feature groups, randomised training copies, transductive standardisation, few-shot " +
            "adaptation with k labelled cells) on every test set: F1 over classes with ≥ 10 cells, macro-F1, accuracy, intervals.")
        {
            train, randomised, tests, groups, transductive, shots, draws, fixedMethods, lodo, seed, output,
        };
        command.SetAction(parse =>
        {
            try
            {
                var source = Load(parse.GetValue(train)!);
                var copies = (parse.GetValue(randomised) ?? []).Select(Load).ToList();
                var sets = (parse.GetValue(tests) ?? []).Select(t =>
                {
                    int eq = t.IndexOf('=', StringComparison.Ordinal);
                    string name = eq > 0 ? t[..eq] : string.Empty;
                    var table = Load(eq > 0 ? t[(eq + 1)..] : t);

                    // Another split of the training file is in-domain: adapting to it with a few labels means nothing.
                    return new AblationTestSet(name.Length > 0 ? name : Path.GetFileNameWithoutExtension(table.Source), table,
                        InDomain: Path.GetFullPath(table.Source) == Path.GetFullPath(source.Source));
                }).ToList();
                var featureSets = (parse.GetValue(groups) is { Length: > 0 } g ? g : ["all"]).Select(x => AblationFeatureSet.FromGroups(x, source)).ToList();
                var options = new AblationOptions
                {
                    Transductive = parse.GetValue(transductive)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(TransductiveOptions.ParseMode).ToList(),
                    Shots = CliValidation.WholeNumbers("--shots", parse.GetValue(shots), minimum: 0),
                    Draws = parse.GetValue(draws),
                    LeaveOneDomainOut = parse.GetValue(lodo),
                    FixedMethods = (parse.GetValue(fixedMethods) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(FewShotOptions.ParseMethod).ToList(),
                    Seed = parse.GetValue(seed),
                };
                string outDir = parse.GetValue(output)!;
                Directory.CreateDirectory(outDir);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var rows = new AblationProtocol(options).Run(source, copies, featureSets, sets, line => Console.Error.WriteLine(line));
                WriteCsv(Path.Combine(outDir, "ablation.csv"), rows);
                AtomicFile.WriteAllText(Path.Combine(outDir, "ablation.md"), Markdown(rows, sets.Select(s => s.Name).ToList()));
                Console.WriteLine(Markdown(rows, sets.Select(s => s.Name).ToList()));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done in {watch.Elapsed.TotalSeconds:F1} s -> {outDir}"));
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

    // FILE.csv or FILE.csv:SPLIT.
    private static FeatureTable Load(string spec)
    {
        int colon = spec.LastIndexOf(':');
        bool hasSplit = colon > 0 && !File.Exists(spec) && File.Exists(spec[..colon]);
        string path = hasSplit ? spec[..colon] : spec;
        if (!File.Exists(path))
        {
            throw new ArgumentException($"{path}: no such feature CSV (measure a dataset with `raabin features` first)");
        }

        var table = FeatureTable.Load(path);
        return hasSplit ? FeatureBatch.InSplit(table, spec[(colon + 1)..]) : table;
    }

    private static void WriteCsv(string path, IReadOnlyList<AblationRow> rows)
    {
        using var w = new CsvWriter(path);
        w.Row(["training", "features", "randomised", "transductive", "shots", "adaptation", "test_set", "cells", "draws", "f1_10", "f1_10_sd", "macro_f1", "macro_f1_low", "macro_f1_high",
            "macro_f1_sd", "accuracy", "accuracy_low", "accuracy_high", "accuracy_sd", "methods"]);
        foreach (var r in rows)
        {
            w.Field(r.Training).Field(r.Features).Field(r.Randomized ? "yes" : "no").Field(r.Transductive).Field(r.Shots).Field(r.Adaptation).Field(r.TestSet).Field(r.Cells).Field(r.Draws)
                .Field(r.F1Large).Field(r.F1LargeSd).Field(r.MacroF1).Field(r.MacroF1Interval.Lower).Field(r.MacroF1Interval.Upper).Field(r.MacroF1Sd)
                .Field(r.Accuracy).Field(r.AccuracyInterval.Lower).Field(r.AccuracyInterval.Upper).Field(r.AccuracySd).Field(r.Methods).EndRow();
        }

        w.Commit();
    }

    /// <summary>One line per configuration, one column per test set: F1₁₀ (± SD over draws).</summary>
    internal static string Markdown(IReadOnlyList<AblationRow> rows, IReadOnlyList<string> tests)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"| training | features | randomised | transductive | k | adaptation | {string.Join(" | ", tests)} |");
        sb.AppendLine($"| --- | --- | --- | --- | --- | --- |{string.Concat(tests.Select(_ => " --- |"))}");
        foreach (var config in rows.GroupBy(r => (r.Training, r.Features, r.Randomized, r.Transductive, r.Shots, r.Adaptation)))
        {
            var cells = tests.Select(t => config.FirstOrDefault(r => r.TestSet == t) is { } r
                ? FormattableString.Invariant($"{r.F1Large:F3}") + (r.Draws > 1 ? FormattableString.Invariant($" ± {r.F1LargeSd:F3}") : string.Empty)
                : "-");
            sb.AppendLine($"| {config.Key.Training} | {config.Key.Features} | {(config.Key.Randomized ? "yes" : "no")} | {config.Key.Transductive} | {config.Key.Shots} | {(config.Key.Adaptation.Length > 0 ? config.Key.Adaptation : "-")} | {string.Join(" | ", cells)} |");
        }

        sb.AppendLine();
        sb.AppendLine("F1 over the classes with at least 10 scored cells (F1_10); k > 0: mean ± SD over the draws, scored on the cells not drawn.");
        return sb.ToString();
    }
}
