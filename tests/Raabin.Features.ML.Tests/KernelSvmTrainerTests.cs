using Microsoft.ML;
using Microsoft.ML.Data;
using Raabin.Features.Learning;

namespace Raabin.Features.ML.Tests;

public sealed class KernelSvmTrainerTests
{
    private sealed class NameRow
    {
        public string Name { get; set; } = string.Empty;
    }

    // The label key in reversed name order, so key order differs from the core's ordinal class order.
    private static IEstimator<ITransformer> Pipeline(MLContext ml, IEnumerable<CellRow> rows, KernelSvmOptions options)
    {
        var names = rows.Select(r => r.LabelText).Distinct().Order(StringComparer.Ordinal).Reverse().Select(n => new NameRow { Name = n });
        return ml.Transforms.Conversion.MapValueToKey("Label", nameof(CellRow.LabelText), keyData: ml.Data.LoadFromEnumerable(names))
            .Append(ml.MulticlassClassification.Trainers.KernelSvm(options));
    }

    private static (CellRow[] Train, CellRow[] Test) SplitFixture()
    {
        var rows = TestData.Fixture();
        return (rows.Where((_, i) => i % 2 == 0).ToArray(), rows.Where((_, i) => i % 2 == 1).ToArray());
    }

    /// <summary>Score as the adapter defines it, from the core prediction: votes or probabilities, the chosen class raised past ties.</summary>
    private static float[] ExpectedScore(ClassifierPrediction p, IReadOnlyList<string> coreClasses, IReadOnlyList<string> keyClasses, DecisionRule rule)
    {
        var score = keyClasses.Select(name =>
        {
            int c = coreClasses.ToList().IndexOf(name);
            return c < 0 ? 0f : rule == DecisionRule.Probability ? (float)p.Probabilities![c] : p.Votes[c];
        }).ToArray();
        int chosen = keyClasses.ToList().IndexOf(p.Label);
        float best = score.Where((_, j) => j != chosen).Max();
        if (best >= score[chosen])
        {
            score[chosen] = MathF.BitIncrement(best);
        }

        return score;
    }

    [Theory]
    [InlineData(DecisionRule.Vote, KernelKind.Polynomial)]
    [InlineData(DecisionRule.Probability, KernelKind.Polynomial)]
    [InlineData(DecisionRule.Vote, KernelKind.Rbf)]
    [InlineData(DecisionRule.Vote, KernelKind.Linear)]
    [InlineData(DecisionRule.Probability, KernelKind.Sigmoid)]
    public void Predictions_equal_the_core_models_on_the_same_float32_values(DecisionRule rule, KernelKind kernel)
    {
        var (train, test) = SplitFixture();
        var options = new KernelSvmOptions { DecisionRule = rule, Kernel = kernel, ClassWeights = { ["neutrophil"] = 10 } };
        var ml = new MLContext(seed: 0);
        var model = Pipeline(ml, train, options).Fit(TestData.Load(ml, train));
        var predictions = TestData.Predict(ml, model, TestData.Load(ml, test));

        var core = new SvmClassifierTrainer(options.ToCoreOptions()).Fit(TestData.Core(train));
        var keyClasses = train.Select(r => r.LabelText).Distinct().Order(StringComparer.Ordinal).Reverse().ToArray();
        var coreTest = TestData.Core(test);
        Assert.Equal(test.Length, predictions.Length);
        for (int i = 0; i < test.Length; i++)
        {
            var expected = core.Predict(coreTest.Rows[i]);
            Assert.Equal(expected.Label, predictions[i].PredictedName);
            Assert.Equal(ExpectedScore(expected, core.Classes, keyClasses, rule), predictions[i].Score);
        }
    }

    [Fact]
    public void The_trained_model_is_the_core_models_bit_for_bit()
    {
        var (train, _) = SplitFixture();
        var estimator = new MLContext(seed: 0).MulticlassClassification.Trainers.KernelSvm();
        var ml = new MLContext(seed: 0);
        ml.Transforms.Conversion.MapValueToKey("Label", nameof(CellRow.LabelText)).Append(estimator).Fit(TestData.Load(ml, train));

        var core = new SvmClassifierTrainer(new KernelSvmOptions().ToCoreOptions()).Fit(TestData.Core(train));
        var keyOrder = train.Select(r => r.LabelText).Distinct().ToArray(); // MapValueToKey's default: order of occurrence
        Assert.Equal(KernelSvmModelText.Write(core, keyOrder), KernelSvmModelText.Write(estimator.LastModel!, keyOrder));
    }

    [Fact]
    public void Model_text_round_trips_every_double()
    {
        var (train, test) = SplitFixture();
        var core = new SvmClassifierTrainer(new SvmClassifierOptions { Probability = true }).Fit(TestData.Core(train));
        string text = KernelSvmModelText.Write(core, core.Classes);
        var (read, keyClasses) = KernelSvmModelText.Read(text);
        Assert.Equal(core.Classes, keyClasses);
        Assert.Equal(text, KernelSvmModelText.Write(read, keyClasses));
        foreach (var row in TestData.Core(test).Rows)
        {
            var a = core.Predict(row);
            var b = read.Predict(row);
            Assert.Equal(a.DecisionValues, b.DecisionValues);
            Assert.Equal(a.Probabilities, b.Probabilities);
        }

        Assert.Throws<InvalidDataException>(() => KernelSvmModelText.Read(text.Replace("\"Rho\":[", "\"Rho\":[1,", StringComparison.Ordinal)));
    }

    [Fact]
    public void Evaluate_accuracy_equals_the_accuracy_of_the_core_predictions()
    {
        var (train, test) = SplitFixture();
        var options = new KernelSvmOptions { Kernel = KernelKind.Rbf, C = 0.5 };
        var ml = new MLContext(seed: 0);
        var model = Pipeline(ml, train, options).Fit(TestData.Load(ml, train));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(TestData.Load(ml, test)));

        var core = new SvmClassifierTrainer(options.ToCoreOptions()).Fit(TestData.Core(train));
        var coreTest = TestData.Core(test);
        var correct = coreTest.Rows.Select((row, i) => core.Predict(row).Label == coreTest.Labels[i]).ToArray();
        double micro = correct.Count(c => c) / (double)correct.Length;
        double macro = coreTest.Labels.Distinct().Average(label =>
            Enumerable.Range(0, correct.Length).Where(i => coreTest.Labels[i] == label).Average(i => correct[i] ? 1.0 : 0.0));
        Assert.True(micro < 1, "the test split should have errors, else the comparison shows little");
        Assert.Equal(micro, metrics.MicroAccuracy, 12);
        Assert.Equal(macro, metrics.MacroAccuracy, 12);
        Assert.Equal(5, metrics.ConfusionMatrix.NumberOfClasses);
    }

    [Fact]
    public void Prediction_engine_gives_the_key_and_the_score()
    {
        var (train, test) = SplitFixture();
        var ml = new MLContext(seed: 0);
        var model = ml.Transforms.Conversion.MapValueToKey("Label", nameof(CellRow.LabelText))
            .Append(ml.MulticlassClassification.Trainers.KernelSvm())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel"))
            .Fit(TestData.Load(ml, train));
        var engine = ml.Model.CreatePredictionEngine<CellRow, CellPrediction>(model, inputSchemaDefinition: SchemaFor(test));
        var batch = ml.Data.CreateEnumerable<CellPrediction>(model.Transform(TestData.Load(ml, test)), reuseRowObject: false).ToArray();
        for (int i = 0; i < test.Length; i++)
        {
            var single = engine.Predict(test[i]);
            Assert.Equal(batch[i].PredictedName, single.PredictedName);
            Assert.Equal(batch[i].Score, single.Score);
            Assert.Equal(5, single.Score.Length);
        }
    }

    [Fact]
    public void Save_and_load_in_another_process_give_identical_predictions()
    {
        var (train, test) = SplitFixture();
        var ml = new MLContext(seed: 0);
        var data = TestData.Load(ml, train);
        var model = Pipeline(ml, train, new KernelSvmOptions { DecisionRule = DecisionRule.Probability }).Fit(data);
        using var tmp = new TempFolder();
        string zip = Path.Combine(tmp.Path, "model.zip");
        ml.Model.Save(model, data.Schema, zip);

        var here = TestData.Predict(ml, model, TestData.Load(ml, test));
        var there = TestData.PredictInAnotherProcess(zip, test);
        Assert.Equal(here.Select(p => p.PredictedName), there.Select(p => p.PredictedName));
        Assert.Equal(here.Select(p => p.Score), there.Select(p => p.Score));
    }

    [Fact]
    public void Eighteen_classes_work_end_to_end_including_save_and_load_in_another_process()
    {
        var rows = TestData.Blobs(classes: 18, perClass: 12, features: 6, seed: 7);
        // Rows come class by class within each round; every third round is the test set.
        var train = rows.Where((_, i) => i / 18 % 3 != 0).ToArray();
        var test = rows.Where((_, i) => i / 18 % 3 == 0).ToArray();
        var options = new KernelSvmOptions { Kernel = KernelKind.Rbf, Normalizer = NormalizerKind.ZScore, C = 2, DecisionRule = DecisionRule.Probability };
        var ml = new MLContext(seed: 0);
        var data = TestData.Load(ml, train);
        var model = Pipeline(ml, train, options).Fit(data);

        var here = TestData.Predict(ml, model, TestData.Load(ml, test));
        Assert.All(here, p => Assert.Equal(18, p.Score.Length));
        var core = new SvmClassifierTrainer(options.ToCoreOptions()).Fit(TestData.Core(train));
        var coreTest = TestData.Core(test);
        Assert.Equal(coreTest.Rows.Select(r => core.Predict(r).Label), here.Select(p => p.PredictedName));

        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(TestData.Load(ml, test)));
        double accuracy = coreTest.Rows.Select((r, i) => core.Predict(r).Label == coreTest.Labels[i]).Count(c => c) / (double)test.Length;
        Assert.Equal(accuracy, metrics.MicroAccuracy, 12);
        Assert.Equal(18, metrics.ConfusionMatrix.NumberOfClasses);

        using var tmp = new TempFolder();
        string zip = Path.Combine(tmp.Path, "model.zip");
        ml.Model.Save(model, data.Schema, zip);
        var there = TestData.PredictInAnotherProcess(zip, test);
        Assert.Equal(here.Select(p => p.PredictedName), there.Select(p => p.PredictedName));
        Assert.Equal(here.Select(p => p.Score), there.Select(p => p.Score));
    }

    [Fact]
    public void More_classes_than_the_score_slots_is_a_clear_error()
    {
        var rows = TestData.Blobs(classes: KernelSvmEstimator.MaxClassCount + 1, perClass: 2, features: 2, seed: 1);
        var ml = new MLContext(seed: 0);
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.Conversion.MapValueToKey("Label", nameof(CellRow.LabelText))
            .Append(ml.MulticlassClassification.Trainers.KernelSvm()).Fit(TestData.Load(ml, rows)));
        Assert.Contains("65 values", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_with_a_non_finite_feature_gets_a_missing_label_not_an_exception()
    {
        var (train, test) = SplitFixture();
        var ml = new MLContext(seed: 0);
        var model = Pipeline(ml, train, new KernelSvmOptions()).Fit(TestData.Load(ml, train));
        var bad = new CellRow { LabelText = test[0].LabelText, Features = test[0].Features.Select((v, i) => i == 3 ? float.NaN : v).ToArray() };
        var scored = model.Transform(TestData.Load(ml, [bad]));
        var label = scored.GetColumn<uint>("PredictedLabel").Single();
        Assert.Equal(0u, label);
        Assert.All(scored.GetColumn<float[]>("Score").Single(), s => Assert.True(float.IsNaN(s)));
    }

    private static Microsoft.ML.Data.SchemaDefinition SchemaFor(CellRow[] rows)
    {
        var schema = Microsoft.ML.Data.SchemaDefinition.Create(typeof(CellRow));
        schema[nameof(CellRow.Features)].ColumnType = new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, rows[0].Features.Length);
        return schema;
    }
}
