using System.Diagnostics;
using System.Globalization;
using System.Text;
using Raabin.Features.Measurement;
using Raabin.Features.IO;
using Raabin.Features.Learning;
using Raabin.Features.Learning.Svm;

namespace Raabin.Features.Bench;

/// <summary>
/// <c>svm-parity</c>: the published classifier on all of pbc split=train, against Debian's LIBSVM 3.24 tools,
/// LIBSVM in memory and scikit-learn, plus training time against <c>svm-train</c> and prediction throughput.
/// </summary>
/// <remarks>
/// Usage: <c>svm-parity [repetitions=5]</c>. Needs <c>../shared</c> (or RAABIN_SHARED), <c>svm-train</c>,
/// <c>svm-predict</c> and Debian's <c>/usr/bin/python3</c> with scikit-learn; writes temporary files under /tmp.
/// Debian's svm-train reads <c>-g</c> with strtof, so the svm-train comparison trains both sides with gamma rounded
/// to float; the in-memory LIBSVM and scikit-learn comparison uses the full double gamma.
/// </remarks>
internal static class SvmParity
{
    private const double Cost = 6;
    private const double NeutrophilWeight = 10;
    private const double ReferenceGamma = 0.34404831914401895;
    private static readonly int[] ReferenceSupportVectors = [91, 45, 84, 92, 70];

    public static int Run(string[] args)
    {
        int repetitions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        string shared = EndToEnd.SharedRoot();
        string repository = EndToEnd.RepositoryRoot();
        string work = Path.Combine(Path.GetTempPath(), $"raabin-svm-parity-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            return RunIn(shared, repository, work, repetitions);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static int RunIn(string shared, string repository, string work, int repetitions)
    {
        var data = PbcData.Load(shared);
        Console.WriteLine($"pbc train {data.TrainX.Count} rows, test {data.TestX.Count} rows, {data.TrainX[0].Length} features, classes {string.Join(' ', data.Classes)}");
        int neutrophil = data.Classes.IndexOf("neutrophil");
        var weights = new double[data.Classes.Count];
        Array.Fill(weights, 1.0);
        weights[neutrophil] = NeutrophilWeight;

        double gamma = GammaSpec.Scale.Resolve(data.TrainX, data.TrainX[0].Length);
        double gammaFloat = (float)gamma;
        Console.WriteLine($"gamma = 1/(51*var) = {gamma:R} (reference {ReferenceGamma:R}, difference {gamma - ReferenceGamma:R}); svm-train uses float {gammaFloat:R}");

        string trainFile = Path.Combine(work, "train.libsvm");
        string testFile = Path.Combine(work, "test.libsvm");
        WriteLibSvm(trainFile, data.TrainX, data.TrainY);
        WriteLibSvm(testFile, data.TestX, data.TestY);

        // 1. Against the command-line tools (float gamma).
        Console.WriteLine();
        Console.WriteLine($"== vs svm-train / svm-predict (gamma {gammaFloat:R}, C {Cost}, -w{neutrophil} {NeutrophilWeight}, eps 1e-3) ==");
        string modelFile = Path.Combine(work, "model.txt");
        var svmTrainTimes = new List<double>();
        var svmTrainCpu = new List<double>();
        for (int r = 0; r < repetitions; r++)
        {
            (double wall, double cpu) = RunTimedTool(
                "svm-train",
                ["-q", "-s", "0", "-t", "1", "-d", "3", "-g", gammaFloat.ToString("R", CultureInfo.InvariantCulture), "-r", "0", "-c", "6", $"-w{neutrophil}", "10", "-e", "0.001", trainFile, modelFile]);
            svmTrainTimes.Add(wall);
            svmTrainCpu.Add(cpu);
        }

        var (toolCounts, toolRho) = ReadModelHeader(modelFile);
        string predictFile = Path.Combine(work, "predict.txt");
        double svmPredictTime = RunTool("svm-predict", ["-q", testFile, modelFile, predictFile]);
        int[] toolPredictions = File.ReadLines(predictFile).Where(l => l.Length > 0).Select(l => (int)double.Parse(l, CultureInfo.InvariantCulture)).ToArray();

        var optionsFloat = Options(gammaFloat, weights, -1);
        var ourTimes = new List<double>();
        var ourCpu = new List<double>();
        SvmModel modelFloat = null!;
        for (int r = 0; r < repetitions; r++)
        {
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            modelFloat = new SvmTrainer(optionsFloat).Fit(data.TrainX, data.TrainY);
            ourTimes.Add(stopwatch.Elapsed.TotalSeconds);
            ourCpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
        }

        var oneThreadTimes = new List<double>();
        var oneThreadCpu = new List<double>();
        SvmModel modelOneThread = null!;
        for (int r = 0; r < repetitions; r++)
        {
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            modelOneThread = new SvmTrainer(Options(gammaFloat, weights, 1)).Fit(data.TrainX, data.TrainY);
            oneThreadTimes.Add(stopwatch.Elapsed.TotalSeconds);
            oneThreadCpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
        }

        Console.WriteLine($"SVs per class: ours {string.Join(' ', modelFloat.SupportVectorCounts)} (total {modelFloat.SupportVectorCount}); svm-train {string.Join(' ', toolCounts)} (total {toolCounts.Sum()}) -> {(toolCounts.SequenceEqual(modelFloat.SupportVectorCounts) ? "SAME" : "DIFFERENT")}");
        int rhoExact = 0;
        double rhoWorst = 0;
        for (int p = 0; p < toolRho.Length; p++)
        {
            rhoExact += toolRho[p] == modelFloat.Rho[p] ? 1 : 0;
            rhoWorst = Math.Max(rhoWorst, Math.Abs(toolRho[p] - modelFloat.Rho[p]));
        }

        Console.WriteLine($"rho: {rhoExact}/{toolRho.Length} bit-identical to the model file, max |difference| {rhoWorst:G3}");
        Console.WriteLine($"1 thread vs {Environment.ProcessorCount}: {(SameModel(modelFloat, modelOneThread) ? "identical models" : "MODELS DIFFER")}");
        int agreeTool = 0;
        for (int r = 0; r < data.TestX.Count; r++)
        {
            agreeTool += modelFloat.Predict(data.TestX[r]) == toolPredictions[r] ? 1 : 0;
        }

        Console.WriteLine($"test predictions vs svm-predict: {agreeTool}/{data.TestX.Count} agree ({100.0 * agreeTool / data.TestX.Count:F3} %)");
        Console.WriteLine($"training ({repetitions} runs each; wall = elapsed, cpu = user+sys):");
        Console.WriteLine($"  svm-train (process; file read included): wall median {Median(svmTrainTimes):F3} s, min {svmTrainTimes.Min():F3} s; cpu median {Median(svmTrainCpu):F3} s");
        Console.WriteLine($"  ours, all cores ({Environment.ProcessorCount}): wall first {ourTimes[0]:F3} s (JIT included), median {Median(ourTimes):F3} s, min {ourTimes.Min():F3} s; cpu median {Median(ourCpu):F3} s -> wall {Median(ourTimes) / Median(svmTrainTimes):F2}x svm-train");
        Console.WriteLine($"  ours, 1 thread: wall first {oneThreadTimes[0]:F3} s, median {Median(oneThreadTimes):F3} s, min {oneThreadTimes.Min():F3} s; cpu median {Median(oneThreadCpu):F3} s -> wall {Median(oneThreadTimes) / Median(svmTrainTimes):F2}x svm-train");

        // 2. Against LIBSVM in memory and scikit-learn (full double gamma).
        Console.WriteLine();
        Console.WriteLine($"== vs LIBSVM 3.24 in memory (ctypes) and scikit-learn 1.2.1 (gamma {gamma:R}) ==");
        var model = new SvmTrainer(Options(gamma, weights, -1)).Fit(data.TrainX, data.TrainY);
        string trainCsv = Path.Combine(work, "train.csv");
        string testCsv = Path.Combine(work, "test.csv");
        WriteCsv(trainCsv, data.TrainX, data.TrainY);
        WriteCsv(testCsv, data.TestX, data.TestY);
        string prefix = Path.Combine(work, "reference");
        string script = Path.Combine(repository, "tests", "Raabin.Features.Tests", "Fixtures", "Svm", "libsvm_reference.py");
        double pythonTime = RunTool("/usr/bin/python3", [script, trainCsv, testCsv, gamma.ToString("R", CultureInfo.InvariantCulture), "6", $"{neutrophil}:10", prefix]);
        var summary = File.ReadAllLines(prefix + "-summary.txt").Select(l => l.Split(' ')).ToDictionary(w => w[0] + " " + w[1], w => w[2..]);
        Console.WriteLine($"(python references took {pythonTime:F1} s)");
        Console.WriteLine($"SVs per class: ours {string.Join(' ', model.SupportVectorCounts)} (total {model.SupportVectorCount}); reference README {string.Join(' ', ReferenceSupportVectors)}");
        foreach (string name in new[] { "libsvm", "sklearn" })
        {
            int[] counts = Array.ConvertAll(summary[name + " nsv"], int.Parse);
            double[] rho = Array.ConvertAll(summary[name + " rho"], s => double.Parse(s, CultureInfo.InvariantCulture));
            int[] rows = Array.ConvertAll(summary[name + " sv_rows"], int.Parse);
            double worstRho = 0;
            for (int p = 0; p < rho.Length; p++)
            {
                worstRho = Math.Max(worstRho, Math.Abs(rho[p] - model.Rho[p]));
            }

            Console.WriteLine($"{name,-8} SVs per class {string.Join(' ', counts)} -> {(counts.SequenceEqual(model.SupportVectorCounts) ? "SAME" : "DIFFERENT")}; SV rows {(SameRows(rows, model, data) ? "SAME" : "DIFFERENT")}; max |rho difference| {worstRho:G3}");
            var reference = File.ReadLines($"{prefix}-{name}.csv").Select(l => l.Split(',')).ToList();
            var decisions = new double[model.PairCount];
            int agree = 0;
            int exact = 0;
            double worst = 0;
            for (int r = 0; r < data.TestX.Count; r++)
            {
                int predicted = model.Predict(data.TestX[r], decisions);
                agree += predicted == int.Parse(reference[r][0], CultureInfo.InvariantCulture) ? 1 : 0;
                bool rowExact = true;
                for (int p = 0; p < decisions.Length; p++)
                {
                    double expected = double.Parse(reference[r][1 + p], CultureInfo.InvariantCulture);
                    worst = Math.Max(worst, Math.Abs(expected - decisions[p]));
                    rowExact &= expected == decisions[p];
                }

                exact += rowExact ? 1 : 0;
            }

            Console.WriteLine($"{name,-8} test predictions agree {agree}/{data.TestX.Count}; decision values max |difference| {worst:G3}, rows bit-identical {exact}/{data.TestX.Count}");
        }

        int agreePublished = 0;
        int correct = 0;
        for (int r = 0; r < data.TestX.Count; r++)
        {
            int predicted = model.Predict(data.TestX[r]);
            agreePublished += data.Classes[predicted] == data.PublishedPredictions[r] ? 1 : 0;
            correct += predicted == data.TestY[r] ? 1 : 0;
        }

        Console.WriteLine($"vs reference/predictions/pbc-test.csv: {agreePublished}/{data.TestX.Count} agree; our test accuracy {(double)correct / data.TestX.Count:F4}");

        // 3. Prediction throughput.
        Console.WriteLine();
        var scratch = new double[model.PairCount];
        int sink = 0;
        for (int r = 0; r < data.TestX.Count; r++)
        {
            sink += model.Predict(data.TestX[r], scratch);
        }

        int rounds = Math.Max(1, repetitions);
        var predictWatch = Stopwatch.StartNew();
        for (int round = 0; round < rounds; round++)
        {
            for (int r = 0; r < data.TestX.Count; r++)
            {
                sink += model.Predict(data.TestX[r], scratch);
            }
        }

        double seconds = predictWatch.Elapsed.TotalSeconds;
        double perSecond = rounds * data.TestX.Count / seconds;
        Console.WriteLine($"prediction: {perSecond:F0} rows/s ({1e6 / perSecond:F1} us/row, {model.SupportVectorCount} SVs, 1 thread; checksum {sink}); svm-predict wall for {data.TestX.Count} rows {svmPredictTime:F3} s");
        return 0;
    }

    private static SvmTrainerOptions Options(double gamma, double[] weights, int parallelism) => new()
    {
        Kernel = new SvmKernel.Polynomial(gamma, 0, 3),
        Cost = Cost,
        ClassWeights = weights,
        Tolerance = 1e-3,
        MaxDegreeOfParallelism = parallelism,
    };

    private static bool SameRows(int[] rows, SvmModel model, PbcData data)
    {
        if (rows.Length != model.SupportVectorCount)
        {
            return false;
        }

        // The references index the rows as written (grouped by class), which is also our training order.
        for (int s = 0; s < rows.Length; s++)
        {
            if (rows[s] != model.SupportVectorRows![s])
            {
                return false;
            }
        }

        return data.TrainX.Count > 0;
    }

    private static bool SameModel(SvmModel a, SvmModel b)
    {
        if (!a.SupportVectorCounts.SequenceEqual(b.SupportVectorCounts) || !a.Rho.SequenceEqual(b.Rho) || !a.SupportVectorRows!.SequenceEqual(b.SupportVectorRows!))
        {
            return false;
        }

        for (int row = 0; row < a.ClassCount - 1; row++)
        {
            if (!a.Coefficients(row).SequenceEqual(b.Coefficients(row)))
            {
                return false;
            }
        }

        return true;
    }

    private static (int[] Counts, double[] Rho) ReadModelHeader(string path)
    {
        int[] counts = [];
        double[] rho = [];
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith("SV", StringComparison.Ordinal))
            {
                break;
            }

            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words[0] == "nr_sv")
            {
                counts = Array.ConvertAll(words[1..], int.Parse);
            }
            else if (words[0] == "rho")
            {
                rho = Array.ConvertAll(words[1..], s => double.Parse(s, CultureInfo.InvariantCulture));
            }
        }

        return (counts, rho);
    }

    /// <summary>Runs a tool under <c>/usr/bin/time</c> when present: (wall seconds, user+sys seconds or NaN).</summary>
    private static (double Wall, double Cpu) RunTimedTool(string program, string[] arguments)
    {
        if (!File.Exists("/usr/bin/time"))
        {
            return (RunTool(program, arguments), double.NaN);
        }

        string timing = Path.Combine(Path.GetTempPath(), $"raabin-time-{Environment.ProcessId}.txt");
        double wall = RunTool("/usr/bin/time", ["-o", timing, "-f", "%U %S", program, .. arguments]);
        string[] parts = File.ReadAllText(timing).Trim().Split(' ');
        File.Delete(timing);
        return (wall, double.Parse(parts[0], CultureInfo.InvariantCulture) + double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static double RunTool(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        double seconds = stopwatch.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed with exit code {process.ExitCode}: {stderr}{stdout.Result}");
        }

        return seconds;
    }

    private static void WriteLibSvm(string path, List<double[]> rows, List<int> labels)
    {
        var text = new StringBuilder();
        for (int r = 0; r < rows.Count; r++)
        {
            text.Append(labels[r].ToString(CultureInfo.InvariantCulture));
            for (int f = 0; f < rows[r].Length; f++)
            {
                text.Append(' ').Append(f + 1).Append(':').Append(rows[r][f].ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    private static void WriteCsv(string path, List<double[]> rows, List<int> labels)
    {
        var text = new StringBuilder();
        for (int r = 0; r < rows.Count; r++)
        {
            text.Append(labels[r].ToString(CultureInfo.InvariantCulture));
            foreach (double v in rows[r])
            {
                text.Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        File.WriteAllText(path, text.ToString());
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>pbc features: train rows grouped by class (file order within a class), min-max normalised on train.</summary>
    private sealed class PbcData
    {
        public List<string> Classes { get; } = [];

        public List<double[]> TrainX { get; } = [];

        public List<int> TrainY { get; } = [];

        public List<double[]> TestX { get; } = [];

        public List<int> TestY { get; } = [];

        public List<string> PublishedPredictions { get; } = [];

        public static PbcData Load(string shared)
        {
            var manifest = CsvTable.Load(Path.Combine(shared, "datasets", "pbc", "manifest.csv"));
            int pathColumn = manifest.RequireColumn("path"), splitColumn = manifest.RequireColumn("split");
            var split = manifest.Rows.ToDictionary(r => r[pathColumn], r => r[splitColumn], StringComparer.Ordinal);

            // The reference's own feature file, read by catalog id as `raabin train` reads it.
            var features = FeatureTable.Load(Path.Combine(shared, "reference", "features", "pbc.csv"), FeatureCatalog.ReferenceIds);
            var train = features.Rows.Where(r => r.IsOk && split[r.Path] == "train").Select(r => (r.Label, X: r.Values)).ToList();
            var test = features.Rows.Where(r => r.IsOk && split[r.Path] == "test").Select(r => (r.Path, r.Label, X: r.Values)).ToList();

            var data = new PbcData();
            data.Classes.AddRange(train.Select(t => t.Label).Distinct().Order(StringComparer.Ordinal));
            var predictions = CsvTable.Load(Path.Combine(shared, "reference", "predictions", "pbc-test.csv"));
            int predPath = predictions.RequireColumn("path"), pred = predictions.RequireColumn("pred");
            var published = predictions.Rows.ToDictionary(c => c[predPath], c => c[pred], StringComparer.Ordinal);

            // scikit-learn's MinMaxScaler, fitted on the training rows.
            var normalizer = FeatureNormalizer.Fit(NormalizerKind.MinMax, train.Select(t => t.X).ToList(), FeatureCatalog.ReferenceIds.Count);
            double[] Normalise(double[] x) => normalizer.Transform(x);

            // Stable sort by class keeps file order within a class.
            foreach (var (label, x) in train.OrderBy(t => data.Classes.IndexOf(t.Label)))
            {
                data.TrainX.Add(Normalise(x));
                data.TrainY.Add(data.Classes.IndexOf(label));
            }

            foreach (var (path, label, x) in test)
            {
                data.TestX.Add(Normalise(x));
                data.TestY.Add(data.Classes.IndexOf(label));
                data.PublishedPredictions.Add(published[path]);
            }

            return data;
        }
    }
}
