using Microsoft.ML;
using Microsoft.ML.Data;
using Raabin.Features.Measurement;

namespace Raabin.Features.ML;

/// <summary>One row of a feature table as ML.NET sees it (see <see cref="FeatureTableData"/>).</summary>
public sealed class FeatureTableRow
{
    /// <summary>The image path, relative to its dataset.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>The class name (empty when unlabelled).</summary>
    public string Label { get; set; } = string.Empty;

    /// <summary>The split, or empty.</summary>
    public string Split { get; set; } = string.Empty;

    /// <summary>The acquisition domain, or empty.</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary><c>ok</c>, or why the image has no features.</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>The features, float32, in the table's column order (NaN where not measured).</summary>
    public float[] Features { get; set; } = [];
}

/// <summary>
/// Feature tables to and from ML.NET's <see cref="IDataView"/>: columns <c>Path</c>, <c>Label</c>, <c>Split</c>,
/// <c>Domain</c>, <c>Status</c> (text) and <c>Features</c>, a float32 vector whose slot names are the catalog feature ids,
/// so an ML.NET pipeline (and <c>FeatureTableData.ToFeatureTable</c> back) keeps track of which slot is which feature.
/// Values are rounded to float32 on the way in (ML.NET's number type); the way back widens them exactly.
/// </summary>
public static class FeatureTableData
{
    /// <summary>The feature vector column's name.</summary>
    public const string FeaturesColumn = "Features";

    // ML.NET's annotation kind of slot names (the value of its internal AnnotationUtils.Kinds.SlotNames, read back by the
    // public HasSlotNames/GetSlotNames).
    private const string SlotNamesKind = "SlotNames";

    /// <summary>
    /// The rows of <paramref name="table"/> as an <see cref="IDataView"/> (all rows, or only those with status ok when
    /// <paramref name="okOnly"/>), the feature vector's slot names being the table's feature ids.
    /// </summary>
    public static IDataView ToDataView(this MLContext ml, FeatureTable table, bool okOnly = true)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(table);
        int n = table.FeatureIds.Count;
        var schema = SchemaDefinition.Create(typeof(FeatureTableRow));
        var column = schema[nameof(FeatureTableRow.Features)];
        column.ColumnType = new VectorDataViewType(NumberDataViewType.Single, n);
        var names = new VBuffer<ReadOnlyMemory<char>>(n, table.FeatureIds.Select(id => id.AsMemory()).ToArray());
        column.AddAnnotation(SlotNamesKind, names, new VectorDataViewType(TextDataViewType.Instance, n));
        var rows = table.Rows.Where(r => !okOnly || r.IsOk).Select(r => new FeatureTableRow
        {
            Path = r.Path,
            Label = r.Label,
            Split = r.Split,
            Domain = r.Domain,
            Status = r.Status,
            Features = r.Values.Select(v => (float)v).ToArray(),
        }).ToList();
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>
    /// Reads an <see cref="IDataView"/> with a float32 vector column named <paramref name="featuresColumn"/> whose slot
    /// names are feature ids (and optional text columns <c>Path</c>, <c>Label</c>, <c>Split</c>, <c>Domain</c>,
    /// <c>Status</c>) as a feature table with <paramref name="provenance"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No such column, not a known-size float32 vector, or no slot names (the message says which).</exception>
    public static FeatureTable ToFeatureTable(this IDataView data, string featuresColumn = FeaturesColumn, FeatureProvenance? provenance = null, string source = "(IDataView)")
    {
        ArgumentNullException.ThrowIfNull(data);
        var column = data.Schema.GetColumnOrNull(featuresColumn)
            ?? throw new ArgumentException($"{source}: no column '{featuresColumn}' (columns: {string.Join(", ", data.Schema.Select(c => c.Name))})");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType, Size: > 0 } vector || vector.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException($"{source}: column '{featuresColumn}' is {column.Type}, not a float32 vector of known size");
        }

        if (!column.HasSlotNames())
        {
            throw new ArgumentException($"{source}: column '{featuresColumn}' has no slot names: the feature ids of its slots are unknown");
        }

        var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
        column.GetSlotNames(ref slotNames);
        var ids = slotNames.DenseValues().Select(m => m.ToString()).ToList();
        var rows = new List<FeatureRow>();
        var text = new[] { "Path", "Label", "Split", "Domain", "Status" }.Select(name => data.Schema.GetColumnOrNull(name)).ToArray();
        var wanted = text.Where(c => c is { Type: TextDataViewType }).Select(c => c!.Value).Append(column).ToArray();
        using var cursor = data.GetRowCursor(wanted);
        var getFeatures = cursor.GetGetter<VBuffer<float>>(column);
        var getters = text.Select(c => c is { Type: TextDataViewType } col ? cursor.GetGetter<ReadOnlyMemory<char>>(col) : null).ToArray();
        var features = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getFeatures(ref features);
            var values = features.DenseValues().Select(v => (double)v).ToArray();
            string Read(int i)
            {
                if (getters[i] is not { } getter)
                {
                    return string.Empty;
                }

                ReadOnlyMemory<char> value = default;
                getter(ref value);
                return value.ToString();
            }

            string status = Read(4);
            rows.Add(new FeatureRow(Read(0), Read(1), Read(2), Read(3), status.Length > 0 ? status : CellStatus.Ok, null, values));
        }

        return new FeatureTable(ids, rows, source, provenance);
    }
}
