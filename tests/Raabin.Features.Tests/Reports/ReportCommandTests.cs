using System.Text.RegularExpressions;
using Raabin.Features.Cli;
using Raabin.Features.IO;
using Raabin.Features.Reports;

namespace Raabin.Features.Tests.Reports;

/// <summary>An evaluate run on the shipped sample and the model `train` makes from the same cells, shared by the report tests.</summary>
public sealed class SampleEvaluation : IDisposable
{
    private readonly TestPaths.TempFolder _tmp = TestPaths.NewTempFolder();

    public SampleEvaluation()
    {
        Model = Path.Combine(_tmp.Path, "pbc.model.json");
        Folder = Path.Combine(_tmp.Path, "eval");
        Assert.Equal(0, ReportCommandTests.Raabin("train", TestPaths.Sample("pbc"), "--model", Model));
        Assert.Equal(0, ReportCommandTests.Raabin("evaluate", "--train", TestPaths.Sample("pbc"), "--test", TestPaths.Sample("zheng-jtsc"),
            "--test", TestPaths.Sample("bccd"), "--bootstrap", "100", "--out", Folder));
        Predictions = PredictionFile.Load(Path.Combine(Folder, "predictions.csv"));
    }

    public string Model { get; }

    public string Folder { get; }

    public PredictionFile Predictions { get; }

    public string Temp => _tmp.Path;

    public void Dispose() => _tmp.Dispose();
}

public partial class ReportCommandTests(SampleEvaluation sample) : IClassFixture<SampleEvaluation>
{
    /// <summary>Runs a raabin command in this process; returns its exit code.</summary>
    internal static int Raabin(params string[] args) => Program.Run(Program.BuildRoot(), args, TextWriter.Null);

    [Fact]
    public void Report_of_an_evaluate_folder_is_one_offline_page_with_every_section_and_every_cell()
    {
        string html = Path.Combine(sample.Temp, "evaluate.html");
        Assert.Equal(0, Raabin("report", sample.Folder, "--model", sample.Model, "--images-root", TestPaths.Samples, "--out", html));
        string page = File.ReadAllText(html);

        // plotly.js once, as Plotly.NET ships it; nothing else on the page reaches out.
        string library = ReportTestsSupport.PlotlyLibrary;
        Assert.Equal(1, Count(page, library[..200]));
        Assert.Equal(1, Count(page, "<script id=\"plotly-js\">"));
        string rest = page.Replace(library, string.Empty, StringComparison.Ordinal);
        Assert.DoesNotMatch(ExternalUrl(), rest);
        Assert.DoesNotContain("fetch(", rest, StringComparison.Ordinal);
        Assert.DoesNotContain("XMLHttpRequest", rest, StringComparison.Ordinal);
        Assert.DoesNotContain("cdn.plot.ly", rest, StringComparison.Ordinal);

        foreach (var (id, _) in HtmlReport.Sections)
        {
            Assert.Contains($"<section id=\"{id}\">", page, StringComparison.Ordinal);
        }

        // Everything an evaluate folder with a model and its images allows is drawn.
        foreach (string plot in new[] { "metrics", "confusion:train_pbc_bccd", "confusion:train_pbc_zheng-jtsc", "reliability", "shift:train_pbc", "importance", "reject:train_pbc" })
        {
            Assert.Contains($"data-plot=\"{plot}\"", page, StringComparison.Ordinal);
        }

        Assert.Equal(ReportOptions.DefaultDistributionFeatures, Count(page, "data-plot=\"distribution:"));

        // One gallery cell per prediction row, flagged misclassified exactly where label ≠ prediction, each with an explanation.
        var rows = sample.Predictions.Rows;
        Assert.Equal(rows.Count, Count(page, "<figure class=\"cell"));
        Assert.Equal(rows.Count(r => r.Label != r.Predicted), Count(page, "data-misclassified=\"true\""));
        Assert.Equal(rows.Count, Count(page, "<template id=\"why-"));
        Assert.Equal(rows.Count, Count(page, "class=\"verdict\""));
        Assert.Equal(rows.Count, Count(page, "<img src=\"data:image/png;base64,iVBOR"));

        // The model is the one evaluate trained (same cells, same settings), and the page says so.
        Assert.Contains($"the model repeats the prediction in the file for {rows.Count} of {rows.Count} measured cells", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Gallery_is_capped_and_shows_the_misclassified_first()
    {
        string html = Path.Combine(sample.Temp, "capped.html");
        Assert.Equal(0, Raabin("report", sample.Folder, "--images-root", TestPaths.Samples, "--max-gallery", "6", "--out", html));
        string page = File.ReadAllText(html);
        Assert.Equal(6, Count(page, "<figure class=\"cell"));
        Assert.True(Count(page, "data-misclassified=\"true\"") >= 3);

        // Without --model the evaluate folder's own model_<run>.json explains the cells.
        Assert.True(File.Exists(Path.Combine(sample.Folder, "model_train_pbc.json")));
        Assert.DoesNotContain("No explanation: no model given (--model).", page, StringComparison.Ordinal);

        // A folder without a model: thumbnails without contours, and the page says what is missing and why.
        string bare = Path.Combine(sample.Temp, "bare");
        Directory.CreateDirectory(bare);
        foreach (string file in Directory.GetFiles(sample.Folder).Where(f => !Path.GetFileName(f).StartsWith("model_", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(bare, Path.GetFileName(file)));
        }

        string barePage = Path.Combine(sample.Temp, "bare.html");
        Assert.Equal(0, Raabin("report", bare, "--images-root", TestPaths.Samples, "--max-gallery", "6", "--out", barePage));
        page = File.ReadAllText(barePage);
        Assert.Contains("needs the model (--model)", page, StringComparison.Ordinal);
        Assert.Contains("No explanation: no model given (--model).", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_reads_predict_and_compare_folders()
    {
        string predict = Path.Combine(sample.Temp, "predict");
        Assert.Equal(0, Raabin("predict", "--model", sample.Model, TestPaths.Sample("bccd"), "--out", Path.Combine(predict, "bccd.csv")));
        string html = Path.Combine(sample.Temp, "predict.html");
        Assert.Equal(0, Raabin("report", predict, "--model", sample.Model, "--images-root", TestPaths.Sample("bccd"), "--out", html));
        string page = File.ReadAllText(html);
        Assert.Contains("data-plot=\"differential\"", page, StringComparison.Ordinal);
        Assert.Equal(10, Count(page, "<figure class=\"cell"));

        // Features from a CSV instead of a model: distributions, but no importance and no explanations.
        string features = Path.Combine(sample.Temp, "bccd-features.csv");
        Assert.Equal(0, Raabin("features", TestPaths.Sample("bccd"), "--out", features));
        html = Path.Combine(sample.Temp, "predict-features.html");
        Assert.Equal(0, Raabin("report", predict, "--features-csv", features, "--images-root", TestPaths.Sample("bccd"), "--distribution-features", "2", "--out", html));
        page = File.ReadAllText(html);
        Assert.Equal(2, Count(page, "data-plot=\"distribution:"));
        Assert.Contains("10 of 10 cells joined by path", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-plot=\"importance\"", page, StringComparison.Ordinal);

        string compare = Path.Combine(sample.Temp, "compare");
        Assert.Equal(0, Raabin("compare", "--svm", Path.Combine(sample.Folder, "predictions.csv"), "--bootstrap", "50", "--out", compare));
        html = Path.Combine(sample.Temp, "compare.html");
        Assert.Equal(0, Raabin("report", compare, "--out", html));
        page = File.ReadAllText(html);
        Assert.Contains("<table class=\"comparison\">", page, StringComparison.Ordinal);
        Assert.Contains("data-plot=\"comparison\"", page, StringComparison.Ordinal);
        Assert.Contains("Not shown: compare output has no per-cell rows", page, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_that_no_command_wrote_exits_2_and_names_what_is_missing()
    {
        using var tmp = TestPaths.NewTempFolder();
        File.WriteAllText(Path.Combine(tmp.Path, "predictions.csv"), "path,label,pred\n");
        Assert.Equal(2, Raabin("report", tmp.Path, "--out", Path.Combine(tmp.Path, "r.html")));
        Assert.False(File.Exists(Path.Combine(tmp.Path, "r.html")));
        var e = Assert.Throws<ReportInputException>(() => ReportFolder.Open(tmp.Path));
        Assert.Contains("not an output folder of raabin evaluate (needs predictions.csv and metrics.json)", e.Message, StringComparison.Ordinal);
        Assert.Contains("found predictions.csv without metrics.json", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, Raabin("report", Path.Combine(tmp.Path, "nowhere"), "--out", Path.Combine(tmp.Path, "r.html")));
    }

    [Fact]
    public void Readme_report_commands_run_as_printed()
    {
        // The README's block, with "samples" the shipped sample beside the tests and "out/" a temporary folder.
        string readme = File.ReadAllText(RepositoryFile("README.md"));
        int start = readme.IndexOf("## See why: the HTML report", StringComparison.Ordinal);
        Assert.True(start >= 0, "README section missing");
        int open = readme.IndexOf("```sh\n", start, StringComparison.Ordinal) + 6;
        var lines = readme[open..readme.IndexOf("```", open, StringComparison.Ordinal)].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        using var tmp = TestPaths.NewTempFolder();
        foreach (string line in lines)
        {
            var args = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(a => a.StartsWith("samples", StringComparison.Ordinal) ? TestPaths.Samples + a["samples".Length..]
                    : a.StartsWith("out/", StringComparison.Ordinal) ? Path.Combine(tmp.Path, a[4..]) : a).ToArray();
            Assert.True(Raabin(args) == 0, line);
        }

        Assert.Contains("class=\"verdict\"", File.ReadAllText(Path.Combine(tmp.Path, "report.html")), StringComparison.Ordinal);
    }

    private static string RepositoryFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, name)) && File.Exists(Path.Combine(dir.FullName, "Raabin.Features.sln")))
            {
                return Path.Combine(dir.FullName, name);
            }
        }

        throw new FileNotFoundException($"{name} not found above {AppContext.BaseDirectory}");
    }

    private static int Count(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    // An http(s) or protocol-relative URL in a src or href attribute, or in a CSS url().
    [GeneratedRegex("""(?:\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//)|url\(\s*["']?(?:https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();
}

internal static class ReportTestsSupport
{
    public static string PlotlyLibrary { get; } = Plots.PlotlyLibrary();
}
