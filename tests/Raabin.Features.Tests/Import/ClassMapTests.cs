using Raabin.Features.Import;

namespace Raabin.Features.Tests.Import;

public class ClassMapTests
{
    [Fact]
    public void Text_json_index_name_and_name_index_maps_agree()
    {
        foreach (string file in (string[])["classes.txt", "classes.json", "class_to_idx.json"])
        {
            var map = ClassMap.Load(TestPaths.Fixture("Import", file));
            Assert.Equal(["neutrophil", "eosinophil", "lymphocyte"], map.Names);
            Assert.Equal(1, map.IndexOf("eosinophil"));
            Assert.Equal(-1, map.IndexOf("basophil"));
            Assert.Contains(file, map.Origin);
        }

        Assert.Equal(["b", "a"], ClassMap.Parse("[\"b\", \"a\"]", "m.json").Names);
        Assert.Equal(["b", "a"], ClassMap.Parse(" b \r\na\r\n\r\n", "m.txt").Names); // trimmed as timm trims
    }

    [Fact]
    public void Sorted_folder_names_give_imagefolder_order()
    {
        // Python's sorted() on str is by code point: upper case before lower case.
        var map = ClassMap.FromSortedNames(["neutrophil", "Monocyte", "basophil", "eosinophil"], "our dataset's labels");
        Assert.Equal(["Monocyte", "basophil", "eosinophil", "neutrophil"], map.Names);
        Assert.Contains("sorted names of our dataset's labels", map.Origin);

        using var tmp = TestPaths.NewTempFolder();
        foreach (string d in (string[])["lymphocyte", "basophil", "eosinophil"])
        {
            Directory.CreateDirectory(Path.Combine(tmp.Path, d));
        }

        File.WriteAllText(Path.Combine(tmp.Path, "notes.txt"), "not a class");
        var folders = ClassMap.FromFolderNames(tmp.Path);
        Assert.Equal(["basophil", "eosinophil", "lymphocyte"], folders.Names);
        Assert.Contains("ImageFolder order", folders.Origin);
        Assert.Throws<ScoreImportException>(() => ClassMap.FromFolderNames(Path.Combine(tmp.Path, "missing")));
    }

    [Fact]
    public void Bad_maps_are_refused_with_file_and_line()
    {
        var repeated = Assert.Throws<ScoreImportException>(() => ClassMap.Parse("a\nb\na\n", "m.txt"));
        Assert.Equal(3, repeated.Line);
        Assert.StartsWith("m.txt:3: ", repeated.Message);
        Assert.Contains("'a' appears twice", repeated.Message);

        var blank = Assert.Throws<ScoreImportException>(() => ClassMap.Parse("a\n\nb\n", "m.txt"));
        Assert.StartsWith("m.txt:2: ", blank.Message);
        Assert.Contains("blank", blank.Message);

        var gap = Assert.Throws<ScoreImportException>(() => ClassMap.Parse("{\"0\": \"a\", \"2\": \"b\"}", "m.json"));
        Assert.StartsWith("m.json: ", gap.Message);
        Assert.Contains("index 1 is missing", gap.Message);

        var mixed = Assert.Throws<ScoreImportException>(() => ClassMap.Parse("{\"0\": \"a\", \"b\": 1}", "m.json"));
        Assert.Contains("must map indices to names", mixed.Message);

        var malformed = Assert.Throws<ScoreImportException>(() => ClassMap.Parse("{\n\"0\": \"a\",\n\"1\" \"b\"}", "m.json"));
        Assert.StartsWith("m.json:3: ", malformed.Message);

        Assert.Throws<ArgumentException>(() => ClassMap.FromNames(["a", "a"], "x"));
        Assert.Throws<ScoreImportException>(() => ClassMap.Parse("\n\n", "m.txt"));
    }
}
