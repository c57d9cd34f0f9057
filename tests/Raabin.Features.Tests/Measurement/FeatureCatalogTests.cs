using Raabin.Features.Measurement;
using Raabin.Features.IO;

namespace Raabin.Features.Tests.Measurement;

public class FeatureCatalogTests
{
    [Fact]
    public void Reference_ids_are_the_reference_csv_columns_in_order()
    {
        // The published code's own CSV header (a committed excerpt of ../shared/reference/features).
        var table = CsvTable.Load(TestPaths.Fixture("Reference", "features.csv"));
        Assert.Equal(table.Header.Skip(5), FeatureCatalog.ReferenceIds);
        Assert.Equal(51, FeatureCatalog.Reference.Count);
    }

    [Fact]
    public void Every_feature_is_documented_and_unique()
    {
        Assert.Equal(FeatureCatalog.All.Count, FeatureCatalog.All.Select(f => f.Id).Distinct().Count());
        Assert.All(FeatureCatalog.All, f =>
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Formula));
            Assert.False(string.IsNullOrWhiteSpace(f.Unit));
            Assert.False(string.IsNullOrWhiteSpace(f.Range));
        });
        string md = FeatureCatalog.ToMarkdown();
        Assert.All(FeatureCatalog.All, f => Assert.Contains($"`{f.Id}`", md));
        Assert.Same(FeatureCatalog.Reference[50], FeatureCatalog.Find("solidity"));
        Assert.Null(FeatureCatalog.Find("Solidity"));
    }

    [Fact]
    public void The_committed_feature_manual_is_generated_from_the_catalog()
    {
        // docs/features.md is the output of `raabin catalog --markdown`; regenerate it when the catalog changes.
        string committed = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "features.md"));
        Assert.Equal(FeatureCatalog.ToMarkdown(), committed);
    }
}
