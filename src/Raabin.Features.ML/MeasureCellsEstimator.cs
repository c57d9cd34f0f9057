using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Image;
using Raabin.Features.Measurement;

namespace Raabin.Features.ML;

/// <summary>
/// Cell measurement as an ML.NET transform: from a column of image paths (text) or of decoded images (<see cref="MLImage"/>,
/// e.g. from <c>mlContext.Transforms.LoadImages</c>) to a float32 feature vector, a status and a message per row, with
/// any segmenter and feature extractor of the core by name and options (<see cref="MeasureCellsOptions"/>).
/// It learns nothing from the data: <see cref="Fit"/> reads no rows and returns a chain of ML.NET's own transformers:
/// <list type="number">
/// <item>CopyColumns: the path (or image) column under a fixed internal name;</item>
/// <item>CustomMapping (<see cref="MeasureCellsSettingsKeyMapping"/>): a constant lookup key per row;</item>
/// <item>ValueMapping: key → the settings as text (<see cref="MeasureCellsSettings"/>), stored once in the saved model;</item>
/// <item>CustomMapping (<see cref="MeasureCellsMapping"/>, or <see cref="MeasureCellsImageMapping"/> for an image column):
/// the core <see cref="CellPipeline"/> on the row's image, features in <see cref="MeasureCellsOutput.SlotCount"/> scalar slots, the status and the message;</item>
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
/// <para><b>MLImage input.</b> The pixels are ML.NET's decode (SkiaSharp), read directly from the <see cref="MLImage"/>
/// at its own size (no resizing; alpha dropped, as OpenCV's <c>imread</c> does), so the core's decoder does not run: its
/// pixel limit (<see cref="MeasureCellsOptions.Decoder"/>) and damage check (<see cref="MeasureCellsOptions.MeasureDamaged"/>)
/// do not apply, and a truncated file is whatever Skia makes of it. On every shipped sample image (JPEG and BMP) the
/// features equal the path route's (tested). A null image is a <c>missing</c> row; an image that is not 32-bit BGRA or
/// RGBA a <c>decode_error</c> row.</para>
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
    /// <exception cref="ArgumentException">No text or image input column of that name, or an input column named like a feature id.</exception>
    public TransformerChain<ITransformer> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = input.Schema.GetColumnOrNull(Options.InputColumnName)
            ?? throw new ArgumentException($"The input has no image column '{Options.InputColumnName}' (columns: {string.Join(", ", input.Schema.Select(c => c.Name))}).");
        if (column.Type is not (TextDataViewType or ImageDataViewType))
        {
            throw new ArgumentException($"The image column '{Options.InputColumnName}' is {column.Type}, not a path (text) or an image (MLImage).");
        }

        var ids = FeatureIds;
        CheckNames(input.Schema.Select(c => c.Name), ids);

        // Step by step rather than EstimatorChain.Fit: CustomMappingEstimator.GetOutputSchema compares item types by
        // reference, which refuses an image column (each LoadImages has its own ImageDataViewType instance); the fitted
        // transformer binds it by equality.
        var transformers = new List<ITransformer>();
        var data = input;
        foreach (var step in Steps(MeasureCellsSettings.Write(Options), ids, column.Type is ImageDataViewType))
        {
            var transformer = step.Fit(data);
            transformers.Add(transformer);
            data = transformer.Transform(data);
        }

        return new TransformerChain<ITransformer>([.. transformers]);
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var column = inputSchema.FirstOrDefault(c => c.Name == Options.InputColumnName);
        if (column.Name is null || column.ItemType is not (TextDataViewType or ImageDataViewType) || column.Kind != SchemaShape.Column.VectorKind.Scalar)
        {
            throw new ArgumentException($"The image column '{Options.InputColumnName}' is missing, or not a path (text) or an image (MLImage).");
        }

        var ids = FeatureIds;
        CheckNames(inputSchema.Select(c => c.Name), ids);
        if (column.ItemType is not ImageDataViewType)
        {
            return Chain(Steps(MeasureCellsSettings.Write(Options), ids, fromImage: false)).GetOutputSchema(inputSchema);
        }

        // The image route's output schema is the path route's (see Fit for why its own chain cannot say it): computed with
        // the input column as text, which is then put back.
        var text = TextColumn(Options.InputColumnName);
        var asText = new SchemaShape(inputSchema.Select(c => c.Name == Options.InputColumnName ? text : c));
        var output = Chain(Steps(MeasureCellsSettings.Write(Options), ids, fromImage: false)).GetOutputSchema(asText);
        return new SchemaShape(output.Select(c => c.Name == Options.InputColumnName ? column : c));
    }

    // A scalar text column's shape named name (SchemaShape.Column has no public constructor): the settings-key mapping's
    // output, renamed.
    private SchemaShape.Column TextColumn(string name) =>
        context.Transforms.CustomMapping<MeasureCellsNoInput, MeasureCellsSettingsKeyOutput>(MeasureCellsSettingsKeyMapping.Map, MeasureCellsSettingsKeyMapping.ContractName)
            .Append(context.Transforms.CopyColumns(name, MeasureCellsColumns.SettingsKey))
            .GetOutputSchema(new SchemaShape([]))
            .Single(c => c.Name == name);

    private static EstimatorChain<ITransformer> Chain(IEnumerable<IEstimator<ITransformer>> steps) =>
        steps.Aggregate(new EstimatorChain<ITransformer>(), (chain, step) => chain.Append(step));

    private void CheckNames(IEnumerable<string> inputColumns, IReadOnlyList<string> ids)
    {
        var clash = inputColumns.Where(ids.Contains).ToArray();
        if (clash.Length > 0)
        {
            throw new ArgumentException($"Input column(s) {string.Join(", ", clash.Select(c => $"'{c}'"))} have the name of a feature id of '{Options.Extractor}'; rename them (the transform passes each feature through a column named by its id).");
        }
    }

    private List<IEstimator<ITransformer>> Steps(string settings, IReadOnlyList<string> ids, bool fromImage)
    {
        if (fromImage)
        {
            MLImageColumnType.EnsureRegistered();
        }

        var lookup = context.Data.LoadFromEnumerable([new LookupRow { Key = MeasureCellsSettingsKeyMapping.Key, Text = settings }]);
        string[] internals =
        [
            fromImage ? MeasureCellsColumns.Image : MeasureCellsColumns.Path, MeasureCellsColumns.SettingsKey, MeasureCellsColumns.Settings, MeasureCellsColumns.Status, MeasureCellsColumns.Error,
            .. Enumerable.Range(0, MeasureCellsOutput.SlotCount).Select(SlotColumn), .. ids,
        ];
        var steps = new List<IEstimator<ITransformer>>
        {
            context.Transforms.CopyColumns(fromImage ? MeasureCellsColumns.Image : MeasureCellsColumns.Path, Options.InputColumnName),
            context.Transforms.CustomMapping<MeasureCellsNoInput, MeasureCellsSettingsKeyOutput>(MeasureCellsSettingsKeyMapping.Map, MeasureCellsSettingsKeyMapping.ContractName),
            context.Transforms.Conversion.MapValue(MeasureCellsColumns.Settings, lookup, lookup.Schema[nameof(LookupRow.Key)], lookup.Schema[nameof(LookupRow.Text)], MeasureCellsColumns.SettingsKey),
            fromImage
                ? context.Transforms.CustomMapping<MeasureCellsImageInput, MeasureCellsOutput>(MeasureCellsImageMapping.Map, MeasureCellsImageMapping.ContractName)
                : context.Transforms.CustomMapping<MeasureCellsInput, MeasureCellsOutput>(MeasureCellsMapping.Map, MeasureCellsMapping.ContractName),
        };

        // One CopyColumns per feature (the public catalog copies one column per estimator): Concatenate names the slot of a
        // scalar input after the input column, so the columns it reads are named by the feature ids.
        steps.AddRange(ids.Select((id, i) => context.Transforms.CopyColumns(id, SlotColumn(i))));
        steps.Add(context.Transforms.Concatenate(Options.OutputColumnName, [.. ids]));
        steps.Add(context.Transforms.CopyColumns(Options.StatusColumnName, MeasureCellsColumns.Status));
        steps.Add(context.Transforms.CopyColumns(Options.ErrorColumnName, MeasureCellsColumns.Error));
        steps.Add(context.Transforms.DropColumns(internals));
        return steps;
    }

    private static string SlotColumn(int slot) => MeasureCellsColumns.SlotPrefix + slot.ToString("000", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class LookupRow
    {
        public string Key { get; set; } = string.Empty;

        public string Text { get; set; } = string.Empty;
    }
}
