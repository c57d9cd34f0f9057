using System.Collections.ObjectModel;
using Raabin.Features.Learning.Svm;

namespace Raabin.Features.Learning;

/// <summary>How a <see cref="ClassifierModel"/> turns its scores into one label.</summary>
public enum DecisionRule
{
    /// <summary>
    /// The one-vs-one vote winner, ties to the lowest class index: LIBSVM's <c>svm_predict</c> and scikit-learn's
    /// <c>SVC.predict</c>, so the rule of the published method (and of models without probabilities).
    /// </summary>
    Vote,

    /// <summary>The class of highest Platt probability (pairwise coupling), ties to the lowest class index; needs probabilities.</summary>
    Probability,
}

/// <summary>What a <see cref="ClassifierModel"/> decided for one cell.</summary>
/// <param name="Label">The predicted class name, by <paramref name="Rule"/>.</param>
/// <param name="ClassIndex">Its index in <see cref="ClassifierModel.Classes"/>.</param>
/// <param name="Probability">The probability of <paramref name="Label"/>, or null when the model has no probabilities.</param>
/// <param name="Rule">The rule that chose the label.</param>
/// <param name="OtherRuleLabel">The label the other rule would give, when it differs; else null.</param>
/// <param name="Probabilities">Per-class probabilities (Platt + pairwise coupling), or null when the model has none.</param>
/// <param name="DecisionValues">
/// The kernel SVM's one-vs-one decision values, pair order (0,1), (0,2), …, (1,2), …; for an external classifier
/// (<see cref="ClassifierModel.External"/>), its raw score per class.
/// </param>
/// <param name="Votes">The kernel SVM's one-vs-one votes per class; empty for an external classifier.</param>
public sealed record ClassifierPrediction(
    string Label, int ClassIndex, double? Probability, DecisionRule Rule, string? OtherRuleLabel,
    IReadOnlyList<double>? Probabilities, IReadOnlyList<double> DecisionValues, IReadOnlyList<int> Votes)
{
    /// <summary>Whether the vote and the probabilities point to different classes.</summary>
    public bool RulesDisagree => OtherRuleLabel is not null;
}

/// <summary>Where a model's training data came from (stored in the model file).</summary>
/// <param name="Source">Dataset folder or feature file name.</param>
/// <param name="Split">Split used, or empty for all rows.</param>
/// <param name="Rows">Rows trained on.</param>
/// <param name="SkippedRows">Rows left out (no features, unknown status).</param>
/// <param name="RowsPerClass">Training rows per class.</param>
/// <param name="Domains">Acquisition domains present.</param>
public sealed record TrainingSummary(
    string Source, string Split, int Rows, int SkippedRows, IReadOnlyDictionary<string, int> RowsPerClass, IReadOnlyList<string> Domains);

/// <summary>
/// A trained classifier: every step from a feature vector to a label (feature ids, normaliser, SVM, class names,
/// decision rule) and where its training data came from. Immutable. The steps before it (decoding, segmentation,
/// measurement) and the file format are the pipeline model's (<c>Raabin.Features.Pipeline.PipelineModel</c>).
/// The classifier is the toolkit's kernel SVM, or one trained by another engine (<see cref="External"/>, e.g. ML.NET's
/// LightGbm): such a model predicts the same way, but what needs the SVM itself (<see cref="Svm"/>: explanations'
/// runner-up by votes, few-shot adaptation) refuses it with a message saying so.
/// </summary>
public sealed class ClassifierModel
{
    /// <summary>Creates a model from its parts (see <see cref="SvmClassifierTrainer"/>).</summary>
    /// <exception cref="ArgumentException">Inconsistent parts, or the probability rule without probabilities.</exception>
    public ClassifierModel(
        IReadOnlyList<string> featureIds, IReadOnlyList<string> classes, FeatureNormalizer normalizer, SvmModel svm,
        SvmClassifierOptions settings, double gamma, TrainingSummary training, DecisionRule decisionRule = DecisionRule.Vote)
    {
        if (featureIds.Count != normalizer.FeatureCount || featureIds.Count != svm.FeatureCount && svm.SupportVectorCount > 0)
        {
            throw new ArgumentException($"Feature count mismatch: {featureIds.Count} ids, normaliser {normalizer.FeatureCount}, SVM {svm.FeatureCount}.");
        }

        if (classes.Count != svm.ClassCount)
        {
            throw new ArgumentException($"{classes.Count} class names for an SVM with {svm.ClassCount} classes.");
        }

        if (decisionRule == DecisionRule.Probability && svm.ProbabilityA is null)
        {
            throw new ArgumentException("The probability decision rule needs a model trained with probabilities.");
        }

        if (featureIds.Distinct(StringComparer.Ordinal).Count() != featureIds.Count)
        {
            throw new ArgumentException("A feature id is listed twice.");
        }

        FeatureIds = new ReadOnlyCollection<string>([.. featureIds]);
        Classes = new ReadOnlyCollection<string>([.. classes]);
        Normalizer = normalizer;
        _svm = svm;
        Settings = settings;
        Gamma = gamma;
        Training = training;
        DecisionRule = decisionRule;
    }

    /// <summary>
    /// Creates a model whose classifier was trained by another engine (see <see cref="ExternalClassifierTraining"/>).
    /// <paramref name="settings"/> records the normaliser kind and class weights; its SVM settings do not apply.
    /// </summary>
    /// <exception cref="ArgumentException">Inconsistent parts.</exception>
    public ClassifierModel(
        IReadOnlyList<string> featureIds, IReadOnlyList<string> classes, FeatureNormalizer normalizer, IExternalClassifier external,
        SvmClassifierOptions settings, TrainingSummary training)
    {
        ArgumentNullException.ThrowIfNull(external);
        if (featureIds.Count != normalizer.FeatureCount || featureIds.Count != external.FeatureCount)
        {
            throw new ArgumentException($"Feature count mismatch: {featureIds.Count} ids, normaliser {normalizer.FeatureCount}, {external.Trainer} {external.FeatureCount}.");
        }

        if (classes.Count != external.ClassCount)
        {
            throw new ArgumentException($"{classes.Count} class names for a {external.Trainer} classifier of {external.ClassCount} classes.");
        }

        if (featureIds.Distinct(StringComparer.Ordinal).Count() != featureIds.Count)
        {
            throw new ArgumentException("A feature id is listed twice.");
        }

        FeatureIds = new ReadOnlyCollection<string>([.. featureIds]);
        Classes = new ReadOnlyCollection<string>([.. classes]);
        Normalizer = normalizer;
        External = external;
        // An external classifier labels by its highest score: "probability" when its scores are probabilities.
        DecisionRule = external.ScoresAreProbabilities ? DecisionRule.Probability : DecisionRule.Vote;
        Settings = settings with { DecisionRule = DecisionRule, Probability = external.ScoresAreProbabilities };
        Gamma = double.NaN;
        Training = training;
    }

    private readonly SvmModel? _svm;

    /// <summary>Feature ids in the order the model reads them.</summary>
    public IReadOnlyList<string> FeatureIds { get; }

    /// <summary>Class names, index order (ordinal sorted at training).</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The fitted normaliser.</summary>
    public FeatureNormalizer Normalizer { get; }

    /// <summary>The trained kernel SVM.</summary>
    /// <exception cref="InvalidOperationException">The classifier is an <see cref="External"/> one, not the kernel SVM.</exception>
    public SvmModel Svm => _svm ?? throw new InvalidOperationException(
        $"this model's classifier is {External!.Engine} {External.Trainer}, not the kernel SVM; this step needs a model trained with the kernel SVM (--trainer kernel-svm)");

    /// <summary>Whether the classifier is the toolkit's kernel SVM (else <see cref="External"/>).</summary>
    public bool IsKernelSvm => _svm is not null;

    /// <summary>The classifier trained by another engine, or null for the kernel SVM.</summary>
    public IExternalClassifier? External { get; }

    /// <summary>What trained the classifier, for people: <c>kernel SVM</c> or e.g. <c>ML.NET 5.0.1 lightgbm</c>.</summary>
    public string TrainerDescription => External is { } e ? $"{e.Engine} {e.Trainer}" : "kernel SVM";

    /// <summary>
    /// The settings it was trained with (for an <see cref="External"/> classifier only the normaliser and class weights
    /// apply; its own settings are <see cref="IExternalClassifier.Settings"/>).
    /// </summary>
    public SvmClassifierOptions Settings { get; }

    /// <summary>The resolved γ (NaN for an external classifier).</summary>
    public double Gamma { get; }

    /// <summary>Training data summary.</summary>
    public TrainingSummary Training { get; }

    /// <summary>How the label is chosen from the scores.</summary>
    public DecisionRule DecisionRule { get; }

    /// <summary>Whether the model has Platt probabilities.</summary>
    public bool HasProbabilities => External?.ScoresAreProbabilities ?? _svm!.ProbabilityA is not null;

    /// <summary>The same model with another decision rule.</summary>
    /// <exception cref="ArgumentException">The probability rule on a model without probabilities.</exception>
    public ClassifierModel WithDecisionRule(DecisionRule rule) =>
        rule == DecisionRule ? this
        : External is not null ? throw new ArgumentException($"a {TrainerDescription} classifier always labels by its highest score; the decision rule applies to the kernel SVM")
        : new ClassifierModel(FeatureIds, Classes, Normalizer, Svm, Settings, Gamma, Training, rule);

    /// <summary>
    /// The same SVM behind another normaliser (same feature count): how a model is re-standardised for a new microscope's
    /// statistics, or composed with an affine feature map.
    /// </summary>
    /// <exception cref="ArgumentException">A normaliser for another number of features.</exception>
    public ClassifierModel WithNormalizer(FeatureNormalizer normalizer) => External is { } external
        ? new(FeatureIds, Classes, normalizer, external, Settings with { Normalizer = normalizer.Kind }, Training)
        : new(FeatureIds, Classes, normalizer, Svm, Settings with { Normalizer = normalizer.Kind }, Gamma, Training, DecisionRule);

    /// <summary>
    /// Predicts one cell from its raw (unnormalised) features in <see cref="FeatureIds"/> order. The label is chosen by
    /// <see cref="DecisionRule"/>; the prediction says when the other rule disagrees.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong length or a non-finite value.</exception>
    public ClassifierPrediction Predict(ReadOnlySpan<double> features)
    {
        if (features.Length != FeatureIds.Count)
        {
            throw new ArgumentException($"The model reads {FeatureIds.Count} features, got {features.Length}.", nameof(features));
        }

        for (int f = 0; f < features.Length; f++)
        {
            if (!double.IsFinite(features[f]))
            {
                throw new ArgumentException($"Feature '{FeatureIds[f]}' is {features[f]}; the model needs finite values.", nameof(features));
            }
        }

        Span<double> x = features.Length <= 256 ? stackalloc double[features.Length] : new double[features.Length];
        Normalizer.Transform(features, x);
        if (External is { } external)
        {
            return PredictExternal(external, x);
        }

        SvmPrediction p = Svm.PredictDetailed(x);

        // The vote winner is what scikit-learn's SVC.predict (the reference) returns even when probabilities are fitted;
        // the probabilities can favour another class, so both are computed and the disagreement is reported.
        int vote = p.ClassIndex;
        int? byProbability = p.Probabilities is { } probs ? ArgMax(probs) : null;
        int chosen = DecisionRule == DecisionRule.Probability ? byProbability!.Value : vote;
        int? other = DecisionRule == DecisionRule.Probability ? vote : byProbability;
        return new ClassifierPrediction(
            Classes[chosen], chosen, p.Probabilities?[chosen], DecisionRule, other is { } o && o != chosen ? Classes[o] : null,
            p.Probabilities, p.DecisionValues, p.Votes);
    }

    // The highest score, ties to the lowest class index; the scores are the probabilities when they are ones.
    private ClassifierPrediction PredictExternal(IExternalClassifier external, ReadOnlySpan<double> normalised)
    {
        var scores = new double[Classes.Count];
        external.Score(normalised, scores);
        int chosen = ArgMax(scores);
        bool probabilities = external.ScoresAreProbabilities;
        return new ClassifierPrediction(
            Classes[chosen], chosen, probabilities ? scores[chosen] : null, DecisionRule, null, probabilities ? scores : null, scores, []);
    }

    private static int ArgMax(IReadOnlyList<double> values)
    {
        int best = 0;
        for (int i = 1; i < values.Count; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>
    /// Checks that a feature table provides this model's features; returns the problem in words, or null when it fits.
    /// </summary>
    public string? DescribeMismatch(IReadOnlyList<string> availableFeatureIds)
    {
        var available = new HashSet<string>(availableFeatureIds, StringComparer.Ordinal);
        var missing = FeatureIds.Where(id => !available.Contains(id)).ToList();
        return missing.Count == 0
            ? null
            : $"the model reads {FeatureIds.Count} features; " +
              $"{missing.Count} are missing here: {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", ..." : string.Empty)}";
    }
}
