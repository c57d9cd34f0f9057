using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Raabin.Features.Evaluation;
using Raabin.Features.Import;
using Raabin.Features.IO;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// <c>raabin compare</c>: the SVM's predictions next to imported CNN scores (and a late-fusion model) on the same
/// images, per test set, with paired tests; published aggregate tables shown alongside.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var svm = new Option<string>("--svm") { Required = true, Description = "SVM predictions: predictions.csv of `raabin evaluate` (grouped by test_set) or of `raabin predict`." };
        var set = new Option<string?>("--set") { Description = "Test set name for a predictions file without a test_set column." };
        var also = new Option<string[]>("--also")
        {
            Description = "NAME=FILE: predictions of another toolkit model on the same images (predictions.csv of `raabin evaluate`, e.g. with another --trainer, or of `raabin predict`), compared like the SVM. Repeatable.",
        };
        var svmName = new Option<string>("--svm-name") { DefaultValueFactory = _ => "svm", Description = "The name the --svm predictions go by in the tables." };
        var cnn = new Option<string[]>("--cnn") { Description = "NAME=FILE of imported scores; FILE may contain {set} (e.g. scores_resnet18_{set}.csv, with pbc:test written pbc-test). Repeatable." };
        var published = new Option<string[]>("--published") { Description = "NAME=FILE of a published aggregate table (method,class,precision_pct,sensitivity_pct,f1_pct,accuracy_pct). Repeatable." };
        var output = new Option<string>("--out", "-o") { Required = true, Description = "Output folder: comparison.json and summary.md." };
        var inDomain = new Option<string?>("--in-domain") { Description = "The in-domain test set the drops are measured from (default: the first set)." };
        var logits = new Option<bool>("--logits") { Description = "Imported values are logits: apply softmax." };
        var classMap = new Option<string?>("--class-map") { Description = "Class map for index-based or bare-name score files." };
        var missingMass = new Option<string?>("--missing-mass") { Description = "Top-k files with k < classes: spread-uniform or top1-only (default: refuse)." };
        var noFusion = new Option<bool>("--no-fusion") { Description = "Do not add the SVM+CNN late-fusion models." };
        var bootstrap = CliValidation.AtLeast(new Option<int>("--bootstrap") { DefaultValueFactory = _ => BootstrapOptions.DefaultReplicates, Description = "Bootstrap replicates (1 or more)." }, 1);
        var seed = new Option<ulong>("--bootstrap-seed") { DefaultValueFactory = _ => BootstrapOptions.DefaultSeed, Description = "Bootstrap seed." };
        var command = new Command("compare",
            "Compare the SVM with imported CNN scores on the same images: metrics with bootstrap intervals, exact McNemar tests, " +
            "paired bootstrap intervals of the differences, κ between models, calibration, in-domain to cross-domain drops.")
        {
            svm, svmName, also, set, cnn, published, output, inDomain, logits, classMap, missingMass, noFusion, bootstrap, seed,
        };
        command.SetAction(parse =>
        {
            try
            {
                var importOptions = new ScoreImportOptions
                {
                    Values = parse.GetValue(logits) ? ScoreValueKind.Logits : ScoreValueKind.Probabilities,
                    ClassMap = parse.GetValue(classMap) is { } map ? ClassMap.Load(map) : null,
                    MissingMass = parse.GetValue(missingMass) is { } mm ? ScoreImportOptions.ParseMissingMass(mm) : MissingMassPolicy.Refuse,
                };
                var bootstrapOptions = new BootstrapOptions { Replicates = parse.GetValue(bootstrap), Seed = parse.GetValue(seed) };
                var svmSets = ReadSvm(parse.GetValue(svm)!, parse.GetValue(set), parse.GetValue(svmName)!);
                var others = (parse.GetValue(also) ?? []).Select(ParseNamed).Select(a => (a.Name, Sets: ReadSvm(a.Value, parse.GetValue(set), a.Name))).ToList();
                var names = new[] { parse.GetValue(svmName)! }.Concat(others.Select(o => o.Name)).ToList();
                if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
                {
                    throw new ArgumentException($"two models have the same name ({string.Join(", ", names)}); name each --also NAME=FILE");
                }

                var cnnSpecs = (parse.GetValue(cnn) ?? []).Select(ParseNamed).ToList();
                RequireScoreFiles(cnnSpecs, svmSets.Select(s => s.Set).ToList());
                var comparisons = new List<SetComparison>();
                var importNotes = new List<string>();
                foreach (var (setName, svmScores) in svmSets)
                {
                    var models = new List<ModelScores> { svmScores };
                    foreach (var (name, sets) in others)
                    {
                        var match = sets.FirstOrDefault(s => s.Set == setName).Scores;
                        if (match is null)
                        {
                            importNotes.Add($"{setName}: {name} has no predictions for this set; not compared on it");
                            continue;
                        }

                        models.Add(match);
                    }

                    foreach (var (name, pattern) in cnnSpecs)
                    {
                        string file = pattern.Replace("{set}", setName.Replace(':', '-'), StringComparison.Ordinal);
                        if (!File.Exists(file))
                        {
                            importNotes.Add($"{setName}: {name}: {file} not found; not compared on this set");
                            continue;
                        }

                        models.Add(Import(name, file, importOptions with { ModelName = name }, svmScores, importNotes, setName));
                    }

                    if (!parse.GetValue(noFusion))
                    {
                        foreach (var m in models.Where(m => m.Kind == "cnn").ToList())
                        {
                            models.Add(ModelComparison.Fuse($"{svmScores.Name}+{m.Name}", svmScores, m));
                        }
                    }

                    comparisons.Add(ModelComparison.Compare(setName, models, bootstrapOptions));
                }

                var tables = (parse.GetValue(published) ?? []).Select(ParseNamed).Select(p => (p.Name, Table: PublishedTable.Load(p.Value))).ToList();
                string dir = parse.GetValue(output)!;
                Directory.CreateDirectory(dir);
                string reference = parse.GetValue(inDomain) ?? comparisons[0].Set;
                var drops = Drops(comparisons, reference);
                AtomicFile.Write(Path.Combine(dir, "comparison.json"), stream => JsonSerializer.Serialize(stream, new
                {
                    sets = comparisons,
                    inDomain = reference,
                    drops,
                    published = tables.Select(t => new { name = t.Name, source = t.Table.Source, rows = t.Table.Rows }),
                    notes = importNotes,
                }, EvaluationJson.Options));

                string markdown = Markdown(comparisons, drops, reference, tables, importNotes);
                AtomicFile.WriteAllText(Path.Combine(dir, "summary.md"), markdown);
                Console.Write(markdown);
                return CliOutput.Success;
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or FormatException or DataFileException)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }
        });
        return command;
    }

    internal sealed record Drop(string Model, string Set, double AccuracyDrop, double MacroF1Drop);

    /// <summary>Refuses a <c>--cnn</c> pattern that names no existing file for any test set (a typo, not a missing set).</summary>
    private static void RequireScoreFiles(List<(string Name, string Value)> specs, List<string> sets)
    {
        foreach (var (name, pattern) in specs)
        {
            var tried = sets.Select(s => pattern.Replace("{set}", s.Replace(':', '-'), StringComparison.Ordinal)).Distinct().ToList();
            if (!tried.Any(File.Exists))
            {
                throw new FileNotFoundException(
                    $"--cnn {name}={pattern}: no score file for any test set (tried {string.Join(", ", tried.Take(4))}{(tried.Count > 4 ? ", ..." : string.Empty)})");
            }
        }
    }

    private static (string Name, string Value) ParseNamed(string spec)
    {
        int eq = spec.IndexOf('=');
        return eq > 0 ? (spec[..eq], spec[(eq + 1)..]) : (Path.GetFileNameWithoutExtension(spec), spec);
    }

    /// <summary>Reads SVM predictions (one set per <c>test_set</c> value, in file order).</summary>
    private static List<(string Set, ModelScores Scores)> ReadSvm(string path, string? setName, string modelName)
    {
        var table = CsvTable.Load(path);
        int p = table.RequireColumn("path"), label = table.RequireColumn("label"), pred = table.RequireColumn("pred");
        int testSet = table.IndexOf("test_set");
        if (testSet < 0 && setName is null)
        {
            setName = Path.GetFileNameWithoutExtension(path);
        }

        var probColumns = table.Header.Select((h, i) => (h, i)).Where(x => x.h.StartsWith("p_", StringComparison.Ordinal)).ToList();
        var classes = probColumns.Select(x => x.h[2..]).ToList();
        var sets = new List<(string, Dictionary<string, ScoredImage>)>();
        for (int r = 0; r < table.Rows.Count; r++)
        {
            string[] row = table.Rows[r];
            string name = testSet >= 0 ? row[testSet] : setName!;
            var images = sets.FirstOrDefault(s => s.Item1 == name).Item2;
            if (images is null)
            {
                images = new Dictionary<string, ScoredImage>(StringComparer.Ordinal);
                sets.Add((name, images));
            }

            double[]? probs = null;
            if (row[pred].Length > 0 && probColumns.Count > 0)
            {
                probs = probColumns.Select(c => table.GetDouble(r, c.i)).ToArray();
                if (probs.Any(double.IsNaN))
                {
                    probs = null;
                }
            }

            if (!images.TryAdd(row[p], new ScoredImage(row[label], row[pred].Length > 0 ? row[pred] : null, probs)))
            {
                throw new CsvFormatException(path, table.LineNumbers[r], "path", $"'{row[p]}' appears twice in test set '{name}'");
            }
        }

        return sets.Select(s => (s.Item1, new ModelScores(modelName, "svm", classes, s.Item2, []))).ToList();
    }

    private static ModelScores Import(string name, string file, ScoreImportOptions options, ModelScores svm, List<string> notes, string set)
    {
        var imported = new ScoreImporter(options).Import(file);
        if (imported.HasProbabilities && imported.Classes.OrderBy(c => c, StringComparer.Ordinal).SequenceEqual(svm.Classes.OrderBy(c => c, StringComparer.Ordinal)))
        {
            imported = imported.WithClassOrder(svm.Classes);
        }

        var match = ScoreMatcher.Match(imported.Rows, svm.Images.Keys.ToList());
        foreach (string assumption in imported.Assumptions)
        {
            notes.Add($"{set}: {name}: assumed: {assumption}");
        }

        if (match.ByNameCount > 0)
        {
            notes.Add($"{set}: {name}: {match.ByNameCount} rows matched by unique file name, {match.ExactCount} by path");
        }

        if (match.UnmatchedRows.Count > 0)
        {
            notes.Add($"{set}: {name}: {match.UnmatchedRows.Count} score rows match no image (first: line {match.UnmatchedRows[0].Line}, '{match.UnmatchedRows[0].Key}')");
        }

        if (match.Unscored.Count > 0)
        {
            notes.Add($"{set}: {name}: {match.Unscored.Count} images have no score (first: {match.Unscored[0]})");
        }

        if (match.Duplicates.Count > 0)
        {
            notes.Add($"{set}: {name}: {match.Duplicates.Count} keys appear more than once (first: '{match.Duplicates[0].Key}'); left out");
        }

        if (match.Ambiguous.Count > 0)
        {
            notes.Add($"{set}: {name}: {match.Ambiguous.Count} file names are ambiguous (first: '{match.Ambiguous[0].FileName}'); left out");
        }

        var images = new Dictionary<string, ScoredImage>(StringComparer.Ordinal);
        foreach (var m in match.Matched)
        {
            images[m.OurPath] = new ScoredImage(m.Score.TrueLabel ?? string.Empty, m.Score.PredictedLabel, m.Score.Probabilities);
        }

        return new ModelScores(name, "cnn", imported.Classes, images, imported.Assumptions);
    }

    private static List<Drop> Drops(List<SetComparison> sets, string reference)
    {
        var inDomain = sets.FirstOrDefault(s => s.Set == reference) ?? throw new ArgumentException($"--in-domain '{reference}' is not one of the test sets ({string.Join(", ", sets.Select(s => s.Set))})");
        var drops = new List<Drop>();
        foreach (var s in sets.Where(s => s != inDomain))
        {
            foreach (var m in s.Models)
            {
                var baseline = inDomain.Models.FirstOrDefault(x => x.Model == m.Model);
                if (baseline is not null)
                {
                    drops.Add(new Drop(m.Model, s.Set, baseline.Metrics.Accuracy - m.Metrics.Accuracy, baseline.Metrics.MacroF1 - m.Metrics.MacroF1));
                }
            }
        }

        return drops;
    }

    private static string Markdown(List<SetComparison> sets, List<Drop> drops, string reference, List<(string Name, PublishedTable Table)> tables, List<string> notes)
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.AppendLine("# Model comparison").AppendLine();
        md.AppendLine("Every model is scored on the same images of each test set (those all of them scored). Intervals: stratified " +
            "bootstrap 95 %. Paired tests: exact McNemar on the discordant images; differences are A − B with paired bootstrap intervals.").AppendLine();
        foreach (var s in sets)
        {
            md.AppendLine(inv, $"## {s.Set} ({s.PairedImages} images)").AppendLine();
            md.AppendLine("| model | accuracy [95 % CI] | macro-F1 [95 % CI] | balanced accuracy | κ | MCC | ECE (15 bins) | rejected |");
            md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (var m in s.Models)
            {
                var ci = m.Intervals;
                md.AppendLine(inv,
                    $"| {m.Model} | {m.Metrics.Accuracy:F4} [{ci.Accuracy.Lower:F4}, {ci.Accuracy.Upper:F4}] | {m.Metrics.MacroF1:F4} [{ci.MacroF1.Lower:F4}, {ci.MacroF1.Upper:F4}] | " +
                    $"{m.Metrics.BalancedAccuracy:F4} | {m.Metrics.CohenKappa:F4} | {m.Metrics.MatthewsCorrelation:F4} | {(m.Calibration is { } c ? c.ExpectedCalibrationError.ToString("F4", inv) : "–")} | {m.Rejected} |");
            }

            md.AppendLine().AppendLine("| A vs B | accuracy A − B [95 % CI] | macro-F1 A − B [95 % CI] | McNemar b / c | p | κ between | agreement |");
            md.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
            foreach (var p in s.Pairs)
            {
                var r = p.Result;
                md.AppendLine(inv,
                    $"| {p.ModelA} vs {p.ModelB} | {r.AccuracyDifference.Estimate:+0.0000;-0.0000;0.0000} [{r.AccuracyDifference.Lower:F4}, {r.AccuracyDifference.Upper:F4}] | " +
                    $"{r.MacroF1Difference.Estimate:+0.0000;-0.0000;0.0000} [{r.MacroF1Difference.Lower:F4}, {r.MacroF1Difference.Upper:F4}] | " +
                    $"{r.McNemar.OnlyFirstCorrect} / {r.McNemar.OnlySecondCorrect} | {FormatP(r.McNemar.PValue, r.McNemar.NaturalLogPValue)} | {r.PredictionKappa:F4} | {r.PredictionAgreement:F4} |");
            }

            foreach (string note in s.Notes)
            {
                md.AppendLine().Append("- ").Append(note);
            }

            md.AppendLine().AppendLine();
        }

        if (drops.Count > 0)
        {
            md.AppendLine(inv, $"## Drop from in-domain ({reference})").AppendLine();
            md.AppendLine("| model | " + string.Join(" | ", drops.Select(d => d.Set).Distinct()) + " |");
            md.AppendLine("| --- |" + string.Concat(drops.Select(d => d.Set).Distinct().Select(_ => " --- |")));
            foreach (var model in drops.Select(d => d.Model).Distinct())
            {
                md.Append(inv, $"| {model} |");
                foreach (var setName in drops.Select(d => d.Set).Distinct())
                {
                    var d = drops.FirstOrDefault(x => x.Model == model && x.Set == setName);
                    md.Append(d is null ? " – |" : string.Create(inv, $" accuracy −{d.AccuracyDrop:F4}, macro-F1 −{d.MacroF1Drop:F4} |"));
                }

                md.AppendLine();
            }

            md.AppendLine();
        }

        foreach (var (name, table) in tables)
        {
            md.AppendLine(inv, $"## Published: {name} (aggregate only; no per-image data, so no paired tests)").AppendLine();
            md.AppendLine("| method | accuracy | macro-F1 (mean of per-class F1) | classes |").AppendLine("| --- | --- | --- | --- |");
            foreach (string method in table.Methods)
            {
                var rows = table.Rows.Where(r => r.Method == method).ToList();
                md.AppendLine(inv, $"| {method} | {rows[0].Accuracy:F4} | {rows.Average(r => r.F1):F4} | {rows.Count} |");
            }

            md.AppendLine().AppendLine(inv, $"Values are rounded to {table.DecimalPlaces} decimal places of a percent in the source ({table.Source}).").AppendLine();
        }

        if (notes.Count > 0)
        {
            md.AppendLine("## Import notes").AppendLine();
            foreach (string n in notes.Distinct())
            {
                md.Append("- ").AppendLine(n);
            }
        }

        return md.ToString();
    }

    private static string FormatP(double p, double logP) =>
        p >= 1e-4 ? p.ToString("F4", CultureInfo.InvariantCulture)
        : p > 0 ? p.ToString("0.00E+00", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"e^{logP:F1}");
}
