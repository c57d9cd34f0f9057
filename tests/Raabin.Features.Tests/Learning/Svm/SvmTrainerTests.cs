using Raabin.Features.Learning.Svm;

namespace Raabin.Features.Tests.Learning.Svm;

/// <summary>Small problems whose solutions are known, and properties every C-SVC solution must have.</summary>
public class SvmTrainerTests
{
    [Fact]
    public void Separable_points_give_the_hand_computed_maximum_margin()
    {
        // Class 0 around (2, 2), class 1 around (-2, -2); the closest pair (1, 1) / (-1, -1) fixes the margin:
        // w = (0.5, 0.5), rho = 0, alpha = 0.25 on those two points only (dual: min 4a^2 - 2a).
        double[][] x = [[1, 1], [2, 3], [3, 2], [-1, -1], [-2, -3], [-3, -2]];
        int[] y = [0, 0, 0, 1, 1, 1];
        var model = new SvmTrainer(new SvmTrainerOptions { Kernel = new SvmKernel.Linear(), Cost = 100 }).Fit(x, y);

        Assert.Equal([0, 3], model.SupportVectorRows!);
        Assert.Equal([1, 1], model.SupportVectorCounts);
        Assert.Equal(0.25, model.Coefficients(0)[0], 12);
        Assert.Equal(-0.25, model.Coefficients(0)[1], 12);
        Assert.Equal(0, model.Rho[0], 12);

        var decision = new double[1];
        Assert.Equal(0, model.Predict([1, 1], decision));
        Assert.Equal(1, decision[0], 12);
        Assert.Equal(1, model.Predict([-1, -1], decision));
        Assert.Equal(-1, decision[0], 12);
        model.Predict([3, -1], decision);
        Assert.Equal(0.5 * 3 + 0.5 * -1, decision[0], 12);
    }

    [Fact]
    public void Xor_is_learned_exactly_with_an_rbf_kernel()
    {
        var random = new Random(7);
        var x = new List<double[]>();
        var y = new List<int>();
        double[][] corners = [[0, 0], [1, 1], [0, 1], [1, 0]];
        for (int n = 0; n < 20; n++)
        {
            for (int c = 0; c < 4; c++)
            {
                x.Add([corners[c][0] + 0.1 * (random.NextDouble() - 0.5), corners[c][1] + 0.1 * (random.NextDouble() - 0.5)]);
                y.Add(c < 2 ? 0 : 1);
            }
        }

        // A linear kernel cannot separate XOR; RBF must.
        var linear = new SvmTrainer(new SvmTrainerOptions { Kernel = new SvmKernel.Linear(), Cost = 10 }).Fit(x, y);
        var rbf = new SvmTrainer(new SvmTrainerOptions { Kernel = new SvmKernel.Rbf(2), Cost = 10 }).Fit(x, y);
        int linearCorrect = 0;
        for (int r = 0; r < x.Count; r++)
        {
            Assert.Equal(y[r], rbf.Predict(x[r]));
            linearCorrect += linear.Predict(x[r]) == y[r] ? 1 : 0;
        }

        Assert.True(linearCorrect < x.Count, "a linear kernel should not fit XOR");
        Assert.Equal(0, rbf.Predict([0.05, -0.02]));
        Assert.Equal(1, rbf.Predict([0.97, 0.03]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Kkt_conditions_hold_within_the_tolerance(bool shrinking)
    {
        (List<double[]> x, List<int> y) = OverlappingBlobs(160, 11);
        const double cost = 1.5;
        const double eps = 1e-3;
        var kernel = new SvmKernel.Rbf(0.5);
        var model = new SvmTrainer(new SvmTrainerOptions { Kernel = kernel, Cost = cost, Tolerance = eps, Shrinking = shrinking }).Fit(x, y);

        double[] alpha = BinaryAlphas(model, x.Count);
        int free = 0;
        int atBound = 0;
        var decision = new double[1];
        for (int r = 0; r < x.Count; r++)
        {
            model.Predict(x[r], decision);
            double yf = (y[r] == 0 ? 1 : -1) * decision[0];
            double a = Math.Abs(alpha[r]);
            Assert.InRange(a, 0, cost);

            // eps bounds the maximal violation; 1e-6 covers the float rounding of the cached kernel columns.
            if (a == 0)
            {
                Assert.True(yf >= 1 - eps - 1e-6, $"row {r}: alpha = 0 but y f = {yf}");
            }
            else if (a == cost)
            {
                atBound++;
                Assert.True(yf <= 1 + eps + 1e-6, $"row {r}: alpha = C but y f = {yf}");
            }
            else
            {
                free++;
                Assert.True(Math.Abs(yf - 1) <= eps + 1e-6, $"row {r}: 0 < alpha < C but y f = {yf}");
            }
        }

        // The case must exercise all three kinds of point.
        Assert.True(free > 0 && atBound > 0 && model.SupportVectorCount < x.Count);

        // sum y_i alpha_i = 0 (the equality constraint).
        double balance = 0;
        foreach (double a in alpha)
        {
            balance += a;
        }

        Assert.Equal(0, balance, 9);
    }

    [Fact]
    public void Class_weights_scale_the_upper_bound_of_each_class()
    {
        (List<double[]> x, List<int> y) = OverlappingBlobs(160, 5);
        const double cost = 0.8;
        var options = new SvmTrainerOptions { Kernel = new SvmKernel.Rbf(0.5), Cost = cost, ClassWeights = [1, 3] };
        var model = new SvmTrainer(options).Fit(x, y);
        double[] alpha = BinaryAlphas(model, x.Count);
        double max0 = 0;
        double max1 = 0;
        for (int r = 0; r < x.Count; r++)
        {
            if (y[r] == 0)
            {
                max0 = Math.Max(max0, Math.Abs(alpha[r]));
            }
            else
            {
                max1 = Math.Max(max1, Math.Abs(alpha[r]));
            }
        }

        // Overlapping classes push some alphas to their bounds: C for class 0, 3C for class 1.
        Assert.Equal(cost, max0);
        Assert.Equal(3 * cost, max1);

        var unweighted = new SvmTrainer(options with { ClassWeights = null }).Fit(x, y);
        double[] plain = BinaryAlphas(unweighted, x.Count);
        Assert.All(plain, a => Assert.InRange(Math.Abs(a), 0, cost));
    }

    [Fact]
    public void The_model_does_not_depend_on_the_number_of_threads()
    {
        var fixture = SvmFixture.Instance;
        SvmModel Fit(int threads) => new SvmTrainer(new SvmTrainerOptions
        {
            Kernel = new SvmKernel.Polynomial(fixture.ModelNumber("gamma"), 0, 3),
            Cost = 6,
            ClassWeights = [1, 1, 1, 1, 10],
            Probability = true,
            Seed = 3,
            MaxDegreeOfParallelism = threads,
        }).Fit(fixture.TrainX, fixture.TrainY);

        SvmModel one = Fit(1);
        SvmModel two = Fit(2);
        Assert.Equal(one.SupportVectorRows!, two.SupportVectorRows!);
        Assert.Equal(one.Rho, two.Rho);
        Assert.Equal(one.ProbabilityA!, two.ProbabilityA!);
        Assert.Equal(one.ProbabilityB!, two.ProbabilityB!);
        for (int row = 0; row < one.ClassCount - 1; row++)
        {
            Assert.Equal(one.Coefficients(row).ToArray(), two.Coefficients(row).ToArray());
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Vector_and_scalar_working_set_selection_give_the_same_model(bool rbf)
    {
        var fixture = SvmFixture.Instance;
        var options = new SvmTrainerOptions
        {
            Kernel = rbf ? new SvmKernel.Rbf(0.05) : new SvmKernel.Polynomial(fixture.ModelNumber("gamma"), 0, 3),
            Cost = 6,
            ClassWeights = [1, 1, 1, 1, 10],
        };
        SvmModel vector = new SvmTrainer(options).Fit(fixture.TrainX, fixture.TrainY);
        SvmModel scalar = new SvmTrainer(options with { VectorSelection = false }).Fit(fixture.TrainX, fixture.TrainY);
        Assert.Equal(scalar.Rho, vector.Rho);
        Assert.Equal(scalar.SupportVectorRows!, vector.SupportVectorRows!);
        for (int row = 0; row < scalar.ClassCount - 1; row++)
        {
            Assert.Equal(scalar.Coefficients(row).ToArray(), vector.Coefficients(row).ToArray());
        }
    }

    [Fact]
    public void Cache_size_and_shrinking_do_not_change_the_parity_model_beyond_the_tolerance()
    {
        var fixture = SvmFixture.Instance;
        var baseline = new SvmTrainerOptions
        {
            Kernel = new SvmKernel.Polynomial(fixture.ModelNumber("gamma"), 0, 3),
            Cost = 6,
            ClassWeights = [1, 1, 1, 1, 10],
        };
        SvmModel reference = new SvmTrainer(baseline).Fit(fixture.TrainX, fixture.TrainY);

        // A cache too small for two columns is raised to two columns and must still give the same model bit for bit.
        SvmModel tinyCache = new SvmTrainer(baseline with { CacheSizeMegabytes = 0.001 }).Fit(fixture.TrainX, fixture.TrainY);
        Assert.Equal(reference.Rho, tinyCache.Rho);
        Assert.Equal(reference.SupportVectorRows!, tinyCache.SupportVectorRows!);

        // Without shrinking the path differs; the answer agrees to within the tolerance.
        SvmModel noShrinking = new SvmTrainer(baseline with { Shrinking = false }).Fit(fixture.TrainX, fixture.TrainY);
        for (int p = 0; p < reference.PairCount; p++)
        {
            Assert.Equal(reference.Rho[p], noShrinking.Rho[p], 0.01);
        }

        for (int r = 0; r < fixture.TestX.Count; r++)
        {
            Assert.Equal(reference.Predict(fixture.TestX[r]), noShrinking.Predict(fixture.TestX[r]));
        }
    }

    [Fact]
    public void Votes_tie_to_the_lowest_class_index()
    {
        // Three classes on a line with a model where every pair says "the higher class": votes 0, 1, 2 would not tie,
        // so build the tie directly: a cyclic model (0 beats 1, 1 beats 2, 2 beats 0) gives one vote each.
        var model = new SvmModel(
            3,
            new SvmKernel.Linear(),
            supportVectors: [[1.0], [1.0], [1.0]],
            supportVectorCounts: [1, 1, 1],
            coefficients: [[0, 0, 0], [0, 0, 0]],
            rho: [-1, 1, -1]); // pair (0,1): +1 > 0 -> 0; pair (0,2): -1 -> 2; pair (1,2): +1 -> 1
        var prediction = model.PredictDetailed([0.0]);
        Assert.Equal([1, 1, 1], prediction.Votes);
        Assert.Equal(0, prediction.ClassIndex);
        Assert.Equal([1.0, -1.0, 1.0], prediction.DecisionValues);
    }

    [Fact]
    public void A_zero_decision_value_votes_for_the_higher_class()
    {
        var model = new SvmModel(2, new SvmKernel.Linear(), [[1.0]], [1, 0], [[0.0]], [0.0]);
        Assert.Equal(1, model.Predict([5.0]));
    }

    [Fact]
    public void Bad_training_input_is_refused_with_a_clear_message()
    {
        var trainer = new SvmTrainer(new SvmTrainerOptions { Kernel = new SvmKernel.Linear() });
        Assert.Contains("Class 1 has no rows", Assert.Throws<ArgumentException>(() => trainer.Fit([[0.0], [1.0]], [0, 2])).Message);
        Assert.Contains("at least two classes", Assert.Throws<ArgumentException>(() => trainer.Fit([[0.0], [1.0]], [0, 0])).Message);
        Assert.Contains("row 1", Assert.Throws<ArgumentException>(() => trainer.Fit([[0.0], [1.0, 2.0]], [0, 1])).Message);
        Assert.Contains("not a finite number", Assert.Throws<ArgumentException>(() => trainer.Fit([[0.0], [double.NaN]], [0, 1])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit([[0.0], [1.0]], [0, -1]));
        Assert.Throws<ArgumentException>(() => trainer.Fit([[0.0], [1.0]], [0]));
        var weighted = new SvmTrainer(new SvmTrainerOptions { Kernel = new SvmKernel.Linear(), ClassWeights = [1, 2, 3] });
        Assert.Contains("3 class weights for 2 classes", Assert.Throws<ArgumentException>(() => weighted.Fit([[0.0], [1.0]], [0, 1])).Message);
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SvmTrainer(new SvmTrainerOptions { Kernel = new SvmKernel.Linear(), Cost = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SvmTrainer(new SvmTrainerOptions { Kernel = new SvmKernel.Linear(), Tolerance = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SvmTrainer(new SvmTrainerOptions { Kernel = new SvmKernel.Linear(), CacheSizeMegabytes = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SvmTrainer(new SvmTrainerOptions { Kernel = new SvmKernel.Linear(), MaxDegreeOfParallelism = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SvmTrainer(new SvmTrainerOptions { Kernel = new SvmKernel.Linear(), ClassWeights = [1, 0] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SvmTrainer(new SvmTrainerOptions { Kernel = new SvmKernel.Rbf(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SvmTrainer(new SvmTrainerOptions { Kernel = new SvmKernel.Polynomial(1, 0, -2) }));
    }

    [Fact]
    public void Defaults_are_libsvm_defaults()
    {
        var options = new SvmTrainerOptions { Kernel = new SvmKernel.Linear() };
        Assert.Equal(1.0, options.Cost);
        Assert.Equal(1e-3, options.Tolerance);
        Assert.True(options.Shrinking);
        Assert.Equal(200, options.CacheSizeMegabytes);
        Assert.False(options.Probability);
        Assert.Null(options.ClassWeights);
        Assert.Equal(-1, options.MaxDegreeOfParallelism);
    }

    /// <summary>Two Gaussian blobs that overlap, so some points end up at the bound C; classes 0 and 1 alternate.</summary>
    internal static (List<double[]> X, List<int> Y) OverlappingBlobs(int count, int seed)
    {
        var random = new Random(seed);
        var x = new List<double[]>();
        var y = new List<int>();
        for (int n = 0; n < count; n++)
        {
            int label = n % 2;
            double centre = label == 0 ? -0.6 : 0.6;
            x.Add([centre + Gaussian(random), Gaussian(random), Gaussian(random)]);
            y.Add(label);
        }

        return (x, y);
    }

    /// <summary>y_i·alpha_i per training row of a two-class model (0 for rows that are not support vectors).</summary>
    internal static double[] BinaryAlphas(SvmModel model, int rowCount)
    {
        var alpha = new double[rowCount];
        ReadOnlySpan<double> coefficients = model.Coefficients(0);
        for (int s = 0; s < model.SupportVectorCount; s++)
        {
            alpha[model.SupportVectorRows![s]] = coefficients[s];
        }

        return alpha;
    }

    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
