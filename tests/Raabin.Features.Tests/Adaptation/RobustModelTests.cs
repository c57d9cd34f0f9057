using Raabin.Features.Adaptation;
using Raabin.Features.Datasets;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Tests.Adaptation;

/// <summary>The shipped robust model: what its card says it is, and the README's C# lines for it.</summary>
public class RobustModelTests
{
    private static string Shipped => Path.Combine(AppContext.BaseDirectory, "models", "robust-pbc.model.json");

    [Fact]
    public void The_shipped_robust_model_records_its_domain_steps_and_statistics()
    {
        var model = PipelineModel.Load(Shipped);
        Assert.Equal("od-cell", model.Segmenter.Name);
        Assert.Equal("od-groups@1(groups=shape+colour+texture-coarse)", model.Extractor.ToString());
        Assert.Equal(54, model.FeatureIds.Count);
        Assert.True(model.Domain.PerDomainStandardization);
        Assert.StartsWith("seed=1;stain=0.7..1.35;", model.Domain.Randomization);
        Assert.Null(model.Domain.Adaptation);
        Assert.Equal(NormalizerKind.ZScore, model.Classifier.Normalizer.Kind);
        Assert.Equal(12320, model.Training.Rows);
        Assert.Equal(6160, model.Statistics!.Counts.Sum());
        Assert.Empty(model.LoadWarnings);
    }

    [Fact]
    public void Readme_adaptation_example_runs_as_printed()
    {
        // The README's C# lines, with "my-scope.csv" made from the shipped bccd sample and the paths mapped to the test folder.
        using var tmp = TestPaths.NewTempFolder();
        var model = PipelineModel.Load(Shipped);
        var dataset = Dataset.Open(TestPaths.Sample("bccd"));
        FeatureBatch.Measure(model.CreateCellPipeline(), dataset, dataset.Items).Save(Path.Combine(tmp.Path, "my-scope.csv"));
        var output = new StringWriter();

        var table = FeatureTable.Load(Path.Combine(tmp.Path, "my-scope.csv"));
        var cells = model.ClassifyTransductive(table.Rows, model.Bind(table),
            new TransductiveOptions { Mode = TransductiveMode.ClassBalanced, MinimumBatch = 5 });
        output.WriteLine(string.Join(", ", cells.Select(c => c.Prediction?.Label)));

        var labelled = table.Select(model.FeatureIds);
        var data = new LabelledFeatures(model.FeatureIds, labelled.Rows.Select(r => r.Values).ToList(),
            labelled.Rows.Select(r => r.Label).ToList(), labelled.Rows.Select(r => r.Domain).ToList());
        FewShotResult adapted = new FewShotAdapter().Adapt(model, data, [], "my-scope");
        output.WriteLine($"{adapted.Record.Method}, cross-validated macro-F1 {adapted.Record.CrossValidatedMacroF1:F2}");
        adapted.Model.Save(Path.Combine(tmp.Path, "my-scope.model.json"));

        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, lines[0].Split(", ").Length);
        Assert.All(lines[0].TrimEnd().Split(", "), label => Assert.Contains(label, model.Classes));
        Assert.Matches(@"^(affine-map|target-only|joint|source), cross-validated macro-F1 \d\.\d\d\s*$", lines[1]);
        Assert.Equal(adapted.Record.Method, PipelineModel.Load(Path.Combine(tmp.Path, "my-scope.model.json")).Domain.Adaptation!.Method);
    }

    [Fact]
    public void An_od_groups_table_of_more_groups_holds_the_same_numbers_and_serves_a_model_of_fewer()
    {
        var dataset = Dataset.Open(TestPaths.Sample("pbc"));
        var two = FeatureBatch.Measure(CellPipeline.From(Raabin.Features.Segmentation.SegmenterSpec.Of("od-cell"), ExtractorSpec.Parse("od-groups(groups=shape+colour)")), dataset, dataset.Items);
        var four = FeatureBatch.Measure(CellPipeline.From(Raabin.Features.Segmentation.SegmenterSpec.Of("od-cell"), ExtractorSpec.OdGroups), dataset, dataset.Items);
        var shared = four.Select(two.FeatureIds);
        Assert.Equal(two.Rows.Select(r => r.Values), shared.Rows.Select(r => r.Values)); // measured alone or with others: same numbers

        var model = PipelineModel.Load(Shipped); // reads shape + colour + texture-coarse
        Assert.True(ExtractorSpec.OdGroups.Provides(model.Extractor));
        Assert.False(model.Extractor.Provides(ExtractorSpec.OdGroups));
        Assert.False(ExtractorSpec.Reference.Provides(model.Extractor));
        var binding = model.Bind(four);
        Assert.Equal(30, four.Rows.Count(r => model.Classify(r, binding).Prediction is not null));
        var e = Assert.Throws<ArgumentException>(() => model.Bind(two));
        Assert.Contains("features measured by extractor od-groups@1(groups=shape+colour)", e.Message);
    }
}
