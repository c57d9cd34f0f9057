using Raabin.Features.Measurement;
using Raabin.Features.IO;

namespace Raabin.Features.Tests.Cli;

public class CommandTests
{
    [Fact]
    public void Demo_classifies_every_shipped_cell_and_prints_the_differential_count()
    {
        var r = RaabinProcess.Run("demo");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Differential count (54 cells classified of 54)", r.Stdout);
        Assert.Contains("pbc: 30 of 30 correct", r.Stdout);
        foreach (string c in new[] { "basophil", "eosinophil", "lymphocyte", "monocyte", "neutrophil" })
        {
            Assert.Matches($@"\n  {c} +\d+ +\d+\.\d", r.Stdout);
        }

        // Per dataset, the predicted differential next to the true one (pbc is all correct; the true counts come from
        // each sample manifest).
        Assert.Contains("differential, predicted / true: basophil 6/6, eosinophil 6/6, lymphocyte 6/6, monocyte 6/6, neutrophil 6/6", r.Stdout);
        foreach (string dataset in new[] { "bccd", "zheng-cellavision", "zheng-jtsc" })
        {
            var truth = Raabin.Features.Datasets.Dataset.Open(TestPaths.Sample(dataset)).Items.GroupBy(i => i.Label).ToDictionary(g => g.Key, g => g.Count());
            int at = r.Stdout.IndexOf($"  {dataset}: ", StringComparison.Ordinal);
            string line = r.Stdout[at..].Split('\n')[1];
            foreach (var (label, count) in truth)
            {
                Assert.Matches($@"{label} \d+/{count}\b", line);
            }
        }
    }

    [Fact]
    public void Info_hashes_match_opencv_for_the_shipped_sample()
    {
        var golden = CsvTable.Load(TestPaths.Fixture("Imaging", "opencv-imread-sha256.csv"));
        var expected = golden.Rows.ToDictionary(row => row[0], row => row);
        var r = RaabinProcess.Run("info", TestPaths.Samples, "--csv");
        Assert.True(r.ExitCode == 0, r.Stderr);
        var table = CsvTable.Parse(r.Stdout, "stdout");
        Assert.Equal(["path", "format", "width", "height", "pixel_sha256", "warning"], table.Header);
        int compared = 0;
        foreach (var row in table.Rows)
        {
            Assert.Equal(string.Empty, row[5]); // no shipped image is damaged
            if (row[0].Contains("/masks/", StringComparison.Ordinal))
            {
                continue;
            }

            var want = expected[row[0]];
            Assert.Equal(want[1..], row[1..5]);
            compared++;
        }

        Assert.Equal(54, compared);
    }

    [Fact]
    public void Info_reports_a_bad_file_by_name_and_keeps_going()
    {
        using var tmp = TestPaths.NewTempFolder();
        File.Copy(TestPaths.Sample("zheng-jtsc", "images", "067.bmp"), Path.Combine(tmp.Path, "a.bmp"));
        File.WriteAllBytes(Path.Combine(tmp.Path, "b.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 16]);
        var r = RaabinProcess.Run("info", tmp.Path, "--csv");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("b.jpg", r.Stderr);
        Assert.Contains("a.bmp,bmp,120,120,", r.Stdout);
    }

    [Fact]
    public void Segment_writes_table_masks_and_overlays_with_ground_truth_scores()
    {
        using var tmp = TestPaths.NewTempFolder();
        var r = RaabinProcess.Run("segment", TestPaths.Sample("zheng-jtsc"), "--out", tmp.Path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var table = CsvTable.Load(Path.Combine(tmp.Path, "segmentation.csv"));
        Assert.Equal(9, table.Rows.Count);
        var reference = CsvTable.Load(TestPaths.Fixture("Reference", "segmentation.csv"));
        foreach (var row in table.Rows)
        {
            Assert.Equal("ok", row[table.RequireColumn("status")]);
            Assert.True(File.Exists(Path.Combine(tmp.Path, "masks", row[0] + ".png")));
            Assert.True(File.Exists(Path.Combine(tmp.Path, "overlays", row[0] + ".png")));
            var refRow = reference.Rows.Single(x => x[0] == "zheng-jtsc" && x[1] == row[0]);
            Assert.Equal(refRow[reference.RequireColumn("nucleus_px")], row[table.RequireColumn("nucleus_px")]);
            Assert.Equal(double.Parse(refRow[reference.RequireColumn("dice")], System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(row[table.RequireColumn("dice")], System.Globalization.CultureInfo.InvariantCulture), 12);
        }

        var mask = Raabin.Features.Imaging.ImageDecoder.LoadGray(Path.Combine(tmp.Path, "masks", table.Rows[0][0] + ".png"));
        Assert.All(mask.Pixels, v => Assert.True(v is 0 or 255));
    }

    [Fact]
    public void Features_then_train_then_predict_round_trip()
    {
        using var tmp = TestPaths.NewTempFolder();
        string features = Path.Combine(tmp.Path, "pbc.csv");
        var f = RaabinProcess.Run("features", TestPaths.Sample("pbc"), "--out", features);
        Assert.True(f.ExitCode == 0, f.Stderr);
        var table = FeatureTable.Load(features);
        Assert.Equal(FeatureCatalog.ReferenceIds, table.FeatureIds);
        Assert.Equal(30, table.Rows.Count);
        Assert.All(table.Rows, row => Assert.True(row.IsOk));

        string model = Path.Combine(tmp.Path, "m.json");
        var t = RaabinProcess.Run("train", features, "--model", model, "--kernel", "rbf", "--gamma", "auto", "--c", "10");
        Assert.True(t.ExitCode == 0, t.Stderr);
        string predictions = Path.Combine(tmp.Path, "pred.csv");
        var p = RaabinProcess.Run("predict", "--model", model, features, "--out", predictions);
        Assert.True(p.ExitCode == 0, p.Stderr);
        var pred = CsvTable.Load(predictions);
        Assert.Equal(["path", "label", "pred", "status", "probability", "rule", "other_rule_pred", "p_basophil", "p_eosinophil", "p_lymphocyte", "p_monocyte", "p_neutrophil", "error"], pred.Header);
        Assert.Equal(30, pred.Rows.Count);
        // Trained and tested on the same 30 cells with an RBF SVM at C = 10: it fits them.
        Assert.True(pred.Rows.Count(row => row[1] == row[2]) >= 27);
        for (int i = 0; i < pred.Rows.Count; i++)
        {
            double sum = Enumerable.Range(7, 5).Sum(c => pred.GetDouble(i, c));
            Assert.Equal(1.0, sum, 6);

            // The probability written is that of the predicted label, and the rule is the model's (vote by default).
            Assert.Equal(pred.GetDouble(i, pred.RequireColumn("p_" + pred.Rows[i][2])), pred.GetDouble(i, 4));
            Assert.Equal("vote", pred.Rows[i][5]);
        }
    }

    [Fact]
    public void Predict_on_image_files_and_a_model_for_other_features_fails_clearly()
    {
        using var tmp = TestPaths.NewTempFolder();
        string predictions = Path.Combine(tmp.Path, "p.csv");
        string shipped = Path.Combine(AppContext.BaseDirectory, "models", "reference-pbc.model.json");
        var ok = RaabinProcess.Run("predict", "--model", shipped, TestPaths.Sample("bccd", "images", "basophil", Directory.GetFiles(TestPaths.Sample("bccd", "images", "basophil"))[0].Split('/')[^1]), "--out", predictions);
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Single(CsvTable.Load(predictions).Rows);

        string wrong = Path.Combine(tmp.Path, "other.csv");
        File.WriteAllText(wrong, "path,label,circularity,convexity\na.jpg,x,0.1,0.9\n");
        var bad = RaabinProcess.Run("predict", "--model", shipped, wrong, "--out", predictions);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("other.csv", bad.Stderr);
        Assert.Contains("lacks 49 feature(s)", bad.Stderr);
        Assert.Contains("ncl_cvx_R_mean", bad.Stderr);
    }

    [Fact]
    public void Unknown_dataset_folder_is_an_error_not_a_crash()
    {
        var r = RaabinProcess.Run("features", "/nonexistent/folder", "--out", "/tmp/x.csv");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("not found", r.Stderr);
    }
}
