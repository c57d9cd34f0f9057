using Microsoft.ML;
using Microsoft.ML.Data;
using Raabin.Features.Learning;

namespace Raabin.Features.ML;

/// <summary>
/// The kernel-SVM multiclass trainer for ML.NET. <see cref="Fit"/> trains the core <see cref="SvmClassifierTrainer"/> on
/// float64 copies of the float32 feature column and returns a chain of ML.NET's own transformers that score with it:
/// <list type="number">
/// <item>CopyColumns: the feature column under a fixed internal name;</item>
/// <item>CustomMapping (<see cref="KernelSvmModelKeyMapping"/>): a constant lookup key per row;</item>
/// <item>ValueMapping: key → the model as text (<see cref="KernelSvmModelText"/>), stored once in the saved model;</item>
/// <item>CustomMapping (<see cref="KernelSvmScoringMapping"/>): the core model's scores in 64 scalar slots and the chosen
/// class's name;</item>
/// <item>Concatenate: the first k slots into <c>Score</c> (k = the label key's count, data known only at Fit);</item>
/// <item>MapValueToKey: the name into <c>PredictedLabel</c>, a key with the label's key values;</item>
/// <item>DropColumns: the internal columns.</item>
/// </list>
/// Every step is saveable by ML.NET itself, so <c>MLContext.Model.Save</c> and <c>Load</c> work in a fresh process once
/// <see cref="KernelSvmCatalog.RegisterKernelSvm"/> has registered the mappings.
/// </summary>
/// <remarks>
/// <para><b>float32.</b> ML.NET columns are float32; the core SVM works in float64. Training and prediction widen each
/// float32 exactly to float64, so the model is the core model trained on those (float32-representable) values and
/// predicts exactly as the core <see cref="ClassifierModel"/> does on the same values. What float32 changes is the input:
/// features measured in float64 lose their digits beyond float32's ~7 significant ones before the SVM sees them (a row
/// near a decision boundary can change class), and <c>Score</c> is rounded to float32 (votes are exact).</para>
/// <para><b>Class count.</b> A CustomMapping's vector sizes are compile-time constants lost if given at run time, so
/// the mapping writes 64 scalar columns and a Concatenate (whose input list is saved) builds a <c>Score</c> of exactly k
/// slots: up to 64 classes.</para>
/// </remarks>
public sealed class KernelSvmEstimator : IEstimator<TransformerChain<ITransformer>>
{
    /// <summary>The largest class count (label key count) the trainer accepts.</summary>
    public const int MaxClassCount = KernelSvmScoringOutput.SlotCount;

    private readonly MLContext context;

    /// <summary>Creates the trainer (usually through <see cref="KernelSvmCatalog.KernelSvm"/>).</summary>
    public KernelSvmEstimator(KernelSvmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;

        // The catalog's own context is internal to ML.NET; the transforms are built in a private one (it holds no state
        // that the saved chain depends on).
        context = new MLContext(options.Seed);
    }

    /// <summary>The settings.</summary>
    public KernelSvmOptions Options { get; }

    /// <summary>The core model trained by the last <see cref="Fit"/>, or null before it.</summary>
    public ClassifierModel? LastModel { get; private set; }

    /// <summary>Trains on <paramref name="input"/>: rows with a missing label key are skipped.</summary>
    /// <exception cref="ArgumentException">A missing or mistyped column, a non-finite feature, too few or too many classes.</exception>
    public TransformerChain<ITransformer> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (keyClasses, featureCount) = CheckSchema(input.Schema);
        var rows = new List<double[]>();
        var labels = new List<string>();
        using (var cursor = input.GetRowCursor([input.Schema[Options.LabelColumnName], input.Schema[Options.FeatureColumnName]]))
        {
            var labelGetter = cursor.GetGetter<uint>(input.Schema[Options.LabelColumnName]);
            var featureGetter = cursor.GetGetter<VBuffer<float>>(input.Schema[Options.FeatureColumnName]);
            uint label = 0;
            VBuffer<float> features = default;
            long row = -1;
            while (cursor.MoveNext())
            {
                row++;
                labelGetter(ref label);
                if (label == 0)
                {
                    continue;
                }

                featureGetter(ref features);
                if (features.Length != featureCount && featureCount > 0)
                {
                    throw new ArgumentException($"Row {row}: column '{Options.FeatureColumnName}' has {features.Length} values, earlier rows {featureCount}.");
                }

                featureCount = features.Length;
                var x = new double[features.Length];
                int f = 0;
                foreach (float v in features.DenseValues())
                {
                    if (!float.IsFinite(v))
                    {
                        throw new ArgumentException($"Row {row}: feature {f} of column '{Options.FeatureColumnName}' is {v}; the SVM needs finite values.");
                    }

                    x[f++] = v;
                }

                rows.Add(x);
                labels.Add(keyClasses[(int)label - 1]);
            }
        }

        var featureIds = Enumerable.Range(0, featureCount).Select(i => "f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var data = new LabelledFeatures(featureIds, rows, labels, labels.Select(_ => string.Empty).ToArray());
        var model = new SvmClassifierTrainer(Options.ToCoreOptions()).Fit(data);
        LastModel = model;
        return BuildChain(KernelSvmModelText.Write(model, keyClasses), keyClasses).Fit(input) is var chain
            ? new TransformerChain<ITransformer>([.. chain])
            : throw new InvalidOperationException();
    }

    /// <inheritdoc />
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var label = inputSchema.FirstOrDefault(c => c.Name == Options.LabelColumnName);
        if (label.Name is null || !label.IsKey)
        {
            throw new ArgumentException($"The label column '{Options.LabelColumnName}' is missing or not a key (use MapValueToKey).");
        }

        var features = inputSchema.FirstOrDefault(c => c.Name == Options.FeatureColumnName);
        if (features.Name is null || features.ItemType != NumberDataViewType.Single ||
            features.Kind == SchemaShape.Column.VectorKind.Scalar)
        {
            throw new ArgumentException($"The feature column '{Options.FeatureColumnName}' is missing or not a vector of Single.");
        }

        return BuildChain(string.Empty, ["a", "b"]).GetOutputSchema(inputSchema);
    }

    private (string[] KeyClasses, int FeatureCount) CheckSchema(DataViewSchema schema)
    {
        var labelColumn = schema.GetColumnOrNull(Options.LabelColumnName)
            ?? throw new ArgumentException($"The input has no label column '{Options.LabelColumnName}'.");
        if (labelColumn.Type is not KeyDataViewType key || key.RawType != typeof(uint))
        {
            throw new ArgumentException($"The label column '{Options.LabelColumnName}' is {labelColumn.Type}, not a key of UInt32 (use MapValueToKey).");
        }

        if (key.Count < 2 || key.Count > MaxClassCount)
        {
            throw new ArgumentException($"The label key has {key.Count} values; the kernel SVM takes 2 to {MaxClassCount} classes.");
        }

        var featureColumn = schema.GetColumnOrNull(Options.FeatureColumnName)
            ?? throw new ArgumentException($"The input has no feature column '{Options.FeatureColumnName}'.");
        if (featureColumn.Type is not VectorDataViewType { ItemType: NumberDataViewType } vector || vector.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentException($"The feature column '{Options.FeatureColumnName}' is {featureColumn.Type}, not a vector of Single.");
        }

        // Class names: the label's key values as text (what MapValueToKey recorded), else the key numbers 1..k.
        var names = Enumerable.Range(1, (int)key.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (labelColumn.HasKeyValues() && labelColumn.Annotations.Schema.GetColumnOrNull("KeyValues")?.Type is VectorDataViewType { ItemType: TextDataViewType })
        {
            VBuffer<ReadOnlyMemory<char>> values = default;
            labelColumn.GetKeyValues(ref values);
            var text = values.DenseValues().Select(v => v.ToString()).ToArray();
            if (text.Length == names.Length && text.Distinct(StringComparer.Ordinal).Count() == text.Length)
            {
                names = text;
            }
        }

        return (names, vector.Size);
    }

    private EstimatorChain<Microsoft.ML.Transforms.ColumnSelectingTransformer> BuildChain(string modelText, IReadOnlyList<string> keyClasses)
    {
        var lookup = context.Data.LoadFromEnumerable([new LookupRow { Key = KernelSvmModelKeyMapping.Key, Text = modelText }]);
        var classNames = context.Data.LoadFromEnumerable(keyClasses.Select(n => new NameRow { Name = n }));
        string[] slots = Enumerable.Range(0, keyClasses.Count).Select(SlotColumn).ToArray();
        string[] internals =
        [
            KernelSvmColumns.Features, KernelSvmColumns.ModelKey, KernelSvmColumns.ModelText, KernelSvmColumns.PredictedName,
            .. Enumerable.Range(0, KernelSvmScoringOutput.SlotCount).Select(SlotColumn),
        ];
        return new EstimatorChain<ITransformer>()
            .Append(context.Transforms.CopyColumns(KernelSvmColumns.Features, Options.FeatureColumnName))
            .Append(context.Transforms.CustomMapping<KernelSvmNoInput, KernelSvmModelKeyOutput>(KernelSvmModelKeyMapping.Map, KernelSvmModelKeyMapping.ContractName))
            .Append(context.Transforms.Conversion.MapValue(KernelSvmColumns.ModelText, lookup, lookup.Schema[nameof(LookupRow.Key)], lookup.Schema[nameof(LookupRow.Text)], KernelSvmColumns.ModelKey))
            .Append(context.Transforms.CustomMapping<KernelSvmScoringInput, KernelSvmScoringOutput>(KernelSvmScoringMapping.Map, KernelSvmScoringMapping.ContractName))
            .Append(context.Transforms.Concatenate("Score", slots))
            .Append(context.Transforms.Conversion.MapValueToKey("PredictedLabel", KernelSvmColumns.PredictedName, keyData: classNames))
            .Append(context.Transforms.DropColumns(internals));
    }

    private static string SlotColumn(int slot) => KernelSvmColumns.ScoreSlotPrefix + slot.ToString("00", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class LookupRow
    {
        public string Key { get; set; } = string.Empty;

        public string Text { get; set; } = string.Empty;
    }

    private sealed class NameRow
    {
        public string Name { get; set; } = string.Empty;
    }
}
