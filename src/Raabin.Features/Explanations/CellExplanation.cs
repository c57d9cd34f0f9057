using Raabin.Features.Learning;

namespace Raabin.Features.Explanations;

/// <summary>How the runner-up class of a <see cref="CellExplanation"/> was chosen.</summary>
public enum RunnerUpRule
{
    /// <summary>The most probable class other than the predicted one (the model has Platt probabilities); ties to the lowest index.</summary>
    Probability,

    /// <summary>
    /// The class with most one-vs-one votes other than the predicted one (a model without probabilities); ties go to
    /// the class whose pairwise decision value against the predicted class is least in the predicted class's favour,
    /// then to the lowest index.
    /// </summary>
    Votes,

    /// <summary>The highest-scoring class other than the predicted one, for a classifier of another engine whose scores are not probabilities.</summary>
    Score,
}

/// <summary>One feature's part in a cell's label.</summary>
/// <param name="FeatureId">The catalog id.</param>
/// <param name="Group">Its catalog group, or empty for an id the catalog does not know.</param>
/// <param name="Unit">Its catalog unit, or empty.</param>
/// <param name="Value">The cell's value (raw units).</param>
/// <param name="PredictedMean">Training mean of the predicted class (raw units).</param>
/// <param name="RunnerUpMean">Training mean of the runner-up class (raw units).</param>
/// <param name="PooledStandardDeviation">The pooled within-class SD used as the scale (raw units; see <see cref="ExplanationBasis"/>).</param>
/// <param name="DeviationFromPredicted">(Value − PredictedMean) / PooledStandardDeviation; 0 when the SD is 0.</param>
/// <param name="DeviationFromRunnerUp">(Value − RunnerUpMean) / PooledStandardDeviation; 0 when the SD is 0.</param>
/// <param name="Support">
/// |DeviationFromRunnerUp| − |DeviationFromPredicted|, in SDs: positive when the cell lies closer to the predicted
/// class than to the runner-up on this feature (it supports the label), negative when it argues for the runner-up.
/// </param>
public sealed record FeatureContribution(
    string FeatureId, string Group, string Unit, double Value, double PredictedMean, double RunnerUpMean, double PooledStandardDeviation,
    double DeviationFromPredicted, double DeviationFromRunnerUp, double Support);

/// <summary>A training cell near the explained one.</summary>
/// <param name="Class">Its class.</param>
/// <param name="Distance">Euclidean distance to the explained cell in the model's normalised feature space.</param>
/// <param name="SupportVectorIndex">Its index among the model's support vectors, or null when it is a table row.</param>
/// <param name="TableRow">Its 0-based row in the training table, or null when it is a support vector.</param>
/// <param name="Path">Its image path (from the table), or null: models do not store image paths.</param>
public sealed record NearestCell(string Class, double Distance, int? SupportVectorIndex, int? TableRow, string? Path);

/// <summary>The smallest change of one feature that changes the label.</summary>
/// <param name="FeatureId">The feature changed.</param>
/// <param name="OriginalValue">The cell's value (raw units).</param>
/// <param name="NewValue">The value that gives <paramref name="NewLabel"/> (raw units), just past the decision boundary.</param>
/// <param name="ChangeInStandardDeviations">|NewValue − OriginalValue| / pooled SD of the feature.</param>
/// <param name="NewLabel">The label the model gives with the new value (by its decision rule).</param>
public sealed record Counterfactual(string FeatureId, double OriginalValue, double NewValue, double ChangeInStandardDeviations, string NewLabel);

/// <summary>
/// Why a cell got its label: the prediction, the runner-up, the features ranked by how much they favour the predicted
/// class over the runner-up, the nearest training cells of both, and the smallest one-feature change that flips the
/// label. Immutable.
/// </summary>
/// <param name="Prediction">The model's full decision for the cell.</param>
/// <param name="PredictedClass">The label (by the model's decision rule).</param>
/// <param name="RunnerUpClass">The second class, by <paramref name="RunnerUpRule"/>.</param>
/// <param name="RunnerUpRule">How the runner-up was chosen.</param>
/// <param name="Features">Every feature, most supporting first (<see cref="FeatureContribution.Support"/> descending, ties in model order).</param>
/// <param name="NearestPredicted">Nearest training cells of the predicted class, nearest first.</param>
/// <param name="NearestRunnerUp">Nearest training cells of the runner-up class, nearest first.</param>
/// <param name="NearestCellsSource">
/// What the nearest cells are: the model's support vectors (no image paths), or the rows of a training table (paths).
/// </param>
/// <param name="Counterfactual">The smallest flip over all features, or null when none is found within the observed range.</param>
/// <param name="Counterfactuals">The smallest flip of each feature that has one, smallest change first.</param>
/// <param name="StatisticsSource">Where the class statistics came from (the model, or a named table).</param>
public sealed record CellExplanation(
    ClassifierPrediction Prediction,
    string PredictedClass,
    string RunnerUpClass,
    RunnerUpRule RunnerUpRule,
    IReadOnlyList<FeatureContribution> Features,
    IReadOnlyList<NearestCell> NearestPredicted,
    IReadOnlyList<NearestCell> NearestRunnerUp,
    string NearestCellsSource,
    Counterfactual? Counterfactual,
    IReadOnlyList<Counterfactual> Counterfactuals,
    string StatisticsSource)
{
    /// <summary>Whether the counterfactual was searched (<see cref="ExplainerOptions.SearchCounterfactual"/>).</summary>
    public bool CounterfactualSearched { get; init; } = true;

    /// <summary>The counterfactual in words, "none within the observed range", or "not searched".</summary>
    public string CounterfactualText => Counterfactual is { } c
        ? FormattableString.Invariant($"{c.FeatureId} {c.OriginalValue:G6} → {c.NewValue:G6} ({c.ChangeInStandardDeviations:F2} SD) gives {c.NewLabel}")
        : CounterfactualSearched ? "none within the observed range" : "not searched";
}
