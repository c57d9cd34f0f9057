namespace Raabin.Features.Learning.Svm;

/// <summary>
/// Settings of <see cref="SvmTrainer"/>, a C-SVC trained as LIBSVM 3.24's <c>svm-train -s 0</c> trains it. Every
/// default is in <see cref="Defaults"/>.
/// </summary>
public sealed record SvmTrainerOptions
{
    /// <summary>The kernel (LIBSVM <c>-t</c>, <c>-g</c>, <c>-r</c>, <c>-d</c>). Required: there is no data-free default gamma.</summary>
    public required SvmKernel Kernel { get; init; }

    /// <summary>The cost C bounding every dual variable before class weighting (LIBSVM <c>-c</c>), greater than 0.</summary>
    public double Cost { get; init; } = Defaults.Cost;

    /// <summary>
    /// Per-class multipliers of <see cref="Cost"/>, indexed by class index (LIBSVM <c>-wi</c>, scikit-learn
    /// <c>class_weight</c>); each greater than 0. Null means 1 for every class. When given, its length must equal the
    /// class count of the training labels.
    /// </summary>
    public IReadOnlyList<double>? ClassWeights { get; init; }

    /// <summary>Stopping tolerance on the maximal KKT violation (LIBSVM <c>-e</c>), greater than 0.</summary>
    public double Tolerance { get; init; } = Defaults.Tolerance;

    /// <summary>Whether to use LIBSVM's shrinking heuristic (<c>-h</c>); it changes speed, and the result only within the tolerance.</summary>
    public bool Shrinking { get; init; } = Defaults.Shrinking;

    /// <summary>
    /// Kernel-column cache per binary problem being solved, in mebibytes (LIBSVM <c>-m</c>), greater than 0. With
    /// parallel training each concurrently solved pair has its own cache, as separate LIBSVM runs would.
    /// </summary>
    public double CacheSizeMegabytes { get; init; } = Defaults.CacheSizeMegabytes;

    /// <summary>Whether to fit Platt-scaling probability models per pair (LIBSVM <c>-b 1</c>; five extra trainings per pair).</summary>
    public bool Probability { get; init; } = Defaults.Probability;

    /// <summary>
    /// Seed of the shuffles in the probability cross-validation. LIBSVM uses the C library's <c>rand()</c>; this
    /// uses <see cref="Random"/> seeded from this value, so probabilities are reproducible here but are not LIBSVM's
    /// bit for bit.
    /// </summary>
    public int Seed { get; init; } = Defaults.Seed;

    /// <summary>Most binary problems solved at once (−1: one per processor). Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Defaults.MaxDegreeOfParallelism;

    /// <summary>Whether the solver may use its SIMD working-set selection (tests switch it off to compare with the scalar twin).</summary>
    internal bool VectorSelection { get; init; } = true;

    /// <summary>The default settings: LIBSVM's <c>svm-train</c> defaults, except the cache (scikit-learn's 200 MB).</summary>
    public static class Defaults
    {
        /// <summary>C = 1 (LIBSVM and scikit-learn).</summary>
        public const double Cost = 1.0;

        /// <summary>1e-3 (LIBSVM and scikit-learn).</summary>
        public const double Tolerance = 1e-3;

        /// <summary>Shrinking on (LIBSVM and scikit-learn).</summary>
        public const bool Shrinking = true;

        /// <summary>200 MB (scikit-learn's default; <c>svm-train</c>'s is 100).</summary>
        public const double CacheSizeMegabytes = 200;

        /// <summary>No probability model.</summary>
        public const bool Probability = false;

        /// <summary>Seed 0.</summary>
        public const int Seed = 0;

        /// <summary>−1: use every processor.</summary>
        public const int MaxDegreeOfParallelism = -1;
    }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Kernel, nameof(Kernel));
        Kernel.Validate();
        if (!(Cost > 0) || double.IsInfinity(Cost))
        {
            throw new ArgumentOutOfRangeException(nameof(Cost), Cost, "C must be a finite number greater than 0.");
        }

        if (!(Tolerance > 0) || double.IsInfinity(Tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "The tolerance must be a finite number greater than 0.");
        }

        if (!(CacheSizeMegabytes > 0) || double.IsInfinity(CacheSizeMegabytes))
        {
            throw new ArgumentOutOfRangeException(nameof(CacheSizeMegabytes), CacheSizeMegabytes, "The cache size must be a finite number of megabytes greater than 0.");
        }

        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "Use -1 (all processors) or a positive count.");
        }

        if (ClassWeights is not null)
        {
            for (int c = 0; c < ClassWeights.Count; c++)
            {
                double w = ClassWeights[c];
                if (!(w > 0) || double.IsInfinity(w))
                {
                    throw new ArgumentOutOfRangeException(nameof(ClassWeights), w, $"The weight of class {c} must be a finite number greater than 0.");
                }
            }
        }
    }
}
