using Raabin.Features.Segmentation;

namespace Raabin.Features.Measurement;

/// <summary>Measures features of a segmented cell. Which features, in which order, is stated by <see cref="Features"/>.</summary>
public interface IFeatureExtractor
{
    /// <summary>Stable name recorded in feature tables and model files (e.g. <c>reference-51</c>).</summary>
    string Name { get; }

    /// <summary>Version of the extractor's numbers and feature list; raised whenever either changes.</summary>
    int Version { get; }

    /// <summary>
    /// The extractor with its version and options, as feature tables and model files record it. Extractors without
    /// options need not implement it: the default is <c>name@version</c>.
    /// </summary>
    ExtractorSpec Spec => new(Name, Version);

    /// <summary>The catalog entries this extractor writes, in output order.</summary>
    IReadOnlyList<FeatureDefinition> Features { get; }

    /// <summary>
    /// Writes one value per entry of <see cref="Features"/> into <paramref name="destination"/>. The segmentation must
    /// have succeeded. Values may be NaN where the formula is undefined (e.g. an empty ROC).
    /// </summary>
    /// <exception cref="FeatureExtractionException">The segmentation lacks what this extractor measures (e.g. a whole-cell
    /// mask); <see cref="CellPipeline"/> turns it into a row with status <c>segmentation_failed</c> and the reason.</exception>
    void Extract(NucleusSegmentation segmentation, Span<double> destination);
}

/// <summary>
/// A segmentation an extractor cannot measure, though the segmenter succeeded: e.g. no whole-cell mask (a nucleus-only
/// segmenter), or a nucleus that vanishes at the extractor's scale. A documented result, not a crash: the pipeline
/// writes the row with status <see cref="CellStatus.SegmentationFailed"/> and this message as its error.
/// </summary>
public sealed class FeatureExtractionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is missing, naming the extractor.</param>
    public FeatureExtractionException(string message)
        : base(message)
    {
    }
}
