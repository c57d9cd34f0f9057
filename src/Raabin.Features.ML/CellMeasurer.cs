using Microsoft.ML.Data;
using Raabin.Features.Datasets;
using Raabin.Features.Imaging;
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
        Write(row, output);
    }

    public void Measure(MLImage? image, MeasureCellsOutput output)
    {
        string name = image?.Tag is { Length: > 0 } tag ? tag : "(image)";
        var item = new DatasetItem(name, string.Empty, string.Empty, string.Empty, null);
        FeatureRow row;
        if (image is null)
        {
            row = new FeatureRow(name, string.Empty, string.Empty, string.Empty, CellStatus.Missing, "no image (the image column is empty)", []);
        }
        else if (ToRgb(image) is { } rgb)
        {
            row = pipeline.Process(rgb, item).Row;
        }
        else
        {
            row = new FeatureRow(name, string.Empty, string.Empty, string.Empty, CellStatus.DecodeError,
                $"{name}: an MLImage of {image.Width}x{image.Height} pixels, {image.PixelFormat}, {image.BitsPerPixel} bits per pixel: expected 32-bit BGRA or RGBA", []);
        }

        Write(row, output);
    }

    // The colour channels of a 32-bit MLImage in R, G, B order; alpha is dropped (as OpenCV's imread(IMREAD_COLOR) does).
    private static RgbImage? ToRgb(MLImage image)
    {
        var source = image.Pixels;
        int width = image.Width;
        int height = image.Height;
        bool bgra = image.PixelFormat == MLPixelFormat.Bgra32;
        if (image.BitsPerPixel != 32 || width < 1 || height < 1 || source.Length != (long)width * height * 4
            || (!bgra && image.PixelFormat != MLPixelFormat.Rgba32))
        {
            return null;
        }

        var rgb = new RgbImage(width, height);
        var target = rgb.Pixels.AsSpan();
        int r = bgra ? 2 : 0;
        int b = bgra ? 0 : 2;
        for (int i = 0, j = 0; j < target.Length; i += 4, j += 3)
        {
            target[j] = source[i + r];
            target[j + 1] = source[i + 1];
            target[j + 2] = source[i + b];
        }

        return rgb;
    }

    private void Write(FeatureRow row, MeasureCellsOutput output)
    {
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
