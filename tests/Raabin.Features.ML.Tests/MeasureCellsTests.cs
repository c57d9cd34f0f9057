using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Raabin.Features.Datasets;
using Raabin.Features.Imaging;
using Raabin.Features.Measurement;
using Raabin.Features.Segmentation;

namespace Raabin.Features.ML.Tests;

/// <summary>An input row: an image path and its class.</summary>
public sealed class ImageRow
{
    public string ImagePath { get; set; } = string.Empty;

    public string Label { get; set; } = string.Empty;
}

/// <summary>What the measuring transform adds, read back.</summary>
public sealed class MeasuredRow
{
    public string ImagePath { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public string Error { get; set; } = string.Empty;

    public float[] Features { get; set; } = [];
}

/// <summary>What a prediction engine gives back for an image.</summary>
public sealed class ImagePrediction
{
    public string Status { get; set; } = string.Empty;

    public string PredictedName { get; set; } = string.Empty;
}

public sealed class MeasureCellsTests
{
    private static Dataset Pbc() => Dataset.Open(Path.Combine(AppContext.BaseDirectory, "samples", "pbc"));

    private static MeasureCellsOptions Options(string segmenter, string extractor) =>
        new() { Segmenter = SegmenterSpec.Parse(segmenter), Extractor = ExtractorSpec.Parse(extractor) };

    private static IDataView Load(MLContext ml, IEnumerable<ImageRow> rows) => ml.Data.LoadFromEnumerable(rows.ToArray());

    private static ImageRow[] Rows(Dataset dataset, IEnumerable<DatasetItem> items) =>
        items.Select(i => new ImageRow { ImagePath = dataset.FullPath(i), Label = i.Label }).ToArray();

    private static MeasuredRow[] Measure(MLContext ml, MeasureCellsOptions options, IEnumerable<ImageRow> rows, out IDataView measured)
    {
        var data = Load(ml, rows);
        measured = ml.Transforms.MeasureCells(options).Fit(data).Transform(data);
        return ml.Data.CreateEnumerable<MeasuredRow>(measured, reuseRowObject: false).ToArray();
    }

    private static string[] SlotNames(IDataView data, string column)
    {
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        data.Schema[column].GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    public static TheoryData<string, string> Configurations => new()
    {
        { "reference", "reference-51" },
        { "od-cell", "od-groups(groups=shape+colour)" },
        { "od-cell", "od-groups(groups=all)" },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Features_equal_the_core_pipelines_cast_to_float32_and_slots_are_named_by_the_catalog_ids(string segmenter, string extractor)
    {
        var pbc = Pbc();
        var options = Options(segmenter, extractor);
        var table = FeatureBatch.Measure(CellPipeline.From(options.Segmenter, options.Extractor), pbc, pbc.Items);
        var ml = new MLContext(seed: 0);
        var rows = Measure(ml, options, Rows(pbc, pbc.Items), out var measured);

        var ids = options.Extractor.Create().Features.Select(f => f.Id).ToArray();
        Assert.Equal(ids, table.FeatureIds);
        Assert.Equal(ids, SlotNames(measured, "Features"));
        Assert.Equal(ids, measured.ToFeatureTable().FeatureIds);   // the adapter's own reader binds the slots by id
        Assert.All(ids, id => Assert.NotNull(FeatureCatalog.Find(id)));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, ids.Length), measured.Schema["Features"].Type);
        Assert.True(table.Rows.Count(r => r.IsOk) >= 25, "most sample cells should be measured, else the comparison shows little");
        Assert.Equal(table.Rows.Count, rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(table.Rows[i].Status, rows[i].Status);
            Assert.Equal(table.Rows[i].Values.Select(v => (float)v).ToArray(), rows[i].Features);
            Assert.Equal(table.Rows[i].Error is null, rows[i].Error.Length == 0);
        }
    }

    [Fact]
    public void The_configurations_differ_in_width_and_the_widest_extractor_fits_the_slots()
    {
        var widths = Configurations.Select(c => ExtractorSpec.Parse((string)c[1]).Create().Features.Count).ToArray();
        Assert.Equal(widths.Length, widths.Distinct().Count());
        Assert.Equal(FeatureCatalog.OdGroups.Count, widths.Max());
        Assert.True(FeatureCatalog.OdGroups.Count <= MeasureCellsEstimator.MaxFeatureCount);
        Assert.True(FeatureCatalog.Reference.Count <= MeasureCellsEstimator.MaxFeatureCount);
    }

    [Fact]
    public void Bad_files_give_a_status_row_and_no_other_row_changes()
    {
        var pbc = Pbc();
        var good = Rows(pbc, pbc.Items.Take(3));
        using var tmp = new TempFolder();
        string truncated = Path.Combine(tmp.Path, "truncated.jpg");
        byte[] jpeg = File.ReadAllBytes(good[0].ImagePath);
        File.WriteAllBytes(truncated, jpeg[..(jpeg.Length / 2)]);
        string garbage = Path.Combine(tmp.Path, "garbage.jpg");
        File.WriteAllText(garbage, "not an image at all");
        string blank = Path.Combine(tmp.Path, "blank.png");
        var white = new RgbImage(64, 64);
        Array.Fill(white.Pixels, (byte)255);
        Imaging.Png.PngEncoder.Save(white, blank);
        string missing = Path.Combine(tmp.Path, "no-such-file.jpg");

        ImageRow Bad(string path) => new() { ImagePath = path, Label = "basophil" };
        ImageRow[] rows = [good[0], Bad(truncated), good[1], Bad(garbage), Bad(missing), Bad(blank), Bad(string.Empty), good[2]];
        var ml = new MLContext(seed: 0);
        var options = new MeasureCellsOptions();
        var measured = Measure(ml, options, rows, out var view);
        var alone = Measure(ml, options, good, out _);

        Assert.Equal(
            [CellStatus.Ok, CellStatus.Damaged, CellStatus.Ok, CellStatus.DecodeError, CellStatus.Missing, CellStatus.SegmentationFailed, CellStatus.Missing, CellStatus.Ok],
            measured.Select(r => r.Status));
        foreach (var (row, i) in new[] { (measured[0], 0), (measured[2], 1), (measured[7], 2) })
        {
            Assert.Equal(alone[i].Features, row.Features);
            Assert.Equal(string.Empty, row.Error);
            Assert.All(row.Features, v => Assert.True(float.IsFinite(v)));
        }

        foreach (var row in measured.Where(r => r.Status != CellStatus.Ok))
        {
            Assert.All(row.Features, v => Assert.True(float.IsNaN(v)));
            Assert.NotEqual(string.Empty, row.Error);
        }

        Assert.Contains("truncated.jpg", measured[1].Error, StringComparison.Ordinal);
        Assert.Contains("garbage.jpg", measured[3].Error, StringComparison.Ordinal);
        Assert.Contains("no-such-file.jpg", measured[4].Error, StringComparison.Ordinal);

        // The documented way to drop failed rows before training.
        var kept = ml.Data.CreateEnumerable<MeasuredRow>(ml.Data.FilterRowsByMissingValues(view, "Features"), reuseRowObject: false).ToArray();
        Assert.Equal(good.Select(r => r.ImagePath), kept.Select(r => r.ImagePath));
        Assert.Equal(alone.Select(r => r.Features), kept.Select(r => r.Features));
    }

    [Fact]
    public void Measure_damaged_is_honoured()
    {
        var pbc = Pbc();
        using var tmp = new TempFolder();
        string truncated = Path.Combine(tmp.Path, "truncated.jpg");
        byte[] jpeg = File.ReadAllBytes(pbc.FullPath(pbc.Items[0]));
        File.WriteAllBytes(truncated, jpeg[..(jpeg.Length * 3 / 4)]);
        var ml = new MLContext(seed: 0);
        var row = Measure(ml, new MeasureCellsOptions { MeasureDamaged = true }, [new ImageRow { ImagePath = truncated }], out _).Single();
        var core = new CellPipeline(new ReferenceNucleusSegmenter(), new ReferenceFeatureExtractor(), measureDamaged: true)
            .Process(truncated, new DatasetItem(truncated, string.Empty, string.Empty, string.Empty, null)).Row;
        Assert.Equal(core.Status, row.Status);
        Assert.StartsWith(CellPipeline.MeasuredDespiteDamage, row.Error, StringComparison.Ordinal);
        Assert.Equal(core.Values.Select(v => (float)v), row.Features);
    }

    [Fact]
    public void Pipeline_fits_evaluates_and_predicts_the_same_after_loading_in_another_process()
    {
        var pbc = Pbc();
        var train = Rows(pbc, pbc.Items.Where((_, i) => i % 2 == 0));
        var test = Rows(pbc, pbc.Items.Where((_, i) => i % 2 == 1));
        var ml = new MLContext(seed: 0);
        var trainData = Load(ml, train);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.MeasureCells())
            .AppendCacheCheckpoint(ml)
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.KernelSvm())
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel"));
        var model = pipeline.Fit(trainData);

        var scored = model.Transform(Load(ml, test));
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        var predicted = scored.GetColumn<string>("PredictedName").ToArray();
        double accuracy = predicted.Where((p, i) => p == test[i].Label).Count() / (double)test.Length;
        Assert.Equal(5, metrics.ConfusionMatrix.NumberOfClasses);
        Assert.Equal(accuracy, metrics.MicroAccuracy, 12);
        Assert.True(accuracy > 0.4, $"accuracy {accuracy} on the sample's other half is no better than chance");

        // One image at a time, as an application would classify a new cell.
        var engine = ml.Model.CreatePredictionEngine<ImageRow, ImagePrediction>(model);
        Assert.Equal(predicted, test.Select(r => engine.Predict(r).PredictedName));

        using var tmp = new TempFolder();
        string zip = Path.Combine(tmp.Path, "model.zip");
        ml.Model.Save(model, trainData.Schema, zip);
        ImageRow[] rows = [.. test, new ImageRow { ImagePath = Path.Combine(tmp.Path, "missing.jpg"), Label = "basophil" }];
        AssertSameInAnotherProcess(ml, model, rows, zip, classified: true);
    }

    [Fact]
    public void Settings_survive_saving_and_loading_in_another_process()
    {
        // Not the defaults: a lost setting would change the features, their names or the files read.
        var pbc = Pbc();
        var options = Options("od-cell(thresholdOffset=-8)", "od-groups(groups=shape+colour)");
        options.ImageFolder = pbc.Root;
        options.OutputColumnName = "Features";
        ImageRow[] rows = [.. pbc.Items.Take(8).Select(i => new ImageRow { ImagePath = i.Path, Label = i.Label }), new ImageRow { ImagePath = "images/none.jpg" }];
        var ml = new MLContext(seed: 0);
        var data = Load(ml, rows);
        var model = ml.Transforms.MeasureCells(options).Fit(data);
        var here = ml.Data.CreateEnumerable<MeasuredRow>(model.Transform(data), reuseRowObject: false).ToArray();
        Assert.Equal(8, here.Count(r => r.Status == CellStatus.Ok));

        using var tmp = new TempFolder();
        string zip = Path.Combine(tmp.Path, "measure.zip");
        ml.Model.Save(model, data.Schema, zip);
        AssertSameInAnotherProcess(ml, model, rows, zip, classified: false);
    }

    private static void AssertSameInAnotherProcess(MLContext ml, ITransformer model, ImageRow[] rows, string zip, bool classified, bool lastIsMissing = true)
    {
        string folder = Path.GetDirectoryName(zip)!;
        string input = Path.Combine(folder, "rows.tsv");
        string output = Path.Combine(folder, "measured.tsv");
        File.WriteAllLines(input, rows.Select(r => r.ImagePath + "\t" + r.Label));
        TestData.RunLoadCheck("--cells", zip, input, output);
        var lines = File.ReadAllLines(output).Select(l => l.Split('\t')).ToArray();

        var view = model.Transform(Load(ml, rows));
        var here = ml.Data.CreateEnumerable<MeasuredRow>(view, reuseRowObject: false).ToArray();
        var names = classified ? view.GetColumn<string>("PredictedName").ToArray() : new string[rows.Length];
        Assert.Equal(["slots", .. SlotNames(view, "Features")], lines[0]);
        Assert.Equal(rows.Length, lines.Length - 1);
        for (int i = 0; i < rows.Length; i++)
        {
            var there = lines[i + 1];
            Assert.Equal(here[i].Status, there[0]);
            Assert.Equal(here[i].Error.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' '), there[1]);
            Assert.Equal(names[i] ?? string.Empty, there[2]);
            Assert.Equal(here[i].Features, there.Skip(3).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        }

        Assert.Equal(lastIsMissing, here[^1].Status == CellStatus.Missing);
        if (classified)
        {
            Assert.Equal(string.Empty, lines[^1][2]);
            Assert.All(lines.Skip(1).SkipLast(1), l => Assert.NotEqual(string.Empty, l[2]));
        }
    }

    [Theory]
    [InlineData("pbc")]
    [InlineData("bccd")]
    [InlineData("zheng-jtsc")]
    [InlineData("zheng-cellavision")]
    public void MLImage_input_gives_the_path_routes_features_and_survives_saving_and_loading(string sample)
    {
        var dataset = Dataset.Open(Path.Combine(AppContext.BaseDirectory, "samples", sample));
        var rows = dataset.Items.Select(i => new ImageRow { ImagePath = i.Path, Label = i.Label }).ToArray();
        var ml = new MLContext(seed: 0);
        var data = Load(ml, rows);
        var fromPaths = Measure(ml, new MeasureCellsOptions { ImageFolder = dataset.Root }, rows, out _);
        var model = ml.Transforms.LoadImages("Image", dataset.Root, "ImagePath")
            .Append(ml.Transforms.MeasureCells(new MeasureCellsOptions { InputColumnName = "Image" }))
            .Fit(data);
        var view = model.Transform(data);
        var fromImages = ml.Data.CreateEnumerable<MeasuredRow>(view, reuseRowObject: false).ToArray();

        Assert.True(fromPaths.Count(r => r.Status == CellStatus.Ok) >= rows.Length - 2, "most sample cells should be measured, else the comparison shows little");
        Assert.Equal(FeatureCatalog.ReferenceIds, SlotNames(view, "Features"));
        Assert.Equal(fromPaths.Select(r => r.Status), fromImages.Select(r => r.Status));
        Assert.Equal(fromPaths.Select(r => r.Features), fromImages.Select(r => r.Features));

        using var tmp = new TempFolder();
        string zip = Path.Combine(tmp.Path, "images.zip");
        ml.Model.Save(model, data.Schema, zip);
        AssertSameInAnotherProcess(ml, model, rows, zip, classified: false, lastIsMissing: false);
    }

    [Fact]
    public void Settings_text_round_trips_and_refuses_another_feature_list()
    {
        var options = Options("od-cell", "od-groups(groups=texture-fine+targeted)");
        options.Decoder = new DecoderOptions { MaxPixels = 12345 };
        options.MeasureDamaged = true;
        options.ImageFolder = "some/folder";
        string text = MeasureCellsSettings.Write(options);
        var (read, ids) = MeasureCellsSettings.Read(text);
        Assert.Equal(options.Segmenter, read.Segmenter);
        Assert.Equal(options.Extractor, read.Extractor);
        Assert.Equal(options.Decoder, read.Decoder);
        Assert.True(read.MeasureDamaged);
        Assert.Equal("some/folder", read.ImageFolder);
        Assert.Equal(options.Extractor.Create().Features.Select(f => f.Id), ids);
        Assert.Equal(text, MeasureCellsSettings.Write(read));

        string firstId = ids[0];
        Assert.Throws<InvalidDataException>(() => MeasureCellsSettings.Read(text.Replace($"\"{firstId}\"", "\"renamed\"", StringComparison.Ordinal)));
        Assert.Throws<InvalidDataException>(() => MeasureCellsSettings.Read(text.Replace("raabin-measure-cells 1", "raabin-measure-cells 2", StringComparison.Ordinal)));
        Assert.Throws<InvalidDataException>(() => MeasureCellsSettings.Read(text.Replace("od-cell", "no-such-segmenter", StringComparison.Ordinal)));
    }

    [Fact]
    public void Bad_settings_and_clashing_columns_are_clear_errors()
    {
        var ml = new MLContext(seed: 0);
        Assert.Throws<ArgumentException>(() => ml.Transforms.MeasureCells(extractor: "no-such-extractor"));
        Assert.Throws<ArgumentException>(() => ml.Transforms.MeasureCells(segmenter: "reference(noSuchOption=1)"));

        var data = ml.Data.LoadFromEnumerable([new ClashRow()]);
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.MeasureCells().Fit(data));
        Assert.Contains($"'{FeatureCatalog.Reference[0].Id}'", e.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ArgumentException>(() => ml.Transforms.MeasureCells(inputColumnName: "Path").Fit(data));
        Assert.Contains("'Path'", missing.Message, StringComparison.Ordinal);
    }

    private sealed class ClashRow
    {
        public string ImagePath { get; set; } = string.Empty;

        [ColumnName("ncl_cvx_R_mean")]
        public float Clash { get; set; }
    }
}
