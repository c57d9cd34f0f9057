#:project ../src/Raabin.Features.ML/Raabin.Features.ML.csproj
#:property PublishAot=false

// Cell measurement and the kernel SVM inside an ML.NET pipeline, as an ML.NET user would copy it: image paths in,
// measure, train, evaluate, save the whole pipeline (image path -> label), load it in a fresh MLContext, predict.
// Run from the repository root: dotnet run notebooks/mlnet-train-evaluate.cs [DATASET_FOLDER]   (default: samples/pbc)
using Microsoft.ML;
using Microsoft.ML.Data;
using Raabin.Features.Datasets;
using Raabin.Features.Learning;
using Raabin.Features.ML;

string folder = args.Length > 0 ? args[0] : "samples/pbc";
var dataset = Dataset.Open(folder);
var ml = new MLContext(seed: 1);
IDataView images = ml.Data.LoadFromEnumerable(dataset.Items.Select(i => new Image { ImagePath = i.Path, Label = i.Label }));

// Decode, segment, measure (the published 51 features); an image that fails gets NaN features and a Status saying why.
var measure = ml.Transforms.MeasureCells(new MeasureCellsOptions { ImageFolder = dataset.Root }).Fit(images);   // reads no rows
IDataView measured = ml.Data.FilterRowsByMissingValues(measure.Transform(images), "Features");   // drops the failed images
IDataView cells = ml.Data.Cache(measured, "ImagePath", "Label", "Features", "Status");   // measured once, then kept
int count = cells.GetColumn<string>("Status").Count(), width = ((VectorDataViewType)cells.Schema["Features"].Type).Size;
Console.WriteLine($"{dataset.Name}: {count} cells measured, {width} features");
var split = ml.Data.TrainTestSplit(cells, testFraction: 0.3, seed: 1);

var pipeline = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label")   // the class name stays readable in "Label"
    .Append(ml.MulticlassClassification.Trainers.KernelSvm(new KernelSvmOptions
    {
        LabelColumnName = "LabelKey", Kernel = KernelKind.Rbf, C = 10, Normalizer = NormalizerKind.ZScore,
    }))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel"));
var classifier = pipeline.Fit(split.TrainSet);

var metrics = ml.MulticlassClassification.Evaluate(classifier.Transform(split.TestSet), labelColumnName: "LabelKey");
Console.WriteLine($"held-out accuracy {metrics.MicroAccuracy:F3}, macro accuracy {metrics.MacroAccuracy:F3}");

string zip = Path.Combine(Path.GetTempPath(), "raabin-mlnet-example.zip");
ml.Model.Save(measure.Append(classifier), images.Schema, zip);   // the whole pipeline: image path -> label
var other = new MLContext();   // as in another process
other.RegisterMeasureCells();  // ML.NET finds custom mappings only in registered assemblies (this one also has the SVM's)
ITransformer loaded = other.Model.Load(zip, out _);
File.Delete(zip);

foreach (var cell in other.Data.CreateEnumerable<Predicted>(loaded.Transform(split.TestSet), reuseRowObject: false).Take(5))
{
    Console.WriteLine($"{cell.ImagePath}: {cell.Label} -> {cell.PredictedName}");
}

internal sealed class Image
{
    public string ImagePath { get; set; } = "";

    public string Label { get; set; } = "";
}

internal sealed class Predicted
{
    public string ImagePath { get; set; } = "";

    public string Label { get; set; } = "";

    public string PredictedName { get; set; } = "";
}
