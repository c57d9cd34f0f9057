using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.ML;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Bench;

/// <summary>
/// <c>mlnet-parity</c>: the published classifier's settings trained on the reference features of pbc train
/// (<c>../shared/reference/features/pbc.csv</c> joined to the pbc manifest), once by the core and once through ML.NET's
/// <c>KernelSvm</c> trainer on the same float32-rounded values; then, on pbc test: predictions compared row by row, ML.NET
/// <c>Evaluate</c>'s accuracy next to the core's, the model saved and loaded in a fresh <c>MLContext</c>, and the
/// prediction rate of each path (rows/s; best of 5 passes).
/// </summary>
public static class MlNetParity
{
    public static int Run(string[] args)
    {
        string shared = EndToEnd.SharedRoot();
        var all = FeatureBatch.JoinManifest(FeatureTable.Load(Path.Combine(shared, "reference", "features", "pbc.csv")),
            Path.Combine(shared, "datasets", "pbc", "manifest.csv"));
        var ml = new MLContext(seed: 1);

        // Both paths see the same float32-rounded values (ML.NET's columns are float32).
        var train = ml.ToDataView(FeatureBatch.InSplit(all, "train")).ToFeatureTable(provenance: FeatureProvenance.Reference, source: "pbc train");
        var test = ml.ToDataView(FeatureBatch.InSplit(all, "test")).ToFeatureTable(provenance: FeatureProvenance.Reference, source: "pbc test");
        var options = new KernelSvmOptions { ClassWeights = { ["neutrophil"] = 10 } };

        var watch = Stopwatch.StartNew();
        var core = new PipelineTrainer(new PipelineTrainerOptions { Classifier = options.ToCoreOptions() }).Fit(train);
        double coreTrain = watch.Elapsed.TotalSeconds;
        var trainView = ml.ToDataView(train);
        watch.Restart();
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.KernelSvm(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel"))
            .Fit(trainView);
        double mlTrain = watch.Elapsed.TotalSeconds;

        var testView = ml.ToDataView(test);
        var binding = core.Bind(test);
        var corePredictions = test.Rows.Select(r => core.Classify(r, binding).Prediction!.Label).ToList();
        var mlPredictions = Names(ml, model.Transform(testView));
        int equal = corePredictions.Zip(mlPredictions).Count(p => p.First == p.Second);
        double coreAccuracy = test.Rows.Zip(corePredictions).Count(p => p.First.Label == p.Second) / (double)test.Rows.Count;
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(testView));

        string zip = Path.Combine(Path.GetTempPath(), $"raabin-mlnet-parity-{Environment.ProcessId}.zip");
        ml.Model.Save(model, trainView.Schema, zip);
        var fresh = new MLContext();
        fresh.RegisterKernelSvm();
        var loaded = fresh.Model.Load(zip, out _);
        File.Delete(zip);
        var reloaded = Names(fresh, loaded.Transform(testView));
        int sameAfterLoad = reloaded.Zip(mlPredictions).Count(p => p.First == p.Second);

        double coreRate = Rate(test.Rows.Count, () =>
        {
            foreach (var row in test.Rows)
            {
                _ = core.Classify(row, binding);
            }
        });
        double mlRate = Rate(test.Rows.Count, () => Names(ml, model.Transform(testView)));

        Console.WriteLine($"pbc train {train.Rows.Count} rows, pbc test {test.Rows.Count} rows, {train.FeatureIds.Count} features (float32-rounded), published settings");
        Console.WriteLine($"training: core {coreTrain:F2} s, ML.NET KernelSvm {mlTrain:F2} s");
        Console.WriteLine($"predictions equal (core vs ML.NET): {equal} of {test.Rows.Count}; after save and load in a fresh MLContext: {sameAfterLoad} of {test.Rows.Count}");
        Console.WriteLine($"accuracy: core {coreAccuracy:F6}, ML.NET Evaluate MicroAccuracy {metrics.MicroAccuracy:F6}, MacroAccuracy {metrics.MacroAccuracy:F6}");
        Console.WriteLine($"prediction rate on {test.Rows.Count} rows (best of 5): core {coreRate:F0} rows/s, ML.NET {mlRate:F0} rows/s");
        return equal == test.Rows.Count && sameAfterLoad == test.Rows.Count ? 0 : 1;
    }

    private static List<string> Names(MLContext ml, IDataView scored) =>
        ml.Data.CreateEnumerable<Named>(scored, reuseRowObject: false).Select(n => n.PredictedName).ToList();

    private static double Rate(int rows, Action pass)
    {
        double best = double.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            pass();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }

        return rows / best;
    }

    private sealed class Named
    {
        public string PredictedName { get; set; } = string.Empty;
    }
}
