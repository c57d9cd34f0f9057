namespace Raabin.Features.Evaluation.Dedup;

/// <summary>
/// When two images count as duplicates: both Hamming distances at or below their limits (out of 64 bits).
/// </summary>
public sealed record DuplicateFinderOptions
{
    /// <summary>Default largest aHash distance of a duplicate pair, in bits.</summary>
    public const int DefaultMaxAverageHashDistance = 5;

    /// <summary>Default largest pHash distance of a duplicate pair, in bits.</summary>
    public const int DefaultMaxPerceptualHashDistance = 5;

    /// <summary>The defaults.</summary>
    public static DuplicateFinderOptions Default { get; } = new();

    /// <summary>Largest aHash Hamming distance (0..64 bits) of a duplicate pair.</summary>
    public int MaxAverageHashDistance { get; init; } = DefaultMaxAverageHashDistance;

    /// <summary>Largest pHash Hamming distance (0..64 bits) of a duplicate pair.</summary>
    public int MaxPerceptualHashDistance { get; init; } = DefaultMaxPerceptualHashDistance;

    /// <summary>Throws when a limit is outside 0..64.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is outside 0..64.</exception>
    public void Validate()
    {
        if (MaxAverageHashDistance is < 0 or > ImageHash.Bits)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAverageHashDistance), MaxAverageHashDistance, "aHash distance limit must be 0..64 bits");
        }

        if (MaxPerceptualHashDistance is < 0 or > ImageHash.Bits)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPerceptualHashDistance), MaxPerceptualHashDistance, "pHash distance limit must be 0..64 bits");
        }
    }
}
