namespace Raabin.Features.Import;

/// <summary>One image's imported scores.</summary>
public sealed class ImportedScore
{
    private readonly double[]? _probabilities;

    internal ImportedScore(int line, string key, string? dataset, string? trueLabel, string predictedLabel,
        double[]? probabilities, string model)
    {
        Line = line;
        Key = key;
        Dataset = dataset;
        TrueLabel = trueLabel;
        PredictedLabel = predictedLabel;
        _probabilities = probabilities;
        Model = model;
    }

    /// <summary>1-based line of the record in the imported file.</summary>
    public int Line { get; }

    /// <summary>The image's key exactly as given in the file (usually a relative path or a file name).</summary>
    public string Key { get; }

    /// <summary>The <c>dataset</c> column, if the file has one.</summary>
    public string? Dataset { get; }

    /// <summary>The true class, if the file gives one (<c>label</c> column); null when absent or empty.</summary>
    public string? TrueLabel { get; }

    /// <summary>The predicted class (a name from <see cref="ImportedScores.Classes"/>).</summary>
    public string PredictedLabel { get; }

    /// <summary>
    /// Per-class probabilities in <see cref="ImportedScores.Classes"/> order, each in [0, 1] and summing to 1 within
    /// the import tolerance; null when the import kept only the top-1 prediction.
    /// </summary>
    public IReadOnlyList<double>? Probabilities => _probabilities;

    /// <summary>The model that produced the scores.</summary>
    public string Model { get; }

    internal double[]? RawProbabilities => _probabilities;
}

/// <summary>
/// Per-image scores imported from another classifier (e.g. a CNN), with the ordered class list they refer to and
/// every assumption the importer made, in words.
/// </summary>
public sealed class ImportedScores
{
    internal ImportedScores(string source, string keyColumn, IReadOnlyList<string> classes, IReadOnlyList<ImportedScore> rows,
        IReadOnlyList<string> assumptions, bool hasProbabilities)
    {
        Source = source;
        KeyColumn = keyColumn;
        Classes = classes;
        Rows = rows;
        Assumptions = assumptions;
        HasProbabilities = hasProbabilities;
    }

    /// <summary>The imported file.</summary>
    public string Source { get; }

    /// <summary>The column (or JSON property) the image keys were read from.</summary>
    public string KeyColumn { get; }

    /// <summary>Class names; <see cref="ImportedScore.Probabilities"/> follow this order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>One row per image, in file order.</summary>
    public IReadOnlyList<ImportedScore> Rows { get; }

    /// <summary>Human-readable sentences: the layout read, the class order used, conversions applied, columns ignored.</summary>
    public IReadOnlyList<string> Assumptions { get; }

    /// <summary>Whether the rows carry probabilities (false after a top-1-only import).</summary>
    public bool HasProbabilities { get; }

    /// <summary>The index of <paramref name="className"/> in <see cref="Classes"/>, or -1.</summary>
    public int ClassIndex(string className)
    {
        for (int i = 0; i < Classes.Count; i++)
        {
            if (string.Equals(Classes[i], className, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The same scores with the probabilities reordered to <paramref name="classOrder"/> (e.g. our classifier's
    /// classes), which must hold exactly the same names.
    /// </summary>
    /// <exception cref="ArgumentException">The names differ from <see cref="Classes"/>.</exception>
    public ImportedScores WithClassOrder(IReadOnlyList<string> classOrder)
    {
        if (classOrder.Count != Classes.Count)
        {
            throw new ArgumentException(
                $"{Source}: the imported classes ({string.Join(", ", Classes)}) are not the classes asked for ({string.Join(", ", classOrder)})",
                nameof(classOrder));
        }

        var from = new int[classOrder.Count];
        var used = new bool[Classes.Count];
        for (int i = 0; i < classOrder.Count; i++)
        {
            from[i] = ClassIndex(classOrder[i]);
            if (from[i] < 0 || used[from[i]])
            {
                throw new ArgumentException(
                    $"{Source}: the imported classes ({string.Join(", ", Classes)}) are not the classes asked for ({string.Join(", ", classOrder)})",
                    nameof(classOrder));
            }

            used[from[i]] = true;
        }

        var rows = new List<ImportedScore>(Rows.Count);
        foreach (var r in Rows)
        {
            double[]? p = null;
            if (r.RawProbabilities is { } old)
            {
                p = new double[old.Length];
                for (int i = 0; i < p.Length; i++)
                {
                    p[i] = old[from[i]];
                }
            }

            rows.Add(new ImportedScore(r.Line, r.Key, r.Dataset, r.TrueLabel, r.PredictedLabel, p, r.Model));
        }

        var assumptions = new List<string>(Assumptions) { $"classes reordered to: {string.Join(", ", classOrder)}" };
        return new ImportedScores(Source, KeyColumn, [.. classOrder], rows, assumptions, HasProbabilities);
    }
}
