namespace Raabin.Features.Reports;

/// <summary>Settings of <see cref="HtmlReport"/>. The defaults live here; the CLI and the docs read them from here.</summary>
public sealed record ReportOptions
{
    /// <summary>Default cap on the cells shown in the gallery.</summary>
    public const int DefaultMaxGallery = 400;

    /// <summary>Default thumbnail side, pixels.</summary>
    public const int DefaultThumbnailSize = 64;

    /// <summary>Default number of features whose distributions are plotted.</summary>
    public const int DefaultDistributionFeatures = 6;

    /// <summary>Default permutation-importance repeats per feature.</summary>
    public const int DefaultImportanceRepeats = 5;

    /// <summary>Default probability below which a cell counts as low-confidence in the gallery filter.</summary>
    public const double DefaultLowConfidence = 0.5;

    /// <summary>The defaults.</summary>
    public static ReportOptions Default { get; } = new();

    /// <summary>
    /// The model file (written by <c>raabin train</c>): its pipeline segments the gallery's cells and measures features,
    /// and it explains cells and ranks features. Null: an evaluate folder's own <c>model_&lt;run&gt;.json</c> when it holds
    /// exactly one, else no gallery contours, explanations, distributions or importance.
    /// </summary>
    public string? ModelPath { get; init; }

    /// <summary>Reads models whose classifier another engine trained (e.g. Raabin.Features.ML's <c>MlNetClassifiers.Loader</c>); null: none.</summary>
    public Learning.IExternalClassifierLoader? ExternalLoader { get; init; }

    /// <summary>
    /// Folders in which image paths are looked up, in order: ROOT/DATASET/PATH, then ROOT/PATH. Empty: the report folder
    /// and the current directory (evaluate), or the report folder (predict).
    /// </summary>
    public IReadOnlyList<string> ImageRoots { get; init; } = [];

    /// <summary>A feature CSV (<c>raabin features</c>) joined to the predictions by path, instead of measuring the cells again.</summary>
    public string? FeaturesPath { get; init; }

    /// <summary>At most this many cells in the gallery (≥ 0; 0 leaves it out).</summary>
    public int MaxGallery { get; init; } = DefaultMaxGallery;

    /// <summary>Thumbnail side in pixels (16 to 256).</summary>
    public int ThumbnailSize { get; init; } = DefaultThumbnailSize;

    /// <summary>Whether each gallery cell's explanation includes the counterfactual search (about 0.3 s per cell).</summary>
    public bool Counterfactual { get; init; }

    /// <summary>Features whose per-class, per-domain distributions are plotted (≥ 0).</summary>
    public int DistributionFeatures { get; init; } = DefaultDistributionFeatures;

    /// <summary>Permutation-importance repeats per feature (≥ 0; 0 leaves importance out).</summary>
    public int ImportanceRepeats { get; init; } = DefaultImportanceRepeats;

    /// <summary>Seed of the gallery's sample (when capped) and of the permutations.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Parallel workers for measuring cells (0 = one per core).</summary>
    public int Jobs { get; init; }

    /// <summary>The page title; null: derived from the folder.</summary>
    public string? Title { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxGallery, nameof(MaxGallery));
        ArgumentOutOfRangeException.ThrowIfLessThan(ThumbnailSize, 16, nameof(ThumbnailSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ThumbnailSize, 256, nameof(ThumbnailSize));
        ArgumentOutOfRangeException.ThrowIfNegative(DistributionFeatures, nameof(DistributionFeatures));
        ArgumentOutOfRangeException.ThrowIfNegative(ImportanceRepeats, nameof(ImportanceRepeats));
        ArgumentOutOfRangeException.ThrowIfNegative(Jobs, nameof(Jobs));
    }
}
