namespace Raabin.Features.Import;

/// <summary>How an imported row was paired with one of our images.</summary>
public enum MatchKind
{
    /// <summary>The imported key equals our relative path (after turning '\' into '/' and dropping a leading "./").</summary>
    ExactPath,

    /// <summary>The file names (last path segment) are equal and each is unique on its side.</summary>
    UniqueFileName,
}

/// <summary>An imported row paired with one of our images.</summary>
/// <param name="Score">The imported row.</param>
/// <param name="OurPath">Our relative path, as given to the matcher.</param>
/// <param name="Kind">How the pair was found.</param>
public sealed record MatchedScore(ImportedScore Score, string OurPath, MatchKind Kind);

/// <summary>Imported rows that share one key: none of them is matched.</summary>
/// <param name="Key">The normalised key.</param>
/// <param name="Rows">Every row with that key, in file order.</param>
public sealed record DuplicateKey(string Key, IReadOnlyList<ImportedScore> Rows);

/// <summary>
/// A file name that could not decide a pairing: it occurs more than once among the imported rows or among our
/// images. None of these rows is matched by name.
/// </summary>
/// <param name="FileName">The file name (last path segment).</param>
/// <param name="Rows">Imported rows left unmatched by exact path that carry this name.</param>
/// <param name="Candidates">All our paths with this name.</param>
public sealed record AmbiguousName(string FileName, IReadOnlyList<ImportedScore> Rows, IReadOnlyList<string> Candidates);

/// <summary>
/// The outcome of <see cref="ScoreMatcher.Match"/>. Every imported row is in exactly one of <see cref="Matched"/>,
/// <see cref="UnmatchedRows"/>, <see cref="Duplicates"/> or <see cref="Ambiguous"/>; every one of our images is in
/// <see cref="Matched"/> or <see cref="Unscored"/>.
/// </summary>
public sealed class ScoreMatch
{
    internal ScoreMatch(IReadOnlyList<MatchedScore> matched, IReadOnlyList<ImportedScore> unmatchedRows, IReadOnlyList<string> unscored,
        IReadOnlyList<DuplicateKey> duplicates, IReadOnlyList<AmbiguousName> ambiguous)
    {
        Matched = matched;
        UnmatchedRows = unmatchedRows;
        Unscored = unscored;
        Duplicates = duplicates;
        Ambiguous = ambiguous;
    }

    /// <summary>Pairs, in the order of our paths.</summary>
    public IReadOnlyList<MatchedScore> Matched { get; }

    /// <summary>Imported rows whose key and file name fit none of our images, in file order.</summary>
    public IReadOnlyList<ImportedScore> UnmatchedRows { get; }

    /// <summary>Our images that received no score, in the order given.</summary>
    public IReadOnlyList<string> Unscored { get; }

    /// <summary>Keys given to more than one imported row, sorted by key (ordinal).</summary>
    public IReadOnlyList<DuplicateKey> Duplicates { get; }

    /// <summary>File names that are not unique on one side or the other, sorted by name (ordinal).</summary>
    public IReadOnlyList<AmbiguousName> Ambiguous { get; }

    /// <summary>How many pairs were found by exact path.</summary>
    public int ExactCount => Count(MatchKind.ExactPath);

    /// <summary>How many pairs were found by unique file name.</summary>
    public int ByNameCount => Count(MatchKind.UniqueFileName);

    private int Count(MatchKind kind)
    {
        int n = 0;
        foreach (var m in Matched)
        {
            if (m.Kind == kind)
            {
                n++;
            }
        }

        return n;
    }
}

/// <summary>
/// Lines imported rows up with our images: first by exact relative path, then by file name where that name is
/// unique among the imported keys and unique among our paths. Nothing is dropped silently: rows and images that
/// do not pair are listed with the reason (<see cref="ScoreMatch"/>). Comparison is ordinal (case-sensitive).
/// </summary>
public static class ScoreMatcher
{
    /// <summary>Matches the rows of one model to our relative paths.</summary>
    /// <param name="rows">Imported rows (of one model: keys are expected to be unique).</param>
    /// <param name="ourPaths">Our images' relative paths; must be distinct after normalisation.</param>
    /// <exception cref="ArgumentException"><paramref name="ourPaths"/> holds the same path twice.</exception>
    public static ScoreMatch Match(IReadOnlyList<ImportedScore> rows, IReadOnlyList<string> ourPaths)
    {
        var ourByPath = new Dictionary<string, int>(StringComparer.Ordinal);
        var ourByName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int i = 0; i < ourPaths.Count; i++)
        {
            string normal = Normalise(ourPaths[i]);
            if (!ourByPath.TryAdd(normal, i))
            {
                throw new ArgumentException($"our path list holds '{ourPaths[i]}' twice (positions {ourByPath[normal]} and {i})", nameof(ourPaths));
            }

            AddTo(ourByName, FileName(normal), i);
        }

        var rowsByKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var rowsByName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int r = 0; r < rows.Count; r++)
        {
            string normal = Normalise(rows[r].Key);
            AddTo(rowsByKey, normal, r);
            AddTo(rowsByName, FileName(normal), r);
        }

        var pairOfOurs = new MatchedScore?[ourPaths.Count];
        var duplicates = new List<DuplicateKey>();
        var unmatched = new List<ImportedScore>();
        var ambiguousRows = new SortedDictionary<string, List<ImportedScore>>(StringComparer.Ordinal);
        var left = new List<int>();
        foreach (var (key, list) in rowsByKey)
        {
            if (list.Count > 1)
            {
                var dup = new List<ImportedScore>(list.Count);
                foreach (int r in list)
                {
                    dup.Add(rows[r]);
                }

                duplicates.Add(new DuplicateKey(key, dup));
            }
            else if (ourByPath.TryGetValue(key, out int ours))
            {
                pairOfOurs[ours] = new MatchedScore(rows[list[0]], ourPaths[ours], MatchKind.ExactPath);
            }
            else
            {
                left.Add(list[0]);
            }
        }

        left.Sort();
        foreach (int r in left)
        {
            string name = FileName(Normalise(rows[r].Key));
            bool oursHave = ourByName.TryGetValue(name, out var candidates);
            if (!oursHave)
            {
                unmatched.Add(rows[r]);
            }
            else if (candidates!.Count == 1 && rowsByName[name].Count == 1 && pairOfOurs[candidates[0]] is null)
            {
                pairOfOurs[candidates[0]] = new MatchedScore(rows[r], ourPaths[candidates[0]], MatchKind.UniqueFileName);
            }
            else
            {
                if (!ambiguousRows.TryGetValue(name, out var bucket))
                {
                    ambiguousRows[name] = bucket = new List<ImportedScore>();
                }

                bucket.Add(rows[r]);
            }
        }

        var ambiguous = new List<AmbiguousName>(ambiguousRows.Count);
        foreach (var (name, bucket) in ambiguousRows)
        {
            var candidatePaths = new List<string>();
            foreach (int i in ourByName[name])
            {
                candidatePaths.Add(ourPaths[i]);
            }

            ambiguous.Add(new AmbiguousName(name, bucket, candidatePaths));
        }

        var matched = new List<MatchedScore>();
        var unscored = new List<string>();
        for (int i = 0; i < ourPaths.Count; i++)
        {
            if (pairOfOurs[i] is { } m)
            {
                matched.Add(m);
            }
            else
            {
                unscored.Add(ourPaths[i]);
            }
        }

        duplicates.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new ScoreMatch(matched, unmatched, unscored, duplicates, ambiguous);
    }

    /// <summary>Path form used for comparison: '/' separators, no leading "./".</summary>
    public static string Normalise(string path)
    {
        string p = path.Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal))
        {
            p = p[2..];
        }

        return p;
    }

    private static string FileName(string normalisedPath)
    {
        int slash = normalisedPath.LastIndexOf('/');
        return slash < 0 ? normalisedPath : normalisedPath[(slash + 1)..];
    }

    private static void AddTo(Dictionary<string, List<int>> map, string key, int value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = new List<int>();
        }

        list.Add(value);
    }
}
