namespace Raabin.Features.Bench;

/// <summary>End-to-end benchmarks over the datasets in <c>../shared</c>, registered by name.</summary>
public static class EndToEnd
{
    private static readonly Dictionary<string, Func<string[], int>> Benchmarks = new(StringComparer.Ordinal)
    {
        ["svm-parity"] = SvmParity.Run,
        ["reference-parity"] = ReferenceParity.Features,
        ["segmentation-quality"] = ReferenceParity.Segmentation,
        ["segment-speed"] = ReferenceParity.Speed,
        ["imread-parity"] = ReferenceParity.Imread,
        ["jpeg-decode"] = JpegDecodeBenchmark.Run,
        ["prediction-agreement"] = PredictionAgreement.Run,
        ["mlnet-parity"] = MlNetParity.Run,
        ["interrupt-resume"] = InterruptResume.Run,
        ["explanation-fidelity"] = ExplanationFidelityBench.Run,
        ["fuzz"] = FuzzBenchmark.Run,
    };

    /// <summary>Runs the named end-to-end benchmark if there is one.</summary>
    public static bool TryRun(string name, string[] args, out int exitCode)
    {
        if (Benchmarks.TryGetValue(name, out var run))
        {
            exitCode = run(args);
            return true;
        }

        exitCode = 0;
        return false;
    }

    /// <summary>The repository root (the folder holding Raabin.Features.sln).</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Raabin.Features.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    /// <summary>The <c>shared/datasets</c> folder: <c>RAABIN_SHARED</c> or <c>../shared</c> beside the repository.</summary>
    public static string SharedRoot()
    {
        string? env = Environment.GetEnvironmentVariable("RAABIN_SHARED");
        if (!string.IsNullOrEmpty(env))
        {
            return env;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Raabin.Features.sln")))
        {
            dir = dir.Parent;
        }

        return Path.GetFullPath(Path.Combine(dir?.FullName ?? ".", "..", "shared"));
    }
}
