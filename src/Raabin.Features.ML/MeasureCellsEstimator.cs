using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Raabin.Features.Measurement;

namespace Raabin.Features.ML;

/// <summary>
/// Cell measurement as an ML.NET transform: from a column of image paths to a float32 feature vector, a status and a
/// message per row, with any segmenter and feature extractor of the core by name and options (<see cref="MeasureCellsOptions"/>).
/// It learns nothing from the data: <see cref="Fit"/> reads no rows and returns a chain of ML.NET's own transformers:
/// <list type="number">
/// <item>CopyColumns: the path column under a fixed internal name;</item>
/// <item>CustomMapping (<see cref="MeasureCellsSettingsKeyMapping"/>): a constant lookup key per row;</item>
/// <item>ValueMapping: key → the settings as text (<see cref="MeasureCellsSettings"/>), stored once in the saved model;</item>
/// <item>CustomMapping (<see cref="MeasureCellsMapping"/>): the core <see cref="CellPipeline"/> on the row's image,
/// features in <see cref="MeasureCellsOutput.SlotCount"/> scalar slots, the status and the message;</item>
/// <item>CopyColumns, one per feature: the first k slots under the extractor's feature ids (k = its feature count);</item>
/// <item>Concatenate: those k columns into the feature column, whose slot names are then the feature ids;</item>
/// <item>CopyColumns: the status and message under their output names;</item>
/// <item>DropColumns: the internal columns and the per-feature ones.</item>
/// </list>
/// Every step is saveable by ML.NET itself, so <c>MLContext.Model.Save</c> and <c>Load</c> work in a fresh process once
/// <see cref="MeasureCellsCatalog.RegisterMeasureCells"/> (or <see cref="KernelSvmCatalog.RegisterKernelSvm"/>, the same
/// assembly) has registered the mappings.
/// </summary>
/// <remarks>
/// <para><b>float32.</b> The core measures in float64; ML.NET's number columns are float32, so each feature is rounded to
/// the nearest float32: about 7 significant decimal digits are kept (relative change at most 2⁻²⁴ ≈ 6·10⁻⁸), NaN stays
/// NaN, and a magnitude beyond float32's range (≈ 3.4·10³⁸, not reached by any catalog feature) would become ±∞. Models
/// trained on these columns see the rounded values; a row near a decision boundary can be classified differently from
/// the core pipeline, which classifies the float64 values.</para>
/// <para><b>Failed rows.</b> A row whose file is missing, unreadable, corrupt, damaged or cannot be segmented gets NaN in
/// every feature slot, its status word (<see cref="CellStatus"/>) and a message naming the file and the problem; it
/// never throws, and no other row changes. An ok row can still hold a NaN feature where the formula is undefined (see the
/// catalog). Trainers need finite values: drop such rows with
/// <c>mlContext.Data.FilterRowsByMissingValues(data, "Features")</c> before training (the kernel SVM refuses them;
/// at prediction time it gives them a missing <c>PredictedLabel</c>).</para>
/// <para><b>Cost.</b> Every pass over the transformed data measures every image again (ML.NET transforms are lazy), and
/// fitting a normaliser and then a trainer makes several passes: append <c>AppendCacheCheckpoint(mlContext)</c> after
/// this transform (or <c>mlContext.Data.Cache</c> its output) when training. Rows are measured one at a time on the
/// cursor's thread.</para>
/// <para><b>Column names.</b> The chain briefly adds one column per feature id (that is how the output gets its slot
/// names), so the input must not have a column named like a feature id; <see cref="Fit"/> refuses such input.</para>
/// </remarks>
public sealed class MeasureCellsEstimator : IEstimator<TransformerChain<ITransformer>>
{
    /// <summary>The largest feature count an extractor may have here.</summary>
    public const int MaxFeatureCount = MeasureCellsOutput.SlotCount;

    private readonly MLContext context = new();

    /// <summary>Creates the transform's estimator (usually through <see cref="MeasureCellsCatalog.MeasureCells(TransformsCatalog, MeasureCellsOptions)"/>).</summary>
    /// <exception cref="ArgumentException">The segmenter or extractor cannot be created with its options, or the extractor has
    /// more than <see cref="MaxFeatureCount"/> features.</exception>
    public MeasureCellsEstimator(MeasureCellsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ = MeasureCellsSettings.Write(options);   // refuses what cannot be measured now, not at the first row
        Options = options;
    }

    /// <summary>The settings.</summary>
    public MeasureCellsOptions Options { get; }

    /// <summary>The ids of the features the output column holds, in slot order.</summary>
    public IReadOnlyList<string> FeatureIds => Options.Extractor.Create().Features.Select(f => f.Id).ToArray();

    /// <summary>Builds the measuring chain (no rows are read).</summary>
    /// <exception cref="ArgumentException">No text input column of that name, or an input column named like a feature id.</exception>
    public TransformerChain<ITransformer> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var path = input.Schema.GetColumnOrNull(Options.InputColumnName)
            ?? throw new ArgumentException($"The input has no image path column '{Options.InputColumnName}' (columns: {string.Join(", ", input.Schema.Select(c => c.Name))}).");
        if (path.Type is not TextDataViewType)
        {
            throw new ArgumentException($"The image path column '{Options.InputColumnName}' is {path.Type}, not text.");
        }

        var ids = FeatureIds;
        CheckNames(input.Schema.Select(c => c.Name), ids);
        return BuildChain(MeasureCellsSettings.Write(Options), ids).Fit(input) is var chain
            ? new TransformerChain<ITransformer>([.. chain])
            : throw new InvalidOperationException();
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var path = inputSchema.FirstOrDefault(c => c.Name == Options.InputColumnName);
        if (path.Name is null || path.ItemType is not TextDataViewType || path.Kind != SchemaShape.Column.VectorKind.Scalar)
        {
            throw new ArgumentException($"The image path column '{Options.InputColumnName}' is missing or not scalar text.");
        }

        var ids = FeatureIds;
        CheckNames(inputSchema.Select(c => c.Name), ids);
        return BuildChain(MeasureCellsSettings.Write(Options), ids).GetOutputSchema(inputSchema);
    }

    private void CheckNames(IEnumerable<string> inputColumns, IReadOnlyList<string> ids)
    {
        var clash = inputColumns.Where(ids.Contains).ToArray();
        if (clash.Length > 0)
        {
            throw new ArgumentException($"Input column(s) {string.Join(", ", clash.Select(c => $"'{c}'"))} have the name of a feature id of '{Options.Extractor}'; rename them (the transform passes each feature through a column named by its id).");
        }
    }

    private EstimatorChain<ColumnSelectingTransformer> BuildChain(string settings, IReadOnlyList<string> ids)
    {
        var lookup = context.Data.LoadFromEnumerable([new LookupRow { Key = MeasureCellsSettingsKeyMapping.Key, Text = settings }]);
        string[] internals =
        [
            MeasureCellsColumns.Path, MeasureCellsColumns.SettingsKey, MeasureCellsColumns.Settings, MeasureCellsColumns.Status, MeasureCellsColumns.Error,
            .. Enumerable.Range(0, MeasureCellsOutput.SlotCount).Select(SlotColumn), .. ids,
        ];
        EstimatorChain<ITransformer> chain = new EstimatorChain<ITransformer>()
            .Append(context.Transforms.CopyColumns(MeasureCellsColumns.Path, Options.InputColumnName))
            .Append(context.Transforms.CustomMapping<MeasureCellsNoInput, MeasureCellsSettingsKeyOutput>(MeasureCellsSettingsKeyMapping.Map, MeasureCellsSettingsKeyMapping.ContractName))
            .Append(context.Transforms.Conversion.MapValue(MeasureCellsColumns.Settings, lookup, lookup.Schema[nameof(LookupRow.Key)], lookup.Schema[nameof(LookupRow.Text)], MeasureCellsColumns.SettingsKey))
            .Append<ITransformer>(context.Transforms.CustomMapping<MeasureCellsInput, MeasureCellsOutput>(MeasureCellsMapping.Map, MeasureCellsMapping.ContractName));

        // One CopyColumns per feature (the public catalog copies one column per estimator): Concatenate names the slot of a
        // scalar input after the input column, so the columns it reads are named by the feature ids.
        for (int i = 0; i < ids.Count; i++)
        {
            chain = chain.Append<ITransformer>(context.Transforms.CopyColumns(ids[i], SlotColumn(i)));
        }

        return chain
            .Append(context.Transforms.Concatenate(Options.OutputColumnName, [.. ids]))
            .Append(context.Transforms.CopyColumns(Options.StatusColumnName, MeasureCellsColumns.Status))
            .Append(context.Transforms.CopyColumns(Options.ErrorColumnName, MeasureCellsColumns.Error))
            .Append(context.Transforms.DropColumns(internals));
    }

    private static string SlotColumn(int slot) => MeasureCellsColumns.SlotPrefix + slot.ToString("000", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class LookupRow
    {
        public string Key { get; set; } = string.Empty;

        public string Text { get; set; } = string.Empty;
    }
}
