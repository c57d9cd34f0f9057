using Microsoft.ML;
using Raabin.Features.Measurement;
using Raabin.Features.Segmentation;

namespace Raabin.Features.ML;

/// <summary>Cell measurement in ML.NET's transforms catalog.</summary>
public static class MeasureCellsCatalog
{
    /// <summary>
    /// Measures the cell in each row's image: reads a text column of image paths and adds a float32 feature vector (slot
    /// names = the catalog feature ids), a status word and a message (see <see cref="MeasureCellsEstimator"/>).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Columns, segmenter, extractor and decoder settings.</param>
    public static MeasureCellsEstimator MeasureCells(this TransformsCatalog catalog, MeasureCellsOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MeasureCellsEstimator(options);
    }

    /// <summary>
    /// Measures the cell in each row's image with the segmenter and extractor given as text, e.g. <c>"od-cell"</c> and
    /// <c>"od-groups(groups=shape+colour)"</c> (<see cref="SegmenterSpec.Parse"/>, <see cref="ExtractorSpec.Parse"/>); the
    /// status and message go to <c>Status</c> and <c>Error</c>. Defaults: the published method (<c>reference</c>,
    /// <c>reference-51</c>).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The feature vector column.</param>
    /// <param name="inputColumnName">The image path column.</param>
    /// <param name="segmenter">The segmenter: <c>name</c> or <c>name(option=value;...)</c>.</param>
    /// <param name="extractor">The extractor: <c>name</c>, <c>name@version</c>, optionally with <c>(option=value;...)</c>.</param>
    /// <exception cref="ArgumentException">An unknown segmenter or extractor, or an option it refuses.</exception>
    public static MeasureCellsEstimator MeasureCells(this TransformsCatalog catalog, string outputColumnName = FeatureTableData.FeaturesColumn,
        string inputColumnName = "ImagePath", string segmenter = ReferenceNucleusSegmenter.MethodName, string extractor = ReferenceFeatureExtractor.ExtractorName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new MeasureCellsEstimator(new MeasureCellsOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Segmenter = SegmenterSpec.Parse(segmenter),
            Extractor = ExtractorSpec.Parse(extractor),
        });
    }

    /// <summary>
    /// Makes the measurement's mappings known to <paramref name="mlContext"/>: call it before <c>Model.Load</c> in a
    /// process that has not created the transform (ML.NET finds custom mappings only in registered assemblies). It
    /// registers this assembly, as <see cref="KernelSvmCatalog.RegisterKernelSvm"/> does (so either call serves both), and
    /// ML.NET's image transforms (<c>LoadImages</c>), which a model measuring an <c>MLImage</c> column usually starts with.
    /// </summary>
    public static void RegisterMeasureCells(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        mlContext.ComponentCatalog.RegisterAssembly(typeof(MeasureCellsCatalog).Assembly);
        mlContext.ComponentCatalog.RegisterAssembly(typeof(Microsoft.ML.Data.ImageLoadingTransformer).Assembly);
    }
}
