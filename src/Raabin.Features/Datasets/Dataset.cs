using Raabin.Features.IO;

namespace Raabin.Features.Datasets;

/// <summary>One labelled image of a dataset; paths are relative to the dataset folder with '/' separators.</summary>
/// <param name="Path">Image path relative to the dataset folder, as in <c>manifest.csv</c>.</param>
/// <param name="Label">Class name (any string; class sets are data).</param>
/// <param name="Split">Split name (<c>train</c>, <c>val</c>, <c>test</c>, <c>TestA</c>, ...) or empty.</param>
/// <param name="Domain">Acquisition domain id (microscope / camera / stain), or the dataset name when unknown.</param>
/// <param name="MaskPath">Ground-truth mask path relative to the dataset folder, or null.</param>
public sealed record DatasetItem(string Path, string Label, string Split, string Domain, string? MaskPath);

/// <summary>
/// A folder of cell images, in one of three layouts:
/// <list type="bullet">
/// <item><c>manifest.csv</c> with columns <c>path,label</c> and optionally <c>split,domain,mask</c> (the layout of
/// <c>../shared/datasets</c>; other columns are ignored);</item>
/// <item>one sub-folder per class (<c>Basophil/*.jpg</c>), or one per split holding one per class
/// (<c>Train/Basophil/*.jpg</c>, <c>TestA/...</c>: the Raabin-WBC layout). Class and split names are the folder names;</item>
/// <item>images directly in the folder and no class sub-folders: a lab's own unlabelled crops (empty labels).</item>
/// </list>
/// Items are sorted by path (ordinal); the class list is the sorted set of labels.
/// </summary>
public sealed class Dataset
{
    /// <summary>File extensions read as images (lower case).</summary>
    public static readonly IReadOnlySet<string> ImageExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff" };

    private Dataset(string root, string name, List<DatasetItem> items, List<string>? warnings = null)
    {
        items.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        Root = root;
        Name = name;
        Items = items;
        var classes = new SortedSet<string>(StringComparer.Ordinal);
        var splits = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            classes.Add(item.Label);
            if (item.Split.Length > 0)
            {
                splits.TryAdd(item.Split, item.Split);
            }
        }

        Classes = [.. classes];
        var splitNames = new List<string>(splits.Values);
        splitNames.Sort(StringComparer.Ordinal);
        Splits = splitNames;
        Warnings = warnings ?? [];
    }

    /// <summary>Absolute path of the dataset folder.</summary>
    public string Root { get; }

    /// <summary>Dataset name: the folder name.</summary>
    public string Name { get; }

    /// <summary>Items sorted by path.</summary>
    public IReadOnlyList<DatasetItem> Items { get; }

    /// <summary>Class names in ordinal sorted order (the order classifiers number them in).</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>
    /// The split names of the items (each once, matched case-insensitively, spelled as first seen), in ordinal sorted
    /// order; empty when the dataset has no splits.
    /// </summary>
    public IReadOnlyList<string> Splits { get; }

    /// <summary>
    /// What a careful user would want to know about the folder that did not stop it from opening, e.g. a class folder
    /// with no images (that class is left out). Empty when nothing is amiss.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Absolute path of an item's image.</summary>
    public string FullPath(DatasetItem item) => System.IO.Path.Combine(Root, item.Path);

    /// <summary>Opens a dataset folder in either layout.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="CsvFormatException">The manifest is malformed or lacks <c>path</c> or <c>label</c>.</exception>
    /// <exception cref="InvalidDataException">A folder layout holds no images.</exception>
    public static Dataset Open(string folder)
    {
        string root = System.IO.Path.GetFullPath(folder);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"{folder}: dataset folder not found");
        }

        string name = new DirectoryInfo(root).Name;
        string manifest = System.IO.Path.Combine(root, "manifest.csv");
        return File.Exists(manifest) ? FromManifest(root, name, manifest) : FromClassFolders(root, name);
    }

    /// <summary>A dataset made from given items (e.g. loose image files with absolute paths, which <see cref="FullPath"/> keeps).</summary>
    public static Dataset FromItems(string root, string name, IEnumerable<DatasetItem> items) => new(System.IO.Path.GetFullPath(root), name, [.. items]);

    /// <summary>The items of one split (ordinal, case-insensitive match), or all items when <paramref name="split"/> is null.</summary>
    /// <exception cref="ArgumentException">The dataset has no split of that name; the message lists its splits.</exception>
    public IReadOnlyList<DatasetItem> InSplit(string? split)
    {
        if (split is null)
        {
            return Items;
        }

        RequireSplit(Name, Splits, split);

        var chosen = new List<DatasetItem>();
        foreach (var item in Items)
        {
            if (string.Equals(item.Split, split, StringComparison.OrdinalIgnoreCase))
            {
                chosen.Add(item);
            }
        }

        return chosen;
    }

    /// <summary>
    /// Refuses a split name that is not among <paramref name="splits"/> (case-insensitive), with a message naming the
    /// source and listing its splits, e.g. <c>pbc: no split 'trian' (splits: test, train, val)</c>.
    /// </summary>
    /// <param name="source">What holds the splits (a dataset or file name), for the message.</param>
    /// <param name="splits">The split names present.</param>
    /// <param name="split">The split asked for.</param>
    /// <exception cref="ArgumentException">The split is not present.</exception>
    public static void RequireSplit(string source, IEnumerable<string> splits, string split)
    {
        ArgumentNullException.ThrowIfNull(splits);
        ArgumentNullException.ThrowIfNull(split);
        var present = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string s in splits)
        {
            if (string.Equals(s, split, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }

            if (s.Length > 0)
            {
                present.Add(s);
            }
        }

        throw new ArgumentException(present.Count == 0
            ? $"{source}: no split '{split}' (it has no splits; leave out the split to use every image)"
            : $"{source}: no split '{split}' (splits: {string.Join(", ", present)})");
    }

    private static Dataset FromManifest(string root, string name, string manifest)
    {
        var table = CsvTable.Load(manifest);
        int path = table.RequireColumn("path");
        int label = table.RequireColumn("label");
        int split = table.IndexOf("split");
        int domain = table.IndexOf("domain");
        int mask = table.IndexOf("mask");
        var items = new List<DatasetItem>(table.Rows.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int r = 0; r < table.Rows.Count; r++)
        {
            string[] row = table.Rows[r];
            string p = row[path].Replace('\\', '/');
            if (p.Length == 0)
            {
                throw new CsvFormatException(manifest, table.LineNumbers[r], "path", "empty path");
            }

            if (System.IO.Path.IsPathRooted(p) || p.Split('/').Contains(".."))
            {
                throw new CsvFormatException(manifest, table.LineNumbers[r], "path", $"'{p}' must be relative to the dataset folder");
            }

            if (!seen.Add(p))
            {
                throw new CsvFormatException(manifest, table.LineNumbers[r], "path", $"'{p}' is listed twice");
            }

            string m = mask >= 0 ? row[mask].Replace('\\', '/') : string.Empty;
            string d = domain >= 0 && row[domain].Length > 0 ? row[domain] : name;
            items.Add(new DatasetItem(p, row[label], split >= 0 ? row[split] : string.Empty, d, m.Length > 0 ? m : null));
        }

        return new Dataset(root, name, items);
    }

    private static Dataset FromClassFolders(string root, string name)
    {
        var items = new List<DatasetItem>();
        var warnings = new List<string>();
        foreach (string top in SortedDirectories(root))
        {
            string topName = System.IO.Path.GetFileName(top);
            if (HasImages(top))
            {
                AddClassFolder(root, top, topName, string.Empty, name, items);
                continue;
            }

            // Split folder (Train/, TestA/, ...) holding class folders.
            string[] classFolders = SortedDirectories(top);
            if (classFolders.Length == 0)
            {
                warnings.Add($"{name}: folder '{topName}/' holds no images and no class folders; left out (if it is a class, that class is missing)");
            }

            foreach (string cls in classFolders)
            {
                string clsName = System.IO.Path.GetFileName(cls);
                if (AddClassFolder(root, cls, clsName, topName, name, items) == 0)
                {
                    warnings.Add($"{name}: class folder '{topName}/{clsName}/' holds no images; class '{clsName}' is left out of split '{topName}'");
                }
            }
        }

        if (items.Count == 0 && HasImages(root))
        {
            // A flat folder of crops: the cells of a lab's own slide, unlabelled, in file-name order.
            foreach (string file in Directory.GetFiles(root).Order(StringComparer.Ordinal))
            {
                if (ImageExtensions.Contains(System.IO.Path.GetExtension(file)))
                {
                    items.Add(new DatasetItem(System.IO.Path.GetFileName(file), string.Empty, string.Empty, name, null));
                }
            }

            return new Dataset(root, name, items, warnings);
        }

        if (items.Count == 0)
        {
            throw new InvalidDataException(
                $"{root}: no manifest.csv, no images in class sub-folders (expected <Class>/*.jpg or <Split>/<Class>/*.jpg) and no images in the folder itself");
        }

        if (HasImages(root))
        {
            warnings.Add($"{name}: images directly in the folder are left out: the class sub-folders are the dataset");
        }

        return new Dataset(root, name, items, warnings);
    }

    // Returns the number of images added.
    private static int AddClassFolder(string root, string folder, string label, string split, string domain, List<DatasetItem> items)
    {
        int added = 0;
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (ImageExtensions.Contains(System.IO.Path.GetExtension(file)))
            {
                string rel = System.IO.Path.GetRelativePath(root, file).Replace('\\', '/');
                items.Add(new DatasetItem(rel, label, split, domain, null));
                added++;
            }
        }

        return added;
    }

    private static bool HasImages(string folder)
    {
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            if (ImageExtensions.Contains(System.IO.Path.GetExtension(file)))
            {
                return true;
            }
        }

        return false;
    }

    private static string[] SortedDirectories(string folder)
    {
        string[] dirs = Directory.GetDirectories(folder);
        Array.Sort(dirs, StringComparer.Ordinal);
        return dirs;
    }
}
