using Raabin.Features.Datasets;
using Raabin.Features.Imaging;
using Raabin.Features.IO;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Measurement;

/// <summary>One image through the pipeline: its row and, when kept, the segmentation that produced it.</summary>
/// <param name="Item">The dataset item.</param>
/// <param name="Row">Its feature row (status and error included).</param>
/// <param name="Segmentation">The segmentation, when the caller asked to keep it and decoding succeeded.</param>
/// <param name="Format">The decoded format, or null when the file could not be read.</param>
/// <param name="Summary">The segmentation's numbers, or null when the file could not be read.</param>
/// <param name="Tag">Whatever the caller's per-image callback returned (see <see cref="CellPipeline.ProcessAll"/>).</param>
public sealed record CellResult(
    DatasetItem Item, FeatureRow Row, NucleusSegmentation? Segmentation, ImageFormat? Format, SegmentationSummary? Summary = null, object? Tag = null);

/// <summary>
/// A deterministic change applied to each decoded image before it is segmented (see <see cref="CellPipeline.WithTransform"/>):
/// rows measured on the changed images carry <paramref name="Description"/> as their provenance and
/// <paramref name="DomainSuffix"/> after their domain.
/// </summary>
/// <param name="Apply">The change; must depend only on the image and the item (so parallel runs equal sequential ones).</param>
/// <param name="Description">What was done, with its seed, for the <c>randomisation</c> column and the model file.</param>
/// <param name="DomainSuffix">Appended to each row's domain (e.g. <c>+randomised</c>), so changed rows are a domain of their own.</param>
public sealed record ImageTransform(Func<RgbImage, DatasetItem, RgbImage> Apply, string Description, string DomainSuffix);

/// <summary>
/// Pixels to features for many images: decode, segment, measure. One bad image never stops a batch: it becomes a row
/// with a status and an error message. A damaged image (one the decoder could only read by filling in missing data,
/// see <see cref="DecodeReport"/>) is not measured unless <see cref="MeasureDamaged"/> is set. Images are processed in parallel and results come back in input order as they
/// are ready (streaming), so a caller can write them out without holding the whole batch.
/// </summary>
public sealed class CellPipeline
{
    /// <summary>Creates a pipeline.</summary>
    /// <param name="segmenter">The nucleus segmenter.</param>
    /// <param name="extractor">The feature extractor.</param>
    /// <param name="decoderOptions">Decoder limits; null for <see cref="Imaging.DecoderOptions.Default"/>.</param>
    /// <param name="measureDamaged">See <see cref="MeasureDamaged"/>; false by default.</param>
    public CellPipeline(INucleusSegmenter segmenter, IFeatureExtractor extractor, DecoderOptions? decoderOptions = null, bool measureDamaged = false)
    {
        Segmenter = segmenter;
        Extractor = extractor;
        DecoderOptions = decoderOptions ?? DecoderOptions.Default;
        MeasureDamaged = measureDamaged;
    }

    private CellPipeline(CellPipeline source, ImageTransform transform)
        : this(source.Segmenter, source.Extractor, source.DecoderOptions, source.MeasureDamaged) => Transform = transform;

    /// <summary>
    /// The transform applied to every decoded image before segmentation (e.g. a randomised copy for training), or null.
    /// </summary>
    public ImageTransform? Transform { get; }

    /// <summary>The same pipeline measuring <paramref name="transform"/>ed copies of the images.</summary>
    public CellPipeline WithTransform(ImageTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return new CellPipeline(this, transform);
    }

    /// <summary>The domain suffix of rows measured on randomised copies (<see cref="WithRandomization"/>).</summary>
    public const string RandomizedDomainSuffix = "+randomised";

    /// <summary>
    /// The same pipeline measuring a randomised copy of each image (training-time domain randomisation): the copy of item
    /// <c>p</c> is drawn with seed <see cref="Augmentation.DomainRandomizer.SeedFor(int, string)"/>(<paramref name="seed"/>, p),
    /// so a run is reproducible and independent of the order and the number of workers. Rows say
    /// <c>seed=SEED;OPTIONS</c> in their <c>randomisation</c> column and get the domain suffix <see cref="RandomizedDomainSuffix"/>.
    /// </summary>
    public CellPipeline WithRandomization(Augmentation.DomainRandomizationOptions options, int seed)
    {
        var randomizer = new Augmentation.DomainRandomizer(options);
        return WithTransform(new ImageTransform(
            (image, item) => randomizer.Randomize(image, Augmentation.DomainRandomizer.SeedFor(seed, item.Path)),
            FormattableString.Invariant($"seed={seed};{options.ToSpec()}"), RandomizedDomainSuffix));
    }

    /// <summary>A pipeline rebuilt from recorded steps (a model file's or a feature table's).</summary>
    /// <exception cref="ArgumentException">A step this build does not know.</exception>
    public static CellPipeline From(SegmenterSpec segmenter, ExtractorSpec extractor, DecoderOptions? decoderOptions = null, bool measureDamaged = false) =>
        new(segmenter.Create(), extractor.Create(), decoderOptions, measureDamaged);

    /// <summary>What this pipeline's rows are: its segmenter with every option and its extractor with its version.</summary>
    public FeatureProvenance Provenance => new(Segmenter.Spec, ExtractorSpec.Of(Extractor)) { Randomization = Transform?.Description };

    /// <summary>The published method: reference segmenter and the 51 reference features.</summary>
    public static CellPipeline Reference() => new(new ReferenceNucleusSegmenter(), new ReferenceFeatureExtractor());

    /// <summary>The segmenter.</summary>
    public INucleusSegmenter Segmenter { get; }

    /// <summary>The feature extractor.</summary>
    public IFeatureExtractor Extractor { get; }

    /// <summary>Decoder limits.</summary>
    public DecoderOptions DecoderOptions { get; }

    /// <summary>
    /// Whether damaged images (<see cref="DecodeReport.IsDamaged"/>) are segmented and measured anyway. False (the
    /// default): such an image gets status <see cref="CellStatus.Damaged"/>, NaN features and the decoder's warnings as
    /// its error. True: it is measured as usual, and its error column still says
    /// "measured despite damage: ..." so the damage is never silent.
    /// </summary>
    public bool MeasureDamaged { get; }

    /// <summary>Prefix of the error column of a damaged image measured because <see cref="MeasureDamaged"/> is set.</summary>
    public const string MeasuredDespiteDamage = "measured despite damage: ";

    /// <summary>The ids of the features this pipeline writes.</summary>
    public IReadOnlyList<string> FeatureIds => Extractor.Features.Select(f => f.Id).ToArray();

    /// <summary>Processes one image file.</summary>
    /// <param name="fullPath">The file to read.</param>
    /// <param name="item">Its dataset item (path, label, ... copied into the row).</param>
    /// <param name="keepSegmentation">Whether to return the segmentation (masks etc.) too.</param>
    public CellResult Process(string fullPath, DatasetItem item, bool keepSegmentation = false)
    {
        int n = Extractor.Features.Count;
        RgbImage image;
        ImageFormat format;
        DecodeReport report;
        try
        {
            image = ImageDecoder.Load(fullPath, out format, out report, DecoderOptions);
        }
        catch (ImageDecodeException e)
        {
            string status = File.Exists(fullPath) ? CellStatus.DecodeError : CellStatus.Missing;
            return new CellResult(item, Row(item, status, $"{item.Path}: {e.Problem}", Nan(n)), null, null);
        }

        if (report.IsDamaged && !MeasureDamaged)
        {
            return new CellResult(item, Row(item, CellStatus.Damaged, $"{item.Path}: {report.Summary}", Nan(n)), null, format);
        }

        // Warnings travel in the error column even when the row is measured: nothing the decoder glossed over is silent.
        string? warning = !report.HasWarnings ? null
            : report.IsDamaged ? MeasuredDespiteDamage + report.Summary
            : "decoder warning: " + report.Summary;
        return Process(image, item, format, keepSegmentation, warning);
    }

    /// <summary>Segments and measures an image already in memory.</summary>
    /// <param name="image">The cell crop.</param>
    /// <param name="item">Its dataset item (path, label, ... copied into the row).</param>
    /// <param name="format">The format it was decoded from, if known.</param>
    /// <param name="keepSegmentation">Whether to return the segmentation (masks etc.) too.</param>
    /// <param name="warning">A decoder warning to carry in the row's error column, or null.</param>
    public CellResult Process(RgbImage image, DatasetItem item, ImageFormat? format = null, bool keepSegmentation = false, string? warning = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        int n = Extractor.Features.Count;
        if (Transform is { } transform)
        {
            image = transform.Apply(image, item);
            item = item with { Domain = item.Domain + transform.DomainSuffix };
        }

        NucleusSegmentation seg = Segmenter.Segment(image);
        if (!seg.Succeeded)
        {
            string? reason = warning is null ? seg.FailureReason : $"{seg.FailureReason} ({warning})";
            return new CellResult(item, Row(item, CellStatus.SegmentationFailed, reason, Nan(n)), keepSegmentation ? seg : null, format,
                SegmentationSummary.Of(seg));
        }

        var values = new double[n];
        try
        {
            Extractor.Extract(seg, values);
        }
        catch (FeatureExtractionException e)
        {
            // The segmenter succeeded but gave the extractor too little (e.g. no whole-cell mask): a documented failure.
            string reason = warning is null ? e.Message : $"{e.Message} ({warning})";
            return new CellResult(item, Row(item, CellStatus.SegmentationFailed, reason, Nan(n)), keepSegmentation ? seg : null, format,
                SegmentationSummary.Of(seg));
        }

        return new CellResult(item, Row(item, CellStatus.Ok, warning, values), keepSegmentation ? seg : null, format, SegmentationSummary.Of(seg));
    }

    /// <summary>
    /// Processes items of a dataset in parallel, yielding results in input order as they complete.
    /// <paramref name="onSegmented"/>, if given, runs on the worker thread for every image with its segmentation (e.g. to
    /// write masks); what it returns is kept as the result's <see cref="CellResult.Tag"/> and the segmentation is dropped,
    /// so memory stays bounded however many images there are.
    /// </summary>
    public IEnumerable<CellResult> ProcessAll(
        Dataset dataset, IReadOnlyList<DatasetItem> items, int maxDegreeOfParallelism = 0,
        Func<CellResult, object?>? onSegmented = null, CancellationToken cancellation = default)
    {
        return OrderedParallel.Select(items, maxDegreeOfParallelism, item =>
        {
            var result = Process(dataset.FullPath(item), item, keepSegmentation: onSegmented is not null);
            if (onSegmented is not null)
            {
                object? tag = onSegmented(result);
                result = result with { Segmentation = null, Tag = tag };
            }

            return result;
        }, cancellation);
    }

    private static FeatureRow Row(DatasetItem item, string status, string? error, double[] values) =>
        new(item.Path, item.Label, item.Split, item.Domain, status, error, values);

    private static double[] Nan(int n)
    {
        var v = new double[n];
        Array.Fill(v, double.NaN);
        return v;
    }
}
