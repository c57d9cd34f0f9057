namespace Raabin.Features.Tests.Cli;

/// <summary>Splits, folders and option ranges are checked before the first image is read.</summary>
public class ValidationTests
{
    // evaluate prints "<dataset>: N images, M without features" after measuring a dataset.
    private const string MeasuredLine = "without features";

    [Fact]
    public void Evaluate_refuses_a_split_typo_before_measuring_and_lists_the_splits()
    {
        using var tmp = TestPaths.NewTempFolder();
        var r = RaabinProcess.Run("evaluate", "--train", TestPaths.Sample("bccd"), "--test", TestPaths.Sample("pbc") + ":tset", "--out", tmp.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("pbc: no split 'tset' (splits: test)", r.Stderr);
        Assert.DoesNotContain(MeasuredLine, r.Stderr);
    }

    [Fact]
    public void Evaluate_refuses_a_missing_test_folder_before_measuring_the_training_set()
    {
        using var tmp = TestPaths.NewTempFolder();
        string missing = Path.Combine(tmp.Path, "no-such-set");
        var r = RaabinProcess.Run("evaluate", "--train", TestPaths.Sample("pbc"), "--test", missing, "--out", Path.Combine(tmp.Path, "o"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no-such-set", r.Stderr);
        Assert.Contains("not found", r.Stderr);
        Assert.DoesNotContain(MeasuredLine, r.Stderr);
    }

    [Fact]
    public void Features_and_train_refuse_a_split_typo_by_listing_the_splits()
    {
        using var tmp = TestPaths.NewTempFolder();
        var f = RaabinProcess.Run("features", TestPaths.Sample("pbc"), "--split", "trian", "--out", Path.Combine(tmp.Path, "f.csv"));
        Assert.Equal(2, f.ExitCode);
        Assert.Contains("pbc: no split 'trian' (splits: test)", f.Stderr);
        var t = RaabinProcess.Run("train", TestPaths.Sample("pbc"), "--split", "trian", "--model", Path.Combine(tmp.Path, "m.json"));
        Assert.Equal(2, t.ExitCode);
        Assert.Contains("pbc: no split 'trian' (splits: test)", t.Stderr);
        Assert.DoesNotContain("measured", t.Stderr);
    }

    [Theory]
    [InlineData("--jobs", "info", "SAMPLE", "-j", "-3")]
    [InlineData("--jobs", "features", "SAMPLE", "--out", "OUT", "-j", "-3")]
    [InlineData("--jobs", "dedup", "SAMPLE", "--jobs", "-1")]
    [InlineData("--bootstrap", "evaluate", "--train", "SAMPLE", "--test", "SAMPLE", "--out", "OUT", "--bootstrap", "0")]
    [InlineData("--bootstrap", "compare", "--svm", "OUT", "--out", "OUT", "--bootstrap", "0")]
    [InlineData("--min-class-size", "evaluate", "--train", "SAMPLE", "--test", "SAMPLE", "--out", "OUT", "--min-class-size", "-1")]
    [InlineData("--c", "train", "SAMPLE", "--model", "OUT", "--c", "0")]
    [InlineData("--degree", "train", "SAMPLE", "--model", "OUT", "--degree", "0")]
    [InlineData("--seed", "train", "SAMPLE", "--model", "OUT", "--seed", "-5")]
    [InlineData("--coef0", "evaluate", "--train", "SAMPLE", "--test", "SAMPLE", "--out", "OUT", "--coef0", "NaN")]
    [InlineData("--folds", "tune", "SAMPLE", "--out", "OUT", "--folds", "1")]
    [InlineData("--segmenter-weight", "segment", "SAMPLE", "--out", "OUT", "--segmenter", "cmyk-otsu", "--segmenter-weight", "1.5")]
    [InlineData("--ahash", "dedup", "SAMPLE", "--ahash", "65")]
    [InlineData("--overlap-check", "evaluate", "--train", "SAMPLE", "--test", "SAMPLE", "--out", "OUT", "--overlap-check", "some")]
    public void An_out_of_range_option_is_a_usage_error_before_any_work(string option, params string[] args)
    {
        using var tmp = TestPaths.NewTempFolder();
        string[] resolved = args.Select(a => a switch { "SAMPLE" => TestPaths.Sample("pbc"), "OUT" => Path.Combine(tmp.Path, "out"), _ => a }).ToArray();
        var r = RaabinProcess.Run(resolved);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(option, r.Stderr);
        Assert.DoesNotContain("Parameter", r.Stderr);
        Assert.DoesNotContain(MeasuredLine, r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "out")) || File.Exists(Path.Combine(tmp.Path, "out")));
    }

    [Fact]
    public void Tune_refuses_a_bad_grid_value_by_naming_its_option()
    {
        using var tmp = TestPaths.NewTempFolder();
        var r = RaabinProcess.Run("tune", TestPaths.Sample("pbc"), "--out", Path.Combine(tmp.Path, "cv.csv"), "--c-values", "1,-2");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--c-values: '-2'", r.Stderr);
    }

    [Fact]
    public void Jobs_zero_means_one_worker_per_core()
    {
        var r = RaabinProcess.Run("info", TestPaths.Sample("bccd"), "--jobs", "0", "--csv");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(11, r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
