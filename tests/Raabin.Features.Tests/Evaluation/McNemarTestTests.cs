using Raabin.Features.Evaluation;

namespace Raabin.Features.Tests.Evaluation;

public class McNemarTestTests
{
    [Fact]
    public void SmallCasesByHand()
    {
        // b = 0, c = 3: 2·P(X ≤ 0) = 2/8.  b = 1, c = 4: 2·(1 + 5)/32 = 12/32.  b = c: 1.  b + c = 0: 1.
        Assert.Equal(0.25, McNemarTest.ExactPValue(0, 3), 1e-15);
        Assert.Equal(0.375, McNemarTest.ExactPValue(4, 1), 1e-15);
        Assert.Equal(1.0, McNemarTest.ExactPValue(7, 7));
        Assert.Equal(1.0, McNemarTest.ExactPValue(0, 0));
        Assert.Equal(1.0, McNemarTest.ExactPValue(3, 4));
    }

    [Fact]
    public void CountsComeFromCorrectnessFlags()
    {
        bool[] first = [true, true, false, false, true, true];
        bool[] second = [true, false, true, false, false, false];
        McNemarResult result = McNemarTest.Compare(first, second);
        Assert.Equal((1L, 3L, 1L, 1L), (result.BothCorrect, result.OnlyFirstCorrect, result.OnlySecondCorrect, result.BothWrong));
        // 2·P(X ≤ 1), X ~ Bin(4, 1/2) = 2·5/16.
        Assert.Equal(0.625, result.PValue, 1e-15);
        Assert.Equal(Math.Log(0.625), result.NaturalLogPValue, 1e-15);
    }

    [Fact]
    public void LogPValueStaysFiniteWhereThePValueUnderflows()
    {
        // 2·2⁻⁵⁰⁰⁰: ln = ln 2 − 5000 ln 2.
        Assert.Equal(0.0, McNemarTest.ExactPValue(0, 5000));
        Assert.Equal(-4999 * Math.Log(2), McNemarTest.LogExactPValue(0, 5000), 1e-9);
        Assert.Throws<ArgumentOutOfRangeException>(() => McNemarTest.ExactPValue(-1, 2));
    }

    [Fact]
    public void MatchesScipyBinomtest()
    {
        var rows = EvaluationFixtures.Load("mcnemar.json").GetProperty("rows");
        Assert.True(rows.GetArrayLength() > 400);
        foreach (var row in rows.EnumerateArray())
        {
            long b = row[0].GetInt64();
            long c = row[1].GetInt64();
            double expected = EvaluationFixtures.Number(row[2]);
            // Relative 1e-9; the floor only matters for p-values near the bottom of the double range.
            EvaluationFixtures.AssertClose(expected, McNemarTest.ExactPValue(b, c), 1e-9, $"McNemar b={b} c={c}", floor: 1e-290);
            EvaluationFixtures.AssertClose(expected, McNemarTest.ExactPValue(c, b), 1e-9, $"McNemar b={c} c={b}", floor: 1e-290);
        }
    }
}
