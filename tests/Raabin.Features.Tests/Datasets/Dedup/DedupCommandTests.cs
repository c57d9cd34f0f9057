using System.Text.Json;
using Raabin.Features.Datasets.Dedup;
using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Png;
using Raabin.Features.IO;
using Raabin.Features.Tests.Cli;

namespace Raabin.Features.Tests.Datasets.Dedup;

public class DedupCommandTests
{
    [Fact]
    public void Finds_exactly_the_copies_of_one_cell_across_splits_and_labels()
    {
        using var tmp = TestPaths.NewTempFolder();
        string ds = Path.Combine(tmp.Path, "cells");
        string original = TestPaths.Sample("pbc", "images", "monocyte", "MO_105547.jpg");
        string different = TestPaths.Sample("pbc", "images", "monocyte", "MO_176021.jpg");
        Place(ds, "train/monocyte/a.jpg", original);
        Place(ds, "train/monocyte/b.jpg", different);
        Place(ds, "test/monocyte/a-copy.jpg", original); // byte-identical
        // Re-encoded (PNG) and brightened by 10 grey levels, filed under another label.
        var image = ImageDecoder.Load(original);
        var brighter = new RgbImage(image.Width, image.Height, [.. image.Pixels.Select(v => (byte)Math.Min(255, v + 10))]);
        Directory.CreateDirectory(Path.Combine(ds, "test", "lymphocyte"));
        PngEncoder.Save(brighter, Path.Combine(ds, "test", "lymphocyte", "a-bright.png"));

        string outDir = Path.Combine(tmp.Path, "out");
        var r = RaabinProcess.Run("dedup", ds, "--out", outDir, "--jobs", "2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("groups:                 1", r.Stdout);
        Assert.Contains("groups crossing splits: 1", r.Stdout);
        Assert.Contains("label conflicts:        1", r.Stdout);

        var table = CsvTable.Load(Path.Combine(outDir, "duplicates.csv"));
        Assert.Equal(DuplicateReport.Columns, table.Header);
        Assert.Equal(["test/lymphocyte/a-bright.png", "test/monocyte/a-copy.jpg", "train/monocyte/a.jpg"], table.Rows.Select(row => row[2]));
        Assert.All(table.Rows, row => Assert.Equal("1", row[0]));
        Assert.All(table.Rows, row => Assert.Equal("cells", row[1]));
        // The two identical files are equally sharp; the smaller path of the two is kept unless the bright copy is sharper.
        var kept = Assert.Single(table.Rows, row => row[8] == "true");
        double keptSharpness = double.Parse(kept[7], System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(table.Rows, row => Assert.True(double.Parse(row[7], System.Globalization.CultureInfo.InvariantCulture) <= keptSharpness));
        Assert.NotEqual("train/monocyte/a.jpg", kept[2]);
        Assert.Equal(table.Rows[1][5], table.Rows[2][5]);
        Assert.Equal(table.Rows[1][6], table.Rows[2][6]);

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var root = json.RootElement;
        Assert.Equal(4, root.GetProperty("images_compared").GetInt32());
        Assert.Equal(3, root.GetProperty("images_involved").GetInt32());
        Assert.Equal(2, root.GetProperty("images_marked").GetInt32());
        Assert.Equal(DuplicateFinderOptions.DefaultMaxPerceptualHashDistance, root.GetProperty("max_phash_distance").GetInt32());
        Assert.Equal("across_splits", root.GetProperty("group_list")[0].GetProperty("scope").GetString());

        var hashes = CsvTable.Load(Path.Combine(outDir, "hashes.csv"));
        Assert.Equal(4, hashes.Rows.Count);
    }

    [Fact]
    public void A_bad_image_is_reported_and_skipped_and_limits_come_from_the_options()
    {
        using var tmp = TestPaths.NewTempFolder();
        string ds = Path.Combine(tmp.Path, "cells");
        string original = TestPaths.Sample("pbc", "images", "eosinophil", "EO_341474.jpg");
        Place(ds, "eosinophil/a.jpg", original);
        Place(ds, "eosinophil/b.jpg", original);
        File.WriteAllBytes(Path.Combine(ds, "eosinophil", "broken.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 16]);

        var r = RaabinProcess.Run("dedup", ds, "--ahash", "0", "--phash", "0");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cells/eosinophil/broken.jpg", r.Stderr);
        Assert.Contains("aHash <= 0 and pHash <= 0 bits", r.Stdout);
        Assert.Contains("group 1: 2 images, same_split", r.Stdout);
        Assert.Contains("(1 unreadable, skipped)", r.Stdout);
    }

    [Fact]
    public void Missing_folder_and_bad_limits_fail_clearly()
    {
        var missing = RaabinProcess.Run("dedup", "/nonexistent/cells");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("not found", missing.Stderr);

        var bad = RaabinProcess.Run("dedup", TestPaths.Sample("zheng-jtsc"), "--phash", "65");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--phash must be in 0..64, got 65", bad.Stderr);
    }

    private static void Place(string root, string relative, string source)
    {
        string target = Path.Combine([root, .. relative.Split('/')]);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target);
    }
}
