using System.Reflection;
using System.Text.Json;
using Raabin.Features.Datasets;
using Raabin.Features.Imaging;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Pipeline;

/// <summary>One image's result from <see cref="PipelineModel.Predict(string)"/>.</summary>
/// <param name="Path">The image as named by the caller.</param>
/// <param name="Status"><see cref="CellStatus"/>: <c>ok</c>, or why there is no prediction.</param>
/// <param name="Error">Why there is no prediction (or a warning), else null.</param>
/// <param name="Features">The measured features in the extractor's order (NaN when not measured).</param>
/// <param name="Prediction">The classifier's decision, or null when the cell was not classified.</param>
public sealed record CellPrediction(string Path, string Status, string? Error, FeatureRow Features, ClassifierPrediction? Prediction);

/// <summary>
/// A trained model that carries every step from file bytes to a label: decoder limits, the segmenter with all its
/// options, the feature extractor with its version, and the classifier (ordered feature ids, normaliser, SVM, classes,
/// decision rule, training summary). Immutable. It predicts from an image file, an <see cref="RgbImage"/>, or features
/// bound <b>by id</b>, never by position, and saves to a versioned, self-describing JSON file (format version 2; files
/// of version 1 still load).
/// </summary>
/// <example>
/// <code>
/// var model = PipelineModel.Load("models/reference-pbc.model.json");
/// CellPrediction cell = model.Predict("cell.jpg");
/// Console.WriteLine($"{cell.Prediction?.Label} p={cell.Prediction?.Probability}");
/// </code>
/// </example>
public sealed class PipelineModel
{
    private readonly Lazy<CellPipeline> _cellPipeline;
    private readonly FeatureBinding _extractorBinding;

    /// <summary>Assembles a model from trained parts.</summary>
    /// <exception cref="ArgumentException">A classifier feature the extractor does not measure, or a step this build cannot create.</exception>
    public PipelineModel(DecoderOptions decoder, SegmenterSpec segmenter, ExtractorSpec extractor, ClassifierModel classifier)
        : this(decoder, segmenter, extractor, classifier, ToolkitVersion, "(in memory)", [])
    {
    }

    /// <summary>Assembles a model from trained parts, with its domain steps and training statistics.</summary>
    /// <exception cref="ArgumentException">As the other constructor, or statistics for other features or classes.</exception>
    public PipelineModel(
        DecoderOptions decoder, SegmenterSpec segmenter, ExtractorSpec extractor, ClassifierModel classifier, DomainSteps domain,
        ClassFeatureStatistics? statistics)
        : this(decoder, segmenter, extractor, classifier, ToolkitVersion, "(in memory)", [], domain, statistics)
    {
    }

    internal PipelineModel(
        DecoderOptions decoder, SegmenterSpec segmenter, ExtractorSpec extractor, ClassifierModel classifier, string createdBy, string source,
        IReadOnlyList<string> warnings, DomainSteps? domain = null, ClassFeatureStatistics? statistics = null, double? rejectBelow = null,
        OutOfDistributionRule? rejectOutside = null)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(segmenter);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(classifier);
        Decoder = decoder;
        Segmenter = segmenter;
        Extractor = extractor;
        Classifier = classifier;
        CreatedBy = createdBy;
        Source = source;
        LoadWarnings = warnings;
        ExtractorFeatureIds = [.. extractor.Create().Features.Select(f => f.Id)];
        var foreign = classifier.FeatureIds.Where(id => !ExtractorFeatureIds.Contains(id)).ToList();
        if (foreign.Count > 0)
        {
            throw new ArgumentException(
                $"the classifier reads feature(s) that extractor {extractor} does not measure: {string.Join(", ", foreign.Take(8))}{(foreign.Count > 8 ? ", ..." : string.Empty)}");
        }

        _extractorBinding = FeatureBinding.Create(ExtractorFeatureIds, FeatureIds, extractor.ToString(), $"the model {source}");
        Domain = domain ?? DomainSteps.None;
        if (statistics is not null && (!statistics.FeatureIds.SequenceEqual(classifier.FeatureIds) || !statistics.Classes.SequenceEqual(classifier.Classes)))
        {
            throw new ArgumentException("the class statistics are not of the classifier's features and classes");
        }

        Statistics = statistics;
        if (rejectBelow is { } threshold && (!(threshold > 0 && threshold < 1) || !classifier.HasProbabilities))
        {
            throw new ArgumentException(classifier.HasProbabilities
                ? $"the reject threshold {threshold} must be a probability in (0, 1)"
                : "a reject threshold needs a model trained with probabilities");
        }

        RejectBelow = rejectBelow;
        if (rejectOutside is not null && statistics is null)
        {
            throw new ArgumentException("an out-of-distribution reject rule needs the model's class statistics");
        }

        RejectOutside = rejectOutside;
        _cellPipeline = new Lazy<CellPipeline>(() => CellPipeline.From(Segmenter, Extractor, Decoder));
    }

    /// <summary>"Raabin.Features VERSION", as written in <see cref="CreatedBy"/>.</summary>
    public static string ToolkitVersion { get; } = "Raabin.Features " +
        (typeof(PipelineModel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(PipelineModel).Assembly.GetName().Version?.ToString());

    /// <summary>Decoder limits.</summary>
    public DecoderOptions Decoder { get; }

    /// <summary>The segmenter with every option.</summary>
    public SegmenterSpec Segmenter { get; }

    /// <summary>The feature extractor and its version.</summary>
    public ExtractorSpec Extractor { get; }

    /// <summary>Every feature the extractor measures, in its order.</summary>
    public IReadOnlyList<string> ExtractorFeatureIds { get; }

    /// <summary>The classifier (feature vector to label).</summary>
    public ClassifierModel Classifier { get; }

    /// <summary>The ids the classifier reads, in its order (all of the extractor's, or a subset named at training).</summary>
    public IReadOnlyList<string> FeatureIds => Classifier.FeatureIds;

    /// <summary>Class names in index order.</summary>
    public IReadOnlyList<string> Classes => Classifier.Classes;

    /// <summary>How the label is chosen.</summary>
    public DecisionRule DecisionRule => Classifier.DecisionRule;

    /// <summary>Where the training data came from.</summary>
    public TrainingSummary Training => Classifier.Training;

    /// <summary>What the model did about the shift between microscopes (randomisation, standardisation, adaptation).</summary>
    public DomainSteps Domain { get; }

    /// <summary>
    /// Per-class feature statistics of the training rows (raw units, the classifier's features), or null for a model
    /// written before they were recorded.
    /// </summary>
    public ClassFeatureStatistics? Statistics { get; }

    /// <summary>
    /// The reject rule: a cell whose best label has a probability below this is "not recognised"
    /// (<see cref="CellStatus.NotRecognised"/>, no label) instead of given a guess; null (the default) labels every cell.
    /// </summary>
    public double? RejectBelow { get; }

    /// <summary>The same model with another reject threshold (null: none).</summary>
    /// <exception cref="ArgumentException">A threshold outside (0, 1), or a model without probabilities.</exception>
    public PipelineModel WithRejectBelow(double? threshold) =>
        threshold == RejectBelow ? this : new PipelineModel(Decoder, Segmenter, Extractor, Classifier, CreatedBy, Source, LoadWarnings, Domain, Statistics, threshold, RejectOutside);

    /// <summary>
    /// The out-of-distribution half of the reject rule, or null (the default): a cell farther from its predicted class than
    /// the rule's distance is <see cref="CellStatus.NotRecognised"/> whatever its probability.
    /// </summary>
    public OutOfDistributionRule? RejectOutside { get; }

    /// <summary>The same model with another out-of-distribution rule (null: none).</summary>
    /// <exception cref="ArgumentException">A model without class statistics.</exception>
    public PipelineModel WithRejectOutside(OutOfDistributionRule? rule) =>
        rule == RejectOutside ? this : new PipelineModel(Decoder, Segmenter, Extractor, Classifier, CreatedBy, Source, LoadWarnings, Domain, Statistics, RejectBelow, rule);

    /// <summary>The toolkit that wrote the model ("Raabin.Features VERSION").</summary>
    public string CreatedBy { get; }

    /// <summary>The file the model was loaded from, or "(in memory)".</summary>
    public string Source { get; }

    /// <summary>What loading had to assume (e.g. options a format-1 file did not record); empty for a current file.</summary>
    public IReadOnlyList<string> LoadWarnings { get; }

    /// <summary>The features this model's rows carry: its segmenter and extractor.</summary>
    public FeatureProvenance Provenance => new(Segmenter, Extractor);

    /// <summary>The same model with another decision rule.</summary>
    /// <exception cref="ArgumentException">The probability rule on a model without probabilities.</exception>
    public PipelineModel WithDecisionRule(DecisionRule rule) =>
        rule == DecisionRule ? this : new PipelineModel(Decoder, Segmenter, Extractor, Classifier.WithDecisionRule(rule), CreatedBy, Source, LoadWarnings, Domain, Statistics, RejectBelow, RejectOutside);

    /// <summary>
    /// The same steps with another classifier (same features and classes) and domain record: what adaptation returns.
    /// The result is a new model, written by this toolkit version.
    /// </summary>
    /// <exception cref="ArgumentException">A classifier for other features or classes.</exception>
    public PipelineModel WithClassifier(ClassifierModel classifier, DomainSteps domain)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        if (!classifier.FeatureIds.SequenceEqual(FeatureIds) || !classifier.Classes.SequenceEqual(Classes))
        {
            throw new ArgumentException("the new classifier reads other features or classes than the model");
        }

        return new PipelineModel(Decoder, Segmenter, Extractor, classifier, ToolkitVersion, "(in memory)", [], domain, Statistics,
            classifier.HasProbabilities ? RejectBelow : null, RejectOutside);
    }

    /// <summary>The decode → segment → measure part of the model, for batches (thread-safe).</summary>
    /// <param name="measureDamaged">Measure damaged images anyway (see <see cref="CellPipeline.MeasureDamaged"/>); by default they are not classified.</param>
    public CellPipeline CreateCellPipeline(bool measureDamaged = false) =>
        measureDamaged ? CellPipeline.From(Segmenter, Extractor, Decoder, measureDamaged: true) : _cellPipeline.Value;

    /// <summary>Classifies one image file: decoded, segmented and measured with the model's own steps.</summary>
    public CellPrediction Predict(string imagePath)
    {
        ArgumentNullException.ThrowIfNull(imagePath);
        var item = new DatasetItem(imagePath, string.Empty, string.Empty, string.Empty, null);
        return Classify(CreateCellPipeline().Process(imagePath, item).Row);
    }

    /// <summary>Classifies a decoded image; <paramref name="name"/> names it in the result.</summary>
    public CellPrediction Predict(RgbImage image, string name = "(image)")
    {
        var item = new DatasetItem(name, string.Empty, string.Empty, string.Empty, null);
        return Classify(CreateCellPipeline().Process(image, item).Row);
    }

    /// <summary>Classifies a row measured by <see cref="CreateCellPipeline"/> (values in the extractor's order).</summary>
    public CellPrediction Classify(FeatureRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!row.IsOk)
        {
            return new CellPrediction(row.Path, row.Status, row.Error, row, null);
        }

        return Classify(row, _extractorBinding);
    }

    /// <summary>Classifies features given by id (extra ids are ignored).</summary>
    /// <exception cref="ArgumentException">An id the model reads is missing (all are named), or a value is not finite.</exception>
    public ClassifierPrediction Predict(IReadOnlyDictionary<string, double> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var missing = FeatureIds.Where(id => !features.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"the model {Source} reads feature(s) not given: {string.Join(", ", missing)}", nameof(features));
        }

        return Classifier.Predict(FeatureIds.Select(id => features[id]).ToArray());
    }

    /// <summary>
    /// Binds columns named <paramref name="availableIds"/> to this model's features by id. <paramref name="source"/> names
    /// the table in the error.
    /// </summary>
    /// <exception cref="ArgumentException">The columns lack an id the model reads (the message names the source, the model and every missing id).</exception>
    public FeatureBinding Bind(IReadOnlyList<string> availableIds, string source) => FeatureBinding.Create(availableIds, FeatureIds, source, $"the model {Source}");

    /// <summary>
    /// Checks that a feature table was made the way this model measures (segmenter with its options, extractor and
    /// version, when the table records them; an od-groups table with more groups than the model reads serves it, see
    /// <see cref="ExtractorSpec.Provides"/>) and binds its columns by id.
    /// </summary>
    /// <exception cref="ArgumentException">Other steps, or a missing feature (the message names the table, the model and the difference).</exception>
    public FeatureBinding Bind(FeatureTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Provenance.Extractor is { } extractor && !extractor.Provides(Extractor))
        {
            throw new ArgumentException(
                $"{table.Source}: features measured by extractor {extractor}; the model {Source} reads {Extractor}");
        }

        if (table.Provenance.Segmenter is { } segmenter && segmenter != Segmenter)
        {
            throw new ArgumentException(
                $"{table.Source}: features measured on segmenter {segmenter}; the model {Source} was trained on {Segmenter}");
        }

        return Bind(table.FeatureIds, table.Source);
    }

    /// <summary>Classifies a row of a bound table.</summary>
    public CellPrediction Classify(FeatureRow row, FeatureBinding binding)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(binding);
        if (!row.IsOk)
        {
            return new CellPrediction(row.Path, row.Status, row.Error, row, null);
        }

        return ClassifierInput(row, binding) is { } values
            ? Decide(row, values, Classifier.Predict(values))
            : new CellPrediction(row.Path, CellStatus.InvalidFeatures, "a feature value is not finite", row, null);
    }

    /// <summary>
    /// A row's features in the classifier's order through <paramref name="binding"/>, or null when the row has none to
    /// classify (status not ok, or a value that is not finite): exactly the cells <see cref="Classify(FeatureRow, FeatureBinding)"/> scores.
    /// </summary>
    public double[]? ClassifierInput(FeatureRow row, FeatureBinding binding)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(binding);
        if (!row.IsOk)
        {
            return null;
        }

        var values = new double[FeatureIds.Count];
        binding.Apply(row.Values, values);
        return values.All(double.IsFinite) ? values : null;
    }

    // The reject rule, applied to every classification the model makes: outside the training distribution (raw features
    // against the training statistics), then not confident enough.
    private CellPrediction Decide(FeatureRow row, double[] raw, ClassifierPrediction prediction)
    {
        if (RejectOutside is { } outside && outside.Reject(prediction.Label, Statistics!.Distance(raw, prediction.ClassIndex)) is { } why)
        {
            return new CellPrediction(row.Path, CellStatus.NotRecognised, why, row, null);
        }

        return RejectBelow is { } threshold && prediction.Probability is { } p && p < threshold
            ? new CellPrediction(row.Path, CellStatus.NotRecognised,
                FormattableString.Invariant($"not recognised: best label {prediction.Label} has probability {p:F3}, below the model's threshold {threshold:R}"), row, null)
            : new CellPrediction(row.Path, CellStatus.Ok, row.Error, row, prediction);
    }

    /// <summary>
    /// Classifies rows measured by <see cref="CreateCellPipeline"/> with transductive standardisation: the cells of each
    /// domain (the rows' domain; all rows when none is recorded) are standardised with their own statistics
    /// (<see cref="TransductiveStandardization"/>). <paramref name="report"/> hears what was done per domain.
    /// </summary>
    /// <exception cref="ArgumentException">A domain with fewer cells than the minimum, or a model that is not z-scored.</exception>
    public IReadOnlyList<CellPrediction> ClassifyTransductive(IReadOnlyList<FeatureRow> rows, TransductiveOptions options, Action<TransductiveResult>? report = null) =>
        ClassifyTransductive(rows, _extractorBinding, options, report);

    /// <summary>As the other overload, for rows of a table bound with <see cref="Bind(FeatureTable)"/>.</summary>
    /// <exception cref="ArgumentException">A domain with fewer cells than the minimum, or a model that is not z-scored.</exception>
    public IReadOnlyList<CellPrediction> ClassifyTransductive(
        IReadOnlyList<FeatureRow> rows, FeatureBinding binding, TransductiveOptions options, Action<TransductiveResult>? report = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(binding);
        ArgumentNullException.ThrowIfNull(options);
        var result = rows.Select(r => Classify(r, binding)).ToArray();
        foreach (var group in Enumerable.Range(0, rows.Count).Where(i => result[i].Prediction is not null || result[i].Status == CellStatus.NotRecognised)
                     .GroupBy(i => rows[i].Domain, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToList();
            var batch = members.Select(i => ClassifierInput(rows[i], binding)!).ToList();
            var fitted = TransductiveStandardization.Fit(Classifier, batch, options, group.Key.Length > 0 ? group.Key : "(all cells)");
            for (int j = 0; j < members.Count; j++)
            {
                result[members[j]] = Decide(rows[members[j]], batch[j], fitted.Classifier.Predict(batch[j]));
            }

            report?.Invoke(fitted);
        }

        return result;
    }

    /// <summary>Writes the model as indented JSON (format version 2) to a file, atomically (the file appears only when complete).</summary>
    public void Save(string path) => IO.AtomicFile.Write(path, Save);

    /// <summary>Writes the model as indented JSON (format version 2) to a stream.</summary>
    public void Save(Stream stream) => JsonSerializer.Serialize(stream, ModelFile.From(this), ModelFile.JsonOptions);

    /// <summary>
    /// Reads a model file (format version 1 to 3). A model whose classifier another engine trained (version 3, e.g. ML.NET's
    /// LightGbm) needs that engine's <paramref name="externalLoader"/> (Raabin.Features.ML's <c>MlNetClassifiers.Loader</c>).
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// Unreadable, not a model, another format version, a step this build does not know, or inconsistent contents; the
    /// message names the file and the problem.
    /// </exception>
    public static PipelineModel Load(string path, IExternalClassifierLoader? externalLoader = null)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Load(stream, path, externalLoader);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read the model: {e.Message}", e);
        }
    }

    /// <summary>Reads a model from a stream; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="InvalidDataException">As <see cref="Load(string, IExternalClassifierLoader?)"/>.</exception>
    public static PipelineModel Load(Stream stream, string source, IExternalClassifierLoader? externalLoader = null)
    {
        ModelFile? file;
        try
        {
            file = JsonSerializer.Deserialize<ModelFile>(stream, ModelFile.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a valid model file: {e.Message}", e);
        }

        if (file is null)
        {
            throw new InvalidDataException($"{source}: not a Raabin.Features model (empty JSON)");
        }

        try
        {
            return file.ToModel(source, externalLoader);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    private string DescribeReject()
    {
        var parts = new List<string>();
        if (RejectOutside is { } o)
        {
            parts.Add(FormattableString.Invariant($"not recognised when farther than {o.MaximumDistance:F3} pooled SDs from the predicted class's mean (the {o.Quantile:R} quantile of its training cells)"));
        }

        if (RejectBelow is { } threshold)
        {
            parts.Add(FormattableString.Invariant($"not recognised when the best probability is below {threshold:R}"));
        }

        return parts.Count > 0 ? string.Join("; ", parts) : "none (every cell gets a label)";
    }

    /// <summary>A few lines describing every step, for people (the model's "card" in short).</summary>
    public string Describe()
    {
        var t = Training;
        return string.Join(Environment.NewLine,
            $"model:      {Source} ({CreatedBy})",
            $"decoder:    max {Decoder.MaxPixels} pixels",
            $"segmenter:  {Segmenter}",
            $"extractor:  {Extractor}, {FeatureIds.Count} of its {ExtractorFeatureIds.Count} features",
            (Classifier.External is { } e
                ? $"classifier: {e.Engine} {e.Trainer} ({e.Settings}), {Classifier.Normalizer.Kind.ToString().ToLowerInvariant()} normaliser, "
                : $"classifier: SVM {Classifier.Settings.Kernel.ToString().ToLowerInvariant()} kernel, {Classifier.Normalizer.Kind.ToString().ToLowerInvariant()} normaliser, {Classifier.Svm.SupportVectorCount} support vectors, ") +
            $"probabilities {(Classifier.HasProbabilities ? "yes" : "no")}, decision rule {DecisionRule.ToString().ToLowerInvariant()}",
            $"classes:    {string.Join(", ", Classes)}",
            $"reject:     {DescribeReject()}",
            $"domain:     {Domain}",
            $"trained on: {t.Rows} cells of {(t.Source.Length > 0 ? t.Source : "(not recorded)")}{(t.Split.Length > 0 ? $" ({t.Split})" : string.Empty)}");
    }
}
