using System.Globalization;
using BenchmarkDotNet.Attributes;
using Raabin.Features.Learning.Svm;

namespace Raabin.Features.Bench;

/// <summary>
/// C-SVC training and prediction on the committed parity fixture (308 × 51 pbc rows, published settings).
/// Run: <c>dotnet run -c Release --project bench/Raabin.Features.Bench -- --filter *SvmBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class SvmBenchmarks
{
    private List<double[]> trainX = [];
    private List<int> trainY = [];
    private List<double[]> testX = [];
    private SvmTrainerOptions options = null!;
    private SvmModel model = null!;
    private double[] decisions = [];

    [GlobalSetup]
    public void Setup()
    {
        string fixtures = Path.Combine(RepositoryRoot(), "tests", "Raabin.Features.Tests", "Fixtures", "Svm");
        foreach (string line in File.ReadLines(Path.Combine(fixtures, "pbc-subset.csv")).Skip(1))
        {
            string[] cells = line.Split(',');
            double[] row = cells[2..].Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            if (cells[0] == "train")
            {
                trainX.Add(row);
                trainY.Add(int.Parse(cells[1], CultureInfo.InvariantCulture));
            }
            else
            {
                testX.Add(row);
            }
        }

        double gamma = double.Parse(File.ReadLines(Path.Combine(fixtures, "golden-model.txt")).First(l => l.StartsWith("gamma ", StringComparison.Ordinal))[6..], CultureInfo.InvariantCulture);
        options = new SvmTrainerOptions { Kernel = new SvmKernel.Polynomial(gamma, 0, 3), Cost = 6, ClassWeights = [1, 1, 1, 1, 10], MaxDegreeOfParallelism = 1 };
        model = new SvmTrainer(options).Fit(trainX, trainY);
        decisions = new double[model.PairCount];
    }

    [Benchmark]
    public SvmModel FitOneThread() => new SvmTrainer(options).Fit(trainX, trainY);

    [Benchmark]
    public SvmModel FitWithProbabilities() => new SvmTrainer(options with { Probability = true }).Fit(trainX, trainY);

    [Benchmark(OperationsPerInvoke = 207)]
    public int PredictTestRows()
    {
        int sum = 0;
        foreach (double[] x in testX)
        {
            sum += model.Predict(x, decisions);
        }

        return sum;
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Raabin.Features.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Cannot find Raabin.Features.sln above " + AppContext.BaseDirectory);
    }
}
