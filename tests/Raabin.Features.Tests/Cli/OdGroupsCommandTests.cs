using Raabin.Features.IO;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Tests.Cli;

public class OdGroupsCommandTests
{
    [Fact]
    public void Features_with_od_groups_then_train_and_predict_from_images_carry_the_extractor_options()
    {
        using var tmp = TestPaths.NewTempFolder();
        string csv = Path.Combine(tmp.Path, "pbc.csv"), model = Path.Combine(tmp.Path, "m.json"), pred = Path.Combine(tmp.Path, "pred.csv");
        var r = RaabinProcess.Run("features", TestPaths.Sample("pbc"), "--segmenter", "od-cell", "--extractor", "od-groups", "--groups", "shape,colour", "--out", csv);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var table = FeatureTable.Load(csv);
        Assert.Equal("od-groups@1(groups=shape+colour)", table.Provenance.Extractor!.ToString());
        Assert.Equal(48, table.FeatureIds.Count);
        Assert.Equal(30, table.Rows.Count(row => row.IsOk));

        r = RaabinProcess.Run("train", csv, "--model", model);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var loaded = PipelineModel.Load(model);
        Assert.Equal(ExtractorSpec.Parse("od-groups(groups=shape+colour)"), loaded.Extractor);
        Assert.Equal("od-cell", loaded.Segmenter.Name);
        Assert.Contains("\"options\"", File.ReadAllText(model));
        Assert.Contains("\"groups\": \"shape+colour\"", File.ReadAllText(model)); // written as itself, not \u002B

        r = RaabinProcess.Run("predict", "--model", model, TestPaths.Sample("pbc"), "--out", pred);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var predictions = CsvTable.Load(pred);
        Assert.Equal(30, predictions.Rows.Count);
        Assert.All(predictions.Rows, row => Assert.Equal("ok", row[predictions.IndexOf("status")]));

        // The features of the images, measured by the model's own steps, are those of the table: same predictions.
        r = RaabinProcess.Run("predict", "--model", model, csv, "--out", Path.Combine(tmp.Path, "pred2.csv"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var fromTable = CsvTable.Load(Path.Combine(tmp.Path, "pred2.csv"));
        Assert.Equal(predictions.Rows.Select(x => x[2]), fromTable.Rows.Select(x => x[2]));
    }

    [Fact]
    public void Od_groups_with_a_nucleus_only_segmenter_or_groups_without_it_are_usage_errors()
    {
        using var tmp = TestPaths.NewTempFolder();
        var r = RaabinProcess.Run("features", TestPaths.Sample("pbc"), "--extractor", "od-groups", "--out", Path.Combine(tmp.Path, "x.csv"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("use --segmenter od-cell", r.Stderr);
        r = RaabinProcess.Run("features", TestPaths.Sample("pbc"), "--groups", "shape", "--out", Path.Combine(tmp.Path, "x.csv"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--groups applies to the od-groups extractor", r.Stderr);
        r = RaabinProcess.Run("features", TestPaths.Sample("pbc"), "--segmenter", "od-cell", "--extractor", "od-groups", "--groups", "shape,size", "--out", Path.Combine(tmp.Path, "x.csv"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no group 'size'", r.Stderr);
        Assert.False(File.Exists(Path.Combine(tmp.Path, "x.csv")));
    }
}
