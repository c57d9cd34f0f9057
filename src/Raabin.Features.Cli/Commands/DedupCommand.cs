using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Raabin.Features.Datasets;
using Raabin.Features.Datasets.Dedup;

namespace Raabin.Features.Cli.Commands;

/// <summary><c>raabin dedup DATASET... [--out DIR] [--ahash N] [--phash N] [--jobs N]</c>: near-duplicate images within and across datasets.</summary>
internal static class DedupCommand
{
    public static Command Create()
    {
        var datasets = new Argument<string[]>("datasets")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "Dataset folders: manifest.csv, or one sub-folder per class (optionally per split). Folder names must differ.",
        };
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Output folder: duplicates.csv (one row per group member), summary.json and hashes.csv (every image). " +
                "Without it the groups are listed on stdout.",
        };
        var aHash = CliValidation.InRange(new Option<int>("--ahash")
        {
            Description = "Largest aHash Hamming distance of a duplicate pair, in bits of 64.",
            DefaultValueFactory = _ => DuplicateFinderOptions.DefaultMaxAverageHashDistance,
        }, 0, ImageHash.Bits);
        var pHash = CliValidation.InRange(new Option<int>("--phash")
        {
            Description = "Largest pHash Hamming distance of a duplicate pair, in bits of 64.",
            DefaultValueFactory = _ => DuplicateFinderOptions.DefaultMaxPerceptualHashDistance,
        }, 0, ImageHash.Bits);
        var jobs = CliValidation.JobsOption("Parallel decoders");
        var command = new Command("dedup",
            "Find near-duplicate images as the Raabin-WBC authors did: 64-bit aHash and pHash of every image (imagehash definitions); " +
            "pairs within both distance limits are joined into groups; each group keeps its sharpest image (highest mean Sobel " +
            "magnitude) and marks the others. Reports groups crossing splits (train/test leakage), crossing datasets, and with " +
            "disagreeing labels. Unreadable images are reported and skipped.")
        {
            datasets, output, aHash, pHash, jobs,
        };
        command.SetAction(parse => Run(parse.GetValue(datasets)!, parse.GetValue(output), parse.GetValue(aHash), parse.GetValue(pHash), parse.GetValue(jobs)));
        return command;
    }

    internal static int Run(string[] folders, string? outDir, int maxAHash, int maxPHash, int jobs)
    {
        DuplicateFinder finder;
        var opened = new List<Dataset>(folders.Length);
        try
        {
            finder = new DuplicateFinder(new DuplicateFinderOptions { MaxAverageHashDistance = maxAHash, MaxPerceptualHashDistance = maxPHash });
            foreach (string folder in folders)
            {
                opened.Add(CliValidation.OpenDataset(folder));
            }
        }
        catch (Exception e) when (e is IOException or ArgumentException or IO.CsvFormatException or InvalidDataException)
        {
            CliOutput.Error(e.Message);
            return CliOutput.Failed;
        }

        var clock = Stopwatch.StartNew();
        FingerprintScan scan;
        try
        {
            scan = FingerprintScan.Run(opened, jobs, (done, total) => CliOutput.Progress("hashed", done, total));
        }
        catch (ArgumentException e)
        {
            CliOutput.Error(e.Message);
            return CliOutput.Failed;
        }

        foreach (var f in scan.Failures)
        {
            CliOutput.Warn($"{f.Dataset}/{f.Path}: {f.Problem} (skipped)");
        }

        var report = finder.Find(scan.Fingerprints);
        clock.Stop();

        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir);
            report.WriteCsv(Path.Combine(outDir, "duplicates.csv"));
            report.WriteSummaryJson(Path.Combine(outDir, "summary.json"), scan.Datasets, scan.Failures);
            scan.WriteCsv(Path.Combine(outDir, "hashes.csv"));
        }
        else
        {
            PrintGroups(report);
        }

        PrintSummary(report, scan, clock.Elapsed);
        if (outDir is not null)
        {
            Console.WriteLine($"-> {Path.Combine(outDir, "duplicates.csv")}, summary.json, hashes.csv");
        }

        return scan.Failures.Count == 0 ? CliOutput.Success : CliOutput.SomeFailed;
    }

    private static void PrintGroups(DuplicateReport report)
    {
        foreach (var g in report.Groups)
        {
            Console.WriteLine(
                $"group {g.Id}: {g.Members.Count} images, {DuplicateReport.ScopeName(g.Scope)}{(g.LabelsDisagree ? ", labels disagree" : string.Empty)}");
            foreach (var m in g.Members)
            {
                var f = m.Image;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {(m.Kept ? "keep" : "drop")}  {f.Dataset}/{f.Path}  label={f.Label} split={f.Split} sharpness={f.Sharpness:F2} " +
                    $"d(aHash)={m.AverageHashDistanceToKept} d(pHash)={m.PerceptualHashDistanceToKept}"));
            }
        }
    }

    private static void PrintSummary(DuplicateReport report, FingerprintScan scan, TimeSpan elapsed)
    {
        var o = report.Options;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Images.Count} images hashed in {elapsed.TotalSeconds:F1} s ({scan.Failures.Count} unreadable, skipped); " +
            $"duplicates: aHash <= {o.MaxAverageHashDistance} and pHash <= {o.MaxPerceptualHashDistance} bits"));
        Console.WriteLine($"duplicate pairs:        {report.DuplicatePairs}");
        Console.WriteLine($"groups:                 {report.Groups.Count}");
        Console.WriteLine($"images involved:        {report.ImagesInvolved} ({report.ImagesMarked} marked, {report.Groups.Count} kept)");
        Console.WriteLine($"groups within a split:  {report.GroupsWithinSplit}");
        Console.WriteLine($"groups crossing splits: {report.GroupsAcrossSplits}");
        Console.WriteLine($"groups crossing datasets: {report.GroupsAcrossDatasets}");
        Console.WriteLine($"label conflicts:        {report.LabelConflicts}");
        foreach (var (combination, count) in report.CrossingCombinations())
        {
            Console.WriteLine($"  {count,5}  {combination}");
        }
    }
}
