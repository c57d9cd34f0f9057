using Microsoft.ML;
using Microsoft.ML.Data;
using Raabin.Features.Measurement;

namespace Raabin.Features.ML.Tests;

public sealed class ReadmeTests
{
    [Fact]
    public void Readme_mlnet_example_runs_as_printed()
    {
        using var tmp = new TempFolder();
        string csv = Path.Combine(tmp.Path, "pbc.csv");
        string zip = Path.Combine(tmp.Path, "pbc-svm.zip");
        var pbc = Raabin.Features.Datasets.Dataset.Open(Path.Combine(AppContext.BaseDirectory, "samples", "pbc"));
        FeatureBatch.Measure(CellPipeline.Reference(), pbc, pbc.Items).Save(csv);
        var output = new StringWriter();

        // README:begin (the README's lines with "pbc.csv" → csv, "pbc-svm.zip" → zip, Console → output)
        var mlContext = new MLContext(seed: 1);
        var table = FeatureTable.Load(csv);   // written by `raabin features`
        var cells = table.Rows.Where(r => r.IsOk).Select(r => new Cell { Label = r.Label, Features = r.Values.Select(v => (float)v).ToArray() }).ToArray();
        var schema = SchemaDefinition.Create(typeof(Cell));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, table.FeatureIds.Count);
        IDataView data = mlContext.Data.LoadFromEnumerable(cells, schema);

        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.KernelSvm(new KernelSvmOptions { ClassWeights = { ["neutrophil"] = 10 } }))
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel"));
        ITransformer model = pipeline.Fit(data);
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(data));
        output.WriteLine($"training-set accuracy {metrics.MicroAccuracy:F3}");   // training-set accuracy 1.000
        mlContext.Model.Save(model, data.Schema, zip);

        var other = new MLContext();   // as in a new process
        other.RegisterKernelSvm();     // ML.NET finds the SVM's mappings only in registered assemblies
        ITransformer loaded = other.Model.Load(zip, out _);
        var engine = other.Model.CreatePredictionEngine<Cell, CellPrediction>(loaded, inputSchemaDefinition: schema);
        output.WriteLine(engine.Predict(cells[0]).PredictedName);   // basophil
        // README:end

        Assert.Equal(["training-set accuracy 1.000", "basophil"], output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()));
        Assert.Equal(ReadmeLines(), TestLines());
    }

    // README:classes
    public sealed class Cell { public string Label { get; set; } = ""; public float[] Features { get; set; } = []; }
    public sealed class CellPrediction { public string PredictedName { get; set; } = ""; public float[] Score { get; set; } = []; }
    // README:classes-end

    private static string[] ReadmeLines()
    {
        string readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        int section = readme.IndexOf("## ML.NET", StringComparison.Ordinal);
        int start = readme.IndexOf("```csharp", section, StringComparison.Ordinal) + "```csharp".Length;
        int end = readme.IndexOf("```", start, StringComparison.Ordinal);
        return Normalise(readme[start..end].Split('\n').Where(l => !l.StartsWith("using ", StringComparison.Ordinal)))
            .Select(l => l.Replace("\"pbc.csv\"", "csv", StringComparison.Ordinal).Replace("\"pbc-svm.zip\"", "zip", StringComparison.Ordinal)
                .Replace("Console.WriteLine", "output.WriteLine", StringComparison.Ordinal))
            .ToArray();
    }

    private static string[] TestLines()
    {
        var source = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "ReadmeTests.cs"));
        IEnumerable<string> Between(string from, string to) =>
            source.SkipWhile(l => !l.Trim().StartsWith(from, StringComparison.Ordinal)).Skip(1).TakeWhile(l => !l.Trim().StartsWith(to, StringComparison.Ordinal));
        return Normalise(Between("// README:begin", "// README:end").Concat(Between("// README:classes", "// README:classes-end"))).ToArray();
    }

    private static IEnumerable<string> Normalise(IEnumerable<string> lines) => lines.Select(l => l.Trim()).Where(l => l.Length > 0);
}
