using System.Collections.Concurrent;
using System.Security.Cryptography;
using Raabin.Features.Datasets.Dedup;
using Raabin.Features.Imaging;
using Raabin.Features.IO;

namespace Raabin.Features.Datasets;

/// <summary>How a test image was found in a training set, strongest first.</summary>
public enum OverlapKind
{
    /// <summary>The same file (equal full paths): the same item is in both sets.</summary>
    SameFile,

    /// <summary>Another file with byte-identical content (equal SHA-256 of the file bytes).</summary>
    IdenticalBytes,

    /// <summary>A near-duplicate by the project's duplicate finder (aHash and pHash within <see cref="DuplicateFinderOptions"/>).</summary>
    NearDuplicate,
}

/// <summary>Some items of one dataset (e.g. one split).</summary>
/// <param name="Dataset">The dataset the items belong to.</param>
/// <param name="Items">The selected items.</param>
public sealed record DatasetSelection(Dataset Dataset, IReadOnlyList<DatasetItem> Items);

/// <summary>A test image that is also in the training set.</summary>
/// <param name="TestDataset">Name of the test image's dataset.</param>
/// <param name="TestPath">Test image path relative to its dataset folder.</param>
/// <param name="TrainDataset">Name of the matching training image's dataset.</param>
/// <param name="TrainPath">Matching training image path relative to its dataset folder (the first match in training order).</param>
/// <param name="Kind">The strongest kind of match found.</param>
public sealed record SharedImage(string TestDataset, string TestPath, string TrainDataset, string TrainPath, OverlapKind Kind);

/// <summary>The test images found in a training set (train/test leakage), one entry per shared test image.</summary>
public sealed class OverlapReport
{
    internal OverlapReport(int trainImages, int testImages, IReadOnlyList<SharedImage> shared, bool nearDuplicatesChecked, int unreadable)
    {
        TrainImages = trainImages;
        TestImages = testImages;
        Shared = shared;
        NearDuplicatesChecked = nearDuplicatesChecked;
        Unreadable = unreadable;
    }

    /// <summary>Number of training images compared.</summary>
    public int TrainImages { get; }

    /// <summary>Number of test images compared.</summary>
    public int TestImages { get; }

    /// <summary>Each test image that has a match in training, with its strongest kind of match, in test order.</summary>
    public IReadOnlyList<SharedImage> Shared { get; }

    /// <summary>Whether near-duplicates were looked for (otherwise only same files and identical bytes).</summary>
    public bool NearDuplicatesChecked { get; }

    /// <summary>Images that could not be read or decoded, so they were compared by path (and bytes, when readable) only.</summary>
    public int Unreadable { get; }

    /// <summary>Number of shared test images whose strongest match is <paramref name="kind"/>.</summary>
    public int Count(OverlapKind kind)
    {
        int n = 0;
        foreach (var s in Shared)
        {
            n += s.Kind == kind ? 1 : 0;
        }

        return n;
    }
}

/// <summary>Settings of <see cref="OverlapFinder"/>.</summary>
public sealed record OverlapOptions
{
    /// <summary>Look for near-duplicates too (decodes every image); otherwise only same files and identical bytes.</summary>
    public bool NearDuplicates { get; init; } = true;

    /// <summary>The near-duplicate limits (the duplicate finder's defaults).</summary>
    public DuplicateFinderOptions Duplicates { get; init; } = DuplicateFinderOptions.Default;

    /// <summary>Parallel readers; 0 or less means one per core.</summary>
    public int Jobs { get; init; }
}

/// <summary>
/// Finds test images that are also in a training set: by path (the same file), by content (byte-identical files, SHA-256
/// of the file bytes) and, optionally, as near-duplicates by the duplicate finder's aHash/pHash rule
/// (<see cref="DuplicateFinder.IsDuplicatePair"/>). Each file is read once per finder, so one finder can serve several
/// train/test pairs (e.g. leave-one-domain-out runs).
/// </summary>
public sealed class OverlapFinder
{
    private readonly ConcurrentDictionary<string, Signature> _cache = new(StringComparer.Ordinal);
    private readonly DuplicateFinder _duplicates;

    /// <summary>Creates a finder (default settings when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A near-duplicate limit is outside 0..64.</exception>
    public OverlapFinder(OverlapOptions? options = null)
    {
        Options = options ?? new OverlapOptions();
        _duplicates = new DuplicateFinder(Options.Duplicates);
    }

    /// <summary>The settings in use.</summary>
    public OverlapOptions Options { get; }

    /// <summary>
    /// Every test image that matches a training image, with the strongest kind of match (same file, then identical
    /// bytes, then near-duplicate) and the first matching training image in training order. Unreadable files never
    /// stop the check; they are counted in <see cref="OverlapReport.Unreadable"/>.
    /// </summary>
    public OverlapReport Find(IReadOnlyList<DatasetSelection> train, IReadOnlyList<DatasetSelection> test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var trainEntries = Flatten(train);
        var testEntries = Flatten(test);
        Sign(trainEntries.Concat(testEntries).Select(e => e.FullPath).Distinct(StringComparer.Ordinal).Where(p => !_cache.ContainsKey(p)).ToList());

        var byPath = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var byBytes = new Dictionary<string, Entry>(StringComparer.Ordinal);
        var trainHashed = new List<(Entry Entry, ulong AHash, ulong PHash)>();
        foreach (var e in trainEntries)
        {
            byPath.TryAdd(e.FullPath, e);
            var sig = _cache[e.FullPath];
            if (sig.Sha256 is { } sha)
            {
                byBytes.TryAdd(sha, e);
            }

            if (sig.AverageHash is { } a && sig.PerceptualHash is { } p)
            {
                trainHashed.Add((e, a, p));
            }
        }

        int maxA = _duplicates.Options.MaxAverageHashDistance;
        int maxP = _duplicates.Options.MaxPerceptualHashDistance;
        var shared = new List<SharedImage>();
        foreach (var e in testEntries)
        {
            var sig = _cache[e.FullPath];
            Entry? match = null;
            OverlapKind kind = OverlapKind.SameFile;
            if (byPath.TryGetValue(e.FullPath, out var same))
            {
                match = same;
            }
            else if (sig.Sha256 is { } sha && byBytes.TryGetValue(sha, out var identical))
            {
                (match, kind) = (identical, OverlapKind.IdenticalBytes);
            }
            else if (Options.NearDuplicates && sig.AverageHash is { } a && sig.PerceptualHash is { } p)
            {
                foreach (var t in trainHashed)
                {
                    if (ImageHash.HammingDistance(p, t.PHash) <= maxP && ImageHash.HammingDistance(a, t.AHash) <= maxA)
                    {
                        (match, kind) = (t.Entry, OverlapKind.NearDuplicate);
                        break;
                    }
                }
            }

            if (match is not null)
            {
                shared.Add(new SharedImage(e.Dataset, e.Path, match.Dataset, match.Path, kind));
            }
        }

        int unreadable = trainEntries.Concat(testEntries).Select(e => e.FullPath).Distinct(StringComparer.Ordinal).Count(f => _cache[f].Unreadable);
        return new OverlapReport(trainEntries.Count, testEntries.Count, shared, Options.NearDuplicates, unreadable);
    }

    private void Sign(List<string> files)
    {
        foreach (var (file, signature) in OrderedParallel.Select(files, Options.Jobs, f => (f, Compute(f))))
        {
            _cache[file] = signature;
        }
    }

    private Signature Compute(string file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Signature(null, null, null, true);
        }

        string sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!Options.NearDuplicates)
        {
            return new Signature(sha, null, null, false);
        }

        try
        {
            var gray = ImageHash.ToPillowGray(ImageDecoder.Decode(bytes, file, out _));
            return new Signature(sha, ImageHash.AverageHash(gray), ImageHash.PerceptualHash(gray), false);
        }
        catch (ImageDecodeException)
        {
            return new Signature(sha, null, null, true);
        }
    }

    private static List<Entry> Flatten(IReadOnlyList<DatasetSelection> selections)
    {
        var entries = new List<Entry>();
        foreach (var s in selections)
        {
            foreach (var item in s.Items)
            {
                entries.Add(new Entry(s.Dataset.Name, item.Path, Path.GetFullPath(s.Dataset.FullPath(item))));
            }
        }

        return entries;
    }

    private sealed record Entry(string Dataset, string Path, string FullPath);

    private sealed record Signature(string? Sha256, ulong? AverageHash, ulong? PerceptualHash, bool Unreadable);
}
