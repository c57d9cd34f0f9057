#:project ../src/Raabin.Features/Raabin.Features.csproj
#:property PublishAot=false

// Why did this cell get its label? The features that moved it, the nearest training cells, what would flip it.
// Run from the repository root: dotnet run notebooks/explain-one-cell.cs [IMAGE] [MODEL]
//   (defaults: a shipped eosinophil, the shipped robust model)
using Raabin.Features.Explanations;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

string image = args.Length > 0 ? args[0] : "samples/pbc/images/eosinophil/EO_341474.jpg";
string modelPath = args.Length > 1 ? args[1] : "models/robust-pbc.model.json";
var model = PipelineModel.Load(modelPath);

// Measure the cell with the model's own segmenter and extractor, and keep the features the classifier reads.
var cell = model.Predict(image);
if (cell.Prediction is null)
{
    Console.WriteLine($"{image}: not classified ({cell.Status}: {cell.Error})");
    return;
}

var byId = model.ExtractorFeatureIds.Select((id, i) => (id, value: cell.Features.Values[i])).ToDictionary(p => p.id, p => p.value);
CellExplanation why = new CellExplainer(model).Explain(byId);
Console.WriteLine($"{Path.GetFileName(image)}: {why.PredictedClass} rather than {why.RunnerUpClass}");
foreach (var f in why.Features.Take(5))
{
    var definition = FeatureCatalog.Find(f.FeatureId)!;
    Console.WriteLine($"  {f.FeatureId} ({definition.Group}) = {f.Value:G4} {f.Unit}: {Signed(f.DeviationFromPredicted)} SD from {why.PredictedClass}, " +
        $"{Signed(f.DeviationFromRunnerUp)} SD from {why.RunnerUpClass}");
}

Console.WriteLine($"  nearest training cell of {why.PredictedClass}: distance {why.NearestPredicted[0].Distance:F2}; of {why.RunnerUpClass}: {why.NearestRunnerUp[0].Distance:F2}");
Console.WriteLine($"  to flip the label: {why.CounterfactualText}");

// A deviation with its sign, one decimal (a value that rounds to zero is written 0.0, not -0.0).
static string Signed(double d)
{
    double r = Math.Round(d, 1);
    return (r == 0 ? 0 : r).ToString("+0.0;-0.0;0.0", System.Globalization.CultureInfo.InvariantCulture);
}
