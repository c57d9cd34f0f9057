using Raabin.Features.Explanations;

namespace Raabin.Features.Tests.Explanations;

/// <summary>Permutation importance, class profiles and fidelity curves on the one-feature problem.</summary>
public class GlobalExplainerTests
{
    private static IReadOnlyList<double[]> TestRows => SyntheticCells.Test.Rows.Select(r => r.Values).ToList();

    private static IReadOnlyList<string> TestLabels => SyntheticCells.Test.Rows.Select(r => r.Label).ToList();

    [Fact]
    public void The_separating_feature_has_the_highest_permutation_importance()
    {
        var explainer = new GlobalExplainer(SyntheticCells.VoteModel, new PermutationImportanceOptions { Repeats = 5, Seed = 3 });
        var result = explainer.PermutationImportance(TestRows, TestLabels, "synthetic test");
        Assert.Equal(120, result.Cells);
        Assert.True(result.BaselineScore > 0.9, $"baseline macro-F1 {result.BaselineScore}");
        var top = result.Features[0];
        Assert.Equal(SyntheticCells.Ids[SyntheticCells.Separating], top.FeatureId);
        Assert.True(top.MeanDrop > 0.3, $"drop {top.MeanDrop}");
        Assert.All(result.Features.Skip(1), f => Assert.True(f.Upper < top.Lower, $"{f.FeatureId}: {f.Upper} vs {top.Lower}"));
        Assert.All(result.Features, f => Assert.Equal(5, f.Drops.Count));
        Assert.All(result.Features, f => Assert.InRange(f.MeanDrop, f.Lower, f.Upper));
        Assert.Equal(top.Drops.Average(), top.MeanDrop, 12);

        var accuracy = new GlobalExplainer(SyntheticCells.VoteModel, new PermutationImportanceOptions { Repeats = 2, Metric = ImportanceMetric.Accuracy })
            .PermutationImportance(TestRows, TestLabels, "synthetic test");
        Assert.Equal(TestRows.Count(r => SyntheticCells.VoteModel.Classifier.Predict(r).Label == TestLabels[TestRows.ToList().IndexOf(r)]) / 120.0, accuracy.BaselineScore, 12);
    }

    [Fact]
    public void Resampling_the_cells_scores_each_repeat_on_a_bootstrap_sample_and_off_it_is_the_plain_permutation_drop()
    {
        var options = new PermutationImportanceOptions { Repeats = 20, Seed = 4 };
        var resampled = new GlobalExplainer(SyntheticCells.VoteModel, options).PermutationImportance(TestRows, TestLabels, "t");
        var plain = new GlobalExplainer(SyntheticCells.VoteModel, options with { ResampleCells = false }).PermutationImportance(TestRows, TestLabels, "t");
        string top = SyntheticCells.Ids[SyntheticCells.Separating];

        // Same permutations, so the means agree to within the sampling error; the resampled drops spread wider.
        var r = resampled.Features.Single(f => f.FeatureId == top);
        var p = plain.Features.Single(f => f.FeatureId == top);
        Assert.InRange(r.MeanDrop, p.MeanDrop - 0.1, p.MeanDrop + 0.1);
        Assert.True(Spread(r.Drops) > Spread(p.Drops), $"{Spread(r.Drops)} vs {Spread(p.Drops)}");

        // The reported baseline is the full set's either way.
        Assert.Equal(resampled.BaselineScore, plain.BaselineScore);

        static double Spread(IReadOnlyList<double> v) => Math.Sqrt(v.Sum(x => (x - v.Average()) * (x - v.Average())) / v.Count);
    }

    [Fact]
    public void Permutation_importance_is_deterministic_per_seed_and_independent_of_threads()
    {
        var one = new GlobalExplainer(SyntheticCells.VoteModel, new PermutationImportanceOptions { Repeats = 3, Seed = 9, MaxDegreeOfParallelism = 1 })
            .PermutationImportance(TestRows, TestLabels, "t");
        var many = new GlobalExplainer(SyntheticCells.VoteModel, new PermutationImportanceOptions { Repeats = 3, Seed = 9 })
            .PermutationImportance(TestRows, TestLabels, "t");
        var other = new GlobalExplainer(SyntheticCells.VoteModel, new PermutationImportanceOptions { Repeats = 3, Seed = 10 })
            .PermutationImportance(TestRows, TestLabels, "t");
        Assert.Equal(one.Features.Select(f => f.Drops.ToArray()), many.Features.Select(f => f.Drops.ToArray()));
        Assert.NotEqual(one.Features.SelectMany(f => f.Drops), other.Features.SelectMany(f => f.Drops));
    }

    [Fact]
    public void Importance_per_domain_groups_the_rows_of_a_table()
    {
        var rows = SyntheticCells.Cells(20, seed: 5, "test", "scope-b").Concat(SyntheticCells.Cells(15, seed: 6, "test", "scope-a")).ToList();
        var results = new GlobalExplainer(SyntheticCells.VoteModel, new PermutationImportanceOptions { Repeats = 2 })
            .PermutationImportanceByDomain(SyntheticCells.Table(rows), "test");
        Assert.Equal(["scope-a", "scope-b"], results.Select(r => r.TestSet));
        Assert.Equal([45, 60], results.Select(r => r.Cells));
    }

    [Fact]
    public void Class_profiles_come_from_the_model_statistics_and_from_a_table()
    {
        var explainer = new GlobalExplainer(SyntheticCells.VoteModel);
        var stats = SyntheticCells.VoteModel.Statistics!;
        var profiles = explainer.TrainingProfiles();
        Assert.Equal(SyntheticCells.Ids, profiles.Select(p => p.FeatureId));
        var separating = profiles[SyntheticCells.Separating];
        Assert.Equal(SyntheticCells.Classes, separating.Classes.Select(c => c.Class));
        Assert.Equal(stats.Means.Select(m => m[SyntheticCells.Separating]), separating.Classes.Select(c => c.Mean));
        Assert.Equal([60, 60, 60], separating.Classes.Select(c => c.Count));

        var test = explainer.Profiles(SyntheticCells.Test, "test")[SyntheticCells.Separating];
        var a = SyntheticCells.Test.Rows.Where(r => r.Label == "a").Select(r => r.Values[SyntheticCells.Separating]).ToList();
        Assert.Equal(a.Average(), test.Classes[0].Mean, 12);
        Assert.Equal(Math.Sqrt(a.Sum(v => (v - a.Average()) * (v - a.Average())) / a.Count), test.Classes[0].StandardDeviation, 12);
        Assert.Equal(40, test.Classes[0].Count);
    }

    [Fact]
    public void Removing_the_top_features_flips_more_labels_than_removing_random_ones()
    {
        var explainer = new CellExplainer(SyntheticCells.VoteModel);
        var curve = ExplanationFidelity.Measure(explainer, TestRows, new FidelityOptions { MaxFeatures = 3, Repeats = 10, Seed = 4 });
        Assert.Equal([1, 2, 3], curve.Points.Select(p => p.K));
        Assert.Equal(120, curve.Cells);
        Assert.All(curve.Points, p => Assert.True(p.TopFlipRate > p.RandomFlipRate, $"k={p.K}: top {p.TopFlipRate} vs random {p.RandomFlipRate}"));

        // k = 1 by hand: the neutral value of the separating feature is the middle class's centre, so classes a and c flip.
        double neutral = explainer.Basis.NeutralValues[SyntheticCells.Separating];
        int expected = TestRows.Count(r =>
        {
            var why = explainer.Explain(r);
            int top = SyntheticCells.Ids.ToList().IndexOf(why.Features[0].FeatureId);
            double[] changed = [.. r];
            changed[top] = explainer.Basis.NeutralValues[top];
            return SyntheticCells.VoteModel.Classifier.Predict(changed).Label != why.PredictedClass;
        });
        Assert.Equal(expected / 120.0, curve.Points[0].TopFlipRate, 12);
        Assert.InRange(neutral, 3, 5);

        var again = ExplanationFidelity.Measure(explainer, SyntheticCells.Test, "test", new FidelityOptions { MaxFeatures = 3, Repeats = 10, Seed = 4, MaxDegreeOfParallelism = 1 });
        Assert.Equal(curve.Points, again.Points);
    }
}
