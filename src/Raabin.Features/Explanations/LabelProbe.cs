using Raabin.Features.Learning;

namespace Raabin.Features.Explanations;

/// <summary>
/// The model's label for a cell with one feature changed, computed as <see cref="ClassifierModel.Predict"/> does (same
/// normalisation arithmetic, same SVM call, same rule), without re-normalising the other features. Not thread-safe.
/// </summary>
internal sealed class LabelProbe
{
    private readonly ClassifierModel _classifier;
    private readonly double[] _normalised;
    private readonly double[] _probabilities;

    public LabelProbe(ClassifierModel classifier, double[] normalised)
    {
        _classifier = classifier;
        _normalised = [.. normalised];
        _probabilities = new double[classifier.Classes.Count];
    }

    /// <summary>The label index with feature <paramref name="feature"/> set to the raw value <paramref name="value"/>.</summary>
    public int LabelWith(int feature, double value)
    {
        double kept = _normalised[feature];
        _normalised[feature] = (value * _classifier.Normalizer.Scale[feature]) + _classifier.Normalizer.Offset[feature];
        try
        {
            return Label(_normalised);
        }
        finally
        {
            _normalised[feature] = kept;
        }
    }

    /// <summary>The label index of a normalised vector by the model's decision rule.</summary>
    public int Label(double[] normalised)
    {
        if (_classifier.External is { } external)
        {
            // Highest score, ties to the lowest index, as ClassifierModel.Predict chooses.
            external.Score(normalised, _probabilities);
            int best = 0;
            for (int c = 1; c < _probabilities.Length; c++)
            {
                if (_probabilities[c] > _probabilities[best])
                {
                    best = c;
                }
            }

            return best;
        }

        return _classifier.DecisionRule == DecisionRule.Probability
            ? _classifier.Svm.PredictProbabilities(normalised, _probabilities)
            : _classifier.Svm.Predict(normalised);
    }
}
