// Usage: Raabin.Features.ML.LoadCheck <model.zip> <rows.csv> <out.tsv>
//   rows.csv: "label,f0,f1,..." with a header line, floats in round-trip form. Writes one line per row:
//   "<predicted label>\t<score 0>\t<score 1>..." with scores in round-trip form.
// Usage: Raabin.Features.ML.LoadCheck --cells <model.zip> <rows.tsv> <out.tsv>
//   rows.tsv: "<image path>\t<label>" per line (columns ImagePath, Label), for a model that starts with MeasureCells.
//   Writes a first line "slots\t<slot name 0>\t..." (the Features column's slot names), then one line per row:
//   "<status>\t<error>\t<predicted label, or empty without a classifier>\t<feature 0>\t..." in round-trip form.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Raabin.Features.ML;

bool cells = args.Length == 4 && args[0] == "--cells";
if (args.Length != 3 && !cells)
{
    Console.Error.WriteLine("usage: Raabin.Features.ML.LoadCheck [--cells] <model.zip> <rows> <out.tsv>");
    return 2;
}

if (cells)
{
    args = args[1..];
}

var mlContext = new MLContext(seed: 0);
if (cells)
{
    mlContext.RegisterMeasureCells();
}
else
{
    mlContext.RegisterKernelSvm();
}

ITransformer model = mlContext.Model.Load(args[0], out _);
using var output = new StreamWriter(args[2]);
if (cells)
{
    var imageRows = File.ReadAllLines(args[1]).Where(l => l.Length > 0).Select(l => l.Split('\t'))
        .Select(p => new LoadCheckCellRow { ImagePath = p[0], Label = p[1] }).ToArray();
    var measured = model.Transform(mlContext.Data.LoadFromEnumerable(imageRows));
    var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
    measured.Schema["Features"].GetSlotNames(ref slotNames);
    output.WriteLine(string.Join('\t', ["slots", .. slotNames.DenseValues().Select(s => s.ToString())]));
    bool classified = measured.Schema.GetColumnOrNull("PredictedLabel") is not null;
    var withNames = classified ? mlContext.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel").Fit(measured).Transform(measured) : measured;
    var predicted = classified ? withNames.GetColumn<string>("PredictedName").ToArray() : new string[imageRows.Length];
    int i = 0;
    foreach (var c in mlContext.Data.CreateEnumerable<LoadCheckCell>(withNames, reuseRowObject: false))
    {
        // Messages may hold tabs or line breaks; the test compares them with the same replaced by spaces.
        string error = c.Error.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
        output.WriteLine(string.Join('\t', [c.Status, error, predicted[i++] ?? string.Empty, .. c.Features.Select(v => v.ToString("R", CultureInfo.InvariantCulture))]));
    }

    return 0;
}

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

public sealed class LoadCheckCellRow
{
    public string ImagePath { get; set; } = string.Empty;

    public string Label { get; set; } = string.Empty;
}

public sealed class LoadCheckCell
{
    public string Status { get; set; } = string.Empty;

    public string Error { get; set; } = string.Empty;

    public float[] Features { get; set; } = [];
}
