using Raabin.Features.Datasets;
using Raabin.Features.Measurement;

namespace Raabin.Features.Tests.Measurement;

/// <summary>A damaged image is not measured as if whole, unless asked, and then never silently.</summary>
public class CellPipelineDamageTests
{
    private static readonly DatasetItem Item = new("cut.jpg", "neutrophil", "test", "pbc", null);

    /// <summary>A shipped sample cut to its first 60 %: its lower rows decode grey, as imread returns them.</summary>
    private static string TruncatedSample(TestPaths.TempFolder folder)
    {
        string source = Directory.GetFiles(TestPaths.Sample("pbc", "images", "neutrophil"), "*.jpg").Order(StringComparer.Ordinal).First();
        byte[] data = File.ReadAllBytes(source);
        string path = Path.Combine(folder.Path, "cut.jpg");
        File.WriteAllBytes(path, data[..(data.Length * 6 / 10)]);
        return path;
    }

    [Fact]
    public void Damaged_image_gets_status_damaged_nan_features_and_the_decoder_warning()
    {
        using var tmp = TestPaths.NewTempFolder();
        string path = TruncatedSample(tmp);

        var result = CellPipeline.Reference().Process(path, Item, keepSegmentation: true);

        Assert.Equal(CellStatus.Damaged, result.Row.Status);
        Assert.False(result.Row.IsOk);
        Assert.All(result.Row.Values, v => Assert.True(double.IsNaN(v)));
        Assert.StartsWith("cut.jpg: truncated JPEG: rows ", result.Row.Error);
        Assert.EndsWith(" filled", result.Row.Error);
        Assert.Null(result.Segmentation);
        Assert.Equal(Raabin.Features.Imaging.ImageFormat.Jpeg, result.Format);
    }

    [Fact]
    public void Damaged_image_is_measured_when_asked_and_still_carries_the_warning()
    {
        using var tmp = TestPaths.NewTempFolder();
        string path = TruncatedSample(tmp);
        var reference = CellPipeline.Reference();
        var pipeline = new CellPipeline(reference.Segmenter, reference.Extractor, measureDamaged: true);

        var result = pipeline.Process(path, Item);

        Assert.True(pipeline.MeasureDamaged);
        Assert.Equal(CellStatus.Ok, result.Row.Status);
        Assert.StartsWith(CellPipeline.MeasuredDespiteDamage + "truncated JPEG: rows ", result.Row.Error);
        Assert.Contains(result.Row.Values, v => !double.IsNaN(v));
    }

    [Fact]
    public void Intact_image_is_ok_without_an_error()
    {
        string source = Directory.GetFiles(TestPaths.Sample("pbc", "images", "neutrophil"), "*.jpg").Order(StringComparer.Ordinal).First();

        var result = CellPipeline.Reference().Process(source, Item);

        Assert.Equal(CellStatus.Ok, result.Row.Status);
        Assert.Null(result.Row.Error);
    }
}
