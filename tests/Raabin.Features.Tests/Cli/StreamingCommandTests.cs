namespace Raabin.Features.Tests.Cli;

/// <summary>Commands stream rows; a short run with stderr redirected (as here) prints no progress lines.</summary>
public sealed class StreamingCommandTests
{
    [Fact]
    public void A_short_features_run_into_a_log_prints_its_summary_and_no_progress()
    {
        using var tmp = TestPaths.NewTempFolder();
        var r = RaabinProcess.Run("features", TestPaths.Sample("pbc"), "--jobs", "2", "--out", Path.Combine(tmp.Path, "f.csv"));

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.DoesNotContain("\r", r.Stderr);
        Assert.Equal(["30 images measured, 0 without features -> " + Path.Combine(tmp.Path, "f.csv")], r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Predict_streamed_from_images_writes_the_file_predict_writes_from_their_feature_table()
    {
        using var tmp = TestPaths.NewTempFolder();
        string features = Path.Combine(tmp.Path, "f.csv"), fromImages = Path.Combine(tmp.Path, "a.csv"), fromTable = Path.Combine(tmp.Path, "b.csv");
        Assert.Equal(0, RaabinProcess.Run("features", TestPaths.Sample("pbc"), "--out", features).ExitCode);

        var a = RaabinProcess.Run("predict", "--model", CliDatasets.ShippedModel, TestPaths.Sample("pbc"), "--jobs", "2", "--out", fromImages);
        var b = RaabinProcess.Run("predict", "--model", CliDatasets.ShippedModel, features, "--out", fromTable);

        Assert.True(a.ExitCode == 0, a.Stderr);
        Assert.True(b.ExitCode == 0, b.Stderr);
        Assert.Equal(File.ReadAllBytes(fromTable), File.ReadAllBytes(fromImages));
        Assert.Equal(File.ReadAllBytes(Path.Combine(tmp.Path, "b.differential.csv")), File.ReadAllBytes(Path.Combine(tmp.Path, "a.differential.csv")));
        Assert.Equal(b.Stdout.Replace("b.differential.csv", "a.differential.csv", StringComparison.Ordinal), a.Stdout);
    }
}
