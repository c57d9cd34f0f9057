using Raabin.Features.Evaluation;

namespace Raabin.Features.Tests.Evaluation;

public class CalibrationTests
{
    [Fact]
    public void WorkedExampleWithThreeBins()
    {
        // Bins [0, 1/3], (1/3, 2/3], (2/3, 1].
        // bin 0: 0.2 (wrong)                         → n 1, conf 0.2, acc 0, gap 0.2
        // bin 1: 0.5 (right), 0.6 (wrong)            → n 2, conf 0.55, acc 0.5, gap 0.05
        // bin 2: 0.9 (right), 1.0 (right), 0.8 (wrong) → n 3, conf 0.9, acc 2/3, gap 0.9 − 2/3
        // ECE = (1·0.2 + 2·0.05 + 3·(0.9 − 2/3))/6 = (0.2 + 0.1 + 0.7)/6 = 1/6; MCE = 0.9 − 2/3
        double[] confidence = [0.2, 0.5, 0.6, 0.9, 1.0, 0.8];
        bool[] correct = [false, true, false, true, true, false];
        CalibrationResult result = Calibration.TopLabel(confidence, correct, binCount: 3);
        Assert.Equal(6, result.SampleCount);
        Assert.Equal(1.0 / 6, result.ExpectedCalibrationError, 1e-15);
        Assert.Equal(0.9 - 2.0 / 3, result.MaximumCalibrationError, 1e-15);
        Assert.Equal([1L, 2L, 3L], result.Bins.Select(b => b.Count));
        Assert.Equal(0.55, result.Bins[1].MeanConfidence, 1e-15);
        Assert.Equal(2.0 / 3, result.Bins[2].Accuracy, 1e-15);
        Assert.Equal((0.0, 1.0 / 3), (result.Bins[0].Lower, result.Bins[0].Upper));
    }

    [Fact]
    public void EdgesGoToTheLowerBinAndZeroToTheFirst()
    {
        Assert.Equal(0, Calibration.BinIndex(0.0, 15));
        Assert.Equal(0, Calibration.BinIndex(1.0 / 15, 15));
        Assert.Equal(1, Calibration.BinIndex(Math.BitIncrement(1.0 / 15), 15));
        Assert.Equal(6, Calibration.BinIndex(7 * (1.0 / 15), 15));
        Assert.Equal(14, Calibration.BinIndex(1.0, 15));
        Assert.Equal(0, Calibration.BinIndex(0.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.BinIndex(1.0000001, 15));
    }

    [Fact]
    public void EmptyBinsAreNaNAndNoSamplesGiveNaN()
    {
        CalibrationResult result = Calibration.TopLabel([0.95], [true]);
        Assert.Equal(15, result.Bins.Count);
        Assert.True(double.IsNaN(result.Bins[0].MeanConfidence));
        Assert.Equal(0.05, result.ExpectedCalibrationError, 1e-15);
        CalibrationResult empty = Calibration.TopLabel([], []);
        Assert.True(double.IsNaN(empty.ExpectedCalibrationError));
        Assert.Throws<ArgumentException>(() => Calibration.TopLabel([double.NaN], [true]));
        Assert.Throws<ArgumentException>(() => Calibration.TopLabel([0.5, 0.6], [true]));
    }

    [Fact]
    public void TopLabelFromProbabilityVectors()
    {
        // Sample 0: top b (0.7), truth b → right. Sample 1: tie a/c at 0.4 → a (first), truth c → wrong.
        CalibrationResult result = Calibration.TopLabel(
            ["a", "b", "c"], ["b", "c"], [[0.1, 0.7, 0.2], [0.4, 0.2, 0.4]], binCount: 2);
        Assert.Equal((1L, 0.4, 0.0), (result.Bins[0].Count, result.Bins[0].MeanConfidence, result.Bins[0].Accuracy));
        Assert.Equal((1L, 0.7, 1.0), (result.Bins[1].Count, result.Bins[1].MeanConfidence, result.Bins[1].Accuracy));
        Assert.Throws<ArgumentException>(() => Calibration.TopLabel(["a", "b"], ["a"], [[1.0]]));
    }

    [Fact]
    public void MatchesNumPyDigitizeGolden()
    {
        foreach (var golden in EvaluationFixtures.Load("calibration.json").GetProperty("cases").EnumerateArray())
        {
            double[] confidence = EvaluationFixtures.Doubles(golden.GetProperty("confidence"));
            bool[] correct = [.. EvaluationFixtures.Ints(golden.GetProperty("correct")).Select(v => v == 1)];
            CalibrationResult result = Calibration.TopLabel(confidence, correct);
            string what = $"n={confidence.Length}";
            var bins = golden.GetProperty("bins");
            for (int b = 0; b < 15; b++)
            {
                Assert.Equal(bins[b][0].GetInt64(), result.Bins[b].Count);
                EvaluationFixtures.AssertClose(EvaluationFixtures.Number(bins[b][1]), result.Bins[b].MeanConfidence, 1e-12, $"{what} bin {b} confidence");
                EvaluationFixtures.AssertClose(EvaluationFixtures.Number(bins[b][2]), result.Bins[b].Accuracy, 1e-12, $"{what} bin {b} accuracy");
            }

            EvaluationFixtures.AssertClose(golden.GetProperty("ece").GetDouble(), result.ExpectedCalibrationError, 1e-12, $"{what} ECE");
            EvaluationFixtures.AssertClose(golden.GetProperty("mce").GetDouble(), result.MaximumCalibrationError, 1e-12, $"{what} MCE");
        }
    }
}
