using Raabin.Features.IO;
using Raabin.Features.Measurement;

namespace Raabin.Features.Tests.Cli;

/// <summary>The real CLI on a folder where one image is a truncated copy of a shipped sample.</summary>
public class DamagedImageCommandTests
{
    /// <summary>class-per-folder dataset: two intact neutrophils and a truncated copy of the first.</summary>
    private static string MakeDataset(TestPaths.TempFolder tmp)
    {
        string folder = Path.Combine(tmp.Path, "data", "neutrophil");
        Directory.CreateDirectory(folder);
        var sources = Directory.GetFiles(TestPaths.Sample("pbc", "images", "neutrophil"), "*.jpg").Order(StringComparer.Ordinal).Take(2).ToArray();
        File.Copy(sources[0], Path.Combine(folder, "a.jpg"));
        File.Copy(sources[1], Path.Combine(folder, "b.jpg"));
        byte[] data = File.ReadAllBytes(sources[0]);
        File.WriteAllBytes(Path.Combine(folder, "c-cut.jpg"), data[..(data.Length / 2)]);
        return Path.Combine(tmp.Path, "data");
    }

    [Fact]
    public void Features_writes_the_truncated_image_as_damaged_and_exits_1()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = MakeDataset(tmp);
        string output = Path.Combine(tmp.Path, "features.csv");

        var r = RaabinProcess.Run("features", dataset, "--out", output);

        Assert.True(r.ExitCode == 1, r.Stderr);
        var table = FeatureTable.Load(output);
        var byName = table.Rows.ToDictionary(row => Path.GetFileName(row.Path));
        Assert.Equal(CellStatus.Ok, byName["a.jpg"].Status);
        Assert.Equal(CellStatus.Ok, byName["b.jpg"].Status);
        var cut = byName["c-cut.jpg"];
        Assert.Equal(CellStatus.Damaged, cut.Status);
        Assert.Contains("truncated JPEG: rows ", cut.Error);
        Assert.All(cut.Values, v => Assert.True(double.IsNaN(v)));
        Assert.Contains("c-cut.jpg: damaged: ", r.Stderr);
    }

    [Fact]
    public void Features_with_allow_damaged_measures_it_and_keeps_the_warning()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = MakeDataset(tmp);
        string output = Path.Combine(tmp.Path, "features.csv");

        var r = RaabinProcess.Run("features", dataset, "--out", output, "--allow-damaged");

        Assert.True(r.ExitCode == 0, r.Stderr);
        var cut = FeatureTable.Load(output).Rows.Single(row => row.Path.EndsWith("c-cut.jpg", StringComparison.Ordinal));
        Assert.Equal(CellStatus.Ok, cut.Status);
        Assert.StartsWith("measured despite damage: truncated JPEG: rows ", cut.Error);
    }

    [Fact]
    public void Predict_does_not_classify_the_truncated_image_unless_asked_and_then_says_so()
    {
        // Finding 4: a truncated JPEG was classified with status ok.
        using var tmp = TestPaths.NewTempFolder();
        string dataset = MakeDataset(tmp);
        string model = Path.Combine(AppContext.BaseDirectory, "models", "reference-pbc.model.json");
        string output = Path.Combine(tmp.Path, "p.csv");

        var r = RaabinProcess.Run("predict", "--model", model, dataset, "--out", output);
        Assert.True(r.ExitCode == 1, r.Stderr);
        var rows = CsvTable.Load(output);
        var cut = rows.Rows.Single(row => row[0].EndsWith("c-cut.jpg", StringComparison.Ordinal));
        Assert.Equal(CellStatus.Damaged, cut[rows.RequireColumn("status")]);
        Assert.Equal(string.Empty, cut[rows.RequireColumn("pred")]);
        Assert.Contains("truncated JPEG: rows ", cut[rows.RequireColumn("error")]);

        var allowed = RaabinProcess.Run("predict", "--model", model, dataset, "--out", output, "--allow-damaged");
        Assert.True(allowed.ExitCode == 0, allowed.Stderr);
        rows = CsvTable.Load(output);
        cut = rows.Rows.Single(row => row[0].EndsWith("c-cut.jpg", StringComparison.Ordinal));
        Assert.Equal(CellStatus.Ok, cut[rows.RequireColumn("status")]);
        Assert.NotEqual(string.Empty, cut[rows.RequireColumn("pred")]);
        Assert.StartsWith("measured despite damage: truncated JPEG: rows ", cut[rows.RequireColumn("error")]);
    }

    [Fact]
    public void Segment_writes_the_truncated_image_as_damaged_and_exits_1()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = MakeDataset(tmp);
        string output = Path.Combine(tmp.Path, "seg");

        var r = RaabinProcess.Run("segment", dataset, "--out", output, "--no-images");

        Assert.True(r.ExitCode == 1, r.Stderr);
        var table = CsvTable.Load(Path.Combine(output, "segmentation.csv"));
        var cut = table.Rows.Single(row => row[0].EndsWith("c-cut.jpg", StringComparison.Ordinal));
        Assert.Equal(CellStatus.Damaged, cut[table.RequireColumn("status")]);
    }

    [Fact]
    public void Info_keeps_the_pixels_hash_and_shows_the_warning()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = MakeDataset(tmp);

        var csv = RaabinProcess.Run("info", dataset, "--csv");
        var text = RaabinProcess.Run("info", dataset);

        Assert.Equal(1, csv.ExitCode);
        Assert.Equal(1, text.ExitCode);
        var table = CsvTable.Parse(csv.Stdout, "stdout");
        Assert.Equal("warning", table.Header[^1]);
        var cut = table.Rows.Single(row => row[0] == "neutrophil/c-cut.jpg");
        Assert.Equal(64, cut[4].Length);
        Assert.StartsWith("damaged: truncated JPEG: rows ", cut[5]);
        Assert.Equal(string.Empty, table.Rows.Single(row => row[0] == "neutrophil/a.jpg")[5]);
        Assert.Contains("neutrophil/c-cut.jpg  warning: damaged: truncated JPEG: rows ", text.Stdout);
        Assert.Contains("c-cut.jpg: damaged: truncated JPEG", csv.Stderr);
    }
}
