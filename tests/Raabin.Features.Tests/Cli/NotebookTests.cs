using System.Diagnostics;

namespace Raabin.Features.Tests.Cli;

/// <summary>
/// The tutorial programs under notebooks/ run as the README says (`dotnet run notebooks/NAME.cs`) on the shipped sample.
/// All in this one class, so they run one after another: each `dotnet run` builds the projects it references.
/// </summary>
public class NotebookTests
{
    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Raabin.Features.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("the tests do not run inside the repository");
    }

    private static async Task<string[]> Run(string notebook, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", ["run", notebook, .. args])
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, stdout + await stderr);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    [Fact]
    public async Task Classify_your_cells_prints_labels_and_the_differential()
    {
        var lines = await Run("notebooks/classify-your-cells.cs");
        Assert.Equal(5, lines.Count(l => l.Contains(".jpg: ", StringComparison.Ordinal)));
        Assert.Contains("30 cells classified, 0 not", lines);

        // The shipped model classifies every pbc sample cell correctly: six of each class.
        foreach (string c in new[] { "basophil", "eosinophil", "lymphocyte", "monocyte", "neutrophil" })
        {
            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^{c} +6 +20\.0 % \[9\.5, 37\.3\]$"));
        }
    }

    [Fact]
    public async Task Explain_one_cell_prints_the_features_and_what_would_flip_it()
    {
        var lines = await Run("notebooks/explain-one-cell.cs");
        Assert.Equal("EO_341474.jpg: eosinophil rather than neutrophil", lines[0]);
        Assert.Equal(5, lines.Count(l => l.Contains(" SD from eosinophil, ", StringComparison.Ordinal)));
        Assert.StartsWith("nearest training cell of eosinophil: distance ", lines[6]);
        Assert.StartsWith("to flip the label: ", lines[7]);
    }

    [Fact]
    public async Task The_mlnet_example_trains_evaluates_saves_loads_and_predicts_on_the_sample()
    {
        var lines = await Run("notebooks/mlnet-train-evaluate.cs");
        Assert.Equal("pbc: 30 cells measured, 51 features", lines[0]);
        Assert.Matches(@"^held-out accuracy \d\.\d{3}, macro accuracy \d\.\d{3}$", lines[1]);
        var predictions = lines.Skip(2).ToList();
        Assert.Equal(5, predictions.Count);
        Assert.All(predictions, l => Assert.Matches(@"^images/\w+/\w+\.jpg: (basophil|eosinophil|lymphocyte|monocyte|neutrophil) -> (basophil|eosinophil|lymphocyte|monocyte|neutrophil)$", l));
        Assert.All(predictions, l => Assert.True(File.Exists(Path.Combine(RepositoryRoot(), "samples", "pbc", l[..l.IndexOf(':')])), l));
    }

    [Fact]
    public async Task Train_evaluate_report_scores_each_microscope_and_writes_the_page()
    {
        using var tmp = TestPaths.NewTempFolder();
        var lines = await Run("notebooks/train-evaluate-report.cs", tmp.Path);
        Assert.Matches(@"^zheng-jtsc: accuracy \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\], macro-F1 \d\.\d{3}$", lines[0]);
        Assert.Matches(@"^bccd: accuracy ", lines[1]);
        Assert.Matches(@"^zheng-jtsc: most shifted feature \w+, SMD -?\d+\.\d{2}$", lines[2]);
        string page = Path.Combine(tmp.Path, "report.html");
        Assert.Equal($"open in a browser (works offline): {page}", lines[^1]);
        string html = File.ReadAllText(page);
        Assert.Equal(19, System.Text.RegularExpressions.Regex.Count(html, "<figure class=\"cell"));
    }
}
