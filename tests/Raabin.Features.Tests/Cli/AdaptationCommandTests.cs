using System.Text.Json;
using Raabin.Features.IO;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Tests.Cli;

/// <summary>The domain levers end to end on the shipped samples: randomised copies, transductive prediction, adaptation, ablation.</summary>
public class AdaptationCommandTests
{
    private static readonly string[] OdCell = ["--segmenter", "od-cell", "--extractor", "od-groups", "--groups", "shape,colour"];

    private static string Features(string folder, string dataset, params string[] extra)
    {
        string csv = Path.Combine(folder, dataset + string.Concat(extra) + ".csv");
        var r = RaabinProcess.Run(["features", TestPaths.Sample(dataset), .. OdCell, "--out", csv, .. extra]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return csv;
    }

    [Fact]
    public void Randomised_copies_are_reproducible_differ_from_the_images_and_train_into_a_model_that_records_them()
    {
        using var tmp = TestPaths.NewTempFolder();
        string plain = Features(tmp.Path, "pbc");
        string copies = Features(tmp.Path, "pbc", "--randomise", "--randomise-seed", "5");
        string again = Path.Combine(tmp.Path, "again.csv");
        var r = RaabinProcess.Run(["features", TestPaths.Sample("pbc"), .. OdCell, "--randomise", "--randomise-seed", "5", "--jobs", "1", "--out", again]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(File.ReadAllText(copies), File.ReadAllText(again)); // same seed, other worker count: same bytes

        var table = FeatureTable.Load(copies);
        Assert.StartsWith("seed=5;stain=0.7..1.35;", table.Provenance.Randomization);
        Assert.All(table.Rows, row => Assert.EndsWith("+randomised", row.Domain));
        var original = FeatureTable.Load(plain);
        int changed = table.Rows.Zip(original.Rows).Count(p => !p.First.Values.SequenceEqual(p.Second.Values));
        Assert.True(changed >= table.Rows.Count - 1, $"{changed} of {table.Rows.Count} rows changed");

        string model = Path.Combine(tmp.Path, "m.json");
        r = RaabinProcess.Run("train", plain, "--randomised", copies, "--kernel", "rbf", "--c", "10", "--normalizer", "zscore", "--per-domain-standardisation", "--model", model);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var loaded = PipelineModel.Load(model);
        Assert.Equal(60, loaded.Training.Rows);
        Assert.True(loaded.Domain.PerDomainStandardization);
        Assert.StartsWith("seed=5;", loaded.Domain.Randomization);
        r = RaabinProcess.Run("model", "show", model);
        Assert.Contains("randomised training copies (seed=5;", r.Stdout);

        r = RaabinProcess.Run("train", plain, "--per-domain-standardisation", "--model", model);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--normalizer zscore", r.Stderr);
        r = RaabinProcess.Run("train", plain, "--randomised", plain, "--model", model);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("not a table of randomised copies", r.Stderr);
        r = RaabinProcess.Run("features", TestPaths.Sample("pbc"), "--segmenter", "od-cell", "--extractor", "od-groups", "--randomise", "--randomisation", "stain=2", "--out", Path.Combine(tmp.Path, "x.csv"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("stain", r.Stderr);
    }

    [Fact]
    public void Transductive_prediction_needs_a_batch_and_says_what_it_did()
    {
        using var tmp = TestPaths.NewTempFolder();
        string model = Path.Combine(tmp.Path, "m.json");
        var r = RaabinProcess.Run(["train", TestPaths.Sample("pbc"), .. OdCell, "--kernel", "rbf", "--normalizer", "zscore", "--per-domain-standardisation", "--model", model]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        string plain = Path.Combine(tmp.Path, "plain.csv"), batch = Path.Combine(tmp.Path, "batch.csv");
        r = RaabinProcess.Run("predict", "--model", model, TestPaths.Sample("bccd"), "--out", plain);
        Assert.True(r.ExitCode == 0, r.Stderr);
        r = RaabinProcess.Run("predict", "--model", model, TestPaths.Sample("bccd"), "--transductive", "domain", "--out", batch);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("needs at least 30 cells", r.Stderr);
        r = RaabinProcess.Run("predict", "--model", model, TestPaths.Sample("bccd"), "--transductive", "class-balanced", "--min-batch", "5", "--out", batch);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("transductive standardisation of", r.Stderr);
        Assert.Contains("re-weightings; predicted mix", r.Stderr);
        var a = CsvTable.Load(plain);
        var b = CsvTable.Load(batch);
        Assert.Equal(a.Rows.Count, b.Rows.Count);
        Assert.All(b.Rows, row => Assert.Equal("ok", row[b.IndexOf("status")]));
    }

    [Fact]
    public void Adapt_writes_a_model_that_records_the_method_and_its_cross_validated_score()
    {
        using var tmp = TestPaths.NewTempFolder();
        string model = Path.Combine(tmp.Path, "m.json"), adapted = Path.Combine(tmp.Path, "adapted.json");
        var r = RaabinProcess.Run(["train", TestPaths.Sample("pbc"), .. OdCell, "--kernel", "rbf", "--normalizer", "zscore", "--model", model]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        r = RaabinProcess.Run("adapt", "--model", model, "--labelled", TestPaths.Sample("bccd"), "--out", adapted, "--domain", "bccd-scope");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("2-fold cross-validation on the labelled cells", r.Stdout);
        Assert.Contains("<- used", r.Stdout);
        Assert.Contains("fewer than 6 labelled cells in a class: affine-map", r.Stdout);
        var m = PipelineModel.Load(adapted);
        Assert.Equal("bccd-scope", m.Domain.Adaptation!.Domain);
        Assert.Equal(2, m.Domain.Adaptation.Folds);
        Assert.Equal(4, m.Domain.Adaptation.Candidates.Count);
        Assert.Contains($"adapted by {m.Domain.Adaptation.Method}", r.Stdout);

        r = RaabinProcess.Run("adapt", "--model", model, "--labelled", TestPaths.Sample("bccd"), "--methods", "fine-tune", "--out", adapted);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("fine-tune", r.Stderr);
    }

    [Fact]
    public void Ablation_and_evaluate_report_every_lever_with_numbers_in_range()
    {
        using var tmp = TestPaths.NewTempFolder();
        string pbc = Features(tmp.Path, "pbc"), jtsc = Features(tmp.Path, "zheng-jtsc"), bccd = Features(tmp.Path, "bccd"), copies = Features(tmp.Path, "pbc", "--randomise");
        string outDir = Path.Combine(tmp.Path, "ablation");
        var r = RaabinProcess.Run("ablation", "--train", pbc, "--randomised", copies, "--test", $"jtsc={jtsc}", "--test", bccd, "--groups", "shape", "--groups", "all",
            "--shots", "0,1", "--draws", "2", "--transductive", "none,class-balanced", "--fixed-methods", "affine-map", "--lodo", "--out", outDir);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var csv = CsvTable.Load(Path.Combine(outDir, "ablation.csv"));

        // 2 feature sets × (without, with randomisation) × 2 test sets × (2 transductive modes + 1 few-shot k chosen by CV +
        // affine-map alone), then leaving one domain out: 2 × 2 × 2 test sets × 2 transductive modes.
        Assert.Equal(32 + 16, csv.Rows.Count);
        Assert.Equal(16, csv.Rows.Count(row => row[csv.IndexOf("training")] == "source + others" && row[csv.IndexOf("shots")] == "0"));
        Assert.Equal(8, csv.Rows.Count(row => row[csv.IndexOf("adaptation")] == "affine-map" && row[csv.IndexOf("methods")] == "affine-map 2"));
        Assert.All(csv.Rows, row => Assert.InRange(double.Parse(row[csv.IndexOf("accuracy")], System.Globalization.CultureInfo.InvariantCulture), 0, 1));
        Assert.Equal(16, csv.Rows.Count(row => row[csv.IndexOf("shots")] == "1" && row[csv.IndexOf("draws")] == "2"));
        string md = File.ReadAllText(Path.Combine(outDir, "ablation.md"));
        Assert.Contains("| training | features | randomised | transductive | k | adaptation | jtsc | bccd |", md);
        Assert.Contains("| source | all | yes | class-balanced | 0 | - |", md);
        Assert.Contains("| source | all | yes | none | 1 | affine-map |", md);
        Assert.Contains("| source + others | shape | no | none | 0 | - |", md);

        string evalDir = Path.Combine(tmp.Path, "evaluate");
        r = RaabinProcess.Run(["evaluate", "--train", TestPaths.Sample("pbc"), "--test", TestPaths.Sample("zheng-jtsc"), .. OdCell, "--kernel", "rbf", "--normalizer", "zscore",
            "--transductive", "domain", "--min-batch", "5", "--few-shot", "1", "--draws", "2", "--bootstrap", "20", "--randomise", "--randomise-seed", "3", "--out", evalDir]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(evalDir, "metrics.json")));
        var run = metrics.RootElement[0];
        Assert.Equal("domain", run.GetProperty("transductive").GetString());
        Assert.StartsWith("randomised training copies (seed=3;", run.GetProperty("domainSteps").GetString());
        Assert.Equal(60, run.GetProperty("training").GetProperty("rows").GetInt32()); // 30 images and their 30 copies
        var fewShot = run.GetProperty("fewShot")[0];
        Assert.Equal(1, fewShot.GetProperty("shots").GetInt32());
        Assert.Equal(2, fewShot.GetProperty("draws").GetInt32());
        Assert.InRange(fewShot.GetProperty("accuracy").GetProperty("mean").GetDouble(), 0, 1);
    }
}
