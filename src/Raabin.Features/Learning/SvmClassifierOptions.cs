using System.Globalization;

namespace Raabin.Features.Learning;

/// <summary>SVM kernel families.</summary>
public enum KernelKind
{
    /// <summary>⟨x, y⟩.</summary>
    Linear,

    /// <summary>(γ·⟨x, y⟩ + coef0)^degree.</summary>
    Polynomial,

    /// <summary>exp(−γ·|x − y|²).</summary>
    Rbf,

    /// <summary>tanh(γ·⟨x, y⟩ + coef0).</summary>
    Sigmoid,
}

/// <summary>
/// γ as scikit-learn accepts it: <c>scale</c> = 1 / (n_features · variance of all entries of the normalised training
/// matrix), <c>auto</c> = 1 / n_features, or a positive number.
/// </summary>
/// <param name="Mode">"scale", "auto" or "value".</param>
/// <param name="Value">The number when <paramref name="Mode"/> is "value".</param>
public readonly record struct GammaSpec(string Mode, double Value)
{
    /// <summary>γ = 1 / (n_features · Var(X)).</summary>
    public static GammaSpec Scale => new("scale", double.NaN);

    /// <summary>γ = 1 / n_features.</summary>
    public static GammaSpec Auto => new("auto", double.NaN);

    /// <summary>A fixed γ.</summary>
    public static GammaSpec Of(double value) => value > 0 && double.IsFinite(value)
        ? new("value", value)
        : throw new ArgumentOutOfRangeException(nameof(value), value, "γ must be a positive number.");

    /// <summary>Parses "scale", "auto" or a number (invariant culture).</summary>
    public static GammaSpec Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "scale" => Scale,
        "auto" => Auto,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) => Of(v),
        _ => throw new FormatException($"γ must be 'scale', 'auto' or a positive number, got '{text}'."),
    };

    /// <summary>Resolves γ for a normalised training matrix.</summary>
    public double Resolve(IReadOnlyList<double[]> normalisedRows, int featureCount)
    {
        switch (Mode)
        {
            case "value":
                return Value;
            case "auto":
                return 1.0 / featureCount;
            default:
                // Population variance of all entries in NumPy's own summation order (the reference used X.var()).
                var flat = new double[normalisedRows.Count * featureCount];
                for (int r = 0; r < normalisedRows.Count; r++)
                {
                    normalisedRows[r].AsSpan(0, featureCount).CopyTo(flat.AsSpan(r * featureCount));
                }

                double variance = NumPySum.Variance(flat);
                return variance > 0 ? 1.0 / (featureCount * variance) : 1.0;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Mode == "value" ? Value.ToString("R", CultureInfo.InvariantCulture) : Mode;
}

/// <summary>
/// Settings of <see cref="SvmClassifierTrainer"/>. The defaults are the published method's (min-max, polynomial degree 3,
/// coef0 0, γ = scale, C = 6, tolerance 1e-3) except class weights, which are data-specific (the published model weighted
/// neutrophil by 10: see <see cref="Reference"/>).
/// </summary>
public sealed record SvmClassifierOptions
{
    /// <summary>The published method's settings, neutrophil weight 10 included.</summary>
    public static SvmClassifierOptions Reference { get; } = new()
    {
        ClassWeights = new Dictionary<string, double>(StringComparer.Ordinal) { ["neutrophil"] = 10 },
    };

    /// <summary>Feature rescaling, fitted on the training rows.</summary>
    public NormalizerKind Normalizer { get; init; } = NormalizerKind.MinMax;

    /// <summary>Kernel family.</summary>
    public KernelKind Kernel { get; init; } = KernelKind.Polynomial;

    /// <summary>Polynomial degree.</summary>
    public int Degree { get; init; } = 3;

    /// <summary>γ of the polynomial, RBF and sigmoid kernels.</summary>
    public GammaSpec Gamma { get; init; } = GammaSpec.Scale;

    /// <summary>coef0 of the polynomial and sigmoid kernels.</summary>
    public double Coef0 { get; init; }

    /// <summary>C, the box constraint.</summary>
    public double C { get; init; } = 6;

    /// <summary>Per-class multipliers of C by class name; classes not named get 1.</summary>
    public IReadOnlyDictionary<string, double> ClassWeights { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>SMO stopping tolerance (LIBSVM -e).</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Kernel cache size in MB (LIBSVM -m).</summary>
    public double CacheSizeMegabytes { get; init; } = 200;

    /// <summary>Whether to fit Platt probabilities (LIBSVM -b 1).</summary>
    public bool Probability { get; init; } = true;

    /// <summary>Seed of the internal cross-validation used for probabilities.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// How the trained model chooses a label: <see cref="DecisionRule.Vote"/> (default; LIBSVM and scikit-learn's
    /// <c>predict</c>, the published method's) or <see cref="DecisionRule.Probability"/> (needs <see cref="Probability"/>).
    /// </summary>
    public DecisionRule DecisionRule { get; init; } = DecisionRule.Vote;

    /// <summary>Threads for training (≤ 0: all cores); results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}
