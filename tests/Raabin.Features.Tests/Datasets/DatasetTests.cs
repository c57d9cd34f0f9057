using Raabin.Features.Datasets;
using Raabin.Features.IO;

namespace Raabin.Features.Tests.Datasets;

public class DatasetTests
{
    [Fact]
    public void Reads_the_shipped_manifest_layout()
    {
        var ds = Dataset.Open(TestPaths.Sample("zheng-jtsc"));
        Assert.Equal("zheng-jtsc", ds.Name);
        Assert.Equal(9, ds.Items.Count);
        Assert.Equal(["basophil", "eosinophil", "lymphocyte", "monocyte", "neutrophil"], ds.Classes);
        Assert.All(ds.Items, i => Assert.True(File.Exists(ds.FullPath(i))));
        Assert.All(ds.Items, i => Assert.NotNull(i.MaskPath));
        Assert.Equal("jtsc-motic-rapidstain", ds.Items[0].Domain);
        Assert.Equal(ds.Items.OrderBy(i => i.Path, StringComparer.Ordinal).Select(i => i.Path), ds.Items.Select(i => i.Path));
    }

    [Fact]
    public void Reads_raabin_split_and_class_folders_with_arbitrary_names()
    {
        using var tmp = TestPaths.NewTempFolder();
        foreach (var (split, cls, file) in new[] { ("Train", "Large Lymph", "a.jpg"), ("Train", "Neutrophil", "b.JPG"), ("TestA", "Neutrophil", "c.png") })
        {
            Directory.CreateDirectory(Path.Combine(tmp.Path, split, cls));
            File.WriteAllBytes(Path.Combine(tmp.Path, split, cls, file), [1]);
        }

        File.WriteAllText(Path.Combine(tmp.Path, "Train", "Neutrophil", "notes.txt"), "not an image");
        var ds = Dataset.Open(tmp.Path);
        Assert.Equal(["Large Lymph", "Neutrophil"], ds.Classes);
        Assert.Equal(3, ds.Items.Count);
        Assert.Single(ds.InSplit("testa"));
        Assert.Equal("TestA/Neutrophil/c.png", ds.Items[0].Path);
    }

    [Fact]
    public void Class_folders_without_splits()
    {
        using var tmp = TestPaths.NewTempFolder();
        Directory.CreateDirectory(Path.Combine(tmp.Path, "blast"));
        File.WriteAllBytes(Path.Combine(tmp.Path, "blast", "x.bmp"), [1]);
        var ds = Dataset.Open(tmp.Path);
        Assert.Equal("blast", Assert.Single(ds.Items).Label);
        Assert.Equal(string.Empty, ds.Items[0].Split);
    }

    [Fact]
    public void Manifest_without_label_column_is_a_clear_error()
    {
        using var tmp = TestPaths.NewTempFolder();
        File.WriteAllText(Path.Combine(tmp.Path, "manifest.csv"), "path,klass\na.jpg,x\n");
        var e = Assert.Throws<CsvFormatException>(() => Dataset.Open(tmp.Path));
        Assert.Contains("manifest.csv", e.Message);
        Assert.Contains("'label'", e.Message);
    }

    [Fact]
    public void Manifest_path_escaping_the_folder_is_refused()
    {
        using var tmp = TestPaths.NewTempFolder();
        File.WriteAllText(Path.Combine(tmp.Path, "manifest.csv"), "path,label\n../x.jpg,a\n");
        Assert.Throws<CsvFormatException>(() => Dataset.Open(tmp.Path));
    }
}
