namespace Raabin.Features.Datasets.Dedup;

/// <summary>
/// When two images count as duplicates: both Hamming distances at or below their limits (out of 64 bits).
/// <para>
/// The defaults (pHash ≤ 4, aHash ≤ 8) were chosen on the project's 11 034 cell crops (pbc, zheng-jtsc,
/// zheng-cellavision, bccd) by looking at every pair near the limits: all 14 pairs with pHash ≤ 4 are the same cell
/// (byte-identical, shifted by a few pixels, or refocused), while at pHash 6 two of the five pairs within aHash 8, and at pHash 8 most
/// pairs, are different cells that merely look alike (small, smooth 120 × 120 zheng-jtsc crops, centred cells on plain
/// backgrounds). pHash distances between images with distinct coefficients are always even (the median splits the 64 bits
/// 32/32), so ≤ 4 equals ≤ 5. aHash is weak on centred cell crops (over a thousand pairs of different cells lie within
/// aHash 5 and pHash 16) and serves as a second guard: every pair within pHash 4 had aHash ≤ 8, one of them aHash 8.
/// </para>
/// </summary>
public sealed record DuplicateFinderOptions
{
    /// <summary>Default largest aHash distance of a duplicate pair, in bits.</summary>
    public const int DefaultMaxAverageHashDistance = 8;

    /// <summary>Default largest pHash distance of a duplicate pair, in bits.</summary>
    public const int DefaultMaxPerceptualHashDistance = 4;

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
