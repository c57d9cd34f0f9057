using Raabin.Features.Datasets;
using Raabin.Features.Measurement;

namespace Raabin.Features.ML;

/// <summary>
/// One row of the measuring mapping: the core <see cref="CellPipeline"/> on one image, its float64 features rounded to
/// float32 into the output's scalar slots, the row's status and message. Stateless apart from the pipeline, which the core
/// runs on many threads at once, so one instance serves every cursor.
/// </summary>
internal sealed class CellMeasurer
{
    private readonly CellPipeline pipeline;
    private readonly string? imageFolder;
    private readonly int featureCount;

    public CellMeasurer(MeasureCellsOptions options, int featureCount)
    {
        pipeline = CellPipeline.From(options.Segmenter, options.Extractor, options.Decoder, options.MeasureDamaged);
        imageFolder = options.ImageFolder;
        this.featureCount = featureCount;
    }

    public void Measure(string? path, MeasureCellsOutput output)
    {
        string full = string.IsNullOrEmpty(imageFolder) || string.IsNullOrEmpty(path) ? path ?? string.Empty : Path.Combine(imageFolder, path);
        FeatureRow row = string.IsNullOrWhiteSpace(full)
            ? new FeatureRow(full, string.Empty, string.Empty, string.Empty, CellStatus.Missing, "no image path (the path column is empty)", [])
            : pipeline.Process(full, new DatasetItem(full, string.Empty, string.Empty, string.Empty, null)).Row;
        Span<float> slots = stackalloc float[MeasureCellsOutput.SlotCount];
        slots.Fill(float.NaN);
        if (row.Values.Length == featureCount)
        {
            for (int f = 0; f < featureCount; f++)
            {
                // Round to nearest float32 (NaN stays NaN); see MeasureCellsEstimator's remarks on what this changes.
                slots[f] = (float)row.Values[f];
            }
        }

        output.Set(slots);
        output.Status = row.Status;
        output.Error = row.Error ?? string.Empty;
    }
}
