namespace Raabin.Features.Learning;

/// <summary>
/// A classifier trained by another engine (ML.NET's trainers, through <c>Raabin.Features.ML</c>) and used by a
/// <see cref="ClassifierModel"/> in place of the kernel SVM: the model keeps its feature ids, normaliser, classes and
/// training summary, and this scores the normalised features. The core knows it only through this interface, so it stays
/// free of the engine's packages.
/// </summary>
public interface IExternalClassifier
{
    /// <summary>The engine and its version, e.g. <c>ML.NET 5.0.1</c> (stored in the model file).</summary>
    string Engine { get; }

    /// <summary>The trainer's name as the CLI's <c>--trainer</c> takes it, e.g. <c>lightgbm</c>.</summary>
    string Trainer { get; }

    /// <summary>The trainer's settings in its canonical text form (<c>key=value;…</c>), every default written out.</summary>
    string Settings { get; }

    /// <summary>Number of classes scored (the model's class order).</summary>
    int ClassCount { get; }

    /// <summary>Number of features read.</summary>
    int FeatureCount { get; }

    /// <summary>Whether <see cref="Score"/> gives probabilities (non-negative, summing to 1).</summary>
    bool ScoresAreProbabilities { get; }

    /// <summary>
    /// Scores one cell: <paramref name="normalised"/> is the feature vector after the model's normaliser, in the model's
    /// feature order; <paramref name="scores"/> receives one score per class (higher is more likely). Safe to call from
    /// several threads at once.
    /// </summary>
    void Score(ReadOnlySpan<double> normalised, Span<double> scores);

    /// <summary>The engine's own serialised form (for ML.NET: the zip <c>MLContext.Model.Save</c> writes).</summary>
    byte[] Save();
}

/// <summary>Trains an <see cref="IExternalClassifier"/> (the engine-side half of <c>--trainer</c>).</summary>
public interface IExternalClassifierTrainer
{
    /// <summary>The trainer's name, e.g. <c>lightgbm</c>.</summary>
    string Name { get; }

    /// <summary>The settings in canonical text form (<c>key=value;…</c>), every default written out.</summary>
    string Settings { get; }

    /// <summary>
    /// Trains on normalised rows. <paramref name="classIndex"/> holds each row's class as an index into
    /// <paramref name="classes"/> (ordinal sorted); <paramref name="weights"/> one weight per row (class weights), all 1
    /// when none were asked for.
    /// </summary>
    IExternalClassifier Fit(IReadOnlyList<double[]> normalised, IReadOnlyList<int> classIndex, IReadOnlyList<string> classes, IReadOnlyList<string> featureIds, IReadOnlyList<double> weights);
}

/// <summary>Reads an <see cref="IExternalClassifier"/> back from a model file (passed to <c>PipelineModel.Load</c>).</summary>
public interface IExternalClassifierLoader
{
    /// <summary>Whether this loader reads classifiers of <paramref name="engine"/> (as recorded in the file).</summary>
    bool Reads(string engine);

    /// <summary>Restores a classifier from what <see cref="IExternalClassifier.Save"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The payload is not a classifier of this engine, or not of the recorded shape.</exception>
    IExternalClassifier Load(string engine, string trainer, string settings, byte[] payload, int featureCount, int classCount);
}

/// <summary>Fits a <see cref="ClassifierModel"/> whose classifier is an <see cref="IExternalClassifierTrainer"/>'s.</summary>
public static class ExternalClassifierTraining
{
    /// <summary>
    /// Normalises <paramref name="data"/> with a fresh <paramref name="normalizer"/> of its rows, trains
    /// <paramref name="trainer"/> on the result (classes ordinal sorted, class weights as row weights) and returns the
    /// model, as <see cref="SvmClassifierTrainer.Fit"/> does for the kernel SVM.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two classes, non-finite values, or a class weight naming no class.</exception>
    public static ClassifierModel Fit(
        IExternalClassifierTrainer trainer, NormalizerKind normalizer, LabelledFeatures data, IReadOnlyDictionary<string, double>? classWeights = null,
        TrainingSummary? summary = null, FeatureNormalizer? keptNormalizer = null)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(data);
        var classes = data.SortedClasses();
        if (classes.Count < 2)
        {
            throw new ArgumentException($"Training needs at least two classes; found {classes.Count} ({string.Join(", ", classes)}).");
        }

        classWeights ??= new Dictionary<string, double>();
        foreach (string named in classWeights.Keys)
        {
            if (!classes.Contains(named))
            {
                throw new ArgumentException($"A class weight names '{named}', which is not a training class ({string.Join(", ", classes)}).");
            }
        }

        for (int r = 0; r < data.Rows.Count; r++)
        {
            if (!data.Rows[r].All(double.IsFinite))
            {
                throw new ArgumentException($"Training row {r} has a non-finite feature value.");
            }
        }

        var index = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var fitted = FeatureNormalizer.Fit(normalizer, data.Rows, data.FeatureIds.Count);
        var rows = data.Rows.Select(r => fitted.Transform(r)).ToList();
        var labels = data.Labels.Select(l => index[l]).ToList();
        var weights = data.Labels.Select(l => classWeights.TryGetValue(l, out double w) ? w : 1.0).ToList();
        var external = trainer.Fit(rows, labels, classes, data.FeatureIds, weights);
        summary ??= SvmClassifierTrainer.Summarise(data, string.Empty, string.Empty, 0);
        var settings = new SvmClassifierOptions { Normalizer = (keptNormalizer ?? fitted).Kind, ClassWeights = new Dictionary<string, double>(classWeights), Probability = external.ScoresAreProbabilities };
        return new ClassifierModel(data.FeatureIds, classes, keptNormalizer ?? fitted, external, settings, summary);
    }
}
