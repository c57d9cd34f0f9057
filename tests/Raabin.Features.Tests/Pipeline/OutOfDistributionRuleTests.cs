using System.Text;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;
using Raabin.Features.Tests.Explanations;

namespace Raabin.Features.Tests.Pipeline;

public class OutOfDistributionRuleTests
{
    private static PipelineModel Model(double? quantile) => new PipelineTrainer(new PipelineTrainerOptions
    {
        Classifier = new SvmClassifierOptions { Kernel = KernelKind.Rbf, C = 10, Normalizer = NormalizerKind.ZScore },
        FeatureSubset = SyntheticCells.Ids,
        RejectOutsideQuantile = quantile,
    }).Fit(SyntheticCells.Training);

    [Fact]
    public void Distance_is_the_rms_deviation_in_pooled_sds_by_hand()
    {
        // Two classes of one feature: a = {0, 2} (mean 1, SD 1), b = {4, 8} (mean 6, SD 2); pooled SD sqrt((2·1 + 2·4) / 4).
        var s = ClassFeatureStatistics.Compute(["f", "g"], ["a", "b"], [[0, 5], [2, 5], [4, 5], [8, 5]], ["a", "a", "b", "b"]);
        Assert.Equal(Math.Sqrt(10.0 / 4), s.PooledStandardDeviations[0], 15);
        Assert.Equal(0, s.PooledStandardDeviations[1]);
        // g is constant (pooled SD 0) and left out: the distance is |x − mean| / SD over f alone.
        Assert.Equal(3 / Math.Sqrt(2.5), s.Distance([4, 99], 0), 15);
        Assert.Equal(0, s.Distance([6, 5], 1), 15);
    }

    [Fact]
    public void The_threshold_is_the_nearest_rank_quantile_of_the_training_distances()
    {
        var s = ClassFeatureStatistics.Compute(["f"], ["a"], [[0], [1], [2], [3], [4]], ["a", "a", "a", "a", "a"]);
        // Mean 2, SD sqrt(2): distances 2/√2, 1/√2, 0, 1/√2, 2/√2; sorted 0, .71, .71, 1.41, 1.41.
        Assert.Equal(1 / Math.Sqrt(2), OutOfDistributionRule.Fit(s, [[0], [1], [2], [3], [4]], ["a", "a", "a", "a", "a"], 0.6).MaximumDistance, 15);
        Assert.Equal(2 / Math.Sqrt(2), OutOfDistributionRule.Fit(s, [[0], [1], [2], [3], [4]], ["a", "a", "a", "a", "a"], 1).MaximumDistance, 15);
        Assert.Throws<ArgumentException>(() => OutOfDistributionRule.Fit(s, [[0]], ["a"], 0));
    }

    [Fact]
    public void A_cell_far_from_every_class_is_not_recognised_and_the_rule_survives_save_and_load()
    {
        var model = Model(0.99);
        Assert.NotNull(model.RejectOutside);
        Assert.Equal(0.99, model.RejectOutside!.Quantile);

        var typical = SyntheticCells.Test.Rows[0];
        var far = typical with { Path = "far.png", Values = [.. typical.Values.Select(v => v + 40)] };
        var table = SyntheticCells.Table([typical, far]);
        var binding = model.Bind(table);
        Assert.Equal(CellStatus.Ok, model.Classify(typical, binding).Status);
        var rejected = model.Classify(far, binding);
        Assert.Equal(CellStatus.NotRecognised, rejected.Status);
        Assert.Null(rejected.Prediction);
        Assert.Contains("outside the training distribution", rejected.Error);
        Assert.NotNull(model.WithRejectOutside(null).Classify(far, binding).Prediction);

        // About 1 % of cells like the training ones are rejected.
        var test = SyntheticCells.Test;
        double share = test.Rows.Count(r => model.Classify(r, model.Bind(test)).Status == CellStatus.NotRecognised) / (double)test.Rows.Count;
        Assert.InRange(share, 0, 0.06);

        using var stream = new MemoryStream();
        model.Save(stream);
        string json = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("\"rejectOutside\"", json);
        var loaded = PipelineModel.Load(new MemoryStream(stream.ToArray()), "ood.json");
        Assert.Equal(model.RejectOutside, loaded.RejectOutside);
        Assert.Equal(CellStatus.NotRecognised, loaded.Classify(far, loaded.Bind(table)).Status);
        Assert.Contains("pooled SDs from the predicted class's mean", loaded.Describe());
    }

    [Fact]
    public void A_model_without_the_rule_labels_every_cell()
    {
        var model = Model(null);
        Assert.Null(model.RejectOutside);
        var far = SyntheticCells.Test.Rows[0] with { Values = [.. SyntheticCells.Test.Rows[0].Values.Select(v => v + 40)] };
        Assert.Equal(CellStatus.Ok, model.Classify(far, model.Bind(SyntheticCells.Table([far]))).Status);
    }
}
