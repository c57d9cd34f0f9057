using Raabin.Features.Learning.Svm;

namespace Raabin.Features.Tests.Learning.Svm;

public class SvmProbabilityTests
{
    [Fact]
    public void Sigmoid_fit_stops_where_the_gradient_vanishes()
    {
        // Decision values that overlap between the classes, so the maximum-likelihood sigmoid is finite.
        var random = new Random(9);
        int n = 200;
        var f = new double[n];
        var positive = new bool[n];
        for (int i = 0; i < n; i++)
        {
            positive[i] = i % 2 == 0;
            f[i] = (positive[i] ? 1.0 : -1.0) + 1.5 * (random.NextDouble() - 0.5) * 2;
        }

        (double a, double b) = SvmProbability.FitSigmoid(f, positive);
        Assert.True(a < 0, "larger decision values must mean a higher P(+1)");

        // Platt's targets and the gradient of the negative log-likelihood in (A, B).
        double hi = (n / 2 + 1.0) / (n / 2 + 2.0);
        double lo = 1 / (n / 2 + 2.0);
        double g1 = 0;
        double g2 = 0;
        for (int i = 0; i < n; i++)
        {
            double p = 1 / (1 + Math.Exp(f[i] * a + b));
            double t = positive[i] ? hi : lo;
            g1 += f[i] * (t - p);
            g2 += t - p;
        }

        Assert.InRange(Math.Abs(g1), 0, 1e-5);
        Assert.InRange(Math.Abs(g2), 0, 1e-5);
        Assert.Equal(1 / (1 + Math.Exp(2 * a + b)), SvmProbability.PredictSigmoid(2, a, b), 15);
        Assert.Equal(1 / (1 + Math.Exp(-2 * a + b)), SvmProbability.PredictSigmoid(-2, a, b), 15);
    }

    [Fact]
    public void Pairwise_coupling_recovers_consistent_probabilities()
    {
        // If r_ij = p_i / (p_i + p_j) exactly, the coupled solution is p itself.
        double[] p = [0.5, 0.2, 0.2, 0.1];
        int k = p.Length;
        var r = new double[k * k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                r[i * k + j] = i == j ? 0 : p[i] / (p[i] + p[j]);
            }
        }

        var coupled = new double[k];
        SvmProbability.CouplePairwise(k, r, coupled);
        for (int i = 0; i < k; i++)
        {
            Assert.Equal(p[i], coupled[i], 3);
        }

        Assert.Equal(1.0, coupled.Sum(), 12);
    }

    [Fact]
    public void Probabilities_are_close_to_svm_predict_b1()
    {
        // LIBSVM's cross-validation shuffles with rand(), this trainer with a seeded Random, so only closeness is
        // expected. Seed 0 is fixed; the bounds are a few times what that seed gives.
        var fixture = SvmFixture.Instance;
        var model = new SvmTrainer(new SvmTrainerOptions
        {
            Kernel = new SvmKernel.Polynomial(fixture.ModelNumber("gamma"), 0, 3),
            Cost = 6,
            ClassWeights = [1, 1, 1, 1, 10],
            Probability = true,
            Seed = 0,
        }).Fit(fixture.TrainX, fixture.TrainY);

        double[] libsvmA = fixture.ModelNumbers("svm-train-b1 probA");
        double[] libsvmB = fixture.ModelNumbers("svm-train-b1 probB");
        for (int pair = 0; pair < model.PairCount; pair++)
        {
            Assert.InRange(model.ProbabilityA![pair], libsvmA[pair] - 0.5, libsvmA[pair] + 0.5);
            Assert.InRange(model.ProbabilityB![pair], libsvmB[pair] - 1, libsvmB[pair] + 1); // B varies more with the shuffle
        }

        var golden = File.ReadLines(SvmFixture.Path("golden-probability.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var probabilities = new double[model.ClassCount];
        int agree = 0;
        double totalDifference = 0;
        for (int r = 0; r < fixture.TestX.Count; r++)
        {
            int predicted = model.PredictProbabilities(fixture.TestX[r], probabilities);
            Assert.Equal(1.0, probabilities.Sum(), 9);
            Assert.All(probabilities, p => Assert.InRange(p, 0, 1));
            agree += predicted == int.Parse(golden[r][0]) ? 1 : 0;
            for (int c = 0; c < model.ClassCount; c++)
            {
                totalDifference += Math.Abs(probabilities[c] - SvmFixture.Parse(golden[r][1 + c]));
            }
        }

        Assert.InRange(agree, fixture.TestX.Count - 5, fixture.TestX.Count);
        Assert.InRange(totalDifference / (fixture.TestX.Count * model.ClassCount), 0, 0.02);
    }

    [Fact]
    public void Same_seed_same_probabilities_other_seed_other_shuffle()
    {
        (List<double[]> x, List<int> y) = SvmTrainerTests.OverlappingBlobs(120, 2);
        var options = new SvmTrainerOptions { Kernel = new SvmKernel.Rbf(0.5), Probability = true, Seed = 1 };
        var first = new SvmTrainer(options).Fit(x, y);
        var again = new SvmTrainer(options).Fit(x, y);
        var other = new SvmTrainer(options with { Seed = 2 }).Fit(x, y);
        Assert.Equal(first.ProbabilityA!, again.ProbabilityA!);
        Assert.Equal(first.ProbabilityB!, again.ProbabilityB!);
        Assert.NotEqual(first.ProbabilityA![0], other.ProbabilityA![0]);

        // The decision function itself does not depend on the probability model.
        var plain = new SvmTrainer(options with { Probability = false }).Fit(x, y);
        Assert.Equal(plain.Rho, first.Rho);
        Assert.False(plain.HasProbabilityModel);
        Assert.Throws<InvalidOperationException>(() => plain.PredictProbabilities(x[0], new double[2]));

        // Two classes: the probabilities are the clipped sigmoid and its complement.
        var decision = new double[1];
        first.Predict(x[0], decision);
        var probabilities = new double[2];
        first.PredictProbabilities(x[0], probabilities);
        double expected = Math.Clamp(SvmProbability.PredictSigmoid(decision[0], first.ProbabilityA[0], first.ProbabilityB![0]), 1e-7, 1 - 1e-7);
        Assert.Equal(expected, probabilities[0]);
        Assert.Equal(1 - expected, probabilities[1]);
    }
}
