using Raabin.Features.Datasets;
using Raabin.Features.Explanations;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Tests.Explanations;

/// <summary>Per-cell explanations on a problem where one feature alone decides, and on the shipped robust model.</summary>
public class CellExplainerTests
{
    private static readonly string SeparatingId = SyntheticCells.Ids[SyntheticCells.Separating];

    [Fact]
    public void The_separating_feature_ranks_first_and_the_deviations_are_as_defined()
    {
        var model = SyntheticCells.VoteModel;
        var explainer = new CellExplainer(model);
        var basis = explainer.Basis;
        int first = 0;
        foreach (var row in SyntheticCells.Test.Rows)
        {
            var why = explainer.Explain(row.Values);
            Assert.Equal(model.Classifier.Predict(row.Values).Label, why.PredictedClass);
            Assert.NotEqual(why.PredictedClass, why.RunnerUpClass);
            Assert.Equal(RunnerUpRule.Votes, why.RunnerUpRule);
            Assert.Equal(SyntheticCells.Ids.Length, why.Features.Count);
            Assert.True(why.Features.Zip(why.Features.Skip(1)).All(p => p.First.Support >= p.Second.Support));
            var s = why.Features.Single(c => c.FeatureId == SeparatingId);
            if (Math.Abs(s.DeviationFromPredicted) < 1)
            {
                // Within 1 SD of its class on the feature that decides: nothing else can rank above it.
                Assert.Equal(SeparatingId, why.Features[0].FeatureId);
            }

            first += why.Features[0].FeatureId == SeparatingId ? 1 : 0;

            int p = IndexOf(model.Classes, why.PredictedClass), r = IndexOf(model.Classes, why.RunnerUpClass);
            Assert.Equal(basis.Statistics.Means[p][SyntheticCells.Separating], s.PredictedMean);
            Assert.Equal((s.Value - s.PredictedMean) / s.PooledStandardDeviation, s.DeviationFromPredicted, 12);
            Assert.Equal((s.Value - basis.Statistics.Means[r][SyntheticCells.Separating]) / s.PooledStandardDeviation, s.DeviationFromRunnerUp, 12);
            Assert.Equal(Math.Abs(s.DeviationFromRunnerUp) - Math.Abs(s.DeviationFromPredicted), s.Support, 12);
            Assert.Equal("ratio", s.Unit);
        }

        // Near a boundary the deciding feature supports the label little, and noise can rank above it.
        Assert.True(first >= SyntheticCells.Test.Rows.Count * 0.85, $"separating feature first for {first} of {SyntheticCells.Test.Rows.Count} cells");

        // Pooled SD by hand: sqrt(Σ n_c σ_c² / Σ n_c).
        var st = basis.Statistics;
        double pooled = Math.Sqrt(Enumerable.Range(0, 3).Sum(c => st.Counts[c] * st.StandardDeviations[c][0] * st.StandardDeviations[c][0]) / st.Counts.Sum());
        Assert.Equal(pooled, basis.PooledStandardDeviations[0], 12);
        Assert.Equal(Enumerable.Range(0, 3).Sum(c => st.Counts[c] * st.Means[c][1]) / st.Counts.Sum(), basis.NeutralValues[1], 12);
    }

    [Fact]
    public void The_counterfactual_changes_the_separating_feature_to_a_value_between_the_class_means()
    {
        var model = SyntheticCells.VoteModel;
        var explainer = new CellExplainer(model);
        var st = explainer.Basis.Statistics;
        for (int c = 0; c < 3; c++)
        {
            // A cell at its class centre on every feature.
            double[] cell = [.. st.Means[c]];
            var why = explainer.Explain(cell);
            Assert.Equal(SyntheticCells.Classes[c], why.PredictedClass);
            var flip = Assert.IsType<Counterfactual>(why.Counterfactual);
            Assert.Equal(SeparatingId, flip.FeatureId);
            Assert.NotEqual(why.PredictedClass, flip.NewLabel);
            int n = IndexOf(model.Classes, flip.NewLabel);
            double lo = Math.Min(st.Means[c][SyntheticCells.Separating], st.Means[n][SyntheticCells.Separating]);
            double hi = Math.Max(st.Means[c][SyntheticCells.Separating], st.Means[n][SyntheticCells.Separating]);
            Assert.InRange(flip.NewValue, lo, hi);
            Assert.Equal(Math.Abs(flip.NewValue - flip.OriginalValue) / explainer.Basis.PooledStandardDeviations[SyntheticCells.Separating], flip.ChangeInStandardDeviations, 12);

            // The new value flips the label; the model's own prediction says so.
            double[] changed = [.. cell];
            changed[SyntheticCells.Separating] = flip.NewValue;
            Assert.Equal(flip.NewLabel, model.Classifier.Predict(changed).Label);
            Assert.Equal(flip, why.Counterfactuals[0]);
            Assert.True(why.Counterfactuals.Zip(why.Counterfactuals.Skip(1)).All(p => p.First.ChangeInStandardDeviations <= p.Second.ChangeInStandardDeviations));
            Assert.Contains($"gives {flip.NewLabel}", why.CounterfactualText);
        }
    }

    [Fact]
    public void No_flip_within_the_observed_range_is_reported_as_none()
    {
        // Statistics of class a alone, range ±1 SD: from a's centre no value in range reaches another class.
        var model = SyntheticCells.VoteModel;
        var onlyA = SyntheticCells.Table([.. SyntheticCells.Training.Rows.Where(r => r.Label == "a")]);
        var basis = ExplanationBasis.FromTable(model, onlyA, "train", rangeStandardDeviations: 1);
        var why = new CellExplainer(model, basis).Explain(basis.Statistics.Means[0]);
        Assert.Equal("a", why.PredictedClass);
        Assert.Null(why.Counterfactual);
        Assert.Empty(why.Counterfactuals);
        Assert.Equal("none within the observed range", why.CounterfactualText);
        Assert.InRange(basis.RangeUpper[SyntheticCells.Separating], 0.5, 1.5);
    }

    [Fact]
    public void Nearest_support_vectors_are_of_the_right_class_and_sorted_by_distance()
    {
        var model = SyntheticCells.VoteModel;
        var explainer = new CellExplainer(model, new ExplainerOptions { NearestCells = 4 });
        var svm = model.Classifier.Svm;
        var cell = SyntheticCells.Test.Rows[0].Values;
        var why = explainer.Explain(cell);
        var x = model.Classifier.Normalizer.Transform(cell);
        foreach (var (list, name) in new[] { (why.NearestPredicted, why.PredictedClass), (why.NearestRunnerUp, why.RunnerUpClass) })
        {
            Assert.Equal(4, list.Count);
            Assert.All(list, n => Assert.Equal(name, n.Class));
            Assert.All(list, n => Assert.Null(n.Path));
            Assert.True(list.Zip(list.Skip(1)).All(p => p.First.Distance <= p.Second.Distance));
            int c = IndexOf(model.Classes, name);
            int start = svm.SupportVectorCounts.Take(c).Sum();
            foreach (var n in list)
            {
                Assert.InRange(n.SupportVectorIndex!.Value, start, start + svm.SupportVectorCounts[c] - 1);
                double d = Math.Sqrt(Enumerable.Range(0, x.Length).Sum(f => Math.Pow(x[f] - svm.SupportVector(n.SupportVectorIndex.Value)[f], 2)));
                Assert.Equal(d, n.Distance, 12);
            }

            // Nothing of the class is nearer than the last one listed.
            double brute = Enumerable.Range(start, svm.SupportVectorCounts[c])
                .Select(s => Math.Sqrt(Enumerable.Range(0, x.Length).Sum(f => Math.Pow(x[f] - svm.SupportVector(s)[f], 2)))).Order().ElementAt(3);
            Assert.Equal(brute, list[^1].Distance, 12);
        }

        Assert.Contains("support vectors", why.NearestCellsSource);
        Assert.Contains("do not store image paths", why.NearestCellsSource);
    }

    [Fact]
    public void A_training_table_gives_nearest_rows_with_their_paths()
    {
        var model = SyntheticCells.VoteModel;
        var explainer = new CellExplainer(model, SyntheticCells.Training, "train", new ExplainerOptions { NearestCells = 3 });
        var why = explainer.Explain(SyntheticCells.Test.Rows[5].Values);
        Assert.Equal(3, why.NearestPredicted.Count);
        foreach (var n in why.NearestPredicted.Concat(why.NearestRunnerUp))
        {
            var row = SyntheticCells.Training.Rows[n.TableRow!.Value];
            Assert.Equal(row.Path, n.Path);
            Assert.Equal(row.Label, n.Class);
            Assert.Null(n.SupportVectorIndex);
        }

        Assert.True(why.NearestRunnerUp.Zip(why.NearestRunnerUp.Skip(1)).All(p => p.First.Distance <= p.Second.Distance));
        Assert.Contains("synthetic-cells.csv", why.NearestCellsSource);
        Assert.Equal($"the model {model.Source}", why.StatisticsSource);
    }

    [Fact]
    public void With_probabilities_the_runner_up_is_the_second_most_probable_class()
    {
        var model = SyntheticCells.Model(probability: true);
        var explainer = new CellExplainer(model);
        foreach (var row in SyntheticCells.Test.Rows.Take(30))
        {
            var why = explainer.Explain(row.Values);
            Assert.Equal(RunnerUpRule.Probability, why.RunnerUpRule);
            var probabilities = why.Prediction.Probabilities!;
            int p = why.Prediction.ClassIndex;
            double second = Enumerable.Range(0, 3).Where(c => c != p).Max(c => probabilities[c]);
            Assert.Equal(second, probabilities[IndexOf(model.Classes, why.RunnerUpClass)]);
        }
    }

    [Fact]
    public void An_old_model_without_statistics_fails_clearly_unless_its_training_table_is_given()
    {
        var old = SyntheticCells.WithoutStatistics(SyntheticCells.VoteModel);
        Assert.Null(old.Statistics);
        var e = Assert.Throws<ArgumentException>(() => new CellExplainer(old));
        Assert.Contains("the model (in memory) has no class feature statistics", e.Message);
        Assert.Contains("feature table", e.Message);
        Assert.Throws<ArgumentException>(() => new GlobalExplainer(old).TrainingProfiles());

        var explainer = new CellExplainer(old, SyntheticCells.Training, "train");
        var why = explainer.Explain(SyntheticCells.Test.Rows[0].Values);
        Assert.Equal("the table synthetic-cells.csv", why.StatisticsSource);

        // The table's statistics are the ones the trainer recorded in the new model.
        var recorded = SyntheticCells.VoteModel.Statistics!;
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(recorded.Means[c], explainer.Basis.Statistics.Means[c]);
            Assert.Equal(recorded.StandardDeviations[c], explainer.Basis.Statistics.StandardDeviations[c]);
        }
    }

    [Fact]
    public void Explanations_are_deterministic_and_bad_input_is_named()
    {
        var explainer = new CellExplainer(SyntheticCells.VoteModel);
        var cell = SyntheticCells.Test.Rows[17].Values;
        var a = explainer.Explain(cell);
        var b = new CellExplainer(SyntheticCells.VoteModel).Explain(cell);
        Assert.Equal(a.Features, b.Features);
        Assert.Equal(a.Counterfactuals, b.Counterfactuals);
        Assert.Equal(a.NearestPredicted, b.NearestPredicted);
        Assert.Throws<ArgumentException>(() => explainer.Explain([1.0, 2.0]));
        Assert.Throws<ArgumentException>(() => explainer.Explain([1.0, double.NaN, 0, 0]));
        var byId = explainer.Explain(SyntheticCells.Ids.Select((id, i) => (id, v: cell[i])).ToDictionary(p => p.id, p => p.v));
        Assert.Equal(a.Features, byId.Features);
    }

    [Fact]
    public void The_shipped_robust_model_explains_a_real_cell_with_its_own_label()
    {
        var model = PipelineModel.Load(Path.Combine(AppContext.BaseDirectory, "models", "robust-pbc.model.json"));
        var dataset = Dataset.Open(TestPaths.Sample("pbc"));
        var item = dataset.Items.First(i => i.Label == "eosinophil");
        var row = model.CreateCellPipeline().Process(dataset.FullPath(item), item).Row;
        Assert.True(row.IsOk, row.Error);
        var expected = model.Predict(dataset.FullPath(item)).Prediction!;
        var binding = model.Bind(model.ExtractorFeatureIds, "pipeline");
        var values = new double[model.FeatureIds.Count];
        binding.Apply(row.Values, values);

        var why = new CellExplainer(model).Explain(values);
        Assert.Equal(expected.Label, why.PredictedClass);
        Assert.Equal(expected.Votes, why.Prediction.Votes);
        Assert.Equal(54, why.Features.Count);
        Assert.All(why.Features, f => Assert.True(double.IsFinite(f.Support) && f.Group.Length > 0 && f.Unit.Length > 0));
        Assert.NotEqual(why.PredictedClass, why.RunnerUpClass);
        Assert.Equal(5, why.NearestPredicted.Count);
        Assert.All(why.NearestPredicted, n => Assert.Equal(why.PredictedClass, n.Class));
        if (why.Counterfactual is { } flip)
        {
            double[] changed = [.. values];
            changed[IndexOf(model.FeatureIds, flip.FeatureId)] = flip.NewValue;
            Assert.Equal(flip.NewLabel, model.Classifier.Predict(changed).Label);
        }
    }

    private static int IndexOf(IReadOnlyList<string> list, string value) => list.ToList().IndexOf(value);
}
