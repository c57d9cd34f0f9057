using System.Globalization;

namespace Raabin.Features.Tests.Learning.Svm;

/// <summary>Reads the LIBSVM parity fixture in Fixtures/Svm (see make_golden.py there).</summary>
internal sealed class SvmFixture
{
    private static readonly Lazy<SvmFixture> Shared = new(Load);

    private SvmFixture(
        List<double[]> trainX, List<int> trainY, List<double[]> testX, List<int> testY,
        Dictionary<string, string[]> model, List<string[]> golden)
    {
        TrainX = trainX;
        TrainY = trainY;
        TestX = testX;
        TestY = testY;
        Model = model;
        Golden = golden;
    }

    public static SvmFixture Instance => Shared.Value;

    public List<double[]> TrainX { get; }

    public List<int> TrainY { get; }

    public List<double[]> TestX { get; }

    public List<int> TestY { get; }

    /// <summary>golden-model.txt: key (e.g. "svm-train nsv") to its values.</summary>
    public Dictionary<string, string[]> Model { get; }

    /// <summary>golden-test.csv rows (header skipped).</summary>
    public List<string[]> Golden { get; }

    public double ModelNumber(string key) => Parse(Model[key][0]);

    public double[] ModelNumbers(string key) => Array.ConvertAll(Model[key], Parse);

    public int[] ModelIntegers(string key) => Array.ConvertAll(Model[key], s => int.Parse(s, CultureInfo.InvariantCulture));

    public static double Parse(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "Svm", name);

    private static SvmFixture Load()
    {
        var trainX = new List<double[]>();
        var trainY = new List<int>();
        var testX = new List<double[]>();
        var testY = new List<int>();
        foreach (string line in File.ReadLines(Path("pbc-subset.csv")).Skip(1))
        {
            string[] cells = line.Split(',');
            var row = new double[cells.Length - 2];
            for (int f = 0; f < row.Length; f++)
            {
                row[f] = Parse(cells[f + 2]);
            }

            int label = int.Parse(cells[1], CultureInfo.InvariantCulture);
            (cells[0] == "train" ? trainX : testX).Add(row);
            (cells[0] == "train" ? trainY : testY).Add(label);
        }

        var model = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(Path("golden-model.txt")))
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int keyWords = words[0] is "gamma" or "gamma_scale" or "cost" or "weights" ? 1 : 2;
            model[string.Join(' ', words.Take(keyWords))] = words.Skip(keyWords).ToArray();
        }

        var golden = File.ReadLines(Path("golden-test.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        return new SvmFixture(trainX, trainY, testX, testY, model, golden);
    }
}
