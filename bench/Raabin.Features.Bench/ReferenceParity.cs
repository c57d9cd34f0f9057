using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Raabin.Features.Datasets;
using Raabin.Features.Measurement;
using Raabin.Features.Imaging;
using Raabin.Features.IO;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Bench;

/// <summary>
/// End-to-end checks against the reference outputs in <c>../shared/reference</c>: the 51 features of every image,
/// nucleus Dice against ground truth, and imread-identical decoding of every image.
/// </summary>
public static class ReferenceParity
{
    private const double Tolerance = 1e-9;

    /// <summary><c>reference-parity [dataset...]</c>: features of every reference image vs the reference CSV.</summary>
    public static int Features(string[] args)
    {
        string shared = EndToEnd.SharedRoot();
        string[] names = args.Length > 0 ? args : ["pbc", "zheng-jtsc", "zheng-cellavision", "bccd"];
        int mismatchedTotal = 0;
        Console.WriteLine("| dataset | images | match (1e-9 rel.) | share | worst relative difference | where |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- |");
        var notes = new List<string>();
        foreach (string name in names)
        {
            var reference = CsvTable.Load(Path.Combine(shared, "reference", "features", name + ".csv"));
            var dataset = Dataset.Open(Path.Combine(shared, "datasets", name));
            var refRow = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int r = 0; r < reference.Rows.Count; r++)
            {
                refRow[reference.Rows[r][1]] = r;
            }

            int[] columns = FeatureCatalog.ReferenceIds.Select(reference.RequireColumn).ToArray();
            int okColumn = reference.RequireColumn("ok");
            int matched = 0, compared = 0;
            double worst = 0;
            string worstWhere = string.Empty;
            foreach (var result in CellPipeline.Reference().ProcessAll(dataset, dataset.Items))
            {
                if (!refRow.TryGetValue(result.Row.Path, out int r))
                {
                    notes.Add($"{name}/{result.Row.Path}: not in the reference CSV");
                    continue;
                }

                compared++;
                bool refOk = reference.Rows[r][okColumn] == "1";
                if (refOk != result.Row.IsOk)
                {
                    notes.Add($"{name}/{result.Row.Path}: reference ok={refOk}, ours {result.Row.Status} {result.Row.Error}");
                    continue;
                }

                if (!refOk)
                {
                    matched++;
                    continue;
                }

                double imageWorst = 0;
                string imageWorstFeature = string.Empty;
                for (int f = 0; f < columns.Length; f++)
                {
                    double expected = reference.GetDouble(r, columns[f]);
                    double got = result.Row.Values[f];
                    double rel = double.IsNaN(expected) && double.IsNaN(got) ? 0
                        : Math.Abs(got - expected) / Math.Max(Math.Abs(expected), double.Epsilon);
                    if (!(rel <= imageWorst))
                    {
                        imageWorst = double.IsNaN(rel) ? double.PositiveInfinity : rel;
                        imageWorstFeature = FeatureCatalog.ReferenceIds[f];
                    }
                }

                if (imageWorst <= Tolerance)
                {
                    matched++;
                }
                else
                {
                    notes.Add($"{name}/{result.Row.Path}: {imageWorstFeature} differs by {imageWorst:E2} relative");
                }

                if (imageWorst > worst)
                {
                    worst = imageWorst;
                    worstWhere = $"{result.Row.Path} {imageWorstFeature}";
                }
            }

            mismatchedTotal += compared - matched;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {compared} | {matched} | {100.0 * matched / Math.Max(compared, 1):F2} % | {worst:E2} | {worstWhere} |"));
        }

        foreach (string note in notes.Take(50))
        {
            Console.WriteLine("  " + note);
        }

        return mismatchedTotal == 0 ? 0 : 1;
    }

    /// <summary><c>segmentation-quality</c>: nucleus Dice/IoU of both segmenters on the Zheng sets vs the reference's scores.</summary>
    public static int Segmentation(string[] args)
    {
        string shared = EndToEnd.SharedRoot();
        Console.WriteLine("| dataset | segmenter | images | mean Dice | median Dice | mean IoU | equal to reference (nucleus px, Dice) | cell mean Dice | cell median Dice | failed |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (string name in new[] { "zheng-jtsc", "zheng-cellavision" })
        {
            var dataset = Dataset.Open(Path.Combine(shared, "datasets", name));
            var reference = CsvTable.Load(Path.Combine(shared, "reference", "segmentation", name + ".csv"));
            var refByPath = reference.Rows.Select((row, i) => (row, i)).ToDictionary(x => x.row[0], x => x.i, StringComparer.Ordinal);
            foreach (INucleusSegmenter segmenter in new INucleusSegmenter[] { new ReferenceNucleusSegmenter(), new CmykOtsuSegmenter(), new OdCellSegmenter() })
            {
                var dice = new List<double>();
                var iou = new List<double>();
                var cellDice = new List<double>();
                int equal = 0, failed = 0;
                foreach (var item in dataset.Items)
                {
                    var seg = segmenter.Segment(ImageDecoder.Load(dataset.FullPath(item)));
                    var truth = ImageDecoder.LoadGray(Path.Combine(dataset.Root, item.MaskPath!));
                    var a = MaskAgreement.Compare(seg.NucleusMask, 255, truth, 255);
                    failed += seg.Succeeded ? 0 : 1;
                    if (seg.CellMask is { } cell)
                    {
                        cellDice.Add(MaskAgreement.CompareAtLeast(cell, 255, truth, 128).Dice);
                    }

                    dice.Add(a.Dice);
                    iou.Add(a.IoU);
                    int r = refByPath[item.Path];
                    if (reference.Rows[r][reference.RequireColumn("nucleus_px")] == seg.NucleusPixelCount.ToString(CultureInfo.InvariantCulture)
                        && Math.Abs(reference.GetDouble(r, reference.RequireColumn("dice")) - a.Dice) <= 1e-12)
                    {
                        equal++;
                    }
                }

                var refDice = Enumerable.Range(0, reference.Rows.Count).Select(r => reference.GetDouble(r, reference.RequireColumn("dice"))).ToList();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {segmenter.Name} | {dice.Count} | {dice.Average():F4} | {Median(dice):F4} | {iou.Average():F4} | {equal} of {dice.Count} | " +
                    $"{(cellDice.Count > 0 ? cellDice.Average().ToString("F4", CultureInfo.InvariantCulture) : "–")} | {(cellDice.Count > 0 ? Median(cellDice).ToString("F4", CultureInfo.InvariantCulture) : "–")} | {failed} |"));
                if (segmenter is ReferenceNucleusSegmenter)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {name} | (reference's own CSV) | {refDice.Count} | {refDice.Average():F4} | {Median(refDice):F4} | | |"));
                }
            }
        }

        return 0;
    }

    /// <summary>
    /// <c>segment-speed [dataset] [limit] [segmenter] [extractor]</c>: segmentation + features (the reference 51 unless an
    /// extractor spec is given, e.g. <c>od-groups</c>) per image, decode excluded, one thread;
    /// median and p90. The segmenter is a spec (<c>od-cell</c>, <c>cmyk-otsu(weight=0.4)</c>); default the reference.
    /// </summary>
    public static int Speed(string[] args)
    {
        string name = args.Length > 0 ? args[0] : "pbc";
        int limit = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : int.MaxValue;
        var dataset = Dataset.Open(Path.Combine(EndToEnd.SharedRoot(), "datasets", name));
        var items = dataset.Items.Take(limit).ToList();
        INucleusSegmenter segmenter = args.Length > 2 ? SegmenterSpec.Parse(args[2]).Create() : new ReferenceNucleusSegmenter();
        IFeatureExtractor extractor = args.Length > 3 ? ExtractorSpec.Parse(args[3]).Create() : new ReferenceFeatureExtractor();
        var values = new double[extractor.Features.Count];
        int failed = 0;

        // Warm-up: JIT and tables.
        foreach (var item in items.Take(50))
        {
            var s = segmenter.Segment(ImageDecoder.Load(dataset.FullPath(item)));
            if (s.Succeeded)
            {
                TryExtract(extractor, s, values);
            }
        }

        // Each image is decoded just before it is timed (decode excluded), so the heap holds one image at a time as in
        // a real batch, not thousands of decoded images that make every garbage collection expensive.
        var segTimes = new double[items.Count];
        var featTimes = new double[items.Count];
        var total = Stopwatch.StartNew();
        RgbImage? first = null;
        for (int i = 0; i < items.Count; i++)
        {
            var image = ImageDecoder.Load(dataset.FullPath(items[i]));
            first ??= image;
            long t0 = Stopwatch.GetTimestamp();
            var s = segmenter.Segment(image);
            long t1 = Stopwatch.GetTimestamp();
            if (!s.Succeeded || !TryExtract(extractor, s, values))
            {
                failed++;
            }

            long t2 = Stopwatch.GetTimestamp();
            segTimes[i] = (t1 - t0) * 1000.0 / Stopwatch.Frequency;
            featTimes[i] = (t2 - t1) * 1000.0 / Stopwatch.Frequency;
        }

        total.Stop();
        var both = segTimes.Zip(featTimes, (a, b) => a + b).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {items.Count} images ({first!.Width}x{first.Height} first), one thread, decode excluded"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {segmenter.Spec.Name} + {ExtractorSpec.Of(extractor)} ({values.Length} features): median {Percentile(both, 50):F3} ms, p90 {Percentile(both, 90):F3} ms, mean {both.Average():F3} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  of which segmentation: median {Percentile(segTimes, 50):F3} ms, p90 {Percentile(segTimes, 90):F3} ms; features: median {Percentile(featTimes, 50):F3} ms, p90 {Percentile(featTimes, 90):F3} ms; {failed} not measured"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  wall {total.Elapsed.TotalSeconds:F2} s (decoding included)"));
        return 0;
    }

    private static bool TryExtract(IFeatureExtractor extractor, NucleusSegmentation segmentation, double[] values)
    {
        try
        {
            extractor.Extract(segmentation, values);
            return true;
        }
        catch (FeatureExtractionException)
        {
            return false;
        }
    }

    /// <summary>
    /// <c>imread-parity</c>: decode every image listed in the OpenCV golden CSV and compare pixel hashes; also counts the
    /// images the decoders report as damaged or with warnings (<see cref="DecodeReport"/>) and lists them.
    /// </summary>
    public static int Imread(string[] args)
    {
        string datasets = Path.Combine(EndToEnd.SharedRoot(), "datasets");
        string golden = args.Length > 0 ? args[0] : Path.Combine(EndToEnd.RepositoryRoot(), "tests", "Raabin.Features.Tests", "Fixtures", "Imaging", "opencv-imread-sha256.csv");
        var table = CsvTable.Load(golden);
        var watch = Stopwatch.StartNew();
        var results = OrderedParallel.Select(table.Rows, 0, row =>
        {
            try
            {
                var image = ImageDecoder.Load(Path.Combine(datasets, row[0]), out var format, out var report);
                string hash = Convert.ToHexStringLower(SHA256.HashData(image.Pixels));
                bool same = hash == row[4] && image.Width.ToString(CultureInfo.InvariantCulture) == row[2]
                    && image.Height.ToString(CultureInfo.InvariantCulture) == row[3] && ImageDecoder.FormatName(format) == row[1];
                return (Path: row[0], Format: row[1], Same: same, Problem: same ? null : $"hash {hash[..12]} vs {row[4][..12]}", Report: report);
            }
            catch (ImageDecodeException e)
            {
                return (Path: row[0], Format: row[1], Same: false, Problem: (string?)e.Message, Report: DecodeReport.Intact);
            }
        }).ToList();
        watch.Stop();
        foreach (var group in results.GroupBy(r => r.Format).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"{group.Key}: {group.Count(r => r.Same)} of {group.Count()} identical to OpenCV imread");
        }

        Console.WriteLine($"all: {results.Count(r => r.Same)} of {results.Count} ({watch.Elapsed.TotalSeconds:F1} s)");
        foreach (var r in results.Where(r => !r.Same).Take(20))
        {
            Console.WriteLine($"  {r.Path}: {r.Problem}");
        }

        Console.WriteLine($"damaged: {results.Count(r => r.Report.IsDamaged)} of {results.Count}; with warnings: {results.Count(r => r.Report.HasWarnings)}");
        foreach (var r in results.Where(r => r.Report.HasWarnings).Take(50))
        {
            Console.WriteLine($"  {r.Path}: {(r.Report.IsDamaged ? "damaged: " : string.Empty)}{r.Report.Summary}");
        }

        return results.All(r => r.Same) ? 0 : 1;
    }

    private static double Median(List<double> v) => Percentile([.. v], 50);

    private static double Percentile(double[] values, double p)
    {
        var sorted = values.Order().ToArray();
        double rank = p / 100 * (sorted.Length - 1);
        int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
