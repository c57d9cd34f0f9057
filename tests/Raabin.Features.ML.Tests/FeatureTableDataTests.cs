using Microsoft.ML;
using Microsoft.ML.Data;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

namespace Raabin.Features.ML.Tests;

public sealed class FeatureTableDataTests
{
    private static FeatureTable Fixture() => FeatureTable.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "features.csv"));

    [Fact]
    public void A_feature_table_round_trips_through_an_IDataView_with_its_ids_as_slot_names()
    {
        var ml = new MLContext(seed: 1);
        var table = Fixture();
        var data = ml.ToDataView(table);
        var features = data.Schema[FeatureTableData.FeaturesColumn];
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        features.GetSlotNames(ref names);
        Assert.Equal(table.FeatureIds, names.DenseValues().Select(m => m.ToString()));

        var back = data.ToFeatureTable(provenance: FeatureProvenance.Reference);
        Assert.Equal(table.FeatureIds, back.FeatureIds);
        Assert.Equal(table.Rows.Count(r => r.IsOk), back.Rows.Count);
        Assert.Equal(table.Rows.Select(r => r.Path), back.Rows.Select(r => r.Path));
        Assert.Equal(table.Rows.Select(r => r.Label), back.Rows.Select(r => r.Label));

        // float32 on the way in, exact widening back: every value is the float32 nearest the original.
        Assert.Equal(table.Rows.SelectMany(r => r.Values).Select(v => (double)(float)v), back.Rows.SelectMany(r => r.Values));
    }

    [Fact]
    public void A_view_without_slot_names_or_features_is_refused_with_the_reason()
    {
        var ml = new MLContext(seed: 1);
        var rows = TestData.Fixture();
        var variable = ml.Data.LoadFromEnumerable(rows);
        var e = Assert.Throws<ArgumentException>(() => variable.ToFeatureTable());
        Assert.Contains("not a float32 vector of known size", e.Message);

        var schema = SchemaDefinition.Create(typeof(CellRow));
        schema[nameof(CellRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, rows[0].Features.Length);
        var unnamed = ml.Data.LoadFromEnumerable(rows, schema);
        e = Assert.Throws<ArgumentException>(() => unnamed.ToFeatureTable());
        Assert.Contains("no slot names", e.Message);
        e = Assert.Throws<ArgumentException>(() => unnamed.ToFeatureTable("Pixels"));
        Assert.Contains("no column 'Pixels'", e.Message);
    }

    [Fact]
    public void The_kernel_svm_trained_from_a_feature_table_view_predicts_as_the_toolkit_on_the_same_values()
    {
        var ml = new MLContext(seed: 1);
        var table = Fixture();
        var data = ml.ToDataView(table);
        var options = new KernelSvmOptions { Kernel = KernelKind.Rbf, C = 10, Normalizer = NormalizerKind.ZScore, Probability = false };
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.KernelSvm(options))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel"))
            .Fit(data);
        var predicted = ml.Data.CreateEnumerable<CellPrediction>(model.Transform(data), reuseRowObject: false).Select(p => p.PredictedName).ToList();

        // The toolkit's own trainer on the float32-rounded table.
        var rounded = data.ToFeatureTable(provenance: FeatureProvenance.Reference);
        var core = new PipelineTrainer(new PipelineTrainerOptions { Classifier = options.ToCoreOptions(), FeatureSubset = rounded.FeatureIds }).Fit(rounded);
        var binding = core.Bind(rounded);
        Assert.Equal(rounded.Rows.Select(r => core.Classify(r, binding).Prediction!.Label), predicted);
    }
}
