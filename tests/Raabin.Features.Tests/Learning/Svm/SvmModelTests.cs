using Raabin.Features.Learning.Svm;

namespace Raabin.Features.Tests.Learning.Svm;

public class SvmModelTests
{
    private static SvmModel TrainParityModel(bool probability) => new SvmTrainer(new SvmTrainerOptions
    {
        Kernel = new SvmKernel.Polynomial(SvmFixture.Instance.ModelNumber("gamma"), 0, 3),
        Cost = 6,
        ClassWeights = [1, 1, 1, 1, 10],
        Probability = probability,
    }).Fit(SvmFixture.Instance.TrainX, SvmFixture.Instance.TrainY);

    [Fact]
    public void A_model_rebuilt_from_its_public_fields_predicts_identically()
    {
        SvmModel model = TrainParityModel(probability: true);
        var vectors = new List<double[]>();
        for (int s = 0; s < model.SupportVectorCount; s++)
        {
            vectors.Add(model.SupportVector(s).ToArray());
        }

        var coefficients = new List<double[]>();
        for (int row = 0; row < model.ClassCount - 1; row++)
        {
            coefficients.Add(model.Coefficients(row).ToArray());
        }

        var rebuilt = new SvmModel(model.ClassCount, model.Kernel, vectors, model.SupportVectorCounts, coefficients, model.Rho, model.ProbabilityA, model.ProbabilityB, model.SupportVectorRows);
        Assert.Equal(model.FeatureCount, rebuilt.FeatureCount);
        foreach (double[] x in SvmFixture.Instance.TestX)
        {
            SvmPrediction expected = model.PredictDetailed(x);
            SvmPrediction actual = rebuilt.PredictDetailed(x);
            Assert.Equal(expected.ClassIndex, actual.ClassIndex);
            Assert.Equal(expected.DecisionValues, actual.DecisionValues);
            Assert.Equal(expected.Votes, actual.Votes);
            Assert.Equal(expected.Probabilities!, actual.Probabilities!);
            Assert.Equal(expected.MostProbableClass, actual.MostProbableClass);
        }
    }

    [Fact]
    public void Detailed_prediction_agrees_with_the_span_api()
    {
        SvmModel model = TrainParityModel(probability: false);
        var decisions = new double[model.PairCount];
        foreach (double[] x in SvmFixture.Instance.TestX.Take(20))
        {
            SvmPrediction detailed = model.PredictDetailed(x);
            Assert.Equal(model.Predict(x, decisions), detailed.ClassIndex);
            Assert.Equal(model.Predict(x), detailed.ClassIndex);
            Assert.Equal(decisions, detailed.DecisionValues);
            Assert.Equal(model.PairCount, detailed.Votes.Sum());
            Assert.Null(detailed.Probabilities);
            Assert.Null(detailed.MostProbableClass);
        }
    }

    [Fact]
    public void Pair_index_follows_libsvm_order()
    {
        var model = new SvmModel(4, new SvmKernel.Linear(), [[1.0]], [1, 0, 0, 0], [[0.0], [0.0], [0.0]], new double[6]);
        int expected = 0;
        for (int i = 0; i < 4; i++)
        {
            for (int j = i + 1; j < 4; j++)
            {
                Assert.Equal(expected++, model.PairIndex(i, j));
            }
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => model.PairIndex(2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.PairIndex(0, 4));
    }

    [Fact]
    public void Inconsistent_parts_are_refused()
    {
        SvmKernel k = new SvmKernel.Linear();
        Assert.Throws<ArgumentOutOfRangeException>(() => new SvmModel(1, k, [[1.0]], [1], [], []));
        Assert.Contains("sum to 2", Assert.Throws<ArgumentException>(() => new SvmModel(2, k, [[1.0]], [1, 1], [[0.5]], [0.0])).Message);
        Assert.Contains("one per support vector", Assert.Throws<ArgumentException>(() => new SvmModel(2, k, [[1.0]], [1, 0], [[0.5, 1]], [0.0])).Message);
        Assert.Contains("Expected 1 entries", Assert.Throws<ArgumentException>(() => new SvmModel(2, k, [[1.0]], [1, 0], [[0.5]], [0.0, 1.0])).Message);
        Assert.Contains("Support vector 1 has 2 features", Assert.Throws<ArgumentException>(() => new SvmModel(2, k, [[1.0], [1.0, 2.0]], [1, 1], [[0.5, 0.5]], [0.0])).Message);
        Assert.Throws<ArgumentException>(() => new SvmModel(2, k, [[1.0]], [1, 0], [[0.5]], [0.0], probabilityA: [1.0]));
        var model = new SvmModel(2, k, [[1.0, 2.0]], [1, 0], [[0.5]], [0.0]);
        Assert.Contains("expects 2 features", Assert.Throws<ArgumentException>(() => model.Predict([1.0])).Message);
    }

    [Fact]
    public void The_model_copies_what_it_is_given()
    {
        double[] vector = [1.0, 2.0];
        double[] coefficients = [0.5];
        double[] rho = [0.25];
        var model = new SvmModel(2, new SvmKernel.Linear(), [vector], [1, 0], [coefficients], rho);
        vector[0] = 100;
        coefficients[0] = 100;
        rho[0] = 100;
        Assert.Equal(1.0, model.SupportVector(0)[0]);
        Assert.Equal(0.5, model.Coefficients(0)[0]);
        Assert.Equal(0.25, model.Rho[0]);
    }
}
