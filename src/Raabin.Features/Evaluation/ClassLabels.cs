namespace Raabin.Features.Evaluation;

/// <summary>
/// Turns class names into indices into an ordered class list (the order every evaluation result uses).
/// </summary>
public static class ClassLabels
{
    /// <summary>
    /// The index of each label in <paramref name="classes"/> (ordinal, case-sensitive comparison).
    /// </summary>
    /// <param name="classes">The ordered class list; names must be distinct.</param>
    /// <param name="labels">Labels to encode.</param>
    /// <param name="source">What the labels are (e.g. "truth", "predictions of model A"), used in error messages.</param>
    /// <exception cref="ArgumentException">A label is not in the class list, or the class list has duplicates.</exception>
    public static int[] ToIndices(IReadOnlyList<string> classes, IReadOnlyList<string> labels, string source)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(labels);
        Dictionary<string, int> lookup = Lookup(classes);
        var indices = new int[labels.Count];
        for (int i = 0; i < labels.Count; i++)
        {
            string label = labels[i] ?? throw new ArgumentException($"{source}: label at position {i} is null.", nameof(labels));
            if (!lookup.TryGetValue(label, out int index))
            {
                throw new ArgumentException(
                    $"{source}: label '{label}' at position {i} is not one of the {classes.Count} classes ({string.Join(", ", classes)}). " +
                    "Extend the class list (e.g. with ClassLabels.Union) to evaluate labels the model does not know.",
                    nameof(labels));
            }

            indices[i] = index;
        }

        return indices;
    }

    /// <summary>
    /// <paramref name="classes"/> in their order, followed by every further distinct label of
    /// <paramref name="labelSets"/> in ordinal sort order, so that labels a model never saw can still be counted.
    /// </summary>
    public static IReadOnlyList<string> Union(IReadOnlyList<string> classes, params IReadOnlyList<string>[] labelSets)
    {
        ArgumentNullException.ThrowIfNull(classes);
        var known = new HashSet<string>(classes, StringComparer.Ordinal);
        var extra = new SortedSet<string>(StringComparer.Ordinal);
        foreach (IReadOnlyList<string> labels in labelSets)
        {
            foreach (string label in labels)
            {
                if (!known.Contains(label))
                {
                    extra.Add(label);
                }
            }
        }

        var union = new List<string>(classes.Count + extra.Count);
        union.AddRange(classes);
        union.AddRange(extra);
        return union.AsReadOnly();
    }

    internal static Dictionary<string, int> Lookup(IReadOnlyList<string> classes)
    {
        var lookup = new Dictionary<string, int>(classes.Count, StringComparer.Ordinal);
        for (int c = 0; c < classes.Count; c++)
        {
            string name = classes[c] ?? throw new ArgumentException($"Class name at position {c} is null.", nameof(classes));
            if (!lookup.TryAdd(name, c))
            {
                throw new ArgumentException($"Class '{name}' appears twice in the class list.", nameof(classes));
            }
        }

        return lookup;
    }

    /// <summary>
    /// The labels that are not in <paramref name="known"/> (ordinal, case-sensitive), each with how many times it
    /// occurs, sorted by class name; empty labels (unlabelled images) are ignored. Empty when every label is known.
    /// </summary>
    /// <param name="known">The classes a model knows.</param>
    /// <param name="labels">The labels of a test set.</param>
    public static IReadOnlyList<(string Class, int Count)> Unknown(IEnumerable<string> known, IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(labels);
        var knownSet = new HashSet<string>(known, StringComparer.Ordinal);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (string label in labels)
        {
            if (!string.IsNullOrEmpty(label) && !knownSet.Contains(label))
            {
                counts[label] = counts.GetValueOrDefault(label) + 1;
            }
        }

        var result = new List<(string, int)>(counts.Count);
        foreach (var (c, n) in counts)
        {
            result.Add((c, n));
        }

        return result;
    }
}
