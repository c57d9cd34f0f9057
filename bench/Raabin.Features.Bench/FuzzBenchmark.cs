using System.Diagnostics;
using System.Globalization;
using Raabin.Features.Fuzzing;
using Raabin.Features.IO;

namespace Raabin.Features.Bench;

/// <summary>
/// <c>fuzz [--images N] [--text N] [--seed S] [--limit-ms MS] [--jobs J] [--sample K] [--max-pixels P] [--out DIR]</c>: mutates every
/// image fixture and sample of the repository (JPEG, PNG, BMP, TIFF, every sub-format) <c>N</c> times in all (default
/// 20,000) and runs each mutant through decode → segment → measure (reference and od-cell/od-groups); mutates the score,
/// feature and model files <c>N</c> times in all (default 5,000) and reads each with its reader. Prints outcomes per
/// format and per mutation kind, crashes, hangs (over <c>MS</c>, default 2,000 ms), the slowest mutant and the peak
/// working set. The decoder's pixel limit is <c>P</c> (default <see cref="FuzzOptions.DefaultMaxPixels"/>; the
/// production default is 100,000,000). Writes to <c>DIR</c> (default <c>/tmp/raabin-fuzz-PID</c>): <c>failures/</c> every crashing or hanging
/// mutant, and <c>decoded/</c> the first <c>K</c> decodable and the first <c>K</c> refused mutants per format (default
/// 300 each, empty files left out) with <c>decoded.csv</c> (outcome, size and pixel SHA-256 of each) for
/// <c>bench/scripts/fuzz-opencv.py</c>. Exit code 1 when anything crashed or hung.
/// </summary>
public static class FuzzBenchmark
{
    public static int Run(string[] args)
    {
        long images = 20_000, texts = 5_000;
        ulong seed = 1;
        int limitMs = 2000, jobs = 1, sample = 300;
        long maxPixels = FuzzOptions.DefaultMaxPixels;
        string output = Path.Combine(Path.GetTempPath(), $"raabin-fuzz-{Environment.ProcessId}");
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string v = args[i + 1];
            switch (args[i])
            {
                case "--images": images = long.Parse(v, CultureInfo.InvariantCulture); break;
                case "--text": texts = long.Parse(v, CultureInfo.InvariantCulture); break;
                case "--seed": seed = ulong.Parse(v, CultureInfo.InvariantCulture); break;
                case "--limit-ms": limitMs = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--jobs": jobs = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--sample": sample = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--max-pixels": maxPixels = long.Parse(v, CultureInfo.InvariantCulture); break;
                case "--out": output = v; break;
                default: Console.Error.WriteLine($"fuzz: unknown option {args[i]}"); return 2;
            }
        }

        string root = EndToEnd.RepositoryRoot();
        string fixtures = Path.Combine(root, "tests", "Raabin.Features.Tests", "Fixtures");
        var imageSeeds = new List<FuzzSeed>();
        foreach (string folder in (string[])["Jpeg", "Png", "Bmp", "Tiff"])
        {
            imageSeeds.AddRange(FuzzSeedSet.Images(Path.Combine(fixtures, folder)).Select(s => s with { Name = $"Fixtures/{folder}/{s.Name}" }));
        }

        imageSeeds.AddRange(FuzzSeedSet.Images(Path.Combine(root, "samples")).Select(s => s with { Name = "samples/" + s.Name }));
        string[] measured = Directory.EnumerateFiles(Path.Combine(root, "samples", "pbc", "images"), "*.jpg", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Take(4).ToArray();
        var textSeeds = new List<FuzzSeed>();
        textSeeds.AddRange(FuzzSeedSet.ScoreFiles(Path.Combine(fixtures, "Import")));
        textSeeds.AddRange(FuzzSeedSet.FeatureFiles([Path.Combine(fixtures, "Reference", "features.csv")]));
        textSeeds.AddRange(FuzzSeedSet.MeasuredFeatureTables(measured));
        textSeeds.AddRange(FuzzSeedSet.Models([Path.Combine(fixtures, "Models", "v1-sample-pbc.model.json"), .. Directory.EnumerateFiles(Path.Combine(root, "models"), "*.model.json").Order(StringComparer.Ordinal)]));

        string failures = Path.Combine(output, "failures");
        string decoded = Path.Combine(output, "decoded");
        Directory.CreateDirectory(failures);
        Directory.CreateDirectory(decoded);
        Console.WriteLine($"fuzz: seed {seed}, {images} image mutants of {imageSeeds.Count} seeds, {texts} text mutants of {textSeeds.Count} seeds, " +
            $"limit {limitMs} ms, {jobs} job(s), decoder limit {maxPixels:N0} pixels; output {output}");
        var options = new FuzzOptions
        {
            TimeLimit = TimeSpan.FromMilliseconds(limitMs), MaxDegreeOfParallelism = jobs, DecoderOptions = new() { MaxPixels = maxPixels },
        };
        using var runner = new FuzzRunner(options);
        var stats = new Stats();
        var written = new Dictionary<string, int>(StringComparer.Ordinal);
        using var csv = new CsvWriter(Path.Combine(output, "decoded.csv"));
        csv.Row(["file", "format", "seed", "run_seed", "index", "kind", "outcome", "width", "height", "pixel_sha256", "warning"]);
        var watch = Stopwatch.StartNew();
        long done = 0;
        foreach (var (seeds, count, first) in new[] { (imageSeeds, images, 0L), (textSeeds, texts, 0L) })
        {
            foreach (var c in runner.Run(seeds, count, seed, first))
            {
                stats.Add(c);
                if (c.IsFailure)
                {
                    string file = Path.Combine(failures, $"{c.Group}-{c.Outcome}-{c.Index}{Path.GetExtension(c.Seed)}");
                    File.WriteAllBytes(file, c.Mutation.Data);
                    Console.WriteLine($"  {c.Outcome}: {c.Seed} seed {c.RunSeed} index {c.Index} [{c.Mutation.Detail}] -> {file}: {c.Message}");
                    if (c.Exception is not null)
                    {
                        Console.WriteLine(c.Exception.ToString().Split('\n').Take(8).Aggregate((a, b) => a + "\n" + b));
                    }
                }
                else if (c.Outcome is FuzzOutcome.DecodedIntact or FuzzOutcome.DecodedDamaged or FuzzOutcome.Refused
                    && c.Mutation.Data.Length > 0 && seeds == imageSeeds && written.GetValueOrDefault(Key(c)) < sample)
                {
                    written[Key(c)] = written.GetValueOrDefault(Key(c)) + 1;
                    string name = $"{c.Group}-{c.Index:D6}{Extension(c.Group)}";
                    File.WriteAllBytes(Path.Combine(decoded, name), c.Mutation.Data);
                    csv.Field(name).Field(c.Group).Field(c.Seed).Field(c.RunSeed.ToString(CultureInfo.InvariantCulture)).Field(c.Index)
                        .Field(c.Mutation.Kind).Field(c.Outcome switch { FuzzOutcome.DecodedIntact => "intact", FuzzOutcome.DecodedDamaged => "damaged", _ => "refused" })
                        .Field(c.Width).Field(c.Height).Field(c.PixelSha256 ?? string.Empty).Field(c.Message ?? string.Empty).EndRow();
                }

                if (++done % 2000 == 0)
                {
                    Console.Error.WriteLine($"  {done} mutants, {watch.Elapsed.TotalSeconds:F0} s");
                }
            }

            if (runner.Aborted)
            {
                Console.WriteLine($"stopped: {options.MaxStuckTasks} mutants still running after the limit");
                break;
            }
        }

        csv.Commit();
        watch.Stop();
        stats.Print(watch.Elapsed, written);
        return stats.Failures == 0 && !runner.Aborted ? 0 : 1;
    }

    // Decodable and refused mutants are sampled separately, K of each per format.
    private static string Key(FuzzCase c) => c.Outcome == FuzzOutcome.Refused ? c.Group + " refused" : c.Group + " decoded";

    private static string Extension(string group) => group switch { "jpeg" => ".jpg", "png" => ".png", "bmp" => ".bmp", "tiff" => ".tif", _ => ".bin" };

    private sealed class Stats
    {
        private readonly SortedDictionary<string, long[]> _byGroup = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, long[]> _byKind = new(StringComparer.Ordinal);
        private FuzzCase? _slowest;

        public long Failures { get; private set; }

        public void Add(FuzzCase c)
        {
            Count(_byGroup, c.Group, c.Outcome);
            Count(_byKind, $"{c.Group} {c.Mutation.Kind}", c.Outcome);
            if (c.IsFailure)
            {
                Failures++;
            }

            if (_slowest is null || c.Milliseconds > _slowest.Milliseconds)
            {
                _slowest = c;
            }
        }

        public void Print(TimeSpan elapsed, Dictionary<string, int> written)
        {
            var outcomes = Enum.GetValues<FuzzOutcome>();
            string header = string.Join(' ', outcomes.Select(o => $"{o,14}"));
            Console.WriteLine();
            Console.WriteLine($"{"group",-10} {"mutants",8} {header}");
            foreach (var (group, counts) in _byGroup)
            {
                Console.WriteLine($"{group,-10} {counts.Sum(),8} {string.Join(' ', counts.Select(n => $"{n,14}"))}");
            }

            long total = _byGroup.Values.Sum(c => c.Sum());
            Console.WriteLine($"{"all",-10} {total,8} {string.Join(' ', outcomes.Select((o, i) => $"{_byGroup.Values.Sum(c => c[i]),14}"))}");
            Console.WriteLine();
            Console.WriteLine($"{"group kind",-36} {"mutants",8} {header}");
            foreach (var (kind, counts) in _byKind)
            {
                Console.WriteLine($"{kind,-36} {counts.Sum(),8} {string.Join(' ', counts.Select(n => $"{n,14}"))}");
            }

            Console.WriteLine();
            Console.WriteLine($"crashes {_byGroup.Values.Sum(c => c[(int)FuzzOutcome.Crash])}, hangs {_byGroup.Values.Sum(c => c[(int)FuzzOutcome.Hang])}");
            if (_slowest is { } s)
            {
                Console.WriteLine($"slowest: {s.Milliseconds:F0} ms, {s.Seed} seed {s.RunSeed} index {s.Index} ({s.Outcome}; {s.Mutation.Detail})");
            }

            Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F0} MiB; elapsed {elapsed.TotalSeconds:F0} s");
            Console.WriteLine($"mutants written for the OpenCV comparison: {string.Join(", ", written.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))}");
        }

        private static void Count(SortedDictionary<string, long[]> into, string key, FuzzOutcome outcome)
        {
            if (!into.TryGetValue(key, out var counts))
            {
                into[key] = counts = new long[Enum.GetValues<FuzzOutcome>().Length];
            }

            counts[(int)outcome]++;
        }
    }
}
