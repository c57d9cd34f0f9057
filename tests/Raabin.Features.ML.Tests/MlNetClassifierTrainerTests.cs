using Raabin.Features.Learning;
using Raabin.Features.Pipeline;

namespace Raabin.Features.ML.Tests;

public class MlNetClassifierTrainerTests
{
    // Separable Gaussian blobs as float64 rows with class indices.
    private static (List<double[]> Rows, List<int> Classes, string[] Names) Blobs(int classes, int perClass, int seed)
    {
        var rows = TestData.Blobs(classes, perClass, features: 6, seed);
        var names = rows.Select(r => r.LabelText).Distinct().Order(StringComparer.Ordinal).ToArray();
        return (rows.Select(r => r.Features.Select(v => (double)v).ToArray()).ToList(), rows.Select(r => Array.IndexOf(names, r.LabelText)).ToList(), names);
    }

    private static double Accuracy(IExternalClassifier classifier, List<double[]> rows, List<int> classes)
    {
        var scores = new double[classifier.ClassCount];
        int right = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            classifier.Score(rows[i], scores);
            right += Array.IndexOf(scores, scores.Max()) == classes[i] ? 1 : 0;
        }

        return right / (double)rows.Count;
    }

    public static TheoryData<string> Trainers() => [.. MlNetClassifierTrainer.Names];

    [Theory]
    [MemberData(nameof(Trainers))]
    public void Every_trainer_learns_separable_classes_in_the_given_class_order_with_probabilities(string name)
    {
        var (train, trainClasses, names) = Blobs(4, 40, seed: 3);
        var (test, testClasses, _) = Blobs(4, 20, seed: 3);
        var features = Enumerable.Range(0, 6).Select(f => $"f{f}").ToList();
        var classifier = MlNetClassifierTrainer.Create(name).Fit(train, trainClasses, names, features, Enumerable.Repeat(1.0, train.Count).ToList());

        // A class-order mistake (e.g. an off-by-one between class index and ML.NET key) puts accuracy near 0, not near 1.
        Assert.True(Accuracy(classifier, test, testClasses) >= 0.9, $"{name}: accuracy {Accuracy(classifier, test, testClasses)}");
        Assert.True(classifier.ScoresAreProbabilities);
        var scores = new double[4];
        classifier.Score(test[0], scores);
        Assert.Equal(1.0, scores.Sum(), 4);
        Assert.All(scores, s => Assert.InRange(s, 0.0, 1.0));
    }

    [Fact]
    public void Many_classes_are_scored_in_order()
    {
        // Class sets are data: 18 classes, as MLL23 has.
        var (train, trainClasses, names) = Blobs(18, 15, seed: 5);
        var (test, testClasses, _) = Blobs(18, 5, seed: 5);
        var classifier = MlNetClassifierTrainer.Create("lbfgs-maxent").Fit(train, trainClasses, names, Enumerable.Range(0, 6).Select(f => $"f{f}").ToList(), Enumerable.Repeat(1.0, train.Count).ToList());
        Assert.Equal(18, classifier.ClassCount);
        Assert.True(Accuracy(classifier, test, testClasses) >= 0.9);
    }

    [Fact]
    public void Saved_zip_loads_with_identical_scores_and_is_checked_against_the_recorded_shape()
    {
        var (train, classes, names) = Blobs(3, 30, seed: 7);
        var features = Enumerable.Range(0, 6).Select(f => $"f{f}").ToList();
        var classifier = MlNetClassifierTrainer.Create("lightgbm", "iterations=20").Fit(train, classes, names, features, Enumerable.Repeat(1.0, train.Count).ToList());
        var loaded = MlNetClassifiers.Loader.Load(classifier.Engine, classifier.Trainer, classifier.Settings, classifier.Save(), 6, 3);
        var a = new double[3];
        var b = new double[3];
        foreach (var row in train)
        {
            classifier.Score(row, a);
            loaded.Score(row, b);
            Assert.Equal(a, b);
        }

        var wrongFeatures = Assert.Throws<InvalidDataException>(() => MlNetClassifiers.Loader.Load(classifier.Engine, "lightgbm", classifier.Settings, classifier.Save(), 7, 3));
        Assert.Contains("7 features", wrongFeatures.Message);
        var wrongClasses = Assert.Throws<InvalidDataException>(() => MlNetClassifiers.Loader.Load(classifier.Engine, "lightgbm", classifier.Settings, classifier.Save(), 6, 4));
        Assert.Contains("4 classes", wrongClasses.Message);
        var garbage = Assert.Throws<InvalidDataException>(() => MlNetClassifiers.Loader.Load(classifier.Engine, "lightgbm", classifier.Settings, [1, 2, 3], 6, 3));
        Assert.Contains("not a readable ML.NET model", garbage.Message);
    }

    [Fact]
    public void Class_weights_reach_the_trainer_as_row_weights()
    {
        // Two overlapping classes: weighting one of them by 20 must move decisions towards it.
        var random = new Random(11);
        var rows = Enumerable.Range(0, 200).Select(i => new[] { (i % 2) * 0.5 + (random.NextDouble() * 2), random.NextDouble() }).ToList();
        var classes = Enumerable.Range(0, 200).Select(i => i % 2).ToList();
        var ids = new List<string> { "a", "b" };
        int Predicted(IReadOnlyList<double> weights)
        {
            var model = MlNetClassifierTrainer.Create("lbfgs-maxent").Fit(rows, classes, ["x", "y"], ids, weights);
            var s = new double[2];
            return rows.Count(r => { model.Score(r, s); return s[1] > s[0]; });
        }

        int plain = Predicted(Enumerable.Repeat(1.0, 200).ToList());
        int weighted = Predicted(classes.Select(c => c == 1 ? 20.0 : 1.0).ToList());
        Assert.True(weighted > plain + 20, $"{plain} vs {weighted}");
    }

    [Theory]
    [InlineData("trees=100", "unknown setting 'trees'")]
    [InlineData("leaves=0", "leaves must be a whole number")]
    [InlineData("learning-rate=-1", "learning-rate must be a number > 0")]
    [InlineData("seed=x", "seed must be a whole number")]
    public void Bad_settings_are_refused_by_name(string settings, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => MlNetClassifierTrainer.Create("lightgbm", settings));
        Assert.Contains(message, e.Message);
        Assert.Contains("unknown trainer 'svm'", Assert.Throws<ArgumentException>(() => MlNetClassifierTrainer.Create("svm")).Message);
    }

    [Fact]
    public void Settings_text_is_canonical_with_every_default_written_out()
    {
        var t = MlNetClassifierTrainer.Create("lightgbm", " leaves = 15 ; learning-rate=0.05", seed: 4);
        Assert.Equal("iterations=100;leaves=15;learning-rate=0.05;min-leaf=auto;seed=4", t.Settings);
        Assert.Equal(t.Settings, MlNetClassifierTrainer.Create("lightgbm", t.Settings).Settings);
    }

    [Fact]
    public void A_pipeline_model_with_an_ml_net_classifier_saves_and_loads_with_the_loader_and_predicts_the_same()
    {
        var (train, classes, names) = Blobs(3, 30, seed: 9);
        var ids = Features.Measurement.ExtractorSpec.Reference.Create().Features.Select(f => f.Id).Take(6).ToList();
        var data = new LabelledFeatures(ids, train, classes.Select(c => names[c]).ToList(), classes.Select(_ => "d").ToList());
        var classifier = ExternalClassifierTraining.Fit(MlNetClassifierTrainer.Create("sdca-maxent"), NormalizerKind.MinMax, data);
        var model = new PipelineModel(Features.Imaging.DecoderOptions.Default, Features.Segmentation.SegmenterSpec.Reference, Features.Measurement.ExtractorSpec.Reference, classifier);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        string json = new StreamReader(stream).ReadToEnd();
        Assert.Contains("\"formatVersion\": 3", json);
        Assert.Contains("\"trainer\": \"sdca-maxent\"", json);

        var loaded = PipelineModel.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "m.json", MlNetClassifiers.Loader);
        foreach (var row in train)
        {
            var x = ids.Select((id, i) => (id, v: row[i])).ToDictionary(p => p.id, p => p.v);
            Assert.Equal(model.Predict(x).Probabilities, loaded.Predict(x).Probabilities);
        }

        var refused = Assert.Throws<InvalidDataException>(() => PipelineModel.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)), "m.json"));
        Assert.Contains("m.json: the classifier was trained with ML.NET", refused.Message);
    }
}
