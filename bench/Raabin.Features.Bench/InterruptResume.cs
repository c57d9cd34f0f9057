using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Raabin.Features.Bench;

/// <summary>
/// <c>interrupt-resume [DATASET] [TIMES] [SEED]</c>: runs the built <c>raabin features</c> on a dataset (default
/// <c>../shared/datasets/pbc</c>; a bare name is looked up there) once uninterrupted, then again sending SIGINT at random
/// moments <c>TIMES</c> times (default 5), resuming each time with <c>--resume</c>, and compares the final CSV byte for byte
/// with the uninterrupted one. Prints the timings, the rows kept at each stop and the result. Linux/macOS only (kill(1)).
/// </summary>
public static class InterruptResume
{
    public static int Run(string[] args)
    {
        string dataset = args.Length > 0 ? args[0] : "pbc";
        if (!Directory.Exists(dataset))
        {
            dataset = Path.Combine(EndToEnd.SharedRoot(), "datasets", dataset);
        }

        int times = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        int seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        string raabin = Path.Combine(EndToEnd.RepositoryRoot(), "src", "Raabin.Features.Cli", "bin", "Release", "net10.0", "raabin.dll");
        if (!File.Exists(raabin) || !Directory.Exists(dataset))
        {
            Console.Error.WriteLine($"need {raabin} (dotnet build Raabin.Features.sln -c Release) and the dataset {dataset}");
            return 2;
        }

        string work = Path.Combine(Path.GetTempPath(), $"raabin-interrupt-resume-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            return Measure(raabin, dataset, times, new Random(seed), work);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static int Measure(string raabin, string dataset, int times, Random random, string work)
    {
        Console.WriteLine($"raabin features {dataset}: {times} interruptions by SIGINT at random moments, then --resume to the end");
        string reference = Path.Combine(work, "uninterrupted.csv");
        var (code, elapsed, stderr) = Execute(raabin, [dataset, "--out", reference], signalAfter: null);
        if (code != 0)
        {
            Console.Error.WriteLine($"uninterrupted run failed (exit {code}): {stderr}");
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"uninterrupted: {elapsed.TotalSeconds:F2} s"));
        string output = Path.Combine(work, "interrupted.csv");
        double fraction = 0;
        var total = TimeSpan.Zero;
        var stops = new List<double>();
        int interruptions = 0;
        for (int i = 0; i < times; i++)
        {
            // A random moment within the time the remaining rows should take (at least 0.3 s, past start-up).
            double expected = elapsed.TotalSeconds * (1 - fraction);
            var delay = TimeSpan.FromSeconds(Math.Max(0.3, random.NextDouble() * expected));
            var (c, e, err) = Execute(raabin, [dataset, "--out", output, .. (i > 0 ? new[] { "--resume" } : [])], delay);
            total += e;
            var m = Regex.Match(err, @"interrupted: (\d+) of (\d+) rows kept");
            if (c == 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {i + 1}: finished before SIGINT at {delay.TotalSeconds:F2} s ({e.TotalSeconds:F2} s)"));
                break;
            }

            if (c != 130 || !m.Success)
            {
                Console.Error.WriteLine($"run {i + 1}: exit {c}, expected 130 and the interrupted message: {err}");
                return 1;
            }

            interruptions++;
            int kept = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), rows = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            fraction = (double)kept / rows;
            stops.Add((e - delay).TotalSeconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {i + 1}: SIGINT at {delay.TotalSeconds:F2} s, exit 130 after {e.TotalSeconds:F2} s (stop took {(e - delay).TotalSeconds:F3} s); {kept} of {rows} rows kept; final file present: {File.Exists(output)}"));
        }

        var (last, lastElapsed, lastErr) = Execute(raabin, [dataset, "--out", output, "--resume"], signalAfter: null);
        total += lastElapsed;
        if (last != 0)
        {
            Console.Error.WriteLine($"final --resume failed (exit {last}): {lastErr}");
            return 1;
        }

        bool identical = File.ReadAllBytes(reference).AsSpan().SequenceEqual(File.ReadAllBytes(output));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"final --resume: {lastElapsed.TotalSeconds:F2} s; {interruptions} interruptions; all runs together {total.TotalSeconds:F2} s " +
            $"({total.TotalSeconds / elapsed.TotalSeconds:F2}x uninterrupted); stop after SIGINT: max {(stops.Count > 0 ? stops.Max() : 0):F3} s"));
        Console.WriteLine(identical
            ? $"result: IDENTICAL ({new FileInfo(output).Length} bytes, byte for byte the uninterrupted CSV)"
            : "result: DIFFERENT from the uninterrupted CSV");
        return identical ? 0 : 1;
    }

    private static (int ExitCode, TimeSpan Elapsed, string Stderr) Execute(string raabin, string[] args, TimeSpan? signalAfter)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "exec", raabin, "features" }.Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (signalAfter is { } after && !process.WaitForExit(after))
        {
            using var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        process.WaitForExit();
        clock.Stop();
        _ = stdout.Result;
        return (process.ExitCode, clock.Elapsed, stderr.Result);
    }
}
