using System.Globalization;
using System.Text.Json;
using Raabin.Features.IO;

namespace Raabin.Features.Reports;

/// <summary>Which command wrote a folder the report reads.</summary>
public enum ReportFolderKind
{
    /// <summary><c>raabin evaluate --out FOLDER</c>: predictions.csv, metrics.json, confusion_*, shift_*, reject_*.</summary>
    Evaluate,

    /// <summary><c>raabin predict --out FOLDER/NAME.csv</c>: NAME.csv and NAME.differential.csv.</summary>
    Predict,

    /// <summary><c>raabin compare --out FOLDER</c>: comparison.json and summary.md.</summary>
    Compare,
}

/// <summary>A folder the report cannot read: the message names the folder and what is missing.</summary>
public sealed class ReportInputException(string message) : Exception(message);

/// <summary>One row of a predictions file (evaluate's predictions.csv or predict's output), in file order.</summary>
/// <param name="Index">0-based row in the file.</param>
/// <param name="Run">Evaluate's run (empty for predict).</param>
/// <param name="TestSet">Evaluate's test set (the file name for predict).</param>
/// <param name="Dataset">Evaluate's dataset name (empty for predict).</param>
/// <param name="Path">The image path as written (relative to its dataset folder).</param>
/// <param name="Domain">The domain column, else the test set.</param>
/// <param name="Label">The true label, or empty (unlabelled).</param>
/// <param name="Predicted">The predicted label, or null (rejected, not recognised, failed).</param>
/// <param name="Status">The status column.</param>
/// <param name="Probability">The probability of the predicted label, or null.</param>
/// <param name="Probabilities">p_&lt;class&gt; in <see cref="PredictionFile.Classes"/> order, or null.</param>
public sealed record PredictionRow(
    int Index, string Run, string TestSet, string Dataset, string Path, string Domain, string Label, string? Predicted, string Status,
    double? Probability, double[]? Probabilities)
{
    /// <summary>
    /// Labelled and not given its label (a cell left without a label counts as an error, as evaluate counts it).
    /// </summary>
    public bool Misclassified => Label.Length > 0 && !string.Equals(Label, Predicted, StringComparison.Ordinal);
}

/// <summary>A predictions file read by column name.</summary>
/// <param name="Source">Its path.</param>
/// <param name="Classes">The classes of its p_&lt;class&gt; columns, in column order.</param>
/// <param name="Rows">Its rows, in file order.</param>
public sealed record PredictionFile(string Source, IReadOnlyList<string> Classes, IReadOnlyList<PredictionRow> Rows)
{
    /// <summary>Reads <paramref name="path"/> (evaluate's or predict's columns).</summary>
    public static PredictionFile Load(string path)
    {
        var table = CsvTable.Load(path);
        int p = table.RequireColumn("path"), label = table.RequireColumn("label"), pred = table.RequireColumn("pred");
        int status = table.IndexOf("status"), probability = table.IndexOf("probability");
        int run = table.IndexOf("run"), set = table.IndexOf("test_set"), dataset = table.IndexOf("dataset"), domain = table.IndexOf("domain");
        var probColumns = table.Header.Select((h, i) => (h, i)).Where(x => x.h.StartsWith("p_", StringComparison.Ordinal)).ToList();
        string fileSet = System.IO.Path.GetFileNameWithoutExtension(path);
        var rows = new List<PredictionRow>(table.Rows.Count);
        for (int r = 0; r < table.Rows.Count; r++)
        {
            string[] row = table.Rows[r];
            string testSet = set >= 0 ? row[set] : fileSet;
            string? predicted = row[pred].Length > 0 ? row[pred] : null;
            double? prob = probability >= 0 && row[probability].Length > 0 ? table.GetDouble(r, probability) : null;
            double[]? probs = null;
            if (predicted is not null && probColumns.Count > 0 && probColumns.All(c => row[c.i].Length > 0))
            {
                probs = probColumns.Select(c => table.GetDouble(r, c.i)).ToArray();
            }

            string dom = domain >= 0 && row[domain].Length > 0 ? row[domain] : testSet;
            rows.Add(new PredictionRow(r, run >= 0 ? row[run] : string.Empty, testSet, dataset >= 0 ? row[dataset] : string.Empty, row[p], dom,
                row[label], predicted, status >= 0 ? row[status] : string.Empty, prob is { } x && double.IsFinite(x) ? x : null, probs));
        }

        return new PredictionFile(path, probColumns.Select(c => c.h[2..]).ToList(), rows);
    }
}

/// <summary>
/// An output folder of <c>raabin evaluate</c>, <c>predict</c> or <c>compare</c>, recognised by its files, with the files
/// the report reads.
/// </summary>
public sealed class ReportFolder : IDisposable
{
    private ReportFolder(string root, ReportFolderKind kind)
    {
        Root = root;
        Kind = kind;
    }

    /// <summary>The folder.</summary>
    public string Root { get; }

    /// <summary>Which command wrote it.</summary>
    public ReportFolderKind Kind { get; }

    /// <summary>The predictions (evaluate, predict), or null (compare).</summary>
    public PredictionFile? Predictions { get; private init; }

    /// <summary>metrics.json (evaluate), comparison.json (compare), or null.</summary>
    public JsonDocument? Json { get; private init; }

    /// <summary>The differential-count file (predict), or null.</summary>
    public string? DifferentialFile { get; private init; }

    /// <summary>confusion_&lt;run&gt;_&lt;set&gt;.csv files, sorted by name.</summary>
    public IReadOnlyList<string> ConfusionFiles { get; private init; } = [];

    /// <summary>shift_&lt;run&gt;.csv files, sorted by name.</summary>
    public IReadOnlyList<string> ShiftFiles { get; private init; } = [];

    /// <summary>reject_&lt;run&gt;.csv files, sorted by name.</summary>
    public IReadOnlyList<string> RejectFiles { get; private init; } = [];

    /// <summary>
    /// Recognises and reads <paramref name="folder"/>: evaluate (predictions.csv and metrics.json), compare
    /// (comparison.json) or predict (NAME.csv with NAME.differential.csv beside it).
    /// </summary>
    /// <exception cref="ReportInputException">The folder does not exist, or has none of those sets of files (the message names what is missing).</exception>
    public static ReportFolder Open(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new ReportInputException(File.Exists(folder)
                ? $"{folder}: a file; give the output folder of `raabin evaluate`, `predict` or `compare`"
                : $"{folder}: no such folder");
        }

        string root = System.IO.Path.GetFullPath(folder);
        string In(string name) => System.IO.Path.Combine(root, name);
        string[] Sorted(string pattern) => [.. Directory.GetFiles(root, pattern).Order(StringComparer.Ordinal)];
        bool hasPredictions = File.Exists(In("predictions.csv")), hasMetrics = File.Exists(In("metrics.json"));
        if (hasPredictions && hasMetrics)
        {
            return new ReportFolder(root, ReportFolderKind.Evaluate)
            {
                Predictions = PredictionFile.Load(In("predictions.csv")),
                Json = ParseJson(In("metrics.json")),
                ConfusionFiles = Sorted("confusion_*.csv"),
                ShiftFiles = Sorted("shift_*.csv"),
                RejectFiles = Sorted("reject_*.csv"),
            };
        }

        if (File.Exists(In("comparison.json")))
        {
            return new ReportFolder(root, ReportFolderKind.Compare) { Json = ParseJson(In("comparison.json")) };
        }

        var differentials = Sorted("*.differential.csv").Where(d => File.Exists(d[..^".differential.csv".Length] + ".csv")).ToList();
        if (differentials.Count > 1)
        {
            throw new ReportInputException($"{folder}: {differentials.Count} predict outputs ({string.Join(", ", differentials.Select(System.IO.Path.GetFileName))}); " +
                "the report reads one: put each in a folder of its own");
        }

        if (differentials.Count == 1)
        {
            string predictions = differentials[0][..^".differential.csv".Length] + ".csv";
            return new ReportFolder(root, ReportFolderKind.Predict) { Predictions = PredictionFile.Load(predictions), DifferentialFile = differentials[0] };
        }

        string found = hasPredictions ? "predictions.csv without metrics.json" : hasMetrics ? "metrics.json without predictions.csv" : "none of them";
        throw new ReportInputException(
            $"{folder}: not an output folder of raabin evaluate (needs predictions.csv and metrics.json), compare (needs comparison.json) " +
            $"or predict (needs NAME.csv with NAME.differential.csv); found {found}");
    }

    /// <summary>Releases the parsed JSON.</summary>
    public void Dispose() => Json?.Dispose();

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new ReportInputException(string.Create(CultureInfo.InvariantCulture, $"{path}: not valid JSON ({e.Message})"));
        }
    }

    /// <summary>The part of a run/set file name after <paramref name="prefix"/>, without extension (e.g. shift_train_pbc.csv → train_pbc).</summary>
    public static string Suffix(string file, string prefix) => System.IO.Path.GetFileNameWithoutExtension(file)[prefix.Length..];
}
