using System.Collections.ObjectModel;

namespace Raabin.Features.Learning.Svm;

/// <summary>What an <see cref="SvmModel"/> decided for one feature vector.</summary>
/// <param name="ClassIndex">The one-vs-one vote winner (ties to the lowest class index), as <c>svm-predict</c> without <c>-b</c>.</param>
/// <param name="Votes">Votes per class; they sum to the pair count.</param>
/// <param name="DecisionValues">Decision value per pair in pair order (&gt; 0 votes for the pair's lower class).</param>
/// <param name="Probabilities">Class probabilities from pairwise coupling, or null without a probability model.</param>
/// <param name="MostProbableClass">The class with the highest probability (<c>svm-predict -b 1</c>), or null without a probability model.</param>
public sealed record SvmPrediction(
    int ClassIndex,
    ReadOnlyCollection<int> Votes,
    ReadOnlyCollection<double> DecisionValues,
    ReadOnlyCollection<double>? Probabilities,
    int? MostProbableClass);
