using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Raabin.Features.IO;

/// <summary>A file of a shard output, by path relative to the manifest's folder ('/' separators), with its SHA-256.</summary>
/// <param name="Path">Path relative to the folder holding the manifest.</param>
/// <param name="Sha256">SHA-256 of the file's bytes, lower-case hex.</param>
public sealed record ShardFile(string Path, string Sha256);

/// <summary>
/// What one shard of a batch wrote, and what it was made from: the sidecar <c>OUT.shard.json</c> a command run with
/// <c>--shard I/N</c> writes beside its finished output, and <c>raabin merge</c> reads to check that the shards it joins
/// belong together (same command, toolkit version, settings, model, shard count and dataset listing), that none is
/// missing or given twice, and that no output changed since its shard finished. The format (<see cref="FormatName"/>):
/// <code>
/// {
///   "format": "raabin-shard/1",
///   "command": "features",                 the command that wrote the shard
///   "toolkit": "Raabin.Features 1.0.0",    the toolkit version
///   "shard": 2, "shards": 4,               this shard's index, 0-based, and the shard count
///   "input": "/data/pbc",                  the dataset as this job saw it (informative: mounts may differ between jobs)
///   "items": 30,                           images in the whole listing (every shard)
///   "items_sha256": "…",                   SHA-256 of the whole listing's paths in order, each followed by "\n"
///   "listing_sha256": "…",                 SHA-256 of the whole listing's records (path, label, split, domain, mask; tab-separated lines)
///   "settings": { "--segmenter": "reference", … },   every setting the rows depend on (a model by its SHA-256)
///   "rows": 8,                             rows this shard wrote
///   "files": [ { "path": "features-2.csv", "sha256": "…" }, … ]   the table first, then any per-image files
/// }
/// </code>
/// </summary>
public sealed class ShardManifest
{
    /// <summary>The format written by <see cref="Save"/>.</summary>
    public const string FormatName = "raabin-shard/1";

    /// <summary>Appended to a shard's table to name its manifest.</summary>
    public const string Suffix = ".shard.json";

    /// <summary>Creates a manifest.</summary>
    /// <param name="command">The command name.</param>
    /// <param name="toolkit">The toolkit version that wrote the shard.</param>
    /// <param name="index">This shard's index, 0-based.</param>
    /// <param name="count">The shard count.</param>
    /// <param name="input">The input as the job saw it (informative).</param>
    /// <param name="items">Items in the whole listing.</param>
    /// <param name="itemsSha256">Digest of the whole listing's keys (<see cref="Sha256Lines"/> of the paths).</param>
    /// <param name="listingSha256">Digest of the whole listing's records.</param>
    /// <param name="settings">The settings the rows depend on; names distinct.</param>
    /// <param name="rows">Rows in this shard's table.</param>
    /// <param name="files">The table first, then the per-image files.</param>
    public ShardManifest(string command, string toolkit, int index, int count, string input, int items, string itemsSha256, string listingSha256,
        IEnumerable<KeyValuePair<string, string>> settings, int rows, IReadOnlyList<ShardFile> files)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(files);
        Command = command;
        Toolkit = toolkit;
        Index = index;
        Count = count;
        Input = input;
        Items = items;
        ItemsSha256 = itemsSha256;
        ListingSha256 = listingSha256;
        Settings = settings.ToArray();
        Rows = rows;
        Files = files;
    }

    /// <summary>The command that wrote the shard.</summary>
    public string Command { get; }

    /// <summary>The toolkit version that wrote it.</summary>
    public string Toolkit { get; }

    /// <summary>The shard's index, 0-based.</summary>
    public int Index { get; }

    /// <summary>The shard count.</summary>
    public int Count { get; }

    /// <summary>The input as the job saw it (informative, not compared).</summary>
    public string Input { get; }

    /// <summary>Items in the whole listing.</summary>
    public int Items { get; }

    /// <summary>SHA-256 of the whole listing's keys, in order.</summary>
    public string ItemsSha256 { get; }

    /// <summary>SHA-256 of the whole listing's records, in order.</summary>
    public string ListingSha256 { get; }

    /// <summary>The settings the rows depend on.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; }

    /// <summary>Rows in the shard's table.</summary>
    public int Rows { get; }

    /// <summary>The table first, then the per-image files.</summary>
    public IReadOnlyList<ShardFile> Files { get; }

    /// <summary><c>I/N</c>.</summary>
    public string ShardName => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>The manifest of a shard's table: <paramref name="table"/> + <see cref="Suffix"/>.</summary>
    public static string PathOf(string table) => table + Suffix;

    /// <summary>SHA-256 (lower-case hex) of <paramref name="lines"/>, each followed by a line feed, in UTF-8.</summary>
    public static string Sha256Lines(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string line in lines)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(line));
            sha.AppendData("\n"u8);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>SHA-256 (lower-case hex) of a file's bytes.</summary>
    public static string Sha256File(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// How <paramref name="other"/> differs from this manifest in what shards of one batch must share (command, toolkit,
    /// shard count, listing, settings), one phrase per difference naming both sides; empty when they belong together.
    /// </summary>
    /// <param name="other">Another shard's manifest.</param>
    /// <param name="name">What to call this shard in the phrases (its file).</param>
    /// <param name="otherName">What to call the other.</param>
    public IReadOnlyList<string> DifferencesFrom(ShardManifest other, string name, string otherName)
    {
        ArgumentNullException.ThrowIfNull(other);
        var d = new List<string>();
        void Compare(string what, string mine, string theirs)
        {
            if (mine != theirs)
            {
                d.Add($"{what}: '{mine}' in {name}, '{theirs}' in {otherName}");
            }
        }

        Compare("command", Command, other.Command);
        Compare("toolkit", Toolkit, other.Toolkit);
        Compare("shard count", Count.ToString(CultureInfo.InvariantCulture), other.Count.ToString(CultureInfo.InvariantCulture));
        if (Items != other.Items)
        {
            d.Add(string.Create(CultureInfo.InvariantCulture,
                $"dataset listing: {Items} images ({Input}) in {name}, {other.Items} images ({other.Input}) in {otherName}"));
        }
        else if (ItemsSha256 != other.ItemsSha256 || ListingSha256 != other.ListingSha256)
        {
            d.Add(string.Create(CultureInfo.InvariantCulture,
                $"dataset listing: {Items} images in both, but not the same images, labels, splits, domains or masks ({Input} in {name}, {other.Input} in {otherName})"));
        }

        var theirs = other.Settings.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var mine = Settings.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        foreach (var (key, value) in Settings)
        {
            if (!theirs.TryGetValue(key, out string? v))
            {
                d.Add($"{key}: '{value}' in {name}, not set in {otherName}");
            }
            else
            {
                Compare(key, value, v);
            }
        }

        foreach (var (key, value) in other.Settings)
        {
            if (!mine.ContainsKey(key))
            {
                d.Add($"{key}: not set in {name}, '{value}' in {otherName}");
            }
        }

        return d;
    }

    /// <summary>Writes the manifest as indented JSON (atomically).</summary>
    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("format", FormatName);
        w.WriteString("command", Command);
        w.WriteString("toolkit", Toolkit);
        w.WriteNumber("shard", Index);
        w.WriteNumber("shards", Count);
        w.WriteString("input", Input);
        w.WriteNumber("items", Items);
        w.WriteString("items_sha256", ItemsSha256);
        w.WriteString("listing_sha256", ListingSha256);
        w.WriteStartObject("settings");
        foreach (var (name, value) in Settings)
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
        w.WriteNumber("rows", Rows);
        w.WriteStartArray("files");
        foreach (var f in Files)
        {
            w.WriteStartObject();
            w.WriteString("path", f.Path);
            w.WriteString("sha256", f.Sha256);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>Reads a manifest written by <see cref="Save"/>.</summary>
    /// <exception cref="ShardFileException">The file is missing, unreadable or not such a document.</exception>
    public static ShardManifest Load(string path)
    {
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            root = doc.RootElement.Clone();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ShardFileException(path, $"cannot read the shard manifest: {e.Message}", e);
        }

        string property = "format";
        try
        {
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != FormatName)
            {
                throw new ShardFileException(path, $"not a {FormatName} shard manifest");
            }

            string Text(string name)
            {
                property = name;
                return root.GetProperty(name).GetString() ?? throw new InvalidOperationException("null");
            }

            int Whole(string name)
            {
                property = name;
                return root.GetProperty(name).GetInt32();
            }

            var settings = new List<KeyValuePair<string, string>>();
            property = "settings";
            foreach (var p in root.GetProperty("settings").EnumerateObject())
            {
                settings.Add(new(p.Name, p.Value.GetString() ?? string.Empty));
            }

            var files = new List<ShardFile>();
            property = "files";
            foreach (var f in root.GetProperty("files").EnumerateArray())
            {
                files.Add(new ShardFile(f.GetProperty("path").GetString() ?? throw new InvalidOperationException("null path"),
                    f.GetProperty("sha256").GetString() ?? throw new InvalidOperationException("null sha256")));
            }

            var manifest = new ShardManifest(Text("command"), Text("toolkit"), Whole("shard"), Whole("shards"), Text("input"), Whole("items"),
                Text("items_sha256"), Text("listing_sha256"), settings, Whole("rows"), files);
            if (manifest.Count < 1 || manifest.Index < 0 || manifest.Index >= manifest.Count || files.Count == 0)
            {
                throw new ShardFileException(path, $"shard {manifest.ShardName} with {files.Count} files is not a valid shard");
            }

            return manifest;
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new ShardFileException(path, $"not a valid {FormatName} shard manifest (property '{property}': {e.Message})", e);
        }
    }
}

/// <summary>A shard output or its manifest that cannot be used; the message names the file and the problem.</summary>
public sealed class ShardFileException : DataFileException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file.</param>
    /// <param name="problem">What is wrong, and what to do.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ShardFileException(string source, string problem, Exception? inner = null)
        : base(source, 0, null, problem, inner)
    {
    }
}
