using System.Text.Json;
using Raabin.Features.IO;

namespace Raabin.Features.Tests.Cli;

public class TrainerCommandTests
{
    [Fact]
    public void Train_with_an_ml_net_trainer_writes_a_model_that_another_process_loads_and_predicts_with()
    {
        using var tmp = TestPaths.NewTempFolder();
        string model = Path.Combine(tmp.Path, "lgbm.json");
        var train = RaabinProcess.Run("train", TestPaths.Sample("pbc"), "--model", model, "--trainer", "lightgbm", "--trainer-options", "iterations=30;min-leaf=2");
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Contains("lightgbm (iterations=30;leaves=auto;learning-rate=auto;min-leaf=2;seed=1)", train.Stdout);

        var show = RaabinProcess.Run("model", "show", model);
        Assert.True(show.ExitCode == 0, show.Stderr);
        Assert.Contains("classifier: ML.NET 5.0.1 lightgbm", show.Stdout);

        // A new process loads it (the ML.NET zip inside the model file) and predicts every cell with probabilities.
        string output = Path.Combine(tmp.Path, "p.csv");
        var predict = RaabinProcess.Run("predict", "--model", model, TestPaths.Sample("pbc"), "--out", output);
        Assert.True(predict.ExitCode == 0, predict.Stderr);
        var rows = CsvTable.Load(output);
        Assert.Equal(30, rows.Rows.Count);
        int p = rows.RequireColumn("probability");
        Assert.All(rows.Rows, r => Assert.InRange(double.Parse(r[p], System.Globalization.CultureInfo.InvariantCulture), 0.2, 1.0));
        // Trained on these very cells with leaves of 2: most are recalled.
        Assert.True(rows.Rows.Count(r => r[1] == r[2]) >= 24, string.Join("; ", rows.Rows.Select(r => r[1] + "->" + r[2])));
    }

    [Fact]
    public void Evaluate_records_the_trainer_and_compare_lines_two_trainers_up_on_the_same_images()
    {
        using var tmp = TestPaths.NewTempFolder();
        string svmDir = Path.Combine(tmp.Path, "svm"), lbfgsDir = Path.Combine(tmp.Path, "lbfgs");
        foreach (var (dir, trainer) in new[] { (svmDir, "kernel-svm"), (lbfgsDir, "lbfgs-maxent") })
        {
            var r = RaabinProcess.Run("evaluate", "--train", TestPaths.Sample("pbc"), "--test", TestPaths.Sample("zheng-jtsc"), "--bootstrap", "50", "--trainer", trainer, "--out", dir);
            Assert.True(r.ExitCode == 0, r.Stderr);
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
            var run = json.RootElement[0];
            Assert.Equal(trainer, run.GetProperty("trainer").GetString());
            Assert.True(run.GetProperty("trainingSeconds").GetDouble() > 0);
            Assert.Equal(trainer == "kernel-svm" ? JsonValueKind.Number : JsonValueKind.Null,
                run.TryGetProperty("supportVectors", out var sv) ? sv.ValueKind : JsonValueKind.Null);
        }

        string outDir = Path.Combine(tmp.Path, "cmp");
        var compare = RaabinProcess.Run("compare", "--svm", Path.Combine(svmDir, "predictions.csv"), "--svm-name", "kernel-svm",
            "--also", "lbfgs-maxent=" + Path.Combine(lbfgsDir, "predictions.csv"), "--bootstrap", "50", "--out", outDir);
        Assert.True(compare.ExitCode == 0, compare.Stderr);
        Assert.Contains("| kernel-svm vs lbfgs-maxent |", compare.Stdout);

        var clash = RaabinProcess.Run("compare", "--svm", Path.Combine(svmDir, "predictions.csv"), "--also", "svm=" + Path.Combine(lbfgsDir, "predictions.csv"), "--out", outDir);
        Assert.Equal(2, clash.ExitCode);
        Assert.Contains("same name", clash.Stderr);
    }

    [Fact]
    public void Tune_scores_every_combination_of_an_ml_net_trainer_s_grid()
    {
        using var tmp = TestPaths.NewTempFolder();
        string csv = Path.Combine(tmp.Path, "tune.csv");
        var r = RaabinProcess.Run("tune", TestPaths.Sample("pbc"), "--out", csv, "--folds", "2", "--trainer", "fastforest",
            "--trainer-options", "trees=10", "--grid", "leaves=2,4;min-leaf=1,3", "--model", Path.Combine(tmp.Path, "best.json"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var table = CsvTable.Load(csv);
        Assert.Equal(["trainer", "settings", "mean_accuracy"], table.Header.Take(3));
        Assert.Equal(
            ["trees=10;leaves=2;min-leaf=1;seed=1", "trees=10;leaves=2;min-leaf=3;seed=1", "trees=10;leaves=4;min-leaf=1;seed=1", "trees=10;leaves=4;min-leaf=3;seed=1"],
            table.Rows.Select(row => row[1]));
        Assert.Contains("-> " + Path.Combine(tmp.Path, "best.json"), r.Stdout);
    }

    [Theory]
    [InlineData("--trainer", "svm", "--trainer")]
    [InlineData("--trainer-options", "leaves=3", "--trainer-options sets an ML.NET trainer")]
    public void Bad_trainer_choices_stop_before_any_work(string option, string value, string message)
    {
        using var tmp = TestPaths.NewTempFolder();
        var r = RaabinProcess.Run("train", TestPaths.Sample("pbc"), "--model", Path.Combine(tmp.Path, "m.json"), option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.False(File.Exists(Path.Combine(tmp.Path, "m.json")));
    }

    [Fact]
    public void Kernel_svm_options_given_with_an_ml_net_trainer_are_named_as_not_applying()
    {
        using var tmp = TestPaths.NewTempFolder();
        var r = RaabinProcess.Run("train", TestPaths.Sample("pbc"), "--model", Path.Combine(tmp.Path, "m.json"), "--trainer", "sdca-maxent", "--kernel", "rbf", "--c", "3");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("--kernel, --c set the kernel SVM and do not apply to --trainer sdca-maxent", r.Stderr);
    }
}

public class RejectOutsideCommandTests
{
    [Fact]
    public void Train_stores_the_out_of_distribution_rule_and_predict_applies_or_ignores_it()
    {
        using var tmp = TestPaths.NewTempFolder();
        string model = Path.Combine(tmp.Path, "m.json");
        var train = RaabinProcess.Run("train", TestPaths.Sample("pbc"), "--model", model, "--reject-outside", "0.9");
        Assert.True(train.ExitCode == 0, train.Stderr);

        // Cells of another microscope: some lie outside what the pbc cells span.
        string withRule = Path.Combine(tmp.Path, "a.csv"), without = Path.Combine(tmp.Path, "b.csv");
        var a = RaabinProcess.Run("predict", "--model", model, TestPaths.Sample("bccd"), "--out", withRule);
        var b = RaabinProcess.Run("predict", "--model", model, TestPaths.Sample("bccd"), "--out", without, "--no-reject-outside");
        Assert.True(a.ExitCode == 0 && b.ExitCode == 0, a.Stderr + b.Stderr);
        var rowsA = CsvTable.Load(withRule);
        var rowsB = CsvTable.Load(without);
        int status = rowsA.RequireColumn("status");
        int outside = rowsA.Rows.Count(r => r[status] == "not_recognised");
        Assert.True(outside > 0, a.Stderr);
        Assert.Contains(rowsA.Rows, r => r[rowsA.RequireColumn("error")].Contains("outside the training distribution"));
        Assert.DoesNotContain(rowsB.Rows, r => r[status] == "not_recognised");

        var bad = RaabinProcess.Run("train", TestPaths.Sample("pbc"), "--model", model, "--reject-outside", "1.5");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("a quantile in (0, 1]", bad.Stderr);
    }
}
