namespace Raabin.Features.Evaluation;

/// <summary>One test cell after prediction: what it was, what the model said, or why it said nothing.</summary>
/// <param name="Dataset">Dataset (folder) name.</param>
/// <param name="Path">Image path relative to the dataset folder.</param>
/// <param name="Domain">Acquisition domain id.</param>
/// <param name="Split">Split, or empty.</param>
/// <param name="Label">True class.</param>
/// <param name="Predicted">Predicted class, or null when the cell was rejected (segmentation or decoding failed).</param>
/// <param name="Status"><c>ok</c> or the reason there is no prediction.</param>
/// <param name="Probabilities">Per-class probabilities in the model's class order, or null.</param>
/// <param name="Error">The failure message, or null.</param>
public sealed record EvaluatedCell(
    string Dataset, string Path, string Domain, string Split, string Label, string? Predicted, string Status,
    IReadOnlyList<double>? Probabilities, string? Error)
{
    /// <summary>Whether the cell got no prediction.</summary>
    public bool Rejected => Predicted is null;
}

/// <summary>The scores of one test set.</summary>
/// <param name="Name">Test set name (dataset, or dataset:split).</param>
/// <param name="Images">Cells in the test set.</param>
/// <param name="Rejected">Cells without a prediction; they count as errors in every number here.</param>
/// <param name="ClassesUnknownToModel">True labels of the test set that the model cannot predict (always errors).</param>
/// <param name="MacroF1">Mean F1 over the model's classes and any other true label (absent classes count 0, as
/// scikit-learn's <c>labels=</c> list); the "(rejected)" pseudo-class is not averaged.</param>
/// <param name="Metrics">Every metric of the confusion matrix whose columns include "(rejected)" when cells were rejected.</param>
/// <param name="Intervals">Stratified bootstrap 95 % intervals, computed on the same matrix.</param>
public sealed record TestSetEvaluation(
    string Name, int Images, int Rejected, IReadOnlyList<string> ClassesUnknownToModel, double MacroF1,
    ClassificationMetrics Metrics, BootstrapResult Intervals)
{
    /// <summary>
    /// Mean F1 over the classes with at least <see cref="BootstrapResult.SmallClassThreshold"/> test images (F1₁₀ with the
    /// default threshold of 10): a rare class's F1 from two or three cells is mostly noise. NaN when no class is that large.
    /// </summary>
    public double MacroF1OverLargeClasses
    {
        get
        {
            var large = Metrics.PerClass.Where(c => c.Class != DomainEvaluation.RejectedClass && c.Support >= Intervals.SmallClassThreshold).ToList();
            return large.Count == 0 ? double.NaN : large.Average(c => c.F1);
        }
    }
}

/// <summary>
/// Scores a model's predictions on one test set so that a rejected cell counts as an error: such cells are given the
/// pseudo-class <see cref="RejectedClass"/> as their prediction (a column of the confusion matrix that no cell truly
/// belongs to), so accuracy, recall and balanced accuracy count them as misses and no real class gains a prediction.
/// </summary>
public static class DomainEvaluation
{
    /// <summary>The pseudo-class of a rejected cell's prediction.</summary>
    public const string RejectedClass = "(rejected)";

    /// <summary>Scores <paramref name="cells"/> against the model's class list.</summary>
    public static TestSetEvaluation Score(string name, IReadOnlyList<string> modelClasses, IReadOnlyList<EvaluatedCell> cells, BootstrapOptions? bootstrap = null)
    {
        var known = new HashSet<string>(modelClasses, StringComparer.Ordinal);
        var unknown = cells.Select(c => c.Label).Where(l => !known.Contains(l)).Distinct().Order(StringComparer.Ordinal).ToList();
        int rejected = cells.Count(c => c.Rejected);
        var classes = modelClasses.Concat(unknown).ToList();
        if (rejected > 0)
        {
            classes.Add(RejectedClass);
        }

        var truth = cells.Select(c => c.Label).ToArray();
        var predicted = cells.Select(c => c.Predicted ?? RejectedClass).ToArray();
        var metrics = ClassificationMetrics.Compute(classes, truth, predicted);
        var intervals = Bootstrap.StratifiedIntervals(classes, truth, predicted, bootstrap);
        double macro = metrics.PerClass.Where(c => c.Class != RejectedClass).Average(c => c.F1);
        return new TestSetEvaluation(name, cells.Count, rejected, unknown, macro, metrics, intervals);
    }
}
