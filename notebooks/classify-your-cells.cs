#:project ../src/Raabin.Features/Raabin.Features.csproj
#:property PublishAot=false

// Classify the cells of one slide and read its differential count.
// Run from the repository root: dotnet run notebooks/classify-your-cells.cs [FOLDER_OF_CROPS] [MODEL]
//   (defaults: the shipped pbc sample images, the shipped reference model)
using Raabin.Features.Evaluation;
using Raabin.Features.Pipeline;

string folder = args.Length > 0 ? args[0] : "samples/pbc/images";
string modelPath = args.Length > 1 ? args[1] : "models/reference-pbc.model.json";
var model = PipelineModel.Load(modelPath);

// Every image under the folder, in name order; each is decoded, segmented and measured with the model's own steps.
var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
    .Where(f => Raabin.Features.Datasets.Dataset.ImageExtensions.Contains(Path.GetExtension(f)))
    .Order(StringComparer.Ordinal)
    .ToList();
var cells = files.Select(model.Predict).ToList();
foreach (var cell in cells.Take(5))
{
    Console.WriteLine($"{Path.GetFileName(cell.Path)}: {cell.Prediction?.Label ?? cell.Status} p={cell.Prediction?.Probability:F2}");
}

// The differential: how many of the classified cells each class has, with a 95 % interval for the share.
var differential = DifferentialCount.Of(model.Classes, cells.Select(c => c.Prediction?.Label));
Console.WriteLine($"{differential.Classified} cells classified, {differential.NotClassified} not");
foreach (var row in differential.Classes)
{
    Console.WriteLine($"{row.Class,-12} {row.Count,4} {100 * row.Fraction,6:F1} % [{100 * row.Lower:F1}, {100 * row.Upper:F1}]");
}
