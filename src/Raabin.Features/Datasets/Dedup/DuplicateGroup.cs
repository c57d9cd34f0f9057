namespace Raabin.Features.Datasets.Dedup;

/// <summary>Where the members of a duplicate group are filed, from harmless to harmful for an evaluation.</summary>
public enum DuplicateScope
{
    /// <summary>All members in one dataset and one split (or in a dataset without splits): redundant training data.</summary>
    SameSplit,

    /// <summary>One dataset, two or more splits: train/test leakage.</summary>
    AcrossSplits,

    /// <summary>Two or more datasets: the same cell published twice, leaking across cross-domain evaluations.</summary>
    AcrossDatasets,
}

/// <summary>One image of a duplicate group and what the finder decided for it.</summary>
/// <param name="Image">The image's fingerprint.</param>
/// <param name="Kept">True for the one image of the group that is kept (the sharpest).</param>
/// <param name="AverageHashDistanceToKept">aHash Hamming distance to the kept image, in bits (0 for the kept one).</param>
/// <param name="PerceptualHashDistanceToKept">pHash Hamming distance to the kept image, in bits (0 for the kept one).</param>
public sealed record DuplicateMember(ImageFingerprint Image, bool Kept, int AverageHashDistanceToKept, int PerceptualHashDistanceToKept);

/// <summary>A connected component of duplicate pairs (two or more images) and which one of them is kept.</summary>
public sealed class DuplicateGroup
{
    private DuplicateGroup(int id, IReadOnlyList<DuplicateMember> members, ImageFingerprint kept, DuplicateScope scope,
        IReadOnlyList<string> labels, IReadOnlyList<string> locations)
    {
        Id = id;
        Members = members;
        Kept = kept;
        Scope = scope;
        Labels = labels;
        Locations = locations;
    }

    /// <summary>Group number, from 1, in the order of each group's first member (dataset, then path).</summary>
    public int Id { get; }

    /// <summary>Members ordered by dataset, then path (ordinal).</summary>
    public IReadOnlyList<DuplicateMember> Members { get; }

    /// <summary>
    /// The kept image: highest <see cref="ImageFingerprint.Sharpness"/>; among equally sharp ones, the first by dataset,
    /// then path (ordinal).
    /// </summary>
    public ImageFingerprint Kept { get; }

    /// <summary>Whether the group stays in one split, crosses splits of one dataset, or crosses datasets.</summary>
    public DuplicateScope Scope { get; }

    /// <summary>Distinct labels of the members, ordinal order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>True when the members are filed under more than one label.</summary>
    public bool LabelsDisagree => Labels.Count > 1;

    /// <summary>Distinct <c>dataset:split</c> pairs of the members (<c>dataset:</c> when no split), ordinal order.</summary>
    public IReadOnlyList<string> Locations { get; }

    /// <summary>Builds a group from members already sorted by location.</summary>
    internal static DuplicateGroup Create(int id, List<ImageFingerprint> members)
    {
        ImageFingerprint kept = members[0];
        foreach (var m in members)
        {
            // Strictly greater: the earlier (smaller path) one wins ties.
            if (m.Sharpness > kept.Sharpness)
            {
                kept = m;
            }
        }

        var labels = new SortedSet<string>(StringComparer.Ordinal);
        var datasets = new SortedSet<string>(StringComparer.Ordinal);
        var locations = new SortedSet<string>(StringComparer.Ordinal);
        var list = new List<DuplicateMember>(members.Count);
        foreach (var m in members)
        {
            labels.Add(m.Label);
            datasets.Add(m.Dataset);
            locations.Add(m.Dataset + ":" + m.Split);
            list.Add(new DuplicateMember(m, ReferenceEquals(m, kept),
                ImageHash.HammingDistance(m.AverageHash, kept.AverageHash), ImageHash.HammingDistance(m.PerceptualHash, kept.PerceptualHash)));
        }

        var scope = datasets.Count > 1 ? DuplicateScope.AcrossDatasets
            : locations.Count > 1 ? DuplicateScope.AcrossSplits
            : DuplicateScope.SameSplit;
        return new DuplicateGroup(id, list, kept, scope, [.. labels], [.. locations]);
    }
}
