using Raabin.Features.Learning;

namespace Raabin.Features.ML;

/// <summary>
/// Scores one row with the core <see cref="ClassifierModel"/> and lays the result out in the label key's order: slot j
/// (key value j + 1) holds the votes (vote rule) or the probability (probability rule) of the class named by key value
/// j + 1; classes of the key without training rows score 0 and are never predicted.
/// </summary>
internal sealed class KernelSvmScorer
{
    private readonly ClassifierModel model;
    private readonly string[] keyClasses;
    private readonly int[] keyToCore;
    private readonly int[] coreToKey;

    public KernelSvmScorer(ClassifierModel model, IReadOnlyList<string> keyClasses)
    {
        this.model = model;
        this.keyClasses = [.. keyClasses];
        var coreClasses = model.Classes.ToList();
        keyToCore = this.keyClasses.Select(name => coreClasses.IndexOf(name)).ToArray();
        coreToKey = model.Classes.Select(name => Array.IndexOf(this.keyClasses, name)).ToArray();
        if (coreToKey.Any(k => k < 0) || keyClasses.Count > KernelSvmScoringOutput.SlotCount)
        {
            throw new InvalidDataException("The kernel-SVM model's classes do not fit its label key.");
        }
    }

    public void Score(float[]? features, KernelSvmScoringOutput output)
    {
        Span<float> scores = stackalloc float[KernelSvmScoringOutput.SlotCount];
        if (features is null || features.Length != model.FeatureIds.Count || !features.All(float.IsFinite))
        {
            // ML.NET rows do not throw: an unscorable row gets NaN scores and a missing PredictedLabel.
            scores.Fill(float.NaN);
            output.Set(scores);
            output.PredictedName = string.Empty;
            return;
        }

        Span<double> x = features.Length <= 256 ? stackalloc double[features.Length] : new double[features.Length];
        for (int f = 0; f < features.Length; f++)
        {
            x[f] = features[f];
        }

        var p = model.Predict(x);
        for (int j = 0; j < keyToCore.Length; j++)
        {
            int c = keyToCore[j];
            scores[j] = c < 0 ? 0f
                : model.DecisionRule == DecisionRule.Probability ? (float)p.Probabilities![c]
                : p.Votes[c];
        }

        // ML.NET's evaluator takes the arg-max of Score, so Score must point at the chosen class even where the core broke a
        // tie (ties go to the lowest class index in ordinal name order, which need not be the lowest key) or where rounding to
        // float32 made a tie: the chosen class is then raised by one float32 step.
        int chosen = coreToKey[p.ClassIndex];
        for (int j = 0; j < keyToCore.Length; j++)
        {
            if (j != chosen && scores[j] >= scores[chosen])
            {
                scores[chosen] = MathF.BitIncrement(scores[j]);
            }
        }

        output.Set(scores);
        output.PredictedName = keyClasses[chosen];
    }
}
