using Raabin.Features.Datasets;

namespace Raabin.Features.Tests.Datasets;

public class DatasetValidationTests
{
    private static string SplitLayout(string root, params (string Split, string Class, string? File)[] entries)
    {
        foreach (var (split, cls, file) in entries)
        {
            Directory.CreateDirectory(Path.Combine(root, split, cls));
            if (file is not null)
            {
                File.WriteAllBytes(Path.Combine(root, split, cls, file), [1]);
            }
        }

        return root;
    }

    [Fact]
    public void InSplit_refuses_an_unknown_split_and_lists_the_splits()
    {
        using var tmp = TestPaths.NewTempFolder();
        var ds = Dataset.Open(SplitLayout(Path.Combine(tmp.Path, "pbc"), ("train", "a", "1.jpg"), ("test", "a", "2.jpg"), ("val", "a", "3.jpg")));
        Assert.Equal(["test", "train", "val"], ds.Splits);
        var e = Assert.Throws<ArgumentException>(() => ds.InSplit("trian"));
        Assert.Equal("pbc: no split 'trian' (splits: test, train, val)", e.Message);
        Assert.Single(ds.InSplit("TRAIN"));
        Assert.Equal(3, ds.InSplit(null).Count);
    }

    [Fact]
    public void InSplit_on_a_dataset_without_splits_says_so()
    {
        var ds = Dataset.Open(TestPaths.Sample("bccd"));
        Assert.Empty(ds.Splits);
        var e = Assert.Throws<ArgumentException>(() => ds.InSplit("train"));
        Assert.StartsWith("bccd: no split 'train' (it has no splits", e.Message);
    }

    [Fact]
    public void An_empty_class_folder_is_a_warning_naming_the_folder_and_class()
    {
        using var tmp = TestPaths.NewTempFolder();
        var ds = Dataset.Open(SplitLayout(tmp.Path, ("Train", "Basophil", null), ("Train", "Neutrophil", "a.jpg"), ("Test", "Basophil", "b.jpg")));
        Assert.Equal(2, ds.Items.Count);
        string warning = Assert.Single(ds.Warnings);
        Assert.Contains("'Train/Basophil/'", warning);
        Assert.Contains("class 'Basophil' is left out of split 'Train'", warning);
    }

    [Fact]
    public void An_empty_top_level_folder_is_a_warning_and_a_complete_dataset_has_none()
    {
        using var tmp = TestPaths.NewTempFolder();
        Directory.CreateDirectory(Path.Combine(tmp.Path, "basophil"));
        Directory.CreateDirectory(Path.Combine(tmp.Path, "blast"));
        File.WriteAllBytes(Path.Combine(tmp.Path, "blast", "x.bmp"), [1]);
        Assert.Contains("'basophil/'", Assert.Single(Dataset.Open(tmp.Path).Warnings));
        Assert.Empty(Dataset.Open(TestPaths.Sample("pbc")).Warnings);
    }
}
