using Raabin.Features.Learning.Svm;

namespace Raabin.Features.Tests.Learning.Svm;

/// <summary>
/// The published classifier's settings on 308 pbc training rows, against Debian's LIBSVM 3.24 (svm-train,
/// svm-predict, libsvm.so in memory) and scikit-learn 1.2.1 (Fixtures/Svm/make_golden.py).
/// </summary>
public class LibSvmParityTests
{
    private static readonly Lazy<SvmModel> Model = new(Train);

    private static SvmModel Train()
    {
        var fixture = SvmFixture.Instance;
        var options = new SvmTrainerOptions
        {
            Kernel = new SvmKernel.Polynomial(fixture.ModelNumber("gamma"), 0, 3),
            Cost = fixture.ModelNumber("cost"),
            ClassWeights = [1, 1, 1, 1, 10],
        };
        return new SvmTrainer(options).Fit(fixture.TrainX, fixture.TrainY);
    }

    [Fact]
    public void Fixture_is_the_one_described()
    {
        var fixture = SvmFixture.Instance;
        Assert.Equal(308, fixture.TrainX.Count);
        Assert.Equal(207, fixture.TestX.Count);
        Assert.Equal(207, fixture.Golden.Count);
        Assert.Equal(["4:10"], fixture.Model["weights"]);
        Assert.All(fixture.TrainX, row => Assert.Equal(51, row.Length));
    }

    [Fact]
    public void Support_vector_counts_per_class_match_svm_train()
    {
        int[] expected = SvmFixture.Instance.ModelIntegers("svm-train nsv");
        Assert.Equal(expected, Model.Value.SupportVectorCounts);
    }

    [Fact]
    public void Support_vectors_are_the_same_training_rows_as_libsvm()
    {
        int[] expected = SvmFixture.Instance.ModelIntegers("libsvm sv_rows");
        Assert.Equal(expected, Model.Value.SupportVectorRows!);
    }

    [Fact]
    public void Rho_is_bit_identical_to_the_svm_train_model_file()
    {
        double[] expected = SvmFixture.Instance.ModelNumbers("svm-train rho");
        Assert.Equal(expected.Length, Model.Value.PairCount);
        for (int p = 0; p < expected.Length; p++)
        {
            Assert.Equal(expected[p], Model.Value.Rho[p]);
        }
    }

    [Fact]
    public void Predictions_match_svm_predict()
    {
        var fixture = SvmFixture.Instance;
        for (int r = 0; r < fixture.TestX.Count; r++)
        {
            Assert.Equal(int.Parse(fixture.Golden[r][0]), Model.Value.Predict(fixture.TestX[r]));
        }
    }

    [Fact]
    public void Decision_values_match_libsvm_in_memory_and_scikit_learn()
    {
        var fixture = SvmFixture.Instance;
        int pairs = Model.Value.PairCount;
        var decisions = new double[pairs];
        double worstLibSvm = 0;
        double worstSklearn = 0;
        for (int r = 0; r < fixture.TestX.Count; r++)
        {
            string[] golden = fixture.Golden[r];
            int predicted = Model.Value.Predict(fixture.TestX[r], decisions);
            Assert.Equal(int.Parse(golden[1]), predicted);
            Assert.Equal(int.Parse(golden[2 + pairs]), predicted);
            for (int p = 0; p < pairs; p++)
            {
                worstLibSvm = Math.Max(worstLibSvm, Math.Abs(decisions[p] - SvmFixture.Parse(golden[2 + p])));
                worstSklearn = Math.Max(worstSklearn, Math.Abs(decisions[p] - SvmFixture.Parse(golden[3 + pairs + p])));
            }
        }

        // Same operations in the same order as LIBSVM, so bit-identical (the brief's goal is 1e-6).
        Assert.Equal(0, worstLibSvm);

        // scikit-learn's bundled LIBSVM may sum dot products through BLAS; here it happens to agree exactly too.
        Assert.InRange(worstSklearn, 0, 1e-6);
    }
}
