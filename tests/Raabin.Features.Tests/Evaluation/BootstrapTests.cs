using System.Globalization;
using System.Text.Json;
using Raabin.Features.Evaluation;
using Raabin.Features.Evaluation.Statistics;

namespace Raabin.Features.Tests.Evaluation;

public class BootstrapTests
{
    private static JsonElement Golden => EvaluationFixtures.Load("bootstrap.json");

    [Fact]
    public void SplitMix64MatchesTheReferenceSequence()
    {
        // Seed 1234567 is the test vector of the reference C implementation; bootstrap_golden.py reproduces it too.
        var expected = Golden.GetProperty("splitmix64").GetProperty("outputs");
        var random = new SplitMix64(1234567);
        foreach (var output in expected.EnumerateArray())
        {
            Assert.Equal(ulong.Parse(output.GetString()!, CultureInfo.InvariantCulture), random.Next());
        }

        Assert.Equal(6457827717110365317UL, new SplitMix64(1234567).Next());
    }

    [Fact]
    public void StreamsAndIndicesMatchThePythonReimplementation()
    {
        var streams = Golden.GetProperty("streams");
        ulong seed = ulong.Parse(streams.GetProperty("seed").GetString()!, CultureInfo.InvariantCulture);
        var firsts = streams.GetProperty("first_output_of_stream");
        for (int r = 0; r < firsts.GetArrayLength(); r++)
        {
            Assert.Equal(ulong.Parse(firsts[r].GetString()!, CultureInfo.InvariantCulture), SplitMix64.ForStream(seed, r).Next());
        }

        // Stream r starts where output r of the plain generator is.
        var plain = new SplitMix64(seed);
        for (int r = 0; r < 3; r++)
        {
            Assert.Equal(new SplitMix64(plain.Next()).Next(), SplitMix64.ForStream(seed, r).Next());
        }

        Assert.Equal(streams.GetProperty("next_index_1000")[0].GetInt32(), SplitMix64.ForStream(seed, 0).NextIndex(1000));
    }

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Golden.GetProperty("cases").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IntervalsMatchThePythonReimplementationWithScikitLearnMetrics(int index)
    {
        var golden = Golden.GetProperty("cases")[index];
        string name = golden.GetProperty("name").GetString()!;
        string[] classes = EvaluationFixtures.Strings(golden.GetProperty("classes"));
        int[] truth = EvaluationFixtures.Ints(golden.GetProperty("truth"));
        int[] predicted = EvaluationFixtures.Ints(golden.GetProperty("predicted_a"));
        var options = Options(golden);

        BootstrapResult result = Bootstrap.StratifiedIntervals(classes, truth, predicted, options);
        var single = golden.GetProperty("single");
        Check(single.GetProperty("accuracy"), result.Accuracy, $"{name} accuracy");
        Check(single.GetProperty("macro_f1"), result.MacroF1, $"{name} macro-F1");
        Check(single.GetProperty("macro_f1_present"), result.MacroF1OverPresentClasses, $"{name} macro-F1 present");
        Check(single.GetProperty("balanced_accuracy"), result.BalancedAccuracy, $"{name} balanced accuracy");
        Check(single.GetProperty("cohen_kappa"), result.CohenKappa, $"{name} kappa");
        Assert.Equal(options.Replicates, result.Replicates);
        Assert.Equal(options.Seed, result.Seed);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PairedIntervalsMatchThePythonReimplementation(int index)
    {
        var golden = Golden.GetProperty("cases")[index];
        string name = golden.GetProperty("name").GetString()!;
        string[] classes = EvaluationFixtures.Strings(golden.GetProperty("classes"));
        int[] truth = EvaluationFixtures.Ints(golden.GetProperty("truth"));
        int[] predictedA = EvaluationFixtures.Ints(golden.GetProperty("predicted_a"));
        int[] predictedB = EvaluationFixtures.Ints(golden.GetProperty("predicted_b"));

        PairedComparisonResult result = PairedComparison.Compare(classes, truth, predictedA, predictedB, Options(golden));
        var paired = golden.GetProperty("paired");
        Check(paired.GetProperty("accuracy_difference"), result.AccuracyDifference, $"{name} accuracy difference");
        Check(paired.GetProperty("macro_f1_difference"), result.MacroF1Difference, $"{name} macro-F1 difference");
    }

    [Fact]
    public void SameSeedSameIntervalsWhateverTheThreadCount()
    {
        string[] classes = ["a", "b", "c", "d"];
        int[] truth = [0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 0, 1];
        int[] predicted = [0, 1, 0, 1, 1, 2, 1, 2, 0, 3, 3, 2, 3, 3, 0, 1];
        BootstrapResult one = Bootstrap.StratifiedIntervals(classes, truth, predicted, new BootstrapOptions { Replicates = 300, Seed = 5, MaxDegreeOfParallelism = 1 });
        BootstrapResult many = Bootstrap.StratifiedIntervals(classes, truth, predicted, new BootstrapOptions { Replicates = 300, Seed = 5, MaxDegreeOfParallelism = 4 });
        BootstrapResult other = Bootstrap.StratifiedIntervals(classes, truth, predicted, new BootstrapOptions { Replicates = 300, Seed = 6 });
        Assert.Equal(one, many with { Classes = one.Classes });
        Assert.Equal(one.Classes, many.Classes);
        Assert.NotEqual(one.MacroF1, other.MacroF1);
        Assert.True(one.Accuracy.Lower <= one.Accuracy.Estimate && one.Accuracy.Estimate <= one.Accuracy.Upper);
    }

    [Fact]
    public void SmallClassesAreFlagged()
    {
        // Supports: a 12, b 9, c 0.
        string[] classes = ["a", "b", "c"];
        int[] truth = [.. Enumerable.Repeat(0, 12), .. Enumerable.Repeat(1, 9)];
        BootstrapResult result = Bootstrap.StratifiedIntervals(classes, truth, truth, new BootstrapOptions { Replicates = 10 });
        Assert.Equal([new ClassSupport("a", 12, false), new ClassSupport("b", 9, true), new ClassSupport("c", 0, true)], result.Classes);
        BootstrapResult lower = Bootstrap.StratifiedIntervals(classes, truth, truth, new BootstrapOptions { Replicates = 10, SmallClassThreshold = 9 });
        Assert.False(lower.Classes[1].IsSmall);
        Assert.Equal(10, result.SmallClassThreshold);
    }

    [Fact]
    public void PercentileInterpolatesLinearly()
    {
        double[] sorted = [1, 2, 4, 8];
        Assert.Equal(1, Bootstrap.Percentile(sorted, 0));
        Assert.Equal(8, Bootstrap.Percentile(sorted, 1));
        Assert.Equal(3, Bootstrap.Percentile(sorted, 0.5), 1e-15); // h = 1.5
        Assert.Equal(1.075, Bootstrap.Percentile(sorted, 0.025), 1e-15); // h = 0.075
        Assert.True(double.IsNaN(Bootstrap.Percentile([], 0.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.Percentile(sorted, 1.5));
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.StratifiedIntervals(["a"], [0], [0], new BootstrapOptions { Replicates = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.StratifiedIntervals(["a"], [0], [0], new BootstrapOptions { ConfidenceLevel = 1 }));
    }

    private static BootstrapOptions Options(JsonElement golden) => new()
    {
        Replicates = golden.GetProperty("replicates").GetInt32(),
        Seed = ulong.Parse(golden.GetProperty("seed").GetString()!, CultureInfo.InvariantCulture),
        ConfidenceLevel = golden.GetProperty("level").GetDouble(),
    };

    private static void Check(JsonElement expected, ConfidenceInterval actual, string what)
    {
        EvaluationFixtures.AssertClose(EvaluationFixtures.Number(expected.GetProperty("estimate")), actual.Estimate, 1e-9, what + " estimate");
        EvaluationFixtures.AssertClose(EvaluationFixtures.Number(expected.GetProperty("lower")), actual.Lower, 1e-9, what + " lower");
        EvaluationFixtures.AssertClose(EvaluationFixtures.Number(expected.GetProperty("upper")), actual.Upper, 1e-9, what + " upper");
        Assert.Equal(expected.GetProperty("valid").GetInt32(), actual.ValidReplicates);
    }
}
