namespace Raabin.Features.Measurement;

/// <summary>
/// Where each feature a model reads sits in a row of some table: features are matched by id, never by position, so a
/// table whose columns are in another order, or hold extra columns, feeds the model exactly the right values.
/// </summary>
public sealed class FeatureBinding
{
    private readonly int[] _columns;

    private FeatureBinding(int[] columns, int sourceWidth)
    {
        _columns = columns;
        SourceWidth = sourceWidth;
    }

    /// <summary>Number of values a source row must have.</summary>
    public int SourceWidth { get; }

    /// <summary>Binds <paramref name="wantedIds"/> to their positions in <paramref name="availableIds"/>.</summary>
    /// <param name="availableIds">The columns a source row has, in order.</param>
    /// <param name="wantedIds">The ids wanted, in the order wanted.</param>
    /// <param name="source">Names the source in the error.</param>
    /// <param name="reader">Names who wants them in the error (e.g. "the model m.json"), or null.</param>
    /// <exception cref="ArgumentException">A wanted id is missing (message names the source, the reader and every missing id).</exception>
    public static FeatureBinding Create(IReadOnlyList<string> availableIds, IReadOnlyList<string> wantedIds, string source, string? reader = null)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < availableIds.Count; i++)
        {
            index.TryAdd(availableIds[i], i);
        }

        var missing = wantedIds.Where(id => !index.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException(
                $"{source}: lacks {missing.Count} feature(s){(reader is null ? string.Empty : $" that {reader} reads")}: " +
                $"{string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", ..." : string.Empty)}");
        }

        return new FeatureBinding(wantedIds.Select(id => index[id]).ToArray(), availableIds.Count);
    }

    /// <summary>Copies the bound values of a source row into <paramref name="destination"/> in the model's order.</summary>
    /// <exception cref="ArgumentException">A row of another width.</exception>
    public void Apply(ReadOnlySpan<double> sourceRow, Span<double> destination)
    {
        if (sourceRow.Length != SourceWidth)
        {
            throw new ArgumentException($"a row of {sourceRow.Length} values for a binding over {SourceWidth} columns", nameof(sourceRow));
        }

        for (int i = 0; i < _columns.Length; i++)
        {
            destination[i] = sourceRow[_columns[i]];
        }
    }
}
