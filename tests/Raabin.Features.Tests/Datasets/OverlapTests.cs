using Raabin.Features.Datasets;
using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Png;

namespace Raabin.Features.Tests.Datasets;

public class OverlapTests
{
    private static DatasetSelection All(Dataset d) => new(d, d.Items);

    [Fact]
    public void A_set_against_itself_shares_every_image_as_the_same_file()
    {
        var pbc = Dataset.Open(TestPaths.Sample("pbc"));
        var report = new OverlapFinder().Find([All(pbc)], [All(pbc)]);
        Assert.Equal(30, report.Shared.Count);
        Assert.Equal(30, report.Count(OverlapKind.SameFile));
        Assert.All(report.Shared, s => Assert.Equal(s.TestPath, s.TrainPath));
    }

    [Fact]
    public void Copies_are_identical_bytes_and_re_encodings_are_near_duplicates_and_other_cells_are_not_shared()
    {
        using var tmp = TestPaths.NewTempFolder();
        var train = Dataset.Open(TestPaths.Sample("zheng-jtsc"));
        string testRoot = Path.Combine(tmp.Path, "copy");
        Directory.CreateDirectory(Path.Combine(testRoot, "x"));
        // a.bmp: a byte copy of a training image; b.png: the same pixels re-encoded (other bytes); c.jpg: a cell of another dataset.
        File.Copy(train.FullPath(train.Items[0]), Path.Combine(testRoot, "x", "a.bmp"));
        PngEncoder.Save(ImageDecoder.Load(train.FullPath(train.Items[1])), Path.Combine(testRoot, "x", "b.png"));
        var pbc = Dataset.Open(TestPaths.Sample("pbc"));
        File.Copy(pbc.FullPath(pbc.Items[0]), Path.Combine(testRoot, "x", "c.jpg"));
        var test = Dataset.Open(testRoot);

        var report = new OverlapFinder().Find([All(train)], [All(test)]);
        Assert.Equal(2, report.Shared.Count);
        Assert.Equal(new SharedImage("copy", "x/a.bmp", "zheng-jtsc", train.Items[0].Path, OverlapKind.IdenticalBytes), report.Shared[0]);
        Assert.Equal(new SharedImage("copy", "x/b.png", "zheng-jtsc", train.Items[1].Path, OverlapKind.NearDuplicate), report.Shared[1]);

        var exact = new OverlapFinder(new OverlapOptions { NearDuplicates = false }).Find([All(train)], [All(test)]);
        Assert.Equal(OverlapKind.IdenticalBytes, Assert.Single(exact.Shared).Kind);
        Assert.False(exact.NearDuplicatesChecked);
    }

    [Fact]
    public void An_unreadable_image_is_counted_and_does_not_stop_the_check()
    {
        using var tmp = TestPaths.NewTempFolder();
        Directory.CreateDirectory(Path.Combine(tmp.Path, "t", "x"));
        File.WriteAllBytes(Path.Combine(tmp.Path, "t", "x", "bad.jpg"), [0xFF, 0xD8, 0xFF]);
        var test = Dataset.Open(Path.Combine(tmp.Path, "t"));
        var report = new OverlapFinder().Find([All(Dataset.Open(TestPaths.Sample("bccd")))], [All(test)]);
        Assert.Empty(report.Shared);
        Assert.Equal(1, report.Unreadable);
    }
}
