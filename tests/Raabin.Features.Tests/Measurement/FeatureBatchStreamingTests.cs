using Raabin.Features.Datasets;
using Raabin.Features.Measurement;

namespace Raabin.Features.Tests.Measurement;

public sealed class FeatureBatchStreamingTests
{
    [Fact]
    public void Streamed_rows_are_the_table_rows_in_input_order_and_nothing_is_measured_before_enumeration()
    {
        var dataset = Dataset.Open(TestPaths.Sample("pbc"));
        var pipeline = CellPipeline.Reference();
        var table = FeatureBatch.Measure(pipeline, dataset, dataset.Items, jobs: 1);

        int reported = 0;
        var rows = FeatureBatch.MeasureRows(pipeline, dataset, dataset.Items, jobs: 2, progress: (done, _) => reported = done);
        Assert.Equal(0, reported);

        var streamed = rows.ToList();
        Assert.Equal(dataset.Items.Count, reported);
        Assert.Equal(table.Rows.Select(r => r.Path), streamed.Select(r => r.Path));
        for (int i = 0; i < streamed.Count; i++)
        {
            Assert.Equal(table.Rows[i].Status, streamed[i].Status);
            Assert.Equal(table.Rows[i].Values, streamed[i].Values);
        }
    }

    [Fact]
    public void Streamed_file_rows_keep_the_paths_as_given()
    {
        var files = Directory.GetFiles(TestPaths.Sample("bccd"), "*.jpg", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Take(4).ToArray();
        var relative = files.Select(f => Path.GetRelativePath(Directory.GetCurrentDirectory(), f)).ToArray();
        var rows = FeatureBatch.MeasureFileRows(CellPipeline.Reference(), relative, jobs: 2).ToList();

        Assert.Equal(relative, rows.Select(r => r.Path));
        Assert.Equal(FeatureBatch.MeasureFiles(CellPipeline.Reference(), relative, jobs: 1).Rows.Select(r => r.Values), rows.Select(r => r.Values));
    }
}
