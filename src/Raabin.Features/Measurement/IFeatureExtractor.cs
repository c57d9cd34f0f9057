using Raabin.Features.Segmentation;

namespace Raabin.Features.Measurement;

/// <summary>Measures features of a segmented cell. Which features, in which order, is stated by <see cref="Features"/>.</summary>
public interface IFeatureExtractor
{
    /// <summary>Stable name recorded in feature tables and model files (e.g. <c>reference-51</c>).</summary>
    string Name { get; }

    /// <summary>Version of the extractor's numbers and feature list; raised whenever either changes.</summary>
    int Version { get; }

    /// <summary>The catalog entries this extractor writes, in output order.</summary>
    IReadOnlyList<FeatureDefinition> Features { get; }

    /// <summary>
    /// Writes one value per entry of <see cref="Features"/> into <paramref name="destination"/>. The segmentation must
    /// have succeeded. Values may be NaN where the formula is undefined (e.g. an empty ROC).
    /// </summary>
    void Extract(NucleusSegmentation segmentation, Span<double> destination);
}
