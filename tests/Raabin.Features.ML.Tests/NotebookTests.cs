using System.Diagnostics;

namespace Raabin.Features.ML.Tests;

/// <summary>The example programs under notebooks/ run as the README says, on the shipped sample.</summary>
public sealed class NotebookTests
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

    [Fact]
    public async Task The_mlnet_example_trains_evaluates_saves_loads_and_predicts_on_the_sample()
    {
        var start = new ProcessStartInfo("dotnet", ["run", "notebooks/mlnet-train-evaluate.cs"])
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

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("pbc: 30 cells measured, 51 features", lines[0]);
        Assert.Matches(@"^held-out accuracy \d\.\d{3}, macro accuracy \d\.\d{3}$", lines[1]);
        var predictions = lines.Skip(2).ToList();
        Assert.Equal(5, predictions.Count);
        Assert.All(predictions, l => Assert.Matches(@"^images/\w+/\w+\.jpg: (basophil|eosinophil|lymphocyte|monocyte|neutrophil) -> (basophil|eosinophil|lymphocyte|monocyte|neutrophil)$", l));
        Assert.All(predictions, l => Assert.True(File.Exists(Path.Combine(RepositoryRoot(), "samples", "pbc", l[..l.IndexOf(':')])), l));
    }
}
