using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Raabin.Features.Import;

/// <summary>
/// The ordered class list a network's output indices refer to (index i ↔ <see cref="Names"/>[i]), and a sentence
/// saying where that order came from, which the importer copies into <see cref="ImportedScores.Assumptions"/>.
/// </summary>
public sealed class ClassMap
{
    private ClassMap(IReadOnlyList<string> names, string origin)
    {
        Names = names;
        Origin = origin;
    }

    /// <summary>Class names by output index (0-based).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Where the order came from, as a sentence for the assumptions list.</summary>
    public string Origin { get; }

    /// <summary>The number of classes.</summary>
    public int Count => Names.Count;

    /// <summary>The output index of <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        for (int i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A class list given in index order by the caller; <paramref name="origin"/> says where it came from.</summary>
    /// <exception cref="ArgumentException">Empty, blank or repeated names.</exception>
    public static ClassMap FromNames(IEnumerable<string> namesInIndexOrder, string origin)
    {
        var names = namesInIndexOrder.ToList();
        Check(names, (i, problem) => new ArgumentException(problem + $" (index {i})", nameof(namesInIndexOrder)));
        return new ClassMap(names, origin);
    }

    /// <summary>
    /// Class order as torchvision's <c>ImageFolder</c> (and timm's folder datasets) assign it: the class names sorted
    /// by code point (Python's <c>sorted</c> on str, i.e. ordinal order).
    /// </summary>
    /// <param name="names">The class (folder) names in any order.</param>
    /// <param name="whereFrom">Where the names came from, e.g. "our dataset's labels".</param>
    public static ClassMap FromSortedNames(IEnumerable<string> names, string whereFrom)
    {
        var sorted = names.ToList();
        sorted.Sort(StringComparer.Ordinal);
        Check(sorted, (i, problem) => new ArgumentException(problem + $" (index {i})", nameof(names)));
        return new ClassMap(sorted,
            $"class order taken from the sorted names of {whereFrom} (ImageFolder order: sorted by code point): {string.Join(", ", sorted)}");
    }

    /// <summary>Class order from the sorted names of the sub-folders of <paramref name="folder"/> (ImageFolder order).</summary>
    /// <exception cref="ScoreImportException">The folder does not exist or has no sub-folders.</exception>
    public static ClassMap FromFolderNames(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new ScoreImportException(folder, 0, null, "the class folder does not exist");
        }

        var names = new List<string>();
        foreach (string dir in Directory.GetDirectories(folder))
        {
            names.Add(Path.GetFileName(dir));
        }

        if (names.Count == 0)
        {
            throw new ScoreImportException(folder, 0, null, "the class folder has no sub-folders to take class names from");
        }

        return FromSortedNames(names, $"the sub-folders of '{folder}'");
    }

    /// <summary>
    /// Reads a class-map file: JSON (an object index → name such as <c>{"0": "basophil"}</c>, an object name → index
    /// such as torchvision's <c>class_to_idx</c>, or an array of names in index order), or text with one name per line
    /// in index order (timm's <c>--class-map</c> text format; surrounding white space trimmed as timm does).
    /// </summary>
    /// <exception cref="ScoreImportException">Unreadable file, gaps or repeats in indices, repeated or blank names.</exception>
    public static ClassMap Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScoreImportException(path, 0, null, e.Message, e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses class-map text (see <see cref="Load"/>); JSON when the first non-blank character is '{' or '['.</summary>
    public static ClassMap Parse(string text, string source)
    {
        string trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        return trimmed.StartsWith('{') || trimmed.StartsWith('[') ? ParseJson(trimmed, source) : ParseText(text, source);
    }

    private static ClassMap ParseText(string text, string source)
    {
        string[] lines = text.TrimStart('\uFEFF').Split('\n');
        int count = lines.Length;
        while (count > 0 && lines[count - 1].Trim().Length == 0)
        {
            count--;
        }

        var names = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            names.Add(lines[i].Trim());
        }

        Check(names, (i, problem) => new ScoreImportException(source, i + 1, null, problem));
        return new ClassMap(names, $"class order taken from the class-map file '{source}' (one name per line, line 1 = index 0)");
    }

    private static ClassMap ParseJson(string json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            int line = e.LineNumber is long l ? (int)l + 1 : 0;
            throw new ScoreImportException(source, line, null, "malformed JSON: " + e.Message, e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                var names = new List<string>();
                foreach (var item in root.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        throw new ScoreImportException(source, 0, null, $"array item {names.Count} is not a string class name");
                    }

                    names.Add(item.GetString()!);
                }

                Check(names, (i, problem) => new ScoreImportException(source, 0, null, problem + $" (array item {i})"));
                return new ClassMap(names, $"class order taken from the class-map file '{source}' (JSON array, item 0 = index 0)");
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ScoreImportException(source, 0, null, "a class map must be a JSON object (index → name or name → index) or an array of names");
            }

            var byIndex = new SortedDictionary<int, string>();
            bool keysAreIndices = true;
            bool valuesAreIndices = true;
            foreach (var p in root.EnumerateObject())
            {
                keysAreIndices &= TryIndex(p.Name, out _) && p.Value.ValueKind == JsonValueKind.String;
                valuesAreIndices &= p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out _);
            }

            if (!keysAreIndices && !valuesAreIndices)
            {
                throw new ScoreImportException(source, 0, null,
                    "a class-map object must map indices to names ({\"0\": \"basophil\"}) or names to indices ({\"basophil\": 0})");
            }

            foreach (var p in root.EnumerateObject())
            {
                int index;
                string name;
                if (keysAreIndices)
                {
                    TryIndex(p.Name, out index);
                    name = p.Value.GetString()!;
                }
                else
                {
                    index = p.Value.GetInt32();
                    name = p.Name;
                }

                if (index < 0 || !byIndex.TryAdd(index, name))
                {
                    throw new ScoreImportException(source, 0, p.Name, $"index {index} is negative or given twice");
                }
            }

            var list = new List<string>(byIndex.Count);
            foreach (var (index, name) in byIndex)
            {
                if (index != list.Count)
                {
                    throw new ScoreImportException(source, 0, null, $"indices must run 0..{byIndex.Count - 1} without gaps; index {list.Count} is missing");
                }

                list.Add(name);
            }

            Check(list, (i, problem) => new ScoreImportException(source, 0, null, problem + $" (index {i})"));
            string shape = keysAreIndices ? "JSON object index → name" : "JSON object name → index";
            return new ClassMap(list, $"class order taken from the class-map file '{source}' ({shape})");
        }
    }

    private static bool TryIndex(string s, out int index) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out index);

    private static void Check(List<string> names, Func<int, string, Exception> error)
    {
        if (names.Count == 0)
        {
            throw error(0, "the class list is empty");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
            {
                throw error(i, "a class name is blank");
            }

            if (!seen.Add(names[i]))
            {
                throw error(i, $"class name '{names[i]}' appears twice");
            }
        }
    }
}
