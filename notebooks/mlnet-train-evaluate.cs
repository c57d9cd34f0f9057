#:project ../src/Raabin.Features.ML/Raabin.Features.ML.csproj
#:property PublishAot=false

// The kernel SVM inside an ML.NET pipeline, as an ML.NET user would copy it: measure a dataset folder with the
// toolkit, train, evaluate, save, load in a fresh MLContext, predict.
// Run from the repository root: dotnet run notebooks/mlnet-train-evaluate.cs [DATASET_FOLDER]   (default: samples/pbc)
using Microsoft.ML;
using Raabin.Features.Datasets;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.ML;

string folder = args.Length > 0 ? args[0] : "samples/pbc";
var dataset = Dataset.Open(folder);
var table = FeatureBatch.Measure(CellPipeline.Reference(), dataset, dataset.Items);   // the published 51 features
Console.WriteLine($"{dataset.Name}: {table.Rows.Count(r => r.IsOk)} cells measured, {table.FeatureIds.Count} features");

var ml = new MLContext(seed: 1);
IDataView data = ml.ToDataView(table);   // Path, Label, ..., Features (slot names = feature ids)
var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 1);

var pipeline = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label")   // the class name stays readable in "Label"
    .Append(ml.MulticlassClassification.Trainers.KernelSvm(new KernelSvmOptions
    {
        LabelColumnName = "LabelKey", Kernel = KernelKind.Rbf, C = 10, Normalizer = NormalizerKind.ZScore,
    }))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel"));
ITransformer model = pipeline.Fit(split.TrainSet);

var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet), labelColumnName: "LabelKey");
Console.WriteLine($"held-out accuracy {metrics.MicroAccuracy:F3}, macro accuracy {metrics.MacroAccuracy:F3}");

string zip = Path.Combine(Path.GetTempPath(), "raabin-mlnet-example.zip");
ml.Model.Save(model, split.TrainSet.Schema, zip);
var other = new MLContext();   // as in another process
other.RegisterKernelSvm();     // ML.NET finds the SVM's mappings only in registered assemblies
ITransformer loaded = other.Model.Load(zip, out _);
File.Delete(zip);

foreach (var cell in other.Data.CreateEnumerable<Predicted>(loaded.Transform(split.TestSet), reuseRowObject: false).Take(5))
{
    Console.WriteLine($"{cell.Path}: {cell.Label} -> {cell.PredictedName}");
}

internal sealed class Predicted
{
    public string Path { get; set; } = "";

    public string Label { get; set; } = "";

    public string PredictedName { get; set; } = "";
}
