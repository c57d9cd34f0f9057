using Raabin.Features.Evaluation;

namespace Raabin.Features.Tests.Evaluation;

public class ClassificationMetricsTests
{
    private const double Exact = 1e-15;

    [Fact]
    public void ThreeClassMatrixWorkedByHand()
    {
        // truth → prediction:  A→A ×3, A→B, B→B ×2, B→C, C→A, C→C ×2   (N = 10)
        //        A  B  C   support
        //   A  [ 3  1  0 ]   4
        //   B  [ 0  2  1 ]   3
        //   C  [ 1  0  2 ]   3
        //  col   4  3  3
        // precision = recall = F1: A 3/4, B 2/3, C 2/3;   accuracy 7/10
        // one-vs-rest accuracy: A (3 + 5)/10, B (2 + 6)/10, C (2 + 6)/10 = 0.8 each
        // macro-F1 = balanced accuracy = (3/4 + 2/3 + 2/3)/3 = 25/36
        // κ: p_o = 0.7, p_e = (4·4 + 3·3 + 3·3)/100 = 0.34, κ = 0.36/0.66 = 6/11
        // MCC: (7·10 − 34)/√((100 − 34)(100 − 34)) = 36/66 = 6/11
        string[] classes = ["A", "B", "C"];
        string[] truth = ["A", "A", "A", "A", "B", "B", "B", "C", "C", "C"];
        string[] predicted = ["A", "A", "A", "B", "B", "B", "C", "A", "C", "C"];
        ClassificationMetrics metrics = ClassificationMetrics.Compute(classes, truth, predicted);

        Assert.Equal(10, metrics.SampleCount);
        Assert.Equal(3, metrics.PresentClassCount);
        Assert.Equal([3L, 1L, 0L], metrics.ConfusionMatrix[0]);
        Assert.Equal([0L, 2L, 1L], metrics.ConfusionMatrix[1]);
        Assert.Equal([1L, 0L, 2L], metrics.ConfusionMatrix[2]);
        double[] expectedScore = [3.0 / 4, 2.0 / 3, 2.0 / 3];
        for (int c = 0; c < 3; c++)
        {
            ClassMetrics m = metrics.PerClass[c];
            Assert.Equal(classes[c], m.Class);
            Assert.Equal(expectedScore[c], m.Precision, Exact);
            Assert.Equal(expectedScore[c], m.Recall, Exact);
            Assert.Equal(expectedScore[c], m.Sensitivity, Exact);
            Assert.Equal(expectedScore[c], m.F1, Exact);
            Assert.Equal(0.8, m.OneVsRestAccuracy, Exact);
            Assert.Equal(10, m.TruePositives + m.FalsePositives + m.FalseNegatives + m.TrueNegatives);
        }

        Assert.Equal((3L, 1L, 1L, 5L), (metrics.PerClass[0].TruePositives, metrics.PerClass[0].FalsePositives, metrics.PerClass[0].FalseNegatives, metrics.PerClass[0].TrueNegatives));
        Assert.Equal(0.7, metrics.Accuracy, Exact);
        Assert.Equal(25.0 / 36, metrics.MacroF1, Exact);
        Assert.Equal(25.0 / 36, metrics.MacroF1OverPresentClasses, Exact);
        Assert.Equal(25.0 / 36, metrics.BalancedAccuracy, Exact);
        Assert.Equal(25.0 / 36, metrics.MacroPrecision, Exact);
        Assert.Equal(25.0 / 36, metrics.MacroRecall, Exact);
        Assert.Equal(6.0 / 11, metrics.CohenKappa, Exact);
        Assert.Equal(6.0 / 11, metrics.MatthewsCorrelation, Exact);
    }

    [Fact]
    public void ClassAbsentFromTruthAndClassPredictedButNeverTrue()
    {
        // classes A B C D; truth A A B B; predicted A D B B. C never appears; D is predicted once but never true.
        // A: P 1/1, R 1/2, F1 2/3.  B: P 1, R 1, F1 1.  C: P 0 (never predicted), R 0 (absent), F1 0.  D: P 0/1, R 0, F1 0.
        // macro-F1 over all classes (2/3 + 1)/4 = 5/12; over the present classes A, B (2/3 + 1)/2 = 5/6
        // balanced accuracy (1/2 + 1)/2 = 3/4; macro recall over all (1/2 + 1)/4 = 3/8; macro precision (1 + 1)/4 = 1/2
        // κ: p_o = 3/4, p_e = (2·1 + 2·2)/16 = 3/8, κ = (3/8)/(5/8) = 3/5
        // MCC: (3·4 − 6)/√((16 − 6)(16 − 8)) = 6/√80
        ClassificationMetrics metrics = ClassificationMetrics.Compute(["A", "B", "C", "D"], ["A", "A", "B", "B"], ["A", "D", "B", "B"]);

        Assert.Equal(2, metrics.PresentClassCount);
        Assert.Equal(2.0 / 3, metrics.PerClass[0].F1, Exact);
        Assert.Equal((0L, 0L, 0.0, 0.0, 0.0), (metrics.PerClass[2].Support, metrics.PerClass[2].Predicted, metrics.PerClass[2].Precision, metrics.PerClass[2].Recall, metrics.PerClass[2].F1));
        Assert.Equal((0L, 1L, 0.0, 0.0, 0.0), (metrics.PerClass[3].Support, metrics.PerClass[3].Predicted, metrics.PerClass[3].Precision, metrics.PerClass[3].Recall, metrics.PerClass[3].F1));
        Assert.Equal(0.75, metrics.PerClass[3].OneVsRestAccuracy, Exact);
        Assert.Equal(1.0, metrics.PerClass[2].OneVsRestAccuracy, Exact);
        Assert.Equal(0.75, metrics.Accuracy, Exact);
        Assert.Equal(5.0 / 12, metrics.MacroF1, Exact);
        Assert.Equal(5.0 / 6, metrics.MacroF1OverPresentClasses, Exact);
        Assert.Equal(0.75, metrics.BalancedAccuracy, Exact);
        Assert.Equal(3.0 / 8, metrics.MacroRecall, Exact);
        Assert.Equal(0.5, metrics.MacroPrecision, Exact);
        Assert.Equal(0.6, metrics.CohenKappa, Exact);
        Assert.Equal(6.0 / Math.Sqrt(80), metrics.MatthewsCorrelation, Exact);
    }

    [Fact]
    public void SingleSampleClasses()
    {
        // truth A B C, predicted A C C: A P 1 R 1 F1 1; B P 0 (never predicted) R 0 F1 0; C P 1/2 R 1 F1 2/3.
        // macro-F1 (1 + 0 + 2/3)/3 = 5/9; balanced accuracy (1 + 0 + 1)/3 = 2/3
        // κ: p_o 2/3, p_e (1·1 + 1·0 + 1·2)/9 = 1/3, κ = (1/3)/(2/3) = 1/2
        ClassificationMetrics metrics = ClassificationMetrics.Compute(["A", "B", "C"], ["A", "B", "C"], ["A", "C", "C"]);
        Assert.Equal([1.0, 0.0, 2.0 / 3], [metrics.PerClass[0].F1, metrics.PerClass[1].F1, metrics.PerClass[2].F1]);
        Assert.Equal(5.0 / 9, metrics.MacroF1, Exact);
        Assert.Equal(2.0 / 3, metrics.BalancedAccuracy, Exact);
        Assert.Equal(0.5, metrics.CohenKappa, Exact);
    }

    [Fact]
    public void AllCorrectAndAllWrong()
    {
        ClassificationMetrics right = ClassificationMetrics.Compute(["x", "y"], ["x", "y", "y"], ["x", "y", "y"]);
        Assert.Equal((1.0, 1.0, 1.0, 1.0, 1.0), (right.Accuracy, right.MacroF1, right.BalancedAccuracy, right.CohenKappa, right.MatthewsCorrelation));

        // Two classes swapped: p_o = 0, p_e = 1/2, κ = −1; MCC (0·2 − 2)/√(2·2) = −1.
        ClassificationMetrics wrong = ClassificationMetrics.Compute(["x", "y"], ["x", "y"], ["y", "x"]);
        Assert.Equal((0.0, 0.0, 0.0, -1.0, -1.0), (wrong.Accuracy, wrong.MacroF1, wrong.BalancedAccuracy, wrong.CohenKappa, wrong.MatthewsCorrelation));
    }

    [Fact]
    public void OneClassEverywhereLeavesKappaUndefinedAndMccZero()
    {
        ClassificationMetrics metrics = ClassificationMetrics.Compute(["a", "b"], ["a", "a"], ["a", "a"]);
        Assert.True(double.IsNaN(metrics.CohenKappa));
        Assert.Equal(0.0, metrics.MatthewsCorrelation);
        Assert.Equal(0.5, metrics.MacroF1, Exact);
        Assert.Equal(1.0, metrics.MacroF1OverPresentClasses, Exact);
    }

    [Fact]
    public void NoSamplesGiveNaN()
    {
        ClassificationMetrics metrics = ConfusionMatrix.FromIndices(["a", "b"], [], []).ComputeMetrics();
        Assert.True(double.IsNaN(metrics.Accuracy));
        Assert.True(double.IsNaN(metrics.MacroF1));
        Assert.True(double.IsNaN(metrics.BalancedAccuracy));
        Assert.True(double.IsNaN(metrics.CohenKappa));
        Assert.True(double.IsNaN(metrics.MatthewsCorrelation));
        Assert.True(double.IsNaN(metrics.PerClass[0].OneVsRestAccuracy));
    }

    [Fact]
    public void UnknownLabelsAndBadInputAreRejectedByName()
    {
        var unknown = Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromLabels(["a", "b"], ["a", "b"], ["a", "zebra"]));
        Assert.Contains("predictions", unknown.Message);
        Assert.Contains("zebra", unknown.Message);
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromLabels(["a", "a"], ["a"], ["a"]));
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromIndices(["a", "b"], [0, 1], [0]));
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.FromIndices(["a", "b"], [0, 2], [0, 1]));
    }

    [Fact]
    public void UnionAppendsUnknownLabelsSorted()
    {
        IReadOnlyList<string> classes = ClassLabels.Union(["b", "a"], ["a", "z", "c"], ["y"]);
        Assert.Equal(["b", "a", "c", "y", "z"], classes);
    }

    [Fact]
    public void MatrixAccessorsAndCountsRoundTrip()
    {
        ConfusionMatrix matrix = ConfusionMatrix.FromIndices(["p", "q", "r"], [0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2]);
        Assert.Equal(6, matrix.SampleCount);
        Assert.Equal(1, matrix[0, 1]);
        Assert.Equal(2, matrix.Support(0));
        Assert.Equal(2, matrix.PredictedCount(0));
        long[,] counts = { { 1, 1, 0 }, { 0, 1, 0 }, { 1, 0, 2 } };
        Assert.Equal(matrix.ToRows(), ConfusionMatrix.FromCounts(["p", "q", "r"], counts).ToRows());
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix[3, 0]);
    }

    [Fact]
    public void JsonRoundTripKeepsNaN()
    {
        ClassificationMetrics metrics = ClassificationMetrics.Compute(["a", "b"], ["a", "a"], ["a", "a"]);
        string json = EvaluationJson.Serialize(metrics);
        Assert.Contains("\"cohenKappa\": \"NaN\"", json);
        Assert.Contains("\"macroF1OverPresentClasses\": 1", json);
        Assert.DoesNotContain("sensitivity", json);
        ClassificationMetrics back = EvaluationJson.Deserialize<ClassificationMetrics>(json);
        Assert.True(double.IsNaN(back.CohenKappa));
        Assert.Equal(metrics.MacroF1, back.MacroF1);
        Assert.Equal(metrics.PerClass[0], back.PerClass[0]);
        Assert.Equal(metrics.ConfusionMatrix[0], back.ConfusionMatrix[0]);
    }

    public static TheoryData<int> GoldenCases()
    {
        var data = new TheoryData<int>();
        int count = EvaluationFixtures.Load("metrics.json").GetProperty("cases").GetArrayLength();
        for (int i = 0; i < count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void MatchesScikitLearn(int index)
    {
        var golden = EvaluationFixtures.Load("metrics.json").GetProperty("cases")[index];
        string name = golden.GetProperty("name").GetString()!;
        string[] classes = EvaluationFixtures.Strings(golden.GetProperty("classes"));
        int[] truth = EvaluationFixtures.Ints(golden.GetProperty("truth"));
        int[] predicted = EvaluationFixtures.Ints(golden.GetProperty("predicted"));

        // Half of the cases go through the class-name entry point.
        ClassificationMetrics metrics = index % 2 == 0
            ? ConfusionMatrix.FromIndices(classes, truth, predicted).ComputeMetrics()
            : ClassificationMetrics.Compute(classes, [.. truth.Select(t => classes[t])], [.. predicted.Select(p => classes[p])]);

        var confusion = golden.GetProperty("confusion");
        for (int t = 0; t < classes.Length; t++)
        {
            Assert.Equal(EvaluationFixtures.Ints(confusion[t]).Select(v => (long)v), metrics.ConfusionMatrix[t]);
        }

        double[] precision = EvaluationFixtures.Doubles(golden.GetProperty("precision"));
        double[] recall = EvaluationFixtures.Doubles(golden.GetProperty("recall"));
        double[] f1 = EvaluationFixtures.Doubles(golden.GetProperty("f1"));
        int[] support = EvaluationFixtures.Ints(golden.GetProperty("support"));
        for (int c = 0; c < classes.Length; c++)
        {
            // Per-class values follow scikit-learn's operations, so they are equal to the bit.
            Assert.Equal(precision[c], metrics.PerClass[c].Precision);
            Assert.Equal(recall[c], metrics.PerClass[c].Recall);
            Assert.Equal(f1[c], metrics.PerClass[c].F1);
            Assert.Equal(support[c], metrics.PerClass[c].Support);
        }

        Check("accuracy", metrics.Accuracy);
        Check("macro_precision", metrics.MacroPrecision);
        Check("macro_recall", metrics.MacroRecall);
        Check("macro_f1", metrics.MacroF1);
        Check("macro_f1_present", metrics.MacroF1OverPresentClasses);
        Check("balanced_accuracy", metrics.BalancedAccuracy);
        Check("cohen_kappa", metrics.CohenKappa);
        Check("mcc", metrics.MatthewsCorrelation);

        void Check(string key, double actual) =>
            EvaluationFixtures.AssertClose(EvaluationFixtures.Number(golden.GetProperty(key)), actual, 1e-12, $"{name} {key}");
    }
}
