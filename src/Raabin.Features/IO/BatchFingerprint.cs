using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Raabin.Features.IO;

/// <summary>
/// What a batch output depends on: the command, its settings (name → value, in a stable order) and the items in output
/// order. Stored beside a partial output (<see cref="PartialCsvFile"/>) so that a resume can refuse a partial file made
/// with other settings or other items, naming the difference.
/// </summary>
public sealed class BatchFingerprint
{
    /// <summary>The sidecar format written by <see cref="Save"/>.</summary>
    public const string FormatName = "raabin-partial/1";

    /// <summary>Creates a fingerprint for a run.</summary>
    /// <param name="command">The command name (e.g. <c>features</c>).</param>
    /// <param name="settings">Every setting the output depends on, as invariant strings; names must be distinct.</param>
    /// <param name="keys">The key of each item in output order: the first field of its output row (its path).</param>
    public BatchFingerprint(string command, IEnumerable<KeyValuePair<string, string>> settings, IReadOnlyList<string> keys)
        : this(command, settings, keys.Count, ShardManifest.Sha256Lines(keys))
    {
        Keys = keys;
    }

    private BatchFingerprint(string command, IEnumerable<KeyValuePair<string, string>> settings, int itemCount, string itemsDigest)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(settings);
        Command = command;
        Settings = settings.ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in Settings)
        {
            if (!seen.Add(name))
            {
                throw new ArgumentException($"setting '{name}' given twice", nameof(settings));
            }
        }

        ItemCount = itemCount;
        ItemsDigest = itemsDigest;
    }

    /// <summary>The command name.</summary>
    public string Command { get; }

    /// <summary>The settings, in the order given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; }

    /// <summary>How many items (rows) the complete output has.</summary>
    public int ItemCount { get; }

    /// <summary>SHA-256 (lower-case hex) of the item keys, each followed by a line feed, in UTF-8.</summary>
    public string ItemsDigest { get; }

    /// <summary>The item keys in output order; null for a fingerprint read from a file (which stores only their digest).</summary>
    public IReadOnlyList<string>? Keys { get; }

    /// <summary>
    /// How <paramref name="stored"/> (the fingerprint a partial output was made with) differs from this one, one
    /// sentence per difference; empty when they agree.
    /// </summary>
    public IReadOnlyList<string> DifferencesFrom(BatchFingerprint stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var differences = new List<string>();
        if (stored.Command != Command)
        {
            differences.Add($"command: '{stored.Command}' there, '{Command}' now");
        }

        var before = stored.Settings.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var now = Settings.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        foreach (var (name, value) in Settings)
        {
            if (!before.TryGetValue(name, out string? old))
            {
                differences.Add($"{name}: not set there, '{value}' now");
            }
            else if (old != value)
            {
                differences.Add($"{name}: '{old}' there, '{value}' now");
            }
        }

        foreach (var (name, value) in stored.Settings)
        {
            if (!now.ContainsKey(name))
            {
                differences.Add($"{name}: '{value}' there, not set now");
            }
        }

        if (stored.ItemCount != ItemCount)
        {
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"items: {stored.ItemCount} there, {ItemCount} now"));
        }
        else if (stored.ItemsDigest != ItemsDigest)
        {
            differences.Add(string.Create(CultureInfo.InvariantCulture, $"items: {ItemCount} both times, but not the same files in the same order"));
        }

        return differences;
    }

    /// <summary>Writes the fingerprint as a small JSON document (atomically).</summary>
    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("format", FormatName);
        w.WriteString("command", Command);
        w.WriteStartObject("settings");
        foreach (var (name, value) in Settings)
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
        w.WriteNumber("items", ItemCount);
        w.WriteString("items_sha256", ItemsDigest);
        w.WriteEndObject();
    });

    /// <summary>Reads a fingerprint written by <see cref="Save"/>.</summary>
    /// <exception cref="PartialFileException">The file is missing, unreadable or not such a document.</exception>
    public static BatchFingerprint Load(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != FormatName)
            {
                throw new PartialFileException(path, 0, "format", $"not a {FormatName} settings file");
            }

            var settings = new List<KeyValuePair<string, string>>();
            foreach (var p in root.GetProperty("settings").EnumerateObject())
            {
                settings.Add(new(p.Name, p.Value.GetString() ?? string.Empty));
            }

            return new BatchFingerprint(root.GetProperty("command").GetString() ?? string.Empty, settings,
                root.GetProperty("items").GetInt32(), root.GetProperty("items_sha256").GetString() ?? string.Empty);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException
            or FormatException or ArgumentException)
        {
            throw new PartialFileException(path, 0, null, $"cannot read the settings of the partial output: {e.Message}", e);
        }
    }
}
