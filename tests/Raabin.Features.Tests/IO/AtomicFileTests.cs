using Raabin.Features.IO;

namespace Raabin.Features.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void Commit_puts_the_bytes_under_the_final_name_and_leaves_no_temporary_file()
    {
        using var tmp = TestPaths.NewTempFolder();
        string path = Path.Combine(tmp.Path, "out.bin");
        using (var file = AtomicFile.Create(path))
        {
            file.Stream.Write([1, 2, 3]);
            Assert.False(File.Exists(path));
            Assert.True(File.Exists(file.TemporaryPath));
            Assert.Equal(tmp.Path, Path.GetDirectoryName(file.TemporaryPath));
            file.Commit();
            Assert.True(file.IsCommitted);
        }

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["out.bin"], Directory.GetFiles(tmp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Dispose_without_commit_removes_the_temporary_file_and_keeps_an_older_file()
    {
        using var tmp = TestPaths.NewTempFolder();
        string path = Path.Combine(tmp.Path, "out.txt");
        File.WriteAllText(path, "old");
        using (var file = AtomicFile.Create(path))
        {
            file.Stream.Write("new, half written"u8);
        }

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(tmp.Path));
    }

    [Fact]
    public void Write_that_throws_leaves_nothing()
    {
        using var tmp = TestPaths.NewTempFolder();
        string path = Path.Combine(tmp.Path, "out.json");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("{"u8);
            throw new InvalidOperationException("boom");
        }));
        Assert.Empty(Directory.GetFiles(tmp.Path));
    }

    [Fact]
    public void Csv_writer_by_path_appears_only_on_commit()
    {
        using var tmp = TestPaths.NewTempFolder();
        string done = Path.Combine(tmp.Path, "done.csv");
        string abandoned = Path.Combine(tmp.Path, "abandoned.csv");
        using (var w = new CsvWriter(done))
        {
            w.Row(["a", "b"]);
            w.Field("x,y").Field(0.1).EndRow();
            w.Commit();
            Assert.Throws<InvalidOperationException>(() => w.Field("late").EndRow());
        }

        using (var w = new CsvWriter(abandoned))
        {
            w.Row(["a", "b"]);
            w.Flush();
        }

        Assert.Equal("a,b\n\"x,y\",0.1\n", File.ReadAllText(done));
        Assert.False(File.Exists(abandoned));
        Assert.Single(Directory.GetFiles(tmp.Path));
    }
}
