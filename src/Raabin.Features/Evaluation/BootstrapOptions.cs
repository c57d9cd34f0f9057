namespace Raabin.Features.Evaluation;

/// <summary>Settings of the stratified bootstrap (<see cref="Bootstrap"/>, <see cref="PairedComparison"/>).</summary>
public sealed record BootstrapOptions
{
    /// <summary>Default number of replicates.</summary>
    public const int DefaultReplicates = 2000;

    /// <summary>Default seed.</summary>
    public const ulong DefaultSeed = 42;

    /// <summary>Default confidence level of the percentile intervals.</summary>
    public const double DefaultConfidenceLevel = 0.95;

    /// <summary>Default threshold below which a class's support counts as small.</summary>
    public const int DefaultSmallClassThreshold = 10;

    /// <summary>The defaults: 2000 replicates, seed 42, 95 % intervals, classes with fewer than 10 test samples flagged.</summary>
    public static BootstrapOptions Default { get; } = new();

    /// <summary>Number of bootstrap replicates B (≥ 1).</summary>
    public int Replicates { get; init; } = DefaultReplicates;

    /// <summary>Seed of the SplitMix64 streams; the same seed gives the same intervals on any machine and thread count.</summary>
    public ulong Seed { get; init; } = DefaultSeed;

    /// <summary>Central coverage of the percentile interval, in (0, 1); 0.95 gives the 2.5th and 97.5th percentiles.</summary>
    public double ConfidenceLevel { get; init; } = DefaultConfidenceLevel;

    /// <summary>Classes with fewer test samples than this are flagged <see cref="ClassSupport.IsSmall"/>.</summary>
    public int SmallClassThreshold { get; init; } = DefaultSmallClassThreshold;

    /// <summary>Upper bound on worker threads; −1 lets the runtime decide. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        if (Replicates < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Replicates), Replicates, "At least one bootstrap replicate is needed.");
        }

        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ConfidenceLevel), ConfidenceLevel, "The confidence level must be in (0, 1).");
        }

        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "Use −1 or a positive thread count.");
        }
    }
}
