namespace Raabin.Features.Evaluation;

/// <summary>One threshold of a reject curve.</summary>
/// <param name="Threshold">Cells whose best probability is below this are not recognised.</param>
/// <param name="Coverage">Share of the test cells that keep a label (cells without a prediction never do).</param>
/// <param name="Accuracy">Accuracy over the cells that keep a label (NaN when none does).</param>
/// <param name="Kept">Cells that keep a label.</param>
public sealed record RejectPoint(double Threshold, double Coverage, double Accuracy, int Kept);

/// <summary>
/// What a reject rule (<c>PipelineModel.RejectBelow</c>) would do on a labelled test set: for each threshold, the share
/// of cells still labelled (coverage) and their accuracy, from the probabilities of the chosen labels.
/// </summary>
public static class RejectCurve
{
    /// <summary>The thresholds reported by default: 0 (no rule), 0.5, 0.6, 0.7, 0.8, 0.9, 0.95.</summary>
    public static IReadOnlyList<double> DefaultThresholds { get; } = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

    /// <summary>
    /// The curve of <paramref name="cells"/> (each with its predicted label and the probability of that label, or null
    /// when not classified). A cell whose label has no probability keeps it only at threshold 0.
    /// </summary>
    public static IReadOnlyList<RejectPoint> Of(IReadOnlyList<(string Label, string? Predicted, double? Probability)> cells, IReadOnlyList<double>? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var points = new List<RejectPoint>();
        foreach (double t in thresholds ?? DefaultThresholds)
        {
            int kept = 0, correct = 0;
            foreach (var (label, predicted, probability) in cells)
            {
                if (predicted is null || (t > 0 && !(probability >= t)))
                {
                    continue;
                }

                kept++;
                correct += predicted == label ? 1 : 0;
            }

            points.Add(new RejectPoint(t, cells.Count == 0 ? double.NaN : (double)kept / cells.Count, kept == 0 ? double.NaN : (double)correct / kept, kept));
        }

        return points;
    }
}
