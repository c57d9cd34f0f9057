using Raabin.Features.Imaging;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Pipeline;

/// <summary>Settings of <see cref="PipelineTrainer"/>.</summary>
public sealed record PipelineTrainerOptions
{
    /// <summary>The classifier's settings (defaults: the published method's, vote rule).</summary>
    public SvmClassifierOptions Classifier { get; init; } = new();

    /// <summary>
    /// Another engine's trainer (e.g. ML.NET's LightGbm from <c>Raabin.Features.ML</c>) in place of the kernel SVM, or null
    /// (the default) for the kernel SVM. Of <see cref="Classifier"/> only the normaliser and the class weights then apply.
    /// </summary>
    public IExternalClassifierTrainer? ExternalTrainer { get; init; }

    /// <summary>
    /// The segmenter that measures images. For a feature table that records its own segmenter, that one is used and this
    /// must agree with it when <see cref="SegmenterGiven"/>; for a table that does not, this is what the model is stamped with.
    /// </summary>
    public SegmenterSpec Segmenter { get; init; } = SegmenterSpec.Reference;

    /// <summary>Whether <see cref="Segmenter"/> was chosen by the user (then a table made otherwise is refused).</summary>
    public bool SegmenterGiven { get; init; }

    /// <summary>
    /// The feature extractor with its options (as <see cref="Segmenter"/>): a table recording another extractor is refused
    /// when <see cref="ExtractorGiven"/>, else the table's own extractor is the model's.
    /// </summary>
    public ExtractorSpec Extractor { get; init; } = ExtractorSpec.Reference;

    /// <summary>Whether <see cref="Extractor"/> was chosen by the user (then a table measured otherwise is refused).</summary>
    public bool ExtractorGiven { get; init; }

    /// <summary>Decoder limits recorded in the model.</summary>
    public DecoderOptions Decoder { get; init; } = DecoderOptions.Default;

    /// <summary>
    /// Train on these features only (ids of the extractor). Null: every feature of the extractor, and a table lacking any
    /// of them is refused.
    /// </summary>
    public IReadOnlyList<string>? FeatureSubset { get; init; }

    /// <summary>
    /// Standardise each training domain with its own mean and SD before the SVM (randomised copies are a domain of their
    /// own), as transductive standardisation does to each test domain (see <see cref="DomainSteps.PerDomainStandardization"/>).
    /// The model's normaliser is then the z-score of the real training images. Default false.
    /// </summary>
    public bool PerDomainStandardization { get; init; }

    /// <summary>
    /// Store an out-of-distribution reject rule at this quantile of the training cells' distances from their own class
    /// (see <see cref="OutOfDistributionRule"/>; e.g. 0.99), or null (the default) for none.
    /// </summary>
    public double? RejectOutsideQuantile { get; init; }
}

/// <summary>
/// Fits a <see cref="PipelineModel"/> from a feature table or from images: checks that the features are those of the
/// model's steps, binds them by id in the extractor's order, fits the classifier, and records every step.
/// <c>new PipelineTrainer(options).Fit(table)</c>.
/// </summary>
public sealed class PipelineTrainer
{
    /// <summary>Creates a trainer.</summary>
    public PipelineTrainer(PipelineTrainerOptions? options = null) => Options = options ?? new PipelineTrainerOptions();

    /// <summary>The settings.</summary>
    public PipelineTrainerOptions Options { get; }

    /// <summary>
    /// Trains on the usable rows of <paramref name="table"/> (status ok, a label, finite values); <paramref name="warn"/>
    /// hears what was assumed or left out.
    /// </summary>
    /// <param name="table">The features.</param>
    /// <param name="split">The split trained on (recorded), or empty.</param>
    /// <param name="warn">Receives warnings (rows left out, provenance the table does not record).</param>
    /// <param name="randomized">
    /// Features of randomised copies of the training images (tables written by <c>raabin features --randomise</c>, same
    /// segmenter and extractor, same split selected), trained on beside <paramref name="table"/>; their randomisation is
    /// recorded in the model.
    /// </param>
    /// <exception cref="ArgumentException">
    /// Features made by other steps, a missing feature, a subset id the extractor does not measure, fewer than two classes,
    /// a randomised table that is not one (messages name the table).
    /// </exception>
    public PipelineModel Fit(FeatureTable table, string split = "", Action<string>? warn = null, IReadOnlyList<FeatureTable>? randomized = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        warn ??= _ => { };
        var segmenter = Resolve(table.Provenance.Segmenter, Options.Segmenter, "segmenter", table.Source, warn);
        var extractor = Resolve(table.Provenance.Extractor, Options.Extractor, "extractor", table.Source, warn);
        var extractorIds = extractor.Create().Features.Select(f => f.Id).ToList();
        var ids = SelectIds(extractorIds, extractor);
        var missing = ids.Where(id => !table.FeatureIds.Contains(id)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException(Options.FeatureSubset is null
                ? $"{table.Source}: lacks {missing.Count} feature(s) of extractor {extractor}: {string.Join(", ", missing.Take(8))}" +
                  $"{(missing.Count > 8 ? ", ..." : string.Empty)}; name the features to train on explicitly to train on fewer"
                : $"{table.Source}: lacks feature(s) named for training: {string.Join(", ", missing)}");
        }

        var extra = table.FeatureIds.Where(id => !ids.Contains(id)).ToList();
        if (extra.Count > 0 && Options.FeatureSubset is null)
        {
            warn($"{table.Source}: {extra.Count} column(s) that are not features of {extractor} are ignored: {string.Join(", ", extra.Take(5))}{(extra.Count > 5 ? ", ..." : string.Empty)}");
        }

        // Bound by id into the extractor's order, so column order in the file never changes the model.
        var bound = table.Select(ids);
        var usable = bound.Rows.Where(r => r.IsOk && r.Label.Length > 0 && r.Values.All(double.IsFinite)).ToList();
        int skipped = bound.Rows.Count - usable.Count;
        if (skipped > 0)
        {
            warn($"{table.Source}: {skipped} row(s) left out of training (status not ok, no label, or a non-finite value)");
        }

        if (table.Provenance.Randomization is not null)
        {
            throw new ArgumentException($"{table.Source}: holds randomised copies ({table.Provenance.Randomization}); train on the images' own features and give randomised tables beside them");
        }

        var real = new LabelledFeatures(ids, usable.Select(r => r.Values).ToList(), usable.Select(r => r.Label).ToList(), usable.Select(r => r.Domain).ToList());
        var copies = new List<FeatureRow>();
        var descriptions = new List<string>();
        foreach (var copyTable in randomized ?? [])
        {
            if (copyTable.Provenance.Randomization is not { } description)
            {
                throw new ArgumentException($"{copyTable.Source}: is not a table of randomised copies (it has no '{FeatureTable.RandomizationColumn}' column)");
            }

            if (copyTable.Provenance.WithoutRandomization != new FeatureProvenance(segmenter, extractor) && copyTable.Provenance.IsKnown)
            {
                throw new ArgumentException($"{copyTable.Source}: measured with {copyTable.Provenance.WithoutRandomization}, not {new FeatureProvenance(segmenter, extractor)} like {table.Source}");
            }

            var rows = copyTable.Select(ids).Rows.Where(r => r.IsOk && r.Label.Length > 0 && r.Values.All(double.IsFinite)).ToList();
            copies.AddRange(rows);
            descriptions.Add($"{description} ({rows.Count} rows)");
        }

        var data = copies.Count == 0 ? real : new LabelledFeatures(ids,
            [.. real.Rows, .. copies.Select(r => r.Values)], [.. real.Labels, .. copies.Select(r => r.Label)], [.. real.Domains, .. copies.Select(r => r.Domain)]);
        var summary = SvmClassifierTrainer.Summarise(data, DescribeSource(table.Source), split, skipped);
        var classifier = Options.PerDomainStandardization ? FitPerDomain(data, real, summary) : FitClassifier(data, summary, null);
        var domain = new DomainSteps
        {
            Randomization = descriptions.Count > 0 ? string.Join(" | ", descriptions) : null,
            PerDomainStandardization = Options.PerDomainStandardization,
        };
        var statistics = ClassFeatureStatistics.Compute(ids, classifier.Classes, real.Rows, real.Labels);
        var model = new PipelineModel(Options.Decoder, segmenter, extractor, classifier, domain, statistics);
        return Options.RejectOutsideQuantile is { } quantile
            ? model.WithRejectOutside(OutOfDistributionRule.Fit(statistics, real.Rows, real.Labels, quantile))
            : model;
    }

    // Each domain z-scored with its own statistics; the SVM trained on the result; the model's own normaliser is the
    // real images' z-score, so without a transductive step it standardises as the training images were.
    private ClassifierModel FitPerDomain(LabelledFeatures data, LabelledFeatures real, TrainingSummary summary)
    {
        int n = data.FeatureIds.Count;
        var standardised = new double[data.Rows.Count][];
        foreach (var group in Enumerable.Range(0, data.Rows.Count).GroupBy(i => data.Domains[i], StringComparer.Ordinal))
        {
            var members = group.ToList();
            var z = FeatureNormalizer.Fit(NormalizerKind.ZScore, members.Select(i => data.Rows[i]).ToList(), n);
            foreach (int i in members)
            {
                standardised[i] = z.Transform(data.Rows[i]);
            }
        }

        var own = FeatureNormalizer.Fit(NormalizerKind.ZScore, real.Rows, n);
        return FitClassifier(data with { Rows = standardised }, summary, own);
    }

    // The kernel SVM or the external trainer on data normalised by the options' normaliser, or (kept given) on data
    // already standardised, with kept as the model's normaliser.
    private ClassifierModel FitClassifier(LabelledFeatures data, TrainingSummary summary, FeatureNormalizer? kept)
    {
        if (Options.ExternalTrainer is { } external)
        {
            return ExternalClassifierTraining.Fit(external, kept is null ? Options.Classifier.Normalizer : NormalizerKind.None, data,
                Options.Classifier.ClassWeights, summary, kept);
        }

        if (kept is null)
        {
            return new SvmClassifierTrainer(Options.Classifier).Fit(data, summary);
        }

        var fitted = new SvmClassifierTrainer(Options.Classifier with { Normalizer = NormalizerKind.None }).Fit(data, summary);
        return new ClassifierModel(data.FeatureIds, fitted.Classes, kept, fitted.Svm, Options.Classifier with { Normalizer = kept.Kind },
            fitted.Gamma, summary, fitted.DecisionRule);
    }

    private static string DescribeSource(string source) =>
        File.Exists(source) ? System.IO.Path.GetFileName(source) : Directory.Exists(source) ? new DirectoryInfo(source).Name : source;

    private T Resolve<T>(T? recorded, T chosen, string step, string source, Action<string> warn)
        where T : class
    {
        if (recorded is null)
        {
            bool given = step == "extractor" ? Options.ExtractorGiven : Options.SegmenterGiven;
            warn($"{source}: does not record its {step}; the model is stamped with {chosen}{(given ? string.Empty : " (the default)")}");
            return chosen;
        }

        if (!recorded.Equals(chosen) && (step == "extractor" ? Options.ExtractorGiven : Options.SegmenterGiven))
        {
            throw new ArgumentException($"{source}: its features were measured with {step} {recorded}, not {chosen}");
        }

        return recorded;
    }

    private List<string> SelectIds(List<string> extractorIds, ExtractorSpec extractor)
    {
        if (Options.FeatureSubset is not { } subset)
        {
            return extractorIds;
        }

        var foreign = subset.Where(id => !extractorIds.Contains(id)).ToList();
        if (foreign.Count > 0)
        {
            throw new ArgumentException($"feature(s) not measured by extractor {extractor}: {string.Join(", ", foreign)} (see `raabin catalog`)");
        }

        if (subset.Count == 0)
        {
            throw new ArgumentException("an empty feature subset");
        }

        // The extractor's order, whatever order the subset was named in.
        return extractorIds.Where(subset.Contains).ToList();
    }
}
