using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Raabin.Features.Evaluation.Statistics;

namespace Raabin.Features.Fuzzing;

/// <summary>The syntax of a text seed, which decides the mutations it gets.</summary>
public enum TextSyntax
{
    /// <summary>Comma-separated values with a header line.</summary>
    Csv,

    /// <summary>One JSON document, or JSON Lines (one document per line).</summary>
    Json,
}

/// <summary>
/// Mutations of CSV and JSON text. CSV: columns dropped, duplicated or swapped; lines cut, dropped or duplicated; a field
/// made a bad number, NaN/Infinity, a huge value, empty, quoted wrongly or given an extra field; a byte-order mark added;
/// the file emptied or cut to its header. JSON: a property deleted or duplicated, a value of the wrong type, a number
/// made huge, negative or non-finite, an array emptied, the text truncated. Both also get the byte mutations.
/// Splitting is deliberately naive (commas and newlines), as a damaged file would be.
/// </summary>
public static class TextMutator
{
    private static readonly string[] BadNumbers = ["abc", "1,5", "--1", "0x1F", "1e", ".", "-", "1.2.3", "١٢", "+", "1e99999", "NaNa", " 1"];
    private static readonly string[] NonFinite = ["NaN", "nan", "Infinity", "-Infinity", "inf", "-inf", "∞"];
    private static readonly string[] HugeValues = ["1e308", "-1e308", "1.7976931348623157e308", "4.9e-324", "99999999999999999999999999999999", "2147483648", "-2147483649"];

    /// <summary>The CSV kinds, in the order <see cref="Apply"/> knows them.</summary>
    public static IReadOnlyList<string> CsvKinds { get; } =
    [
        "csv.drop-column", "csv.duplicate-column", "csv.swap-columns", "csv.cut-lines", "csv.cut-mid-line", "csv.drop-line",
        "csv.duplicate-line", "csv.bad-number", "csv.non-finite", "csv.huge-value", "csv.empty-field", "csv.extra-field",
        "csv.quote", "csv.bom", "csv.empty-file", "csv.header-only",
    ];

    /// <summary>The JSON kinds, in the order <see cref="Apply"/> knows them.</summary>
    public static IReadOnlyList<string> JsonKinds { get; } =
    [
        "json.delete-property", "json.duplicate-property", "json.wrong-type", "json.number", "json.empty-array", "json.truncate",
    ];

    /// <summary>Mutant <paramref name="index"/> of a text seed: a syntax-aware mutation (75 %) or a byte mutation.</summary>
    public static Mutation Mutate(byte[] original, TextSyntax syntax, ulong seed, long index)
    {
        ArgumentNullException.ThrowIfNull(original);
        var random = SplitMix64.ForStream(seed, index);
        if (!MutationMath.Chance(random, 0.75))
        {
            return ByteMutator.Mutate(original, random);
        }

        var kinds = syntax == TextSyntax.Csv ? CsvKinds : JsonKinds;
        for (int attempt = 0; attempt < 8; attempt++)
        {
            if (Apply(original, MutationMath.Pick(random, kinds), random) is { } m)
            {
                return m;
            }
        }

        return ByteMutator.Mutate(original, random);
    }

    /// <summary>Applies mutation <paramref name="kind"/> to a copy of <paramref name="seed"/>; null when it does not fit the text.</summary>
    /// <exception cref="ArgumentException">An unknown kind.</exception>
    public static Mutation? Apply(byte[] seed, string kind, SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(random);
        string text = Encoding.UTF8.GetString(seed);
        string? result;
        string detail;
        if (kind.StartsWith("csv.", StringComparison.Ordinal))
        {
            (result, detail) = Csv(text, kind, random);
        }
        else if (kind.StartsWith("json.", StringComparison.Ordinal))
        {
            (result, detail) = Json(text, kind, random);
        }
        else
        {
            throw new ArgumentException($"unknown text mutation '{kind}'", nameof(kind));
        }

        return result is null || result == text ? null : new Mutation(kind, $"{kind}: {detail}", Encoding.UTF8.GetBytes(result));
    }

    private static (string? Text, string Detail) Csv(string text, string kind, SplitMix64 random)
    {
        var lines = text.Split('\n').ToList();
        var rows = lines.Select(l => l.Split(',').ToList()).ToList();
        int width = rows[0].Count;
        string Join() => string.Join('\n', rows.Select(r => string.Join(',', r)));
        int DataLine() => rows.Count > 1 ? 1 + random.NextIndex(rows.Count - 1) : 0;
        switch (kind)
        {
            case "csv.drop-column":
            case "csv.duplicate-column":
            {
                int c = random.NextIndex(width);
                foreach (var r in rows.Where(r => c < r.Count))
                {
                    if (kind == "csv.drop-column")
                    {
                        r.RemoveAt(c);
                    }
                    else
                    {
                        r.Insert(c, r[c]);
                    }
                }

                return (Join(), $"column {c} '{rows[0].ElementAtOrDefault(c)}'");
            }

            case "csv.swap-columns":
            {
                int a = random.NextIndex(width), b = random.NextIndex(width);
                foreach (var r in rows.Where(r => a < r.Count && b < r.Count))
                {
                    (r[a], r[b]) = (r[b], r[a]);
                }

                return (Join(), FormattableString.Invariant($"columns {a} and {b}"));
            }

            case "csv.cut-lines":
            {
                int keep = random.NextIndex(lines.Count);
                return (string.Join('\n', lines.Take(keep)), FormattableString.Invariant($"first {keep} of {lines.Count} lines kept"));
            }

            case "csv.cut-mid-line":
            {
                int line = random.NextIndex(lines.Count);
                int start = lines.Take(line).Sum(l => l.Length + 1);
                int cut = start + random.NextIndex(Math.Max(1, lines[line].Length));
                return (text[..Math.Min(cut, text.Length)], FormattableString.Invariant($"cut inside line {line + 1} at char {cut}"));
            }

            case "csv.drop-line":
            case "csv.duplicate-line":
            {
                int line = random.NextIndex(lines.Count);
                if (kind == "csv.drop-line")
                {
                    lines.RemoveAt(line);
                }
                else
                {
                    lines.Insert(line, lines[line]);
                }

                return (string.Join('\n', lines), FormattableString.Invariant($"line {line + 1}"));
            }

            case "csv.bad-number":
            case "csv.non-finite":
            case "csv.huge-value":
            case "csv.empty-field":
            case "csv.quote":
            case "csv.extra-field":
            {
                int line = DataLine();
                var r = rows[line];
                int c = random.NextIndex(r.Count);
                string value = kind switch
                {
                    "csv.bad-number" => MutationMath.Pick(random, BadNumbers),
                    "csv.non-finite" => MutationMath.Pick(random, NonFinite),
                    "csv.huge-value" => random.NextIndex(4) == 0 ? new string('9', 100_000) : MutationMath.Pick(random, HugeValues),
                    "csv.empty-field" => string.Empty,
                    "csv.quote" => random.NextIndex(4) switch
                    {
                        0 => "\"" + r[c],
                        1 => "\"" + r[c] + "\"x",
                        2 => "\"a\nb\"",
                        _ => "\"" + r[c] + "\"\"",
                    },
                    _ => r[c] + "," + r[c],
                };
                string old = r[c];
                r[c] = value;
                string shown = value.Length > 40 ? value[..20] + $"...({value.Length} chars)" : value;
                return (Join(), FormattableString.Invariant($"line {line + 1} field {c}: '{Short(old)}' -> '{shown}'"));
            }

            case "csv.bom":
                return (random.NextIndex(2) == 0 ? "\uFEFF" + text : "\uFEFF\uFEFF" + text, "byte-order mark(s) prepended");
            case "csv.empty-file":
                return (random.NextIndex(2) == 0 ? string.Empty : "\n", "emptied");
            case "csv.header-only":
                return (lines[0] + (random.NextIndex(2) == 0 ? "\n" : string.Empty), "header line only");
            default:
                throw new ArgumentException($"unknown CSV mutation '{kind}'", nameof(kind));
        }
    }

    private static (string? Text, string Detail) Json(string text, string kind, SplitMix64 random)
    {
        if (kind == "json.truncate")
        {
            int keep = random.NextIndex(Math.Max(1, text.Length));
            return (text[..keep], FormattableString.Invariant($"{text.Length} -> {keep} chars"));
        }

        // JSON Lines: mutate one line as a document.
        JsonNode? root = TryParse(text);
        if (root is null)
        {
            var lines = text.Split('\n');
            var parsed = lines.Select((l, i) => (Node: TryParse(l), Index: i)).Where(p => p.Node is not null).ToList();
            if (parsed.Count == 0)
            {
                return (null, string.Empty);
            }

            var pick = MutationMath.Pick(random, parsed);
            var (line, detail) = JsonTree(pick.Node!, kind, random);
            if (line is null)
            {
                return (null, detail);
            }

            lines[pick.Index] = line;
            return (string.Join('\n', lines), FormattableString.Invariant($"line {pick.Index + 1}: {detail}"));
        }

        return JsonTree(root, kind, random);
    }

    private static (string? Text, string Detail) JsonTree(JsonNode root, string kind, SplitMix64 random)
    {
        var nodes = new List<JsonNode>();
        Walk(root, nodes);
        switch (kind)
        {
            case "json.delete-property":
            case "json.duplicate-property":
            {
                var objects = nodes.OfType<JsonObject>().Where(o => o.Count > 0).ToList();
                if (objects.Count == 0)
                {
                    return (null, string.Empty);
                }

                var o = MutationMath.Pick(random, objects);
                var (name, value) = o.ElementAt(random.NextIndex(o.Count));
                if (kind == "json.delete-property")
                {
                    o.Remove(name);
                    return (root.ToJsonString(), $"'{name}' deleted from {o.GetPath()}");
                }

                // A JsonObject cannot hold a name twice: add a placeholder and rename it in the text.
                const string Placeholder = "zz-duplicate-7f3a9c";
                o[Placeholder] = random.NextIndex(2) == 0 ? value?.DeepClone() : JsonValue.Create(0);
                string json = root.ToJsonString();
                int at = json.IndexOf('"' + Placeholder + '"', StringComparison.Ordinal);
                return (json[..at] + JsonSerializer.Serialize(name) + json[(at + Placeholder.Length + 2)..], $"'{name}' duplicated in {o.GetPath()}");
            }

            case "json.wrong-type":
            case "json.number":
            case "json.empty-array":
            {
                var candidates = kind switch
                {
                    "json.number" => nodes.Where(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.Number).ToList(),
                    "json.empty-array" => nodes.Where(n => n is JsonArray { Count: > 0 }).ToList(),
                    _ => nodes.Where(n => n.Parent is not null).ToList(),
                };
                if (candidates.Count == 0)
                {
                    return (null, string.Empty);
                }

                var target = MutationMath.Pick(random, candidates);
                string path = target.GetPath();
                string old = Short(target.ToJsonString());
                if (kind == "json.empty-array")
                {
                    ((JsonArray)target).Clear();
                    return (root.ToJsonString(), $"{path} emptied");
                }

                // Non-finite numbers are not JSON: write a marker and substitute the raw token afterwards.
                string replacement = kind == "json.number"
                    ? MutationMath.Pick(random, (string[])["1e999", "-1e999", "NaN", "-1", "0", "1e-999", "123456789012345678901234567890", "0.5", "-0"])
                    : MutationMath.Pick(random, (string[])["\"text\"", "null", "true", "[]", "{}", "[1,2]", "{\"a\":1}", "3.5", "\"\""]);
                const string Marker = "zz-replace-7f3a9c";
                Replace(target, JsonValue.Create(Marker));
                string json = root.ToJsonString().Replace('"' + Marker + '"', replacement, StringComparison.Ordinal);
                return (json, $"{path}: {old} -> {replacement}");
            }

            default:
                throw new ArgumentException($"unknown JSON mutation '{kind}'", nameof(kind));
        }
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Walk(JsonNode? node, List<JsonNode> into)
    {
        if (node is null)
        {
            return;
        }

        into.Add(node);
        if (node is JsonObject o)
        {
            foreach (var (_, child) in o)
            {
                Walk(child, into);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var child in a)
            {
                Walk(child, into);
            }
        }
    }

    private static void Replace(JsonNode target, JsonNode replacement)
    {
        switch (target.Parent)
        {
            case JsonObject o:
                o[target.GetPropertyName()] = replacement;
                break;
            case JsonArray a:
                a[target.GetElementIndex()] = replacement;
                break;
        }
    }

    private static string Short(string s) => s.Length > 40 ? string.Create(CultureInfo.InvariantCulture, $"{s[..20]}...({s.Length} chars)") : s;
}
