using System.Text;
using Raabin.Features.IO;

namespace Raabin.Features.Tests.IO;

public class PartialCsvFileTests
{
    private static readonly string[] Header = ["path", "value"];
    private static readonly string[] Keys = ["a.jpg", "b.jpg", "c.jpg"];

    private static BatchFingerprint Fingerprint(string setting = "x", IReadOnlyList<string>? keys = null) =>
        new("test", [new("--setting", setting)], keys ?? Keys);

    private static void WriteRows(PartialCsvFile file, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            file.Writer.Field(Keys[i]).Field(i == 1 ? "two\nlines, \"quoted\"" : "v" + i).EndRow();
        }
    }

    [Fact]
    public void Finished_rows_are_on_disk_as_they_end_and_complete_renames_the_partial_file()
    {
        using var tmp = TestPaths.NewTempFolder();
        string path = Path.Combine(tmp.Path, "out.csv");
        using (var file = PartialCsvFile.Start(path, Header, Fingerprint()))
        {
            WriteRows(file, 0, 2);
            Assert.Equal("path,value\na.jpg,v0\nb.jpg,\"two\nlines, \"\"quoted\"\"\"\n", ReadShared(file.PartialPath));
            Assert.Equal(2, file.RowCount);
            Assert.Throws<InvalidOperationException>(file.Complete);
            WriteRows(file, 2, 3);
            file.Complete();
        }

        Assert.Equal(["out.csv"], Directory.GetFiles(tmp.Path).Select(Path.GetFileName));
        Assert.Equal(3, CsvTable.Load(path).Rows.Count);
    }

    [Theory]
    [InlineData(0, "")]
    [InlineData(1, "")]
    [InlineData(1, "b.jpg,\"two\nli")] // torn inside a quoted field that holds a line feed
    [InlineData(2, "c.jp")]
    [InlineData(2, "c.jpg,v2")] // a whole row but its line end is missing: not finished
    public void Resume_keeps_finished_rows_byte_for_byte_and_drops_a_torn_last_row(int kept, string torn)
    {
        using var tmp = TestPaths.NewTempFolder();
        string path = Path.Combine(tmp.Path, "out.csv");
        string whole = Path.Combine(tmp.Path, "whole.csv");
        using (var file = PartialCsvFile.Start(whole, Header, Fingerprint()))
        {
            WriteRows(file, 0, 3);
            file.Complete();
        }

        using (var file = PartialCsvFile.Start(path, Header, Fingerprint()))
        {
            WriteRows(file, 0, kept);
        }

        File.AppendAllText(PartialCsvFile.PartialPathOf(path), torn);
        using (var file = PartialCsvFile.Resume(path, Header, Fingerprint()))
        {
            Assert.True(file.Resumed);
            Assert.Equal(kept, file.KeptRowCount);
            Assert.Equal(Encoding.UTF8.GetByteCount(torn), file.TornBytesDropped);
            Assert.Equal(Keys.Take(kept), file.KeptRows.Select(r => r[0]));
            WriteRows(file, kept, 3);
            file.Complete();
        }

        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(path));
        Assert.False(File.Exists(PartialCsvFile.SidecarPathOf(path)));
    }

    [Fact]
    public void Resume_refuses_other_settings_items_or_header_and_names_the_difference()
    {
        using var tmp = TestPaths.NewTempFolder();
        string path = Path.Combine(tmp.Path, "out.csv");
        using (var file = PartialCsvFile.Start(path, Header, Fingerprint()))
        {
            WriteRows(file, 0, 1);
        }

        byte[] before = File.ReadAllBytes(PartialCsvFile.PartialPathOf(path));
        var setting = Assert.Throws<PartialFileException>(() => PartialCsvFile.Resume(path, Header, Fingerprint("y")));
        Assert.Contains("--setting: 'x' there, 'y' now", setting.Message);
        Assert.StartsWith(PartialCsvFile.PartialPathOf(path), setting.Message);

        var items = Assert.Throws<PartialFileException>(() => PartialCsvFile.Resume(path, Header, Fingerprint(keys: ["a.jpg", "c.jpg", "b.jpg"])));
        Assert.Contains("items: 3 both times, but not the same files in the same order", items.Message);
        var fewer = Assert.Throws<PartialFileException>(() => PartialCsvFile.Resume(path, Header, Fingerprint(keys: ["a.jpg"])));
        Assert.Contains("items: 3 there, 1 now", fewer.Message);

        var header = Assert.Throws<PartialFileException>(() => PartialCsvFile.Resume(path, ["path", "other"], Fingerprint()));
        Assert.Contains("column 2 ('value' there, 'other' now)", header.Message);

        // A refused resume leaves the partial file as it was.
        Assert.Equal(before, File.ReadAllBytes(PartialCsvFile.PartialPathOf(path)));

        File.Delete(PartialCsvFile.SidecarPathOf(path));
        var sidecar = Assert.Throws<PartialFileException>(() => PartialCsvFile.Resume(path, Header, Fingerprint()));
        Assert.Contains("out.csv.partial.json is missing", sidecar.Message);
    }

    [Fact]
    public void Start_replaces_a_partial_file_and_resume_without_one_starts_afresh()
    {
        using var tmp = TestPaths.NewTempFolder();
        string path = Path.Combine(tmp.Path, "out.csv");
        using (var file = PartialCsvFile.Resume(path, Header, Fingerprint()))
        {
            Assert.False(file.Resumed);
            WriteRows(file, 0, 2);
        }

        using (var file = PartialCsvFile.Start(path, Header, Fingerprint("other")))
        {
            Assert.True(file.ReplacedPartial);
            Assert.Equal(0, file.KeptRowCount);
        }

        Assert.Equal("path,value\n", File.ReadAllText(PartialCsvFile.PartialPathOf(path)));
        Assert.False(File.Exists(path));
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }
}
