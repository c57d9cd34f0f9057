using System.Text.Json.Serialization;
using Raabin.Features.Learning;

namespace Raabin.Features.Evaluation;

/// <summary>
/// One class's one-vs-rest counts and scores. Zero division gives 0, as scikit-learn's <c>zero_division=0</c>:
/// precision is 0 for a class never predicted, recall (sensitivity) is 0 for a class absent from the truth, and F1 is 0
/// when precision + recall = 0.
/// </summary>
/// <param name="Class">Class name.</param>
/// <param name="Support">True samples of the class (TP + FN).</param>
/// <param name="Predicted">Samples predicted as the class (TP + FP).</param>
/// <param name="TruePositives">TP.</param>
/// <param name="FalsePositives">FP: predicted as the class, truly another.</param>
/// <param name="FalseNegatives">FN: truly the class, predicted as another.</param>
/// <param name="TrueNegatives">TN: neither true nor predicted class.</param>
/// <param name="Precision">TP / (TP + FP), in [0, 1].</param>
/// <param name="Recall">Sensitivity, TP / (TP + FN), in [0, 1].</param>
/// <param name="F1">2·P·R / (P + R) from the rounded P and R (scikit-learn's order of operations), in [0, 1].</param>
/// <param name="OneVsRestAccuracy">(TP + TN) / (TP + TN + FP + FN) (Raabin-WBC paper, eq. 4); NaN for no samples.</param>
public sealed record ClassMetrics(
    string Class,
    long Support,
    long Predicted,
    long TruePositives,
    long FalsePositives,
    long FalseNegatives,
    long TrueNegatives,
    double Precision,
    double Recall,
    double F1,
    double OneVsRestAccuracy)
{
    /// <summary>Same as <see cref="Recall"/> (the Raabin-WBC paper's name, eq. 2).</summary>
    [JsonIgnore]
    public double Sensitivity => Recall;
}

/// <summary>
/// Per-class and overall classification metrics of one <see cref="ConfusionMatrix"/>, as scikit-learn 1.2.1 computes
/// them with an explicit <c>labels</c> list and <c>zero_division=0</c>.
/// <para>
/// Classes absent from the test set: scikit-learn's <c>f1_score(average='macro', labels=classes, zero_division=0)</c>
/// averages over every listed class, so a class with no true samples contributes F1 = 0 (its recall is 0 and, whether
/// or not it was predicted, its precision is 0). That is <see cref="MacroF1"/> (also <see cref="MacroPrecision"/>,
/// <see cref="MacroRecall"/>). <see cref="MacroF1OverPresentClasses"/> averages only over classes with at least one
/// true sample, as <c>labels=</c> the classes present would. <see cref="BalancedAccuracy"/> follows
/// <c>balanced_accuracy_score</c>, which averages recall only over classes present in the truth (scikit-learn warns
/// "y_pred contains classes not in y_true" and drops the others); it equals <see cref="MacroRecall"/> when every class
/// is present.
/// </para>
/// <para>
/// Undefined values are NaN: every overall metric when there are no samples, <see cref="CohenKappa"/> when truth and
/// predictions are all one single class (chance disagreement 0; scikit-learn returns NaN too).
/// <see cref="MatthewsCorrelation"/> is 0 when its denominator is 0, as in scikit-learn.
/// </para>
/// </summary>
/// <param name="Classes">Ordered class names.</param>
/// <param name="SampleCount">Number of samples evaluated.</param>
/// <param name="PresentClassCount">Classes with at least one true sample.</param>
/// <param name="PerClass">One entry per class, in class order.</param>
/// <param name="Accuracy">Fraction correct, in [0, 1].</param>
/// <param name="MacroPrecision">Mean precision over all classes.</param>
/// <param name="MacroRecall">Mean recall over all classes (absent classes count 0).</param>
/// <param name="MacroF1">Mean F1 over all classes (absent classes count 0).</param>
/// <param name="MacroF1OverPresentClasses">Mean F1 over classes with at least one true sample.</param>
/// <param name="BalancedAccuracy">Mean recall over classes with at least one true sample.</param>
/// <param name="CohenKappa">Cohen's κ of truth vs. prediction, in [−1, 1].</param>
/// <param name="MatthewsCorrelation">Multiclass Matthews correlation coefficient, in [−1, 1].</param>
/// <param name="ConfusionMatrix">Counts, row = true class, column = predicted class.</param>
public sealed record ClassificationMetrics(
    IReadOnlyList<string> Classes,
    long SampleCount,
    int PresentClassCount,
    IReadOnlyList<ClassMetrics> PerClass,
    double Accuracy,
    double MacroPrecision,
    double MacroRecall,
    double MacroF1,
    double MacroF1OverPresentClasses,
    double BalancedAccuracy,
    double CohenKappa,
    double MatthewsCorrelation,
    IReadOnlyList<IReadOnlyList<long>> ConfusionMatrix)
{
    /// <summary>Computes every metric of <paramref name="matrix"/>.</summary>
    public static ClassificationMetrics Compute(ConfusionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ReadOnlySpan<long> counts = matrix.Counts;
        int k = matrix.ClassCount;
        long total = matrix.SampleCount;
        var perClass = new ClassMetrics[k];
        var precisions = new double[k];
        var recalls = new double[k];
        int present = 0;
        for (int c = 0; c < k; c++)
        {
            long tp = counts[c * k + c];
            long support = MetricMath.RowSum(counts, k, c);
            long predicted = MetricMath.ColumnSum(counts, k, c);
            long fp = predicted - tp;
            long fn = support - tp;
            long tn = total - tp - fp - fn;
            double precision = MetricMath.Precision(tp, predicted);
            double recall = MetricMath.Recall(tp, support);
            precisions[c] = precision;
            recalls[c] = recall;
            perClass[c] = new ClassMetrics(
                matrix.Classes[c], support, predicted, tp, fp, fn, tn, precision, recall, MetricMath.F1(precision, recall),
                total == 0 ? double.NaN : (double)(tp + tn) / total);
            if (support > 0)
            {
                present++;
            }
        }

        var scratch = new double[k];
        long[][] rows = matrix.ToRows();
        return new ClassificationMetrics(
            matrix.Classes,
            total,
            present,
            perClass,
            MetricMath.Accuracy(counts, k),
            total == 0 ? double.NaN : NumPySum.Pairwise(precisions) / k,
            total == 0 ? double.NaN : NumPySum.Pairwise(recalls) / k,
            MetricMath.MacroF1(counts, k, presentOnly: false, scratch),
            MetricMath.MacroF1(counts, k, presentOnly: true, scratch),
            MetricMath.BalancedAccuracy(counts, k, scratch),
            MetricMath.CohenKappa(counts, k),
            MetricMath.MatthewsCorrelation(counts, k),
            rows);
    }

    /// <summary>Labels and predictions as class names over <paramref name="classes"/>; see <see cref="Evaluation.ConfusionMatrix.FromLabels"/>.</summary>
    public static ClassificationMetrics Compute(IReadOnlyList<string> classes, IReadOnlyList<string> truth, IReadOnlyList<string> predicted) =>
        Compute(Evaluation.ConfusionMatrix.FromLabels(classes, truth, predicted));
}
