using Raabin.Features.Imaging;

namespace Raabin.Features.Tests.Imaging;

/// <summary>Intact files report nothing: no committed fixture or shipped sample that decodes is flagged, except the deliberately damaged bad_* fixtures.</summary>
public class DecodeReportTests
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff"];

    public static TheoryData<string> ImageFiles()
    {
        var data = new TheoryData<string>();
        foreach (string root in new[] { TestPaths.Fixtures, TestPaths.Samples })
        {
            foreach (string path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (ImageExtensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
                {
                    data.Add(Path.GetRelativePath(AppContext.BaseDirectory, path));
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ImageFiles))]
    public void Every_decodable_committed_image_reports_no_warning(string relativePath)
    {
        string path = Path.Combine(AppContext.BaseDirectory, relativePath);
        DecodeReport report;
        try
        {
            ImageDecoder.Load(path, out _, out report);
        }
        catch (ImageDecodeException)
        {
            return; // fixtures of unsupported or invalid files are refused, which other tests check
        }

        if (Path.GetFileName(path).StartsWith("bad_", StringComparison.Ordinal))
        {
            Assert.True(report.HasWarnings); // damaged on purpose (Tiff/bad_*: strips OpenCV decodes in part)
            return;
        }

        Assert.False(report.HasWarnings, report.Summary);
        Assert.False(report.IsDamaged);
        Assert.Same(DecodeReport.Intact, report);
    }

    [Fact]
    public void Report_overloads_give_the_same_pixels_as_the_plain_ones()
    {
        string path = TestPaths.Fixture("Jpeg", "crop-420.jpg");
        byte[] data = File.ReadAllBytes(path);
        byte[] cut = data[..(data.Length / 2)];

        var plain = ImageDecoder.Decode(cut, "cut.jpg", out var format);
        var reported = ImageDecoder.Decode(cut, "cut.jpg", out var format2, out var report);

        Assert.Equal(ImageFormat.Jpeg, format);
        Assert.Equal(format, format2);
        Assert.Equal(plain.Pixels, reported.Pixels);
        Assert.True(report.IsDamaged);
    }

    [Fact]
    public void Summary_joins_the_warnings_and_damage_needs_a_pixel_warning()
    {
        var report = new DecodeReport([new DecodeWarning("a", AffectsPixels: false), new DecodeWarning("b", AffectsPixels: false)]);

        Assert.Equal("a; b", report.Summary);
        Assert.True(report.HasWarnings);
        Assert.False(report.IsDamaged);
        Assert.True(new DecodeReport([new DecodeWarning("a", false), new DecodeWarning("c", true)]).IsDamaged);
        Assert.Equal("intact", DecodeReport.Intact.ToString());
    }
}
