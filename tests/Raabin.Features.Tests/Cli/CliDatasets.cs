namespace Raabin.Features.Tests.Cli;

/// <summary>Small datasets made for one CLI test from the shipped sample.</summary>
internal static class CliDatasets
{
    /// <summary>
    /// A manifest dataset named <paramref name="name"/> with copies of the first <paramref name="perClass"/> pbc images
    /// of each class (relabelled by <paramref name="relabel"/> when given) and, when asked, one undecodable image.
    /// </summary>
    public static string Make(string parent, string name, int perClass, bool withBrokenImage = false, Func<string, string>? relabel = null)
    {
        string root = Path.Combine(parent, name);
        Directory.CreateDirectory(Path.Combine(root, "images"));
        var lines = new List<string> { "path,label,split" };
        var pbc = Raabin.Features.Datasets.Dataset.Open(TestPaths.Sample("pbc"));
        foreach (var group in pbc.Items.GroupBy(i => i.Label))
        {
            foreach (var item in group.Take(perClass))
            {
                string file = "images/" + Path.GetFileName(item.Path);
                File.Copy(pbc.FullPath(item), Path.Combine(root, file));
                lines.Add($"{file},{relabel?.Invoke(item.Label) ?? item.Label},test");
            }
        }

        if (withBrokenImage)
        {
            File.WriteAllBytes(Path.Combine(root, "images", "broken.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 16]);
            lines.Add("images/broken.jpg,basophil,test");
        }

        File.WriteAllLines(Path.Combine(root, "manifest.csv"), lines);
        return root;
    }

    public static string ShippedModel => Path.Combine(AppContext.BaseDirectory, "models", "reference-pbc.model.json");
}
