using Raabin.Features.Learning;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Tests.Adaptation;

public class TransductiveStandardizationTests
{
    [Fact]
    public void Equal_weights_give_the_plain_z_score_and_weights_move_the_mean()
    {
        double[][] rows = [[1, 10], [3, 10], [5, 40]];
        var plain = FeatureNormalizer.Fit(NormalizerKind.ZScore, rows, 2);
        var equal = TransductiveStandardization.WeightedZScore(rows, [1, 1, 1], 2);
        Assert.Equal(plain.Scale, equal.Scale);
        Assert.Equal(plain.Offset, equal.Offset);

        // Weights 1, 1, 2: mean of feature 0 = (1 + 3 + 10) / 4 = 3.5, variance = (6.25 + 0.25 + 2·2.25) / 4 = 2.75.
        var weighted = TransductiveStandardization.WeightedZScore(rows, [1, 1, 2], 2);
        Assert.Equal(1 / Math.Sqrt(2.75), weighted.Scale[0], 12);
        Assert.Equal(-3.5 / Math.Sqrt(2.75), weighted.Offset[0], 12);
    }

    [Fact]
    public void Standardising_a_shifted_domain_with_its_own_statistics_recovers_the_accuracy_the_shift_destroyed()
    {
        var model = SyntheticDomains.SourceModel(perDomain: true);
        Assert.True(model.Domain.PerDomainStandardization);
        var target = SyntheticDomains.Cells([60, 60, 60], gain: [2, 0.5], shift: [6, -3], seed: 7, "target");
        double before = SyntheticDomains.Accuracy(x => model.Classifier.Predict(x).Label, target);
        var fitted = TransductiveStandardization.Fit(model.Classifier, target.Select(r => r.Values).ToList(), new TransductiveOptions { Mode = TransductiveMode.Domain }, "target");
        double after = SyntheticDomains.Accuracy(x => fitted.Classifier.Predict(x).Label, target);
        Assert.True(before < 0.6, $"the shift should hurt: {before}");
        Assert.True(after > 0.9, $"after standardisation: {after}");
        Assert.Equal(0, fitted.Iterations);
        Assert.Equal(180, fitted.Cells);
    }

    [Fact]
    public void With_another_class_mix_the_class_balanced_weights_do_better_than_plain_domain_statistics()
    {
        var model = SyntheticDomains.SourceModel(perDomain: true);

        // The same microscope shift, but 85 % of the cells are of class a: plain batch statistics mistake the mix for a shift.
        var target = SyntheticDomains.Cells([170, 15, 15], gain: [1.5, 1.5], shift: [3, 3], seed: 9, "target");
        var batch = target.Select(r => r.Values).ToList();
        var domain = TransductiveStandardization.Fit(model.Classifier, batch, new TransductiveOptions { Mode = TransductiveMode.Domain }, "t");
        var balanced = TransductiveStandardization.Fit(model.Classifier, batch, new TransductiveOptions { Mode = TransductiveMode.ClassBalanced }, "t");
        double plainAccuracy = SyntheticDomains.Accuracy(x => domain.Classifier.Predict(x).Label, target);
        double balancedAccuracy = SyntheticDomains.Accuracy(x => balanced.Classifier.Predict(x).Label, target);
        Assert.True(balancedAccuracy > plainAccuracy + 0.1, $"class-balanced {balancedAccuracy}, domain {plainAccuracy}");
        Assert.True(balanced.Iterations >= 1);
        Assert.True(balanced.EstimatedPriors["a"] > 0.7, $"estimated share of a: {balanced.EstimatedPriors["a"]}");
    }

    [Fact]
    public void A_small_batch_or_a_min_max_model_is_refused_with_the_reason()
    {
        var model = SyntheticDomains.SourceModel();
        var few = SyntheticDomains.Cells([5, 5, 5], [1, 1], [0, 0], seed: 3, "t").Select(r => r.Values).ToList();
        var e = Assert.Throws<ArgumentException>(() => TransductiveStandardization.Fit(model.Classifier, few, new TransductiveOptions { Mode = TransductiveMode.Domain }, "scope-2"));
        Assert.Contains("domain 'scope-2' needs at least 30 cells", e.Message);
        Assert.Contains("it has 15", e.Message);

        var minMax = new PipelineTrainer(SyntheticDomains.Options() with { Classifier = new SvmClassifierOptions { Normalizer = NormalizerKind.MinMax, Probability = false } })
            .Fit(SyntheticDomains.Table(SyntheticDomains.Cells([40, 40, 40], [1, 1], [0, 0], 1, "s")));
        e = Assert.Throws<ArgumentException>(() => TransductiveStandardization.Fit(minMax.Classifier, few, new TransductiveOptions { Mode = TransductiveMode.Domain, MinimumBatch = 2 }, "t"));
        Assert.Contains("minmax", e.Message);
        Assert.Throws<ArgumentException>(() => TransductiveOptions.ParseMode("batch"));
    }

    [Fact]
    public void The_pipeline_model_standardises_each_domain_of_a_batch_separately()
    {
        var model = SyntheticDomains.SourceModel(perDomain: true);
        var one = SyntheticDomains.Cells([40, 40, 40], [2, 0.5], [6, -3], seed: 11, "scope-1");
        var two = SyntheticDomains.Cells([40, 40, 40], [0.5, 2], [-5, 8], seed: 12, "scope-2");
        var rows = one.Concat(two).ToList();
        var table = SyntheticDomains.Table(rows);
        var reports = new List<TransductiveResult>();
        var predictions = model.ClassifyTransductive(rows, model.Bind(table), new TransductiveOptions { Mode = TransductiveMode.Domain }, reports.Add);
        Assert.Equal(["scope-1", "scope-2"], reports.Select(r => r.Domain));
        double accuracy = predictions.Count(p => p.Prediction!.Label == p.Features.Label) / (double)rows.Count;
        Assert.True(accuracy > 0.9, $"accuracy {accuracy}");

        // One batch of both domains together is worse: the shifts differ.
        var merged = rows.Select(r => r with { Domain = string.Empty }).ToList();
        var together = model.ClassifyTransductive(merged, model.Bind(table), new TransductiveOptions { Mode = TransductiveMode.Domain });
        Assert.True(together.Count(p => p.Prediction!.Label == p.Features.Label) / (double)rows.Count < accuracy - 0.1);
    }
}
