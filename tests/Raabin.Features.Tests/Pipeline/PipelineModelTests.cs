using Raabin.Features.Measurement;
using Raabin.Features.IO;
using Raabin.Features.Learning;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Tests.Pipeline;

public class PipelineModelTests
{
    private static string ShippedModel => Path.Combine(AppContext.BaseDirectory, "models", "reference-pbc.model.json");

    [Fact]
    public void Shipped_model_predicts_the_sample_as_the_published_classifier_did()
    {
        // The published pipeline's predictions for the shipped images (scikit-learn SVC trained on pbc train).
        var model = PipelineModel.Load(ShippedModel).Classifier;
        var reference = CsvTable.Load(TestPaths.Fixture("Reference", "predictions.csv"));
        var features = FeatureTable.Load(TestPaths.Fixture("Reference", "features.csv"), model.FeatureIds);
        int agree = 0;
        for (int r = 0; r < reference.Rows.Count; r++)
        {
            var row = features.Rows.Single(x => x.Path == reference.Rows[r][1] && x.Domain == reference.Rows[r][0]);
            if (model.Predict(row.Values).Label == reference.Rows[r][3])
            {
                agree++;
            }
        }

        Assert.Equal(54, reference.Rows.Count);
        Assert.Equal(reference.Rows.Count, agree);
    }

    [Fact]
    public void Save_load_predict_is_identical()
    {
        var pipeline = PipelineModel.Load(ShippedModel);
        var model = pipeline.Classifier;
        using var tmp = TestPaths.NewTempFolder();
        string copy = Path.Combine(tmp.Path, "copy.json");
        pipeline.Save(copy);
        var again = PipelineModel.Load(copy).Classifier;
        var features = FeatureTable.Load(TestPaths.Fixture("Reference", "features.csv"), model.FeatureIds);
        foreach (var row in features.Rows)
        {
            var a = model.Predict(row.Values);
            var b = again.Predict(row.Values);
            Assert.Equal(a.Label, b.Label);
            Assert.Equal(a.DecisionValues, b.DecisionValues);
            Assert.Equal(a.Probabilities, b.Probabilities);
        }

        Assert.Equal(File.ReadAllText(ShippedModel), File.ReadAllText(copy));
    }

    [Fact]
    public void Model_refuses_mismatched_features_and_other_files()
    {
        var model = PipelineModel.Load(ShippedModel).Classifier;
        Assert.Throws<ArgumentException>(() => model.Predict(new double[50]));
        var nan = new double[51];
        nan[3] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => model.Predict(nan));
        Assert.Contains(FeatureCatalog.ReferenceIds[3], e.Message);
        Assert.Contains("missing here", model.DescribeMismatch(["circularity"]));
        Assert.Null(model.DescribeMismatch(FeatureCatalog.ReferenceIds));

        using var tmp = TestPaths.NewTempFolder();
        string other = Path.Combine(tmp.Path, "x.json");
        File.WriteAllText(other, "{\"format\":\"something-else\",\"formatVersion\":1}");
        Assert.Contains("not a Raabin.Features model", Assert.Throws<InvalidDataException>(() => PipelineModel.Load(other)).Message);
        File.WriteAllText(other, File.ReadAllText(ShippedModel).Replace("\"formatVersion\": 2", "\"formatVersion\": 99"));
        Assert.Contains("version 99", Assert.Throws<InvalidDataException>(() => PipelineModel.Load(other)).Message);
        File.WriteAllText(other, "{ not json");
        Assert.Contains("x.json", Assert.Throws<InvalidDataException>(() => PipelineModel.Load(other)).Message);
    }

    [Fact]
    public void Normalisers_match_hand_computed_values()
    {
        double[][] rows = [[1, 10], [3, 10], [2, 40]];
        var minMax = FeatureNormalizer.Fit(NormalizerKind.MinMax, rows, 2);
        Assert.Equal([0.0, 0.0], minMax.Transform(rows[0]));
        Assert.Equal([1.0, 0.0], minMax.Transform(rows[1]));
        Assert.Equal([0.5, 1.0], minMax.Transform(rows[2]));
        var z = FeatureNormalizer.Fit(NormalizerKind.ZScore, rows, 2);
        // Column 1: mean 2, population sd sqrt(2/3).
        Assert.Equal(-1 / Math.Sqrt(2.0 / 3), z.Transform(rows[0])[0], 12);
        Assert.Equal([1.0, 1.0], z.Scale.Select(s => s > 0 ? 1.0 : 0.0));
        Assert.Equal(rows[2], FeatureNormalizer.Fit(NormalizerKind.None, rows, 2).Transform(rows[2]));
    }

    [Fact]
    public void Gamma_scale_matches_scikit_learn_on_the_reference_training_set_value()
    {
        // γ = 1 / (n_features · X.var()) for a small matrix, checked by hand: entries 0, 1, 0, 1 → var 0.25 → γ = 1/(2·0.25).
        Assert.Equal(2.0, GammaSpec.Scale.Resolve([[0, 1], [0, 1]], 2));
        Assert.Equal(0.5, GammaSpec.Auto.Resolve([[0, 1]], 2));
        Assert.Equal(0.25, GammaSpec.Parse("0.25").Value);
        Assert.Throws<FormatException>(() => GammaSpec.Parse("big"));
        // The shipped model's γ is bit for bit scikit-learn's on the same training matrix (the reference's README value).
        Assert.Equal(0.34404831914401895, PipelineModel.Load(ShippedModel).Classifier.Gamma);
    }
}
