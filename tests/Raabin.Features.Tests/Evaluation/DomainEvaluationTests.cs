using Raabin.Features.Evaluation;

namespace Raabin.Features.Tests.Evaluation;

public class DomainEvaluationTests
{
    private static EvaluatedCell Cell(string label, string? predicted) =>
        new("d", label + Guid.NewGuid().ToString("N"), "dom", string.Empty, label, predicted, predicted is null ? "segmentation_failed" : "ok", null, null);

    [Fact]
    public void A_rejected_cell_is_an_error_and_no_class_gains_a_prediction()
    {
        string[] classes = ["a", "b"];
        var cells = new List<EvaluatedCell> { Cell("a", "a"), Cell("a", null), Cell("b", "b"), Cell("b", "a") };
        var e = DomainEvaluation.Score("t", classes, cells, new BootstrapOptions { Replicates = 50 });

        Assert.Equal(1, e.Rejected);
        Assert.Equal(0.5, e.Metrics.Accuracy); // 2 of 4 correct: the rejected cell is wrong.
        var a = e.Metrics.PerClass.Single(c => c.Class == "a");
        var b = e.Metrics.PerClass.Single(c => c.Class == "b");
        // Class a: TP 1, predicted twice (one wrong), support 2 → precision 0.5, recall 0.5, F1 0.5.
        Assert.Equal(0.5, a.Precision);
        Assert.Equal(0.5, a.Recall);
        // Class b: TP 1, predicted once, support 2 → precision 1, recall 0.5, F1 2/3.
        Assert.Equal(1.0, b.Precision);
        Assert.Equal(2.0 / 3, b.F1, 12);
        // Macro-F1 over the real classes only.
        Assert.Equal((0.5 + 2.0 / 3) / 2, e.MacroF1, 12);
        Assert.Contains(DomainEvaluation.RejectedClass, e.Metrics.Classes);
    }

    [Fact]
    public void Macro_f1_over_large_classes_leaves_out_classes_with_fewer_test_images_than_the_threshold()
    {
        // a: 4 cells, all right; b: 4 cells, 2 right and 2 called a; c: 1 cell, called b.
        // c: 1 cell, wrong. Threshold 3: c (support 1) is left out.
        var cells = new List<EvaluatedCell>();
        cells.AddRange(Enumerable.Range(0, 4).Select(_ => Cell("a", "a")));
        cells.AddRange([Cell("b", "b"), Cell("b", "b"), Cell("b", "a"), Cell("b", "a")]);
        cells.Add(Cell("c", "b"));
        var e = DomainEvaluation.Score("t", ["a", "b", "c"], cells, new BootstrapOptions { Replicates = 20, SmallClassThreshold = 3 });
        double f1A = 2 * (4.0 / 6) * 1.0 / ((4.0 / 6) + 1.0);   // precision 4/6, recall 1
        double f1B = 2 * (2.0 / 3) * 0.5 / ((2.0 / 3) + 0.5);   // precision 2/3, recall 2/4
        Assert.Equal((f1A + f1B) / 2, e.MacroF1OverLargeClasses, 12);
        Assert.Equal((f1A + f1B + 0) / 3, e.MacroF1, 12);
        Assert.True(double.IsNaN(DomainEvaluation.Score("t", ["a", "b", "c"], cells, new BootstrapOptions { Replicates = 20, SmallClassThreshold = 50 }).MacroF1OverLargeClasses));
    }

    [Fact]
    public void A_true_class_the_model_does_not_know_counts_as_errors()
    {
        var cells = new List<EvaluatedCell> { Cell("a", "a"), Cell("blast", "a"), Cell("b", "b") };
        var e = DomainEvaluation.Score("t", ["a", "b"], cells, new BootstrapOptions { Replicates = 50 });
        Assert.Equal(["blast"], e.ClassesUnknownToModel);
        Assert.Equal(2.0 / 3, e.Metrics.Accuracy, 12);
        Assert.Equal(0, e.Rejected);
        Assert.DoesNotContain(DomainEvaluation.RejectedClass, e.Metrics.Classes);
        // F1: a = 2/3 (TP 1, FP 1, FN 0), b = 1, blast = 0.
        Assert.Equal((2.0 / 3 + 1 + 0) / 3, e.MacroF1, 12);
    }
}
