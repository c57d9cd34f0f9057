using Raabin.Features.Evaluation;

namespace Raabin.Features.Tests.Evaluation;

public class PairedComparisonTests
{
    [Fact]
    public void CountsAgreementAndKappaByHand()
    {
        // truth      x x y y z z
        // model A    x x y z z x   right: 1 1 1 0 1 0
        // model B    x y y z x z   right: 1 0 1 0 0 1
        // both right 2 (samples 0, 2); only A 2 (1, 4); only B 1 (5); both wrong 1 (3)
        // McNemar: 2·P(X ≤ 1), X ~ Bin(3, 1/2) = 2·4/8 = 1 → capped at 1.
        // A vs B predictions agree on samples 0, 2, 3: 1/2.
        //   A\B  x y z   rows (A): x 3, y 1, z 2; columns (B): x 2, y 2, z 2
        //   x  [ 1 1 1 ]
        //   y  [ 0 1 0 ]    p_o = 3/6, p_e = (3·2 + 1·2 + 2·2)/36 = 1/3, κ = (1/2 − 1/3)/(2/3) = 1/4
        //   z  [ 1 0 1 ]
        string[] classes = ["x", "y", "z"];
        PairedComparisonResult result = PairedComparison.Compare(
            classes,
            ["x", "x", "y", "y", "z", "z"],
            ["x", "x", "y", "z", "z", "x"],
            ["x", "y", "y", "z", "x", "z"],
            new BootstrapOptions { Replicates = 200, Seed = 3 });

        Assert.Equal((2L, 2L, 1L, 1L), (result.McNemar.BothCorrect, result.McNemar.OnlyFirstCorrect, result.McNemar.OnlySecondCorrect, result.McNemar.BothWrong));
        Assert.Equal(1.0, result.McNemar.PValue);
        Assert.Equal(0.5, result.PredictionAgreement, 1e-15);
        Assert.Equal(0.25, result.PredictionKappa, 1e-15);
        Assert.Equal(4.0 / 6 - 3.0 / 6, result.AccuracyDifference.Estimate, 1e-15);
        Assert.Equal(result.MetricsA.MacroF1 - result.MetricsB.MacroF1, result.MacroF1Difference.Estimate);
        Assert.True(result.AccuracyDifference.Lower <= result.AccuracyDifference.Upper);
    }

    [Fact]
    public void IdenticalModelsDifferByExactlyZero()
    {
        int[] truth = [0, 1, 2, 0, 1, 2, 2, 1];
        int[] predicted = [0, 2, 2, 0, 1, 1, 2, 1];
        PairedComparisonResult result = PairedComparison.Compare(["a", "b", "c"], truth, predicted, predicted, new BootstrapOptions { Replicates = 100 });
        Assert.Equal(new ConfidenceInterval(0, 0, 0, 100), result.AccuracyDifference);
        Assert.Equal(new ConfidenceInterval(0, 0, 0, 100), result.MacroF1Difference);
        Assert.Equal(1.0, result.McNemar.PValue);
        Assert.Equal(1.0, result.PredictionKappa, 1e-15);
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => PairedComparison.Compare(["a", "b"], [0, 1], [0, 1], [0]));
        Assert.Throws<ArgumentException>(() => PairedComparison.Compare(["a", "b"], ["a"], ["a"], ["q"]));
    }

    [Fact]
    public void SerialisesToJson()
    {
        PairedComparisonResult result = PairedComparison.Compare(["a", "b"], [0, 1, 1], [0, 1, 0], [0, 0, 0], new BootstrapOptions { Replicates = 20 });
        string json = EvaluationJson.Serialize(result);
        PairedComparisonResult back = EvaluationJson.Deserialize<PairedComparisonResult>(json);
        Assert.Equal(result.McNemar, back.McNemar);
        Assert.Equal(result.AccuracyDifference, back.AccuracyDifference);
        Assert.Contains("\"accuracyDifference\"", json);
    }
}
