using Raabin.Features.Imaging;
using Raabin.Features.Measurement;
using Raabin.Features.Segmentation;

namespace Raabin.Features.ML;

/// <summary>
/// Settings of the cell-measurement transform (<see cref="MeasureCellsCatalog.MeasureCells(Microsoft.ML.TransformsCatalog, MeasureCellsOptions)"/>):
/// which columns, and the core's measurement steps by name and options. The defaults are the published method's
/// (<see cref="SegmenterSpec.Reference"/>, <see cref="ExtractorSpec.Reference"/>, <see cref="DecoderOptions.Default"/>),
/// as in <see cref="CellPipeline.Reference"/>. Every setting is stored in the fitted transform, so a saved model measures
/// the same way when loaded.
/// </summary>
public sealed class MeasureCellsOptions
{
    /// <summary>
    /// The input column: the image file's path (text), or the decoded image (<c>MLImage</c>, e.g. from
    /// <c>mlContext.Transforms.LoadImages</c>). Default "ImagePath".
    /// </summary>
    public string InputColumnName { get; set; } = "ImagePath";

    /// <summary>The output feature column: a float32 vector, one slot per feature, slot names the catalog ids. Default "Features".</summary>
    public string OutputColumnName { get; set; } = FeatureTableData.FeaturesColumn;

    /// <summary>
    /// The output status column (text): <c>ok</c>, or why the row has no features, as in a feature table
    /// (<see cref="CellStatus"/>: <c>missing</c>, <c>decode_error</c>, <c>damaged</c>, <c>segmentation_failed</c>). Default "Status".
    /// </summary>
    public string StatusColumnName { get; set; } = "Status";

    /// <summary>
    /// The output message column (text): the failure naming the file and the problem, or a decoder warning on a measured
    /// row; empty when there is nothing to say. Default "Error" (a feature table's <c>error</c> column).
    /// </summary>
    public string ErrorColumnName { get; set; } = "Error";

    /// <summary>The nucleus segmenter with every option. Default <see cref="SegmenterSpec.Reference"/>; e.g. <c>SegmenterSpec.Parse("od-cell")</c>.</summary>
    public SegmenterSpec Segmenter { get; set; } = SegmenterSpec.Reference;

    /// <summary>
    /// The feature extractor with its version and options. Default <see cref="ExtractorSpec.Reference"/> (51 features);
    /// e.g. <c>ExtractorSpec.Parse("od-groups(groups=shape+colour)")</c> (needs a whole-cell segmenter such as
    /// <c>od-cell</c>). At most <see cref="MeasureCellsEstimator.MaxFeatureCount"/> features.
    /// </summary>
    public ExtractorSpec Extractor { get; set; } = ExtractorSpec.Reference;

    /// <summary>Decoder limits (path input only). Default <see cref="DecoderOptions.Default"/>.</summary>
    public DecoderOptions Decoder { get; set; } = DecoderOptions.Default;

    /// <summary>
    /// Whether an image the decoder could only read by filling in damaged data is measured anyway
    /// (<see cref="CellPipeline.MeasureDamaged"/>; path input only). Default false: such a row gets status <c>damaged</c> and NaN features.
    /// </summary>
    public bool MeasureDamaged { get; set; }

    /// <summary>
    /// The folder relative paths are read from, or null (default) for paths as given (relative ones against the current
    /// directory when the row is read). Stored in the fitted transform, like ML.NET's <c>LoadImages</c> image folder.
    /// </summary>
    public string? ImageFolder { get; set; }
}
