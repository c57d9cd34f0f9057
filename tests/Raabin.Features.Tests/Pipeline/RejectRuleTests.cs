using Raabin.Features.Evaluation;
using Raabin.Features.IO;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;
using Raabin.Features.Tests.Adaptation;
using Raabin.Features.Tests.Cli;

namespace Raabin.Features.Tests.Pipeline;

public class RejectRuleTests
{
    private static PipelineModel ModelWithProbabilities() =>
        new PipelineTrainer(SyntheticDomains.Options() with
        {
            Classifier = new SvmClassifierOptions { Kernel = KernelKind.Rbf, C = 10, Normalizer = NormalizerKind.ZScore, Probability = true },
        }).Fit(SyntheticDomains.Table(SyntheticDomains.Cells([60, 60, 60], [1, 1], [0, 0], seed: 1, "s")));

    [Fact]
    public void Cells_below_the_threshold_are_not_recognised_and_the_rule_survives_save_and_load()
    {
        var model = ModelWithProbabilities().WithRejectBelow(0.9);
        var cells = SyntheticDomains.Cells([30, 30, 30], [1, 1], [0, 0], seed: 2, "s");
        var table = SyntheticDomains.Table(cells);
        var binding = model.Bind(table);
        var plain = model.WithRejectBelow(null);
        int rejected = 0;
        foreach (var row in cells)
        {
            var p = plain.Classify(row, binding).Prediction!;
            var decided = model.Classify(row, binding);
            if (p.Probability < 0.9)
            {
                rejected++;
                Assert.Equal(CellStatus.NotRecognised, decided.Status);
                Assert.Null(decided.Prediction);
                Assert.Contains($"best label {p.Label} has probability", decided.Error);
            }
            else
            {
                Assert.Equal(p.Label, decided.Prediction!.Label);
            }
        }

        Assert.InRange(rejected, 1, cells.Count - 1); // blobs overlap: some cells are unsure, most are not

        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = PipelineModel.Load(stream, "m.json");
        Assert.Equal(0.9, loaded.RejectBelow);
        Assert.Contains("not recognised when the best probability is below 0.9", loaded.Describe());
        Assert.Throws<ArgumentException>(() => model.WithRejectBelow(1.5));
        var noProbabilities = new PipelineTrainer(SyntheticDomains.Options()).Fit(table);
        Assert.Contains("probabilities", Assert.Throws<ArgumentException>(() => noProbabilities.WithRejectBelow(0.5)).Message);
    }

    [Fact]
    public void The_reject_curve_trades_coverage_for_accuracy_as_counted_by_hand()
    {
        (string, string?, double?)[] cells = [("a", "a", 0.95), ("a", "b", 0.55), ("b", "b", 0.85), ("b", null, null), ("a", "a", 0.65)];
        var curve = RejectCurve.Of(cells, [0, 0.6, 0.9]);
        Assert.Equal([0.8, 0.6, 0.2], curve.Select(p => p.Coverage));
        Assert.Equal([0.75, 1.0, 1.0], curve.Select(p => p.Accuracy));
        Assert.Equal([4, 3, 1], curve.Select(p => p.Kept));
    }

    [Fact]
    public void Train_stores_the_rule_predict_applies_or_overrides_it_and_evaluate_reports_the_curve()
    {
        using var tmp = TestPaths.NewTempFolder();
        string model = Path.Combine(tmp.Path, "m.json"), output = Path.Combine(tmp.Path, "p.csv");
        var r = RaabinProcess.Run("train", TestPaths.Sample("pbc"), "--reject-below", "0.95", "--model", model);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(0.95, PipelineModel.Load(model).RejectBelow);
        r = RaabinProcess.Run("predict", "--model", model, TestPaths.Sample("bccd"), "--out", output);
        Assert.True(r.ExitCode == 0, r.Stderr); // not recognised is an answer, not a failed input
        var table = CsvTable.Load(output);
        int notRecognised = table.Rows.Count(row => row[table.IndexOf("status")] == CellStatus.NotRecognised);
        Assert.True(notRecognised > 0, "some bccd cells are unsure for a pbc model");
        Assert.All(table.Rows.Where(row => row[table.IndexOf("status")] == CellStatus.NotRecognised), row => Assert.Equal(string.Empty, row[table.IndexOf("pred")]));
        Assert.Contains($"{notRecognised} not recognised", r.Stderr);

        r = RaabinProcess.Run("predict", "--model", model, TestPaths.Sample("bccd"), "--reject-below", "0", "--out", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.DoesNotContain(CsvTable.Load(output).Rows, row => row[2].Length == 0);

        string evalDir = Path.Combine(tmp.Path, "evaluate");
        r = RaabinProcess.Run("evaluate", "--train", TestPaths.Sample("pbc"), "--test", TestPaths.Sample("bccd"), "--bootstrap", "20", "--out", evalDir);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var curve = CsvTable.Load(Directory.GetFiles(evalDir, "reject_*.csv").Single());
        Assert.Equal(["test_set", "threshold", "coverage", "accuracy_of_labelled", "labelled"], curve.Header);
        var coverage = curve.Rows.Select(row => double.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(1.0, coverage[0]);
        Assert.Equal(coverage.OrderByDescending(c => c), coverage); // a higher threshold never labels more cells
    }
}
