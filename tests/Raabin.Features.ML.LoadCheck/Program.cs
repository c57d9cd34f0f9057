// Usage: Raabin.Features.ML.LoadCheck <model.zip> <rows.csv> <out.tsv>
// rows.csv: "label,f0,f1,..." with a header line, floats in round-trip form. Writes one line per row:
// "<predicted label>\t<score 0>\t<score 1>..." with scores in round-trip form.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Raabin.Features.ML;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Raabin.Features.ML.LoadCheck <model.zip> <rows.csv> <out.tsv>");
    return 2;
}

var mlContext = new MLContext(seed: 0);
mlContext.RegisterKernelSvm();
ITransformer model = mlContext.Model.Load(args[0], out _);

var lines = File.ReadAllLines(args[1]).Skip(1).Where(l => l.Length > 0).ToArray();
var rows = lines.Select(l => l.Split(',')).Select(p => new LoadCheckRow
{
    LabelText = p[0],
    Features = p.Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray(),
}).ToArray();
var schema = SchemaDefinition.Create(typeof(LoadCheckRow));
schema[nameof(LoadCheckRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows[0].Features.Length);
var data = mlContext.Data.LoadFromEnumerable(rows, schema);

var scored = model.Transform(data);
var named = mlContext.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel").Fit(scored).Transform(scored);
using var output = new StreamWriter(args[2]);
foreach (var p in mlContext.Data.CreateEnumerable<LoadCheckPrediction>(named, reuseRowObject: false))
{
    output.WriteLine(string.Join('\t', [p.PredictedName, .. p.Score.Select(s => s.ToString("R", CultureInfo.InvariantCulture))]));
}

return 0;

public sealed class LoadCheckRow
{
    public string LabelText { get; set; } = string.Empty;

    public float[] Features { get; set; } = [];
}

public sealed class LoadCheckPrediction
{
    public string PredictedName { get; set; } = string.Empty;

    public float[] Score { get; set; } = [];
}
