using BenchmarkDotNet.Running;

namespace Raabin.Features.Bench;

/// <summary>
/// Benchmarks. <c>dotnet run -c Release --project bench/Raabin.Features.Bench -- &lt;name&gt; [args]</c> runs an
/// end-to-end benchmark by name; anything else goes to BenchmarkDotNet's switcher.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && EndToEnd.TryRun(args[0], args[1..], out int exitCode))
        {
            return exitCode;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
