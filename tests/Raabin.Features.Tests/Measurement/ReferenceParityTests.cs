using Raabin.Features.Datasets;
using Raabin.Features.Measurement;
using Raabin.Features.Imaging;
using Raabin.Features.IO;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Tests.Measurement;

/// <summary>The 51 features of every shipped sample image against the published code's own values.</summary>
public class ReferenceParityTests
{
    private const double Tolerance = 1e-9;

    public static TheoryData<string> SampleImages()
    {
        var data = new TheoryData<string>();
        var table = CsvTable.Load(TestPaths.Fixture("Reference", "features.csv"));
        foreach (var row in table.Rows)
        {
            data.Add(row[0] + "/" + row[1]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SampleImages))]
    public void Features_equal_the_reference(string datasetAndPath)
    {
        string dataset = datasetAndPath[..datasetAndPath.IndexOf('/')];
        string path = datasetAndPath[(dataset.Length + 1)..];
        var table = CsvTable.Load(TestPaths.Fixture("Reference", "features.csv"));
        int rowIndex = Enumerable.Range(0, table.Rows.Count).Single(r => table.Rows[r][0] == dataset && table.Rows[r][1] == path);
        Assert.Equal("1", table.Rows[rowIndex][table.RequireColumn("ok")]);

        var image = ImageDecoder.Load(TestPaths.Sample(dataset, path));
        var segmentation = new ReferenceNucleusSegmenter().Segment(image);
        Assert.True(segmentation.Succeeded, segmentation.FailureReason);
        var values = new double[51];
        new ReferenceFeatureExtractor().Extract(segmentation, values);

        for (int f = 0; f < 51; f++)
        {
            string id = FeatureCatalog.ReferenceIds[f];
            double expected = table.GetDouble(rowIndex, table.RequireColumn(id));
            double relative = Math.Abs(values[f] - expected) / Math.Max(Math.Abs(expected), 1e-300);
            Assert.True(relative <= Tolerance, $"{dataset}/{path} {id}: got {values[f]:R}, reference {expected:R} (relative {relative:E2})");
        }
    }

    [Fact]
    public void Pipeline_over_a_sample_dataset_writes_the_same_values()
    {
        var dataset = Dataset.Open(TestPaths.Sample("zheng-jtsc"));
        var results = CellPipeline.Reference().ProcessAll(dataset, dataset.Items, maxDegreeOfParallelism: 2).ToList();
        Assert.Equal(dataset.Items.Select(i => i.Path), results.Select(r => r.Row.Path));
        Assert.All(results, r => Assert.Equal(CellStatus.Ok, r.Row.Status));

        var table = CsvTable.Load(TestPaths.Fixture("Reference", "features.csv"));
        foreach (var r in results)
        {
            int row = Enumerable.Range(0, table.Rows.Count).Single(i => table.Rows[i][0] == "zheng-jtsc" && table.Rows[i][1] == r.Row.Path);
            double expected = table.GetDouble(row, table.RequireColumn("solidity"));
            Assert.Equal(expected, r.Row.Values[50], expected * Tolerance);
        }
    }
}
