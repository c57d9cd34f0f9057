using System.Globalization;
using System.Text;
using Raabin.Features.Adaptation;
using Raabin.Features.Explanations;
using Raabin.Features.Learning;
using Raabin.Features.Pipeline;
using Raabin.Features.Tests.Explanations;

namespace Raabin.Features.Tests.Learning;

/// <summary>A classifier of "another engine" as the core sees one: nearest class mean, softmax of −distance².</summary>
internal sealed class NearestMeanClassifier(double[][] means) : IExternalClassifier
{
    public string Engine => "Test 1.0";

    public string Trainer => "nearest-mean";

    public string Settings => "none";

    public int ClassCount => means.Length;

    public int FeatureCount => means[0].Length;

    public bool ScoresAreProbabilities => true;

    public void Score(ReadOnlySpan<double> normalised, Span<double> scores)
    {
        for (int c = 0; c < means.Length; c++)
        {
            double d = 0;
            for (int f = 0; f < normalised.Length; f++)
            {
                d += (normalised[f] - means[c][f]) * (normalised[f] - means[c][f]);
            }

            scores[c] = Math.Exp(-d);
        }

        double sum = 0;
        foreach (double s in scores)
        {
            sum += s;
        }

        for (int c = 0; c < scores.Length; c++)
        {
            scores[c] /= sum;
        }
    }

    public byte[] Save() => Encoding.UTF8.GetBytes(string.Join(";", means.Select(m => string.Join(",", m.Select(v => v.ToString("R", CultureInfo.InvariantCulture))))));
}

internal sealed class NearestMeanTrainer : IExternalClassifierTrainer, IExternalClassifierLoader
{
    public string Name => "nearest-mean";

    public string Settings => "none";

    public IExternalClassifier Fit(IReadOnlyList<double[]> normalised, IReadOnlyList<int> classIndex, IReadOnlyList<string> classes, IReadOnlyList<string> featureIds, IReadOnlyList<double> weights) =>
        new NearestMeanClassifier([.. Enumerable.Range(0, classes.Count).Select(c =>
            Enumerable.Range(0, featureIds.Count).Select(f => Enumerable.Range(0, normalised.Count).Where(i => classIndex[i] == c).Average(i => normalised[i][f])).ToArray())]);

    public bool Reads(string engine) => engine == "Test 1.0";

    public IExternalClassifier Load(string engine, string trainer, string settings, byte[] payload, int featureCount, int classCount) =>
        new NearestMeanClassifier([.. Encoding.UTF8.GetString(payload).Split(';').Select(m => m.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())]);
}

public class ExternalClassifierTests
{
    private static PipelineModel Model() => new PipelineTrainer(new PipelineTrainerOptions
    {
        Classifier = new SvmClassifierOptions { Normalizer = NormalizerKind.ZScore },
        ExternalTrainer = new NearestMeanTrainer(),
        FeatureSubset = SyntheticCells.Ids,
    }).Fit(SyntheticCells.Training);

    [Fact]
    public void A_model_of_another_engine_predicts_by_its_highest_score_with_its_probabilities()
    {
        var model = Model();
        Assert.False(model.Classifier.IsKernelSvm);
        Assert.Equal("Test 1.0 nearest-mean", model.Classifier.TrainerDescription);
        Assert.Equal(DecisionRule.Probability, model.DecisionRule);
        var binding = model.Bind(SyntheticCells.Test);
        int right = SyntheticCells.Test.Rows.Count(r => model.Classify(r, binding).Prediction!.Label == r.Label);
        Assert.True(right >= 0.9 * SyntheticCells.Test.Rows.Count, $"{right}");
        var p = model.Classify(SyntheticCells.Test.Rows[0], binding).Prediction!;
        Assert.Equal(p.Probabilities!.Max(), p.Probability);
        Assert.Empty(p.Votes);
    }

    [Fact]
    public void It_saves_as_format_3_and_loads_only_with_its_engine_s_loader()
    {
        var model = Model();
        using var stream = new MemoryStream();
        model.Save(stream);
        byte[] bytes = stream.ToArray();
        string json = Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"formatVersion\": 3", json);
        Assert.DoesNotContain("\"svm\"", json);

        var loaded = PipelineModel.Load(new MemoryStream(bytes), "nm.json", new NearestMeanTrainer());
        var binding = loaded.Bind(SyntheticCells.Test);
        var original = model.Bind(SyntheticCells.Test);
        foreach (var row in SyntheticCells.Test.Rows)
        {
            Assert.Equal(model.Classify(row, original).Prediction!.Probabilities, loaded.Classify(row, binding).Prediction!.Probabilities);
        }

        var e = Assert.Throws<InvalidDataException>(() => PipelineModel.Load(new MemoryStream(bytes), "nm.json"));
        Assert.Contains("nm.json: the classifier was trained with Test 1.0 (nearest-mean)", e.Message);
    }

    [Fact]
    public void Kernel_svm_model_files_stay_format_2()
    {
        using var stream = new MemoryStream();
        SyntheticCells.VoteModel.Save(stream);
        Assert.Contains("\"formatVersion\": 2", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Explanations_work_from_its_scores_and_what_needs_the_svm_refuses_it_clearly()
    {
        var model = Model();
        var row = SyntheticCells.Test.Rows[0];
        var explanation = new CellExplainer(model).Explain(SyntheticCells.Ids.Select((_, f) => row.Values[f]).ToArray());
        Assert.Equal(row.Label, explanation.PredictedClass);
        Assert.Equal(SyntheticCells.Ids[SyntheticCells.Separating], explanation.Features[0].FeatureId);
        Assert.NotNull(explanation.Counterfactual);
        Assert.Equal(SyntheticCells.Ids[SyntheticCells.Separating], explanation.Counterfactual!.FeatureId);
        Assert.Empty(explanation.NearestPredicted);
        Assert.StartsWith("none:", explanation.NearestCellsSource);

        var withTable = new CellExplainer(model, SyntheticCells.Training).Explain(SyntheticCells.Ids.Select((_, f) => row.Values[f]).ToArray());
        Assert.NotEmpty(withTable.NearestPredicted);

        Assert.Contains("not the kernel SVM", Assert.Throws<InvalidOperationException>(() => model.Classifier.Svm).Message);
        Assert.Throws<ArgumentException>(() => model.WithDecisionRule(DecisionRule.Vote));
        var labelled = new LabelledFeatures(SyntheticCells.Ids, [row.Values.ToArray()], [row.Label], ["new"]);
        Assert.Contains("re-trains the kernel SVM", Assert.Throws<ArgumentException>(() => new FewShotAdapter().Adapt(model, labelled, [], "new")).Message);
    }
}
