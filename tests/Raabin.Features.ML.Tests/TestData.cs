using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Raabin.Features.Learning;

namespace Raabin.Features.ML.Tests;

/// <summary>One input row: the class name and float32 features.</summary>
public sealed class CellRow
{
    public string LabelText { get; set; } = string.Empty;

    public float[] Features { get; set; } = [];
}

/// <summary>What the tests read back: the predicted class name and the score vector.</summary>
public sealed class CellPrediction
{
    public string PredictedName { get; set; } = string.Empty;

    public float[] Score { get; set; } = [];
}

internal static class TestData
{
    /// <summary>The reference fixture (54 pbc cells, 5 classes, 51 features) as float32 rows, in file order.</summary>
    public static CellRow[] Fixture()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "features.csv");
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        int first = Array.IndexOf(header, "error") + 1;
        return lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).Select(p => new CellRow
        {
            LabelText = p[Array.IndexOf(header, "label")],
            Features = p.Skip(first).Select(v => (float)double.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
        }).ToArray();
    }

    /// <summary>Gaussian blobs: <paramref name="classes"/> classes of <paramref name="perClass"/> rows, seeded.</summary>
    public static CellRow[] Blobs(int classes, int perClass, int features, int seed)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, features).Select(_ => random.NextDouble() * 10).ToArray()).ToArray();
        var rows = new List<CellRow>();
        for (int i = 0; i < perClass; i++)
        {
            for (int c = 0; c < classes; c++)
            {
                rows.Add(new CellRow
                {
                    LabelText = "class" + c.ToString("00", CultureInfo.InvariantCulture),
                    Features = centres[c].Select(m => (float)(m + Gaussian(random) * 0.8)).ToArray(),
                });
            }
        }

        return [.. rows];
    }

    public static IDataView Load(MLContext ml, IReadOnlyList<CellRow> rows)
    {
        var schema = SchemaDefinition.Create(typeof(CellRow));
        schema[nameof(CellRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows[0].Features.Length);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>The core's view of the same rows: float32 values widened to float64.</summary>
    public static LabelledFeatures Core(IReadOnlyList<CellRow> rows)
    {
        int n = rows[0].Features.Length;
        return new LabelledFeatures(
            Enumerable.Range(0, n).Select(i => "f" + i.ToString(CultureInfo.InvariantCulture)).ToArray(),
            rows.Select(r => r.Features.Select(v => (double)v).ToArray()).ToArray(),
            rows.Select(r => r.LabelText).ToArray(),
            rows.Select(_ => string.Empty).ToArray());
    }

    /// <summary>Predicted names and scores of a fitted chain.</summary>
    public static CellPrediction[] Predict(MLContext ml, ITransformer model, IDataView data)
    {
        var scored = model.Transform(data);
        var named = ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel").Fit(scored).Transform(scored);
        return ml.Data.CreateEnumerable<CellPrediction>(named, reuseRowObject: false).ToArray();
    }

    /// <summary>Writes rows as the load-check helper reads them (round-trip floats).</summary>
    public static void WriteCsv(string path, IReadOnlyList<CellRow> rows) =>
        File.WriteAllLines(path, [
            "label," + string.Join(',', Enumerable.Range(0, rows[0].Features.Length).Select(i => "f" + i.ToString(CultureInfo.InvariantCulture))),
            .. rows.Select(r => r.LabelText + "," + string.Join(',', r.Features.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))),
        ]);

    /// <summary>Runs the load-check helper in another process: loads the zip and predicts the rows.</summary>
    public static CellPrediction[] PredictInAnotherProcess(string modelZip, IReadOnlyList<CellRow> rows)
    {
        string folder = Path.GetDirectoryName(modelZip)!;
        string csv = Path.Combine(folder, "rows.csv");
        string output = Path.Combine(folder, "predictions.tsv");
        WriteCsv(csv, rows);

        RunLoadCheck(modelZip, csv, output);
        return File.ReadAllLines(output).Select(l => l.Split('\t')).Select(p => new CellPrediction
        {
            PredictedName = p[0],
            Score = p.Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
        }).ToArray();
    }

    /// <summary>Runs the load-check helper (a fresh process, so a fresh MLContext and nothing registered) with these arguments.</summary>
    public static void RunLoadCheck(params string[] arguments)
    {
        // tests/<this project>/bin/<configuration>/<tfm>/ → tests/Raabin.Features.ML.LoadCheck/bin/<configuration>/<tfm>/
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = bin.Name;
        string configuration = bin.Parent!.Name;
        string tests = bin.Parent.Parent!.Parent!.Parent!.FullName;
        string helper = Path.Combine(tests, "Raabin.Features.ML.LoadCheck", "bin", configuration, tfm, "Raabin.Features.ML.LoadCheck.dll");
        Assert.True(File.Exists(helper), $"the load-check helper is not built: {helper}");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in arguments.Prepend(helper))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        stdout.Wait();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"the load-check process failed ({process.ExitCode}): {stderr}");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>A temporary folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("raabin-ml-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
