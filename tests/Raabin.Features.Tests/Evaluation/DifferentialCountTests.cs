using Raabin.Features.Datasets;
using Raabin.Features.Evaluation;
using Raabin.Features.IO;
using Raabin.Features.Tests.Cli;

namespace Raabin.Features.Tests.Evaluation;

public class DifferentialCountTests
{
    // Newcombe R. G., Two-sided confidence intervals for the single proportion: comparison of seven methods,
    // Stat Med 17:857-872 (1998), Table I, method 3 (Wilson score, no continuity correction).
    [Theory]
    [InlineData(81, 263, 0.2553, 0.3662)]
    [InlineData(15, 148, 0.0624, 0.1605)]
    [InlineData(0, 20, 0.0000, 0.1611)]
    [InlineData(1, 29, 0.0061, 0.1718)]
    public void Wilson_intervals_equal_Newcombes_table(int count, int n, double lower, double upper)
    {
        var (lo, hi) = DifferentialCount.Wilson(count, n, DifferentialCount.NormalQuantile(0.975));
        Assert.Equal(lower, lo, 4);
        Assert.Equal(upper, hi, 4);
    }

    [Fact]
    public void The_count_has_every_class_in_model_order_and_counts_unclassified_cells_apart()
    {
        Assert.Equal(1.959964, DifferentialCount.NormalQuantile(0.975), 6);
        Assert.Equal(-2.326348, DifferentialCount.NormalQuantile(0.01), 6);
        string?[] labels = ["b", "a", "b", null, "b"];
        var d = DifferentialCount.Of(["a", "b", "c"], labels);
        Assert.Equal(["a", "b", "c"], d.Classes.Select(r => r.Class));
        Assert.Equal([1, 3, 0], d.Classes.Select(r => r.Count));
        Assert.Equal(4, d.Classified);
        Assert.Equal(1, d.NotClassified);
        Assert.Equal(0.75, d.Classes[1].Fraction);
        Assert.Equal(0, d.Classes[2].Lower);
        Assert.True(d.Classes[2].Upper > 0.4); // none of 4 cells is weak evidence of absence
        Assert.Contains("'x'", Assert.Throws<ArgumentException>(() => DifferentialCount.Of(["a"], ["x"])).Message);
        Assert.True(double.IsNaN(DifferentialCount.Of(["a"], [null]).Classes[0].Fraction));
    }

    [Fact]
    public void A_flat_folder_of_crops_is_an_unlabelled_dataset_and_predict_writes_its_differential()
    {
        using var tmp = TestPaths.NewTempFolder();
        string flat = Path.Combine(tmp.Path, "slide");
        Directory.CreateDirectory(flat);
        foreach (string file in Directory.GetFiles(TestPaths.Sample("pbc", "images"), "*.jpg", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(flat, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(flat, "notes.txt"), "not an image");
        var dataset = Dataset.Open(flat);
        Assert.Equal(30, dataset.Items.Count);
        Assert.All(dataset.Items, i => Assert.Equal(string.Empty, i.Label));
        Assert.Equal(dataset.Items.Select(i => i.Path).Order(StringComparer.Ordinal), dataset.Items.Select(i => i.Path));

        string output = Path.Combine(tmp.Path, "slide.csv");
        var r = RaabinProcess.Run("predict", "--model", CliDatasets.ShippedModel, flat, "--out", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Differential count (30 cells classified", r.Stdout);
        var differential = CsvTable.Load(Path.Combine(tmp.Path, "slide.differential.csv"));
        Assert.Equal(["class", "cells", "fraction", "ci_low", "ci_high"], differential.Header);
        Assert.Equal(30, differential.Rows.Sum(row => int.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture)));
        var predictions = CsvTable.Load(output);
        foreach (var row in differential.Rows)
        {
            Assert.Equal(predictions.Rows.Count(p => p[predictions.IndexOf("pred")] == row[0]), int.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
