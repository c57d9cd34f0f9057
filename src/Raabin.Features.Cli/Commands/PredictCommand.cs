using System.CommandLine;
using Raabin.Features.Measurement;
using Raabin.Features.IO;
using Raabin.Features.Learning;

namespace Raabin.Features.Cli.Commands;

/// <summary><c>raabin predict --model FILE INPUT... --out FILE.csv</c>: one prediction per image.</summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs") { Arity = ArgumentArity.OneOrMore, Description = "A dataset folder, image files, or a feature CSV." };
        var model = new Option<string>("--model", "-m") { Required = true, Description = "A model written by `raabin train`." };
        var output = new Option<string>("--out", "-o") { Required = true, Description = "Output CSV: path,label,pred,status, then p_<class> per class, then error." };
        var split = new Option<string?>("--split") { Description = "Only rows of this split." };
        var manifest = new Option<string?>("--manifest") { Description = "A manifest.csv joined to a feature CSV by path (split, domain)." };
        var jobs = new Option<int>("--jobs", "-j") { Description = "Parallel workers (default: all cores)." };
        var command = new Command("predict", "Classify cells with a trained model.") { inputs, model, output, split, manifest, jobs };
        command.SetAction(parse =>
        {
            try
            {
                var classifier = ClassifierModel.Load(parse.GetValue(model)!);
                var pipeline = new CellPipeline(PipelineOptions.CreateSegmenter(classifier.Segmenter), new ReferenceFeatureExtractor());
                var (rows, _, _) = FeatureInput.Load(parse.GetValue(inputs)!, parse.GetValue(split), parse.GetValue(manifest), pipeline, classifier.FeatureIds, parse.GetValue(jobs));
                string path = parse.GetValue(output)!;
                CliOutput.EnsureParent(path);
                var predictions = Predict(classifier, rows);
                Write(path, classifier, predictions);
                int ok = predictions.Count(p => p.Prediction is not null);
                Console.Error.WriteLine($"{ok} of {predictions.Count} cells classified -> {path}");
                return CliOutput.Success;
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or CsvFormatException)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }
        });
        return command;
    }

    /// <summary>A row with its prediction, or the reason there is none.</summary>
    internal sealed record Predicted(FeatureRow Row, ClassifierPrediction? Prediction, string Status, string? Error);

    internal static List<Predicted> Predict(ClassifierModel model, IReadOnlyList<FeatureRow> rows)
    {
        var result = new List<Predicted>(rows.Count);
        foreach (var row in rows)
        {
            if (!row.IsOk)
            {
                result.Add(new Predicted(row, null, row.Status, row.Error));
                continue;
            }

            if (!row.Values.All(double.IsFinite))
            {
                result.Add(new Predicted(row, null, "invalid_features", "a feature value is not finite"));
                continue;
            }

            result.Add(new Predicted(row, model.Predict(row.Values), CellStatus.Ok, null));
        }

        return result;
    }

    internal static void Write(string path, ClassifierModel model, IReadOnlyList<Predicted> predictions)
    {
        using var writer = new CsvWriter(path);
        writer.Row(new[] { "path", "label", "pred", "status" }.Concat(model.Classes.Select(c => "p_" + c)).Append("error"));
        foreach (var p in predictions)
        {
            writer.Field(p.Row.Path).Field(p.Row.Label).Field(p.Prediction?.Label ?? string.Empty).Field(p.Status);
            for (int c = 0; c < model.Classes.Count; c++)
            {
                writer.Field(p.Prediction?.Probabilities is { } probs ? probs[c] : double.NaN);
            }

            writer.Field(p.Error).EndRow();
        }

        writer.Commit();
    }
}
