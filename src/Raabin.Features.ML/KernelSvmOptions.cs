using Raabin.Features.Learning;

namespace Raabin.Features.ML;

/// <summary>
/// Settings of the kernel-SVM multiclass trainer (<see cref="KernelSvmCatalog.KernelSvm"/>). Every SVM default is the
/// core's (<see cref="SvmClassifierOptions"/>, the published method's: min-max normalisation inside the model, polynomial
/// kernel of degree 3, γ = scale, coef0 = 0, C = 6, tolerance 1e-3, Platt probabilities, one-vs-one vote), read from
/// <see cref="Defaults"/>, so the two front ends cannot drift apart.
/// </summary>
public sealed class KernelSvmOptions
{
    /// <summary>The core's default settings, the source of every default below.</summary>
    public static SvmClassifierOptions Defaults { get; } = new();

    /// <summary>The label column: a key (as <c>MapValueToKey</c> makes it). Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The feature column: a vector of <see cref="float"/>. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>Rescaling fitted on the training rows and applied inside the model. Default min-max to [0, 1].</summary>
    public NormalizerKind Normalizer { get; set; } = Defaults.Normalizer;

    /// <summary>Kernel family: linear, polynomial, RBF or sigmoid. Default polynomial.</summary>
    public KernelKind Kernel { get; set; } = Defaults.Kernel;

    /// <summary>Degree of the polynomial kernel. Default 3.</summary>
    public int Degree { get; set; } = Defaults.Degree;

    /// <summary>γ of the polynomial, RBF and sigmoid kernels: <see cref="GammaSpec.Scale"/> (default), <see cref="GammaSpec.Auto"/> or a number.</summary>
    public GammaSpec Gamma { get; set; } = Defaults.Gamma;

    /// <summary>coef0 of the polynomial and sigmoid kernels. Default 0.</summary>
    public double Coef0 { get; set; } = Defaults.Coef0;

    /// <summary>C, the box constraint. Default 6.</summary>
    public double C { get; set; } = Defaults.C;

    /// <summary>
    /// Multipliers of C per class, by the label's key value text (the class name <c>MapValueToKey</c> saw); classes not
    /// named get 1. Default none.
    /// </summary>
    public IDictionary<string, double> ClassWeights { get; set; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>Whether to fit Platt probabilities (LIBSVM -b 1). Default true.</summary>
    public bool Probability { get; set; } = Defaults.Probability;

    /// <summary>
    /// How the label is chosen, and so what <c>Score</c> holds: <see cref="DecisionRule.Vote"/> (default; LIBSVM's and
    /// scikit-learn's <c>predict</c>): the one-vs-one votes per class; <see cref="DecisionRule.Probability"/> (needs
    /// <see cref="Probability"/>): the per-class probabilities, which is what ML.NET's log-loss metrics expect.
    /// </summary>
    public DecisionRule DecisionRule { get; set; } = Defaults.DecisionRule;

    /// <summary>SMO stopping tolerance (LIBSVM -e). Default 1e-3.</summary>
    public double Tolerance { get; set; } = Defaults.Tolerance;

    /// <summary>Kernel cache size in MB (LIBSVM -m). Default 200.</summary>
    public double CacheSizeMegabytes { get; set; } = Defaults.CacheSizeMegabytes;

    /// <summary>Seed of the internal cross-validation used for probabilities. Default 1.</summary>
    public int Seed { get; set; } = Defaults.Seed;

    /// <summary>Threads for training (≤ 0: all cores); results do not depend on it. Default 0.</summary>
    public int MaxDegreeOfParallelism { get; set; } = Defaults.MaxDegreeOfParallelism;

    /// <summary>The core trainer's settings for these options.</summary>
    public SvmClassifierOptions ToCoreOptions() => new()
    {
        Normalizer = Normalizer,
        Kernel = Kernel,
        Degree = Degree,
        Gamma = Gamma,
        Coef0 = Coef0,
        C = C,
        ClassWeights = new Dictionary<string, double>(ClassWeights, StringComparer.Ordinal),
        Tolerance = Tolerance,
        CacheSizeMegabytes = CacheSizeMegabytes,
        Probability = Probability,
        Seed = Seed,
        DecisionRule = DecisionRule,
        MaxDegreeOfParallelism = MaxDegreeOfParallelism,
    };
}
