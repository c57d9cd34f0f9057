using Raabin.Features.Evaluation;
using Raabin.Features.Evaluation.Statistics;

namespace Raabin.Features.Tests.Evaluation;

public class DomainShiftTests
{
    [Fact]
    public void KolmogorovSmirnovSmallCaseByHand()
    {
        // a = {1, 2, 3}, b = {4, 5, 6}: the CDFs are 1 and 0 after x = 3, so D = 1. Of the C(6, 3) = 20 interleavings,
        // only "all a first" and "all b first" reach D = 1: p = 2/20.
        KolmogorovSmirnovResult result = KolmogorovSmirnov.TwoSample([3.0, 1.0, 2.0], [6.0, 4.0, 5.0]);
        Assert.Equal(1.0, result.Statistic);
        Assert.Equal(0.1, result.PValue, 1e-15);
        Assert.Equal(KolmogorovSmirnovMethod.Exact, result.Method);
        // Identical samples: D = 0, p = 1.
        Assert.Equal(new KolmogorovSmirnovResult(0, 1, KolmogorovSmirnovMethod.Exact), KolmogorovSmirnov.TwoSample([1.0, 2.0], [2.0, 1.0]));
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([], [1.0]));
        Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([double.NaN], [1.0]));
    }

    [Fact]
    public void KolmogorovSmirnovMatchesScipy()
    {
        foreach (var golden in EvaluationFixtures.Load("ks.json").GetProperty("cases").EnumerateArray())
        {
            double[] a = EvaluationFixtures.Doubles(golden.GetProperty("a"));
            double[] b = EvaluationFixtures.Doubles(golden.GetProperty("b"));
            KolmogorovSmirnovResult result = KolmogorovSmirnov.TwoSample(a, b);
            string what = $"KS n1={a.Length} n2={b.Length}";
            Assert.Equal(golden.GetProperty("statistic").GetDouble(), result.Statistic);
            EvaluationFixtures.AssertClose(golden.GetProperty("pvalue").GetDouble(), result.PValue, 1e-9, what + " p", floor: 1e-290);
        }
    }

    [Fact]
    public void AsymptoticRegimeAboveTheExactLimit()
    {
        // 10 001 vs 10 001 values shifted by half a spacing of 1/10001: D is 1/10001, far below any significance,
        // so the p-value is essentially 1; a shift of 0.1 gives D = 0.1 and a vanishing p-value.
        int n = KolmogorovSmirnov.MaxExactSampleSize + 1;
        double[] a = new double[n];
        double[] b = new double[n];
        double[] c = new double[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = (double)i / n;
            b[i] = (i + 0.5) / n;
            c[i] = (double)i / n + 0.1;
        }

        KolmogorovSmirnovResult close = KolmogorovSmirnov.TwoSample(a, b);
        Assert.Equal(KolmogorovSmirnovMethod.Asymptotic, close.Method);
        Assert.Equal(1.0 / n, close.Statistic, 1e-15);
        Assert.Equal(1.0, close.PValue, 1e-12);
        KolmogorovSmirnovResult far = KolmogorovSmirnov.TwoSample(a, c);
        Assert.InRange(far.Statistic, 0.0999, 0.1001);
        Assert.True(far.PValue < 1e-40, $"p = {far.PValue:R}");
    }

    [Fact]
    public void KolmogorovSurvivalKnownValues()
    {
        // Kolmogorov distribution: P(K ≤ 1.3581) ≈ 0.95, P(K ≤ 1.6276) ≈ 0.99 (standard critical values).
        Assert.Equal(0.05, KolmogorovSmirnov.KolmogorovSurvival(1.3581), 1e-4);
        Assert.Equal(0.01, KolmogorovSmirnov.KolmogorovSurvival(1.6276), 1e-4);
        // The two series agree where they meet.
        Assert.Equal(KolmogorovSmirnov.KolmogorovSurvival(Math.BitDecrement(1.0)), KolmogorovSmirnov.KolmogorovSurvival(1.0), 1e-14);
    }

    [Fact]
    public void StandardizedMeanDifferenceByHand()
    {
        // A = {1, 2, 3}: mean 2, s² = 1.  B = {3, 5, 7}: mean 5, s² = 4.  pooled = √((2·1 + 2·4)/4) = √2.5
        double d = DomainShift.StandardizedMeanDifference([1.0, 2.0, 3.0], [3.0, 5.0, 7.0]);
        Assert.Equal(3 / Math.Sqrt(2.5), d, 1e-15);
        FeatureShift shift = DomainShift.Measure("f", [1.0, double.NaN, 2.0, 3.0], [3.0, 5.0, 7.0]);
        Assert.Equal((3, 3, 2.0, 5.0, 1.0, 2.0), (shift.CountA, shift.CountB, shift.MeanA, shift.MeanB, shift.StandardDeviationA, shift.StandardDeviationB));
        Assert.Equal(d, shift.StandardizedMeanDifference);
        Assert.True(double.IsNaN(DomainShift.StandardizedMeanDifference([1.0, 1.0], [1.0, 1.0])));
        Assert.True(double.IsNaN(DomainShift.Measure("g", [], [1.0, 2.0]).KolmogorovSmirnovStatistic));
    }

    [Fact]
    public void StandardizedMeanDifferenceMatchesNumPy()
    {
        foreach (var golden in EvaluationFixtures.Load("shift.json").GetProperty("cases").EnumerateArray())
        {
            double[] a = EvaluationFixtures.Doubles(golden.GetProperty("a"));
            double[] b = EvaluationFixtures.Doubles(golden.GetProperty("b"));
            FeatureShift shift = DomainShift.Measure("x", a, b);
            string what = $"shift n1={a.Length} n2={b.Length}";
            EvaluationFixtures.AssertClose(golden.GetProperty("mean_a").GetDouble(), shift.MeanA, 1e-14, what + " mean A");
            EvaluationFixtures.AssertClose(golden.GetProperty("mean_b").GetDouble(), shift.MeanB, 1e-14, what + " mean B");
            EvaluationFixtures.AssertClose(golden.GetProperty("sd_a").GetDouble(), shift.StandardDeviationA, 1e-13, what + " SD A");
            EvaluationFixtures.AssertClose(golden.GetProperty("sd_b").GetDouble(), shift.StandardDeviationB, 1e-13, what + " SD B");
            EvaluationFixtures.AssertClose(golden.GetProperty("pooled_sd").GetDouble(), shift.PooledStandardDeviation, 1e-13, what + " pooled");
            EvaluationFixtures.AssertClose(golden.GetProperty("smd").GetDouble(), shift.StandardizedMeanDifference, 1e-12, what + " SMD");
        }
    }

    [Fact]
    public void RankingOrdersByShiftThenId()
    {
        double[] baseValues = [1, 2, 3, 4];
        IReadOnlyList<FeatureShift> ranked = DomainShift.Rank(
            ["same", "big", "small", "tied", "empty"],
            [baseValues, baseValues, baseValues, baseValues, [double.NaN]],
            [baseValues, [11.0, 12, 13, 14], [2.0, 3, 4, 5], [11.0, 12, 13, 14], [1.0]]);
        Assert.Equal(["big", "tied", "small", "same", "empty"], ranked.Select(s => s.FeatureId));
        IReadOnlyList<FeatureShift> byKs = DomainShift.Rank(
            ["same", "small"], [baseValues, baseValues], [baseValues, [2.0, 3, 4, 5]], ShiftRankingOrder.KolmogorovSmirnovStatistic);
        Assert.Equal(["small", "same"], byKs.Select(s => s.FeatureId));
        Assert.Throws<ArgumentException>(() => DomainShift.Rank(["a"], [], []));
    }
}

public class EvaluationJsonTests
{
    [Fact]
    public void RecordsRoundTripWithNaNAndEnumNames()
    {
        CalibrationResult calibration = Calibration.TopLabel([0.9, 0.3], [true, false], binCount: 3);
        string json = EvaluationJson.Serialize(calibration);
        Assert.Contains("\"meanConfidence\": \"NaN\"", json);
        CalibrationResult back = EvaluationJson.Deserialize<CalibrationResult>(json);
        Assert.Equal(calibration.ExpectedCalibrationError, back.ExpectedCalibrationError);
        Assert.Equal(calibration.Bins, back.Bins);

        var ks = KolmogorovSmirnov.TwoSample([1.0, 2.0], [3.0, 4.0]);
        string ksJson = EvaluationJson.Serialize(ks);
        Assert.Contains("\"method\": \"exact\"", ksJson);
        Assert.Equal(ks, EvaluationJson.Deserialize<KolmogorovSmirnovResult>(ksJson));

        BootstrapResult bootstrap = Bootstrap.StratifiedIntervals(["a", "b"], [0, 1, 1], [0, 1, 0], new BootstrapOptions { Replicates = 30 });
        BootstrapResult bootstrapBack = EvaluationJson.Deserialize<BootstrapResult>(EvaluationJson.Serialize(bootstrap));
        Assert.Equal(bootstrap.Accuracy, bootstrapBack.Accuracy);
        Assert.Equal(bootstrap.Classes, bootstrapBack.Classes);
        Assert.Throws<System.Text.Json.JsonException>(() => EvaluationJson.Deserialize<BootstrapResult>("null"));
    }
}
