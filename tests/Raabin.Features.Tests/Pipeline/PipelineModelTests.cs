using Raabin.Features.Measurement;
using Raabin.Features.IO;
using Raabin.Features.Learning;
using Raabin.Features.Pipeline;
using Raabin.Features.Segmentation;

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

    [Fact]
    public void A_format_1_model_still_loads_and_predicts_as_the_code_that_wrote_it()
    {
        // The fixture and its predictions were written by the code before the pipeline model (Fixtures/Models/README.md).
        var model = PipelineModel.Load(TestPaths.Fixture("Models", "v1-sample-pbc.model.json"));
        Assert.Equal(SegmenterSpec.Reference, model.Segmenter);
        Assert.Equal(ExtractorSpec.Reference, model.Extractor);
        Assert.Equal(DecisionRule.Vote, model.DecisionRule);
        Assert.Empty(model.LoadWarnings);
        var old = CsvTable.Load(TestPaths.Fixture("Models", "v1-sample-pbc.predictions-zheng-cellavision.csv"));
        Assert.Equal(5, old.Rows.Count);
        foreach (var row in old.Rows)
        {
            var cell = model.Predict(TestPaths.Sample("zheng-cellavision", row[0]));
            Assert.Equal(row[2], cell.Prediction!.Label);
            for (int c = 0; c < model.Classes.Count; c++)
            {
                Assert.Equal(double.Parse(row[4 + c], System.Globalization.CultureInfo.InvariantCulture), cell.Prediction.Probabilities![c]);
            }
        }
    }

    [Fact]
    public void A_format_1_cmyk_otsu_model_loads_with_a_warning_about_the_unrecorded_weight()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(TestPaths.Fixture("Models", "v1-sample-pbc.model.json")))!;
        json["pipeline"]!["segmenter"] = "cmyk-otsu";
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()));
        var model = PipelineModel.Load(stream, "old-cmyk.json");
        Assert.Equal(SegmenterSpec.Of("cmyk-otsu"), model.Segmenter);
        Assert.Contains(model.LoadWarnings, w => w.Contains("old-cmyk.json", StringComparison.Ordinal) && w.Contains("weight=0.5", StringComparison.Ordinal));
    }

    [Fact]
    public void A_model_predicts_from_a_path_an_image_and_features_by_id_alike_and_round_trips_through_a_stream()
    {
        var model = PipelineModel.Load(ShippedModel);
        string file = TestPaths.Sample("zheng-jtsc", "images", "067.bmp");
        var fromPath = model.Predict(file);
        var fromImage = model.Predict(Raabin.Features.Imaging.ImageDecoder.Load(file), "067.bmp");
        Assert.Equal(CellStatus.Ok, fromPath.Status);
        Assert.Equal(fromPath.Prediction!.DecisionValues, fromImage.Prediction!.DecisionValues);

        // By id: a dictionary in any order, with extra entries, gives the same decision.
        var byId = new Dictionary<string, double> { ["not_a_feature"] = 1 };
        for (int i = fromPath.Features.Values.Length - 1; i >= 0; i--)
        {
            byId[FeatureCatalog.ReferenceIds[i]] = fromPath.Features.Values[i];
        }

        Assert.Equal(fromPath.Prediction.DecisionValues, model.Predict(byId).DecisionValues);
        byId.Remove("convexity");
        Assert.Contains("convexity", Assert.Throws<ArgumentException>(() => model.Predict(byId)).Message);

        using var buffer = new MemoryStream();
        model.Save(buffer);
        buffer.Position = 0;
        var again = PipelineModel.Load(buffer, "memory");
        Assert.Equal(fromPath.Prediction.DecisionValues, again.Predict(file).Prediction!.DecisionValues);
        Assert.Equal(File.ReadAllBytes(ShippedModel), buffer.ToArray());
    }

    [Fact]
    public void Binding_a_table_names_the_table_the_model_and_every_missing_id()
    {
        var model = PipelineModel.Load(ShippedModel);
        var table = new FeatureTable(["circularity", "convexity"], [], "few.csv");
        var e = Assert.Throws<ArgumentException>(() => model.Bind(table));
        Assert.Contains("few.csv", e.Message);
        Assert.Contains("reference-pbc.model.json", e.Message);
        Assert.Contains("lacks 49 feature(s)", e.Message);
        var other = new FeatureTable(FeatureCatalog.ReferenceIds, [], "cmyk.csv", new FeatureProvenance(SegmenterSpec.Of("cmyk-otsu"), ExtractorSpec.Reference));
        Assert.Contains("cmyk-otsu", Assert.Throws<ArgumentException>(() => model.Bind(other)).Message);
    }

    [Fact]
    public void The_probability_rule_needs_probabilities()
    {
        var model = PipelineModel.Load(TestPaths.Fixture("Models", "v1-sample-pbc.model.json"));
        Assert.Equal(DecisionRule.Probability, model.WithDecisionRule(DecisionRule.Probability).DecisionRule);
        var features = FeatureTable.Load(TestPaths.Fixture("Reference", "features.csv"), model.FeatureIds);
        var data = new LabelledFeatures(model.FeatureIds, features.Rows.Select(r => r.Values).ToList(), features.Rows.Select(r => r.Label).ToList(),
            features.Rows.Select(r => r.Domain).ToList());
        var noProbabilities = new SvmClassifierTrainer(new SvmClassifierOptions { Probability = false }).Fit(data);
        Assert.Throws<ArgumentException>(() => noProbabilities.WithDecisionRule(DecisionRule.Probability));
        Assert.Throws<ArgumentException>(() => new SvmClassifierTrainer(new SvmClassifierOptions { Probability = false, DecisionRule = DecisionRule.Probability }).Fit(data));
    }

    [Fact]
    public void Readme_library_example_runs_as_printed()
    {
        // The README's C# lines, with the repository-relative paths mapped to the test output folder.
        using var tmp = TestPaths.NewTempFolder();
        var measured = FeatureBatch.Measure(CellPipeline.Reference(), Raabin.Features.Datasets.Dataset.Open(TestPaths.Sample("pbc")),
            Raabin.Features.Datasets.Dataset.Open(TestPaths.Sample("pbc")).Items);
        measured.Save(Path.Combine(tmp.Path, "pbc.csv"));
        var output = new StringWriter();

        var model = PipelineModel.Load(ShippedModel);
        CellPrediction cell = model.Predict(TestPaths.Sample("pbc", "images", "basophil", "BA_238331.jpg"));
        output.WriteLine($"{cell.Status} {cell.Prediction?.Label} p={cell.Prediction?.Probability:F2}");

        var table = FeatureTable.Load(Path.Combine(tmp.Path, "pbc.csv"));
        var binding = model.Bind(table);
        foreach (var row in table.Rows)
        {
            output.WriteLine($"{row.Path}: {model.Classify(row, binding).Prediction?.Label}");
        }

        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("ok basophil p=1.00", lines[0].TrimEnd()); // the README says so
        Assert.Equal(31, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Matches(@"^images/(\w+)/\S+: \1\s*$", l));
    }
}
