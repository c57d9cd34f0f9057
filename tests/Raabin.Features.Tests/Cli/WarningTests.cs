using System.Text.Json;

namespace Raabin.Features.Tests.Cli;

/// <summary>Warnings a careful user would want: empty class folders, train/test leakage, classes the model does not know.</summary>
public class WarningTests
{
    [Fact]
    public void An_empty_class_folder_is_warned_about_on_stderr()
    {
        using var tmp = TestPaths.NewTempFolder();
        string root = Path.Combine(tmp.Path, "raabin");
        Directory.CreateDirectory(Path.Combine(root, "Train", "Basophil"));
        Directory.CreateDirectory(Path.Combine(root, "Train", "Neutrophil"));
        File.Copy(TestPaths.Sample("zheng-jtsc", "images", "067.bmp"), Path.Combine(root, "Train", "Neutrophil", "067.bmp"));
        var r = RaabinProcess.Run("features", root, "--out", Path.Combine(tmp.Path, "f.csv"));
        Assert.Contains("raabin: warning: raabin: class folder 'Train/Basophil/' holds no images", r.Stderr);
    }

    [Fact]
    public void Evaluate_with_the_same_set_for_training_and_testing_warns_about_leakage_and_records_it()
    {
        using var tmp = TestPaths.NewTempFolder();
        var r = RaabinProcess.Run("evaluate", "--train", TestPaths.Sample("pbc"), "--test", TestPaths.Sample("pbc"), "--bootstrap", "50", "--out", tmp.Path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("30 of 30 images of test set pbc are also in training (30 same file, 0 byte-identical, 0 near-duplicate)", r.Stderr);
        Assert.True(r.Stderr.IndexOf("also in training", StringComparison.Ordinal) < r.Stderr.IndexOf("without features", StringComparison.Ordinal),
            "the leakage check runs before measuring");

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(tmp.Path, "metrics.json")));
        var overlap = json.RootElement[0].GetProperty("overlap")[0];
        Assert.Equal(30, overlap.GetProperty("sharedImages").GetInt32());
        Assert.Equal(30, overlap.GetProperty("sameFile").GetInt32());
        Assert.Equal("near", overlap.GetProperty("check").GetString());
    }

    [Fact]
    public void Evaluate_finds_byte_identical_and_re_encoded_copies_in_another_folder()
    {
        using var tmp = TestPaths.NewTempFolder();
        string copy = CliDatasets.Make(tmp.Path, "copy", perClass: 2);
        var r = RaabinProcess.Run("evaluate", "--train", TestPaths.Sample("pbc"), "--test", copy, "--test", TestPaths.Sample("bccd"),
            "--bootstrap", "50", "--out", Path.Combine(tmp.Path, "o"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("10 of 10 images of test set copy are also in training (0 same file, 10 byte-identical, 0 near-duplicate)", r.Stderr);
        Assert.DoesNotContain("test set bccd are also in training", r.Stderr);
    }

    [Fact]
    public void Evaluate_warns_about_test_classes_the_training_set_lacks()
    {
        using var tmp = TestPaths.NewTempFolder();
        string train = CliDatasets.Make(tmp.Path, "train", perClass: 6, relabel: l => l == "basophil" ? "eosinophil" : l);
        var r = RaabinProcess.Run("evaluate", "--train", train, "--test", TestPaths.Sample("zheng-jtsc"), "--bootstrap", "50",
            "--overlap-check", "none", "--out", Path.Combine(tmp.Path, "o"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Matches(@"test set zheng-jtsc: \d+ labelled images are of classes the training set lacks \(basophil \d+;", r.Stderr);
    }

    [Fact]
    public void Predict_on_a_labelled_dataset_warns_about_classes_the_model_does_not_know()
    {
        using var tmp = TestPaths.NewTempFolder();
        string blasts = CliDatasets.Make(tmp.Path, "blasts", perClass: 1, relabel: l => l == "monocyte" ? "blast" : l);
        var r = RaabinProcess.Run("predict", "--model", CliDatasets.ShippedModel, blasts, "--out", Path.Combine(tmp.Path, "p.csv"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("blasts: 1 labelled images are of classes the model does not know (blast 1;", r.Stderr);

        // A feature CSV is checked after it is read.
        string features = Path.Combine(tmp.Path, "f.csv");
        Assert.Equal(0, RaabinProcess.Run("features", blasts, "--out", features).ExitCode);
        var csv = RaabinProcess.Run("predict", "--model", CliDatasets.ShippedModel, features, "--out", Path.Combine(tmp.Path, "p2.csv"));
        Assert.Contains("(blast 1;", csv.Stderr);
    }
}
