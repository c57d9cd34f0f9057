using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Raabin.Features.Measurement;

/// <summary>
/// A feature extractor by name, version and options: what a model file and a feature table record. The version changes
/// whenever an extractor's numbers or feature list change, so a model never silently reads features measured another
/// way. Text form: <c>name@version</c> for an extractor without options (e.g. <c>reference-51@1</c>), else
/// <c>name@version(option=value;...)</c> with every option written out (e.g.
/// <c>od-groups@1(groups=shape+colour)</c>). In a model file: <c>{"name", "version", "options": {...}}</c>, the
/// <c>options</c> object left out when there are none, so files written before options existed read unchanged.
/// </summary>
public sealed record ExtractorSpec
{
    private static readonly IReadOnlyDictionary<string, string> NoOptions = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>A spec from its parts; <paramref name="options"/> null or empty for an extractor without options.</summary>
    /// <param name="name">The extractor's stable name (<see cref="IFeatureExtractor.Name"/>).</param>
    /// <param name="version">Its version (<see cref="IFeatureExtractor.Version"/>).</param>
    /// <param name="options">Option values as text (invariant culture), by option name.</param>
    public ExtractorSpec(string name, int version, IReadOnlyDictionary<string, string>? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        Version = version;
        Options = options is null || options.Count == 0
            ? NoOptions
            : new SortedDictionary<string, string>(options.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>The published method's 51 features.</summary>
    public static ExtractorSpec Reference { get; } = new(ReferenceFeatureExtractor.ExtractorName, ReferenceFeatureExtractor.ExtractorVersion);

    /// <summary>The extended interpretable groups on the whole-cell masks, every group on.</summary>
    public static ExtractorSpec OdGroups { get; } = new OdGroupsFeatureExtractor().Spec;

    /// <summary>The extractors this build can create, as specs (with their default options).</summary>
    public static IReadOnlyList<ExtractorSpec> Known { get; } = [Reference, OdGroups];

    /// <summary>The extractor's stable name.</summary>
    public string Name { get; }

    /// <summary>Its version.</summary>
    public int Version { get; }

    /// <summary>Its options as text by name, in ordinal order (empty for an extractor without options).</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    /// <summary>The spec of an extractor instance (<see cref="IFeatureExtractor.Spec"/>).</summary>
    public static ExtractorSpec Of(IFeatureExtractor extractor)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        return extractor.Spec;
    }

    /// <summary>
    /// Parses <c>name</c>, <c>name@version</c>, <c>name(option=value;...)</c> or <c>name@version(option=value;...)</c>.
    /// A bare name means the version this build has; options not named keep their defaults. A spec this build can
    /// create comes back in its canonical form (every option written, e.g. the groups in catalog order).
    /// </summary>
    /// <exception cref="ArgumentException">Malformed text, an unknown extractor named without a version, or an option the
    /// extractor does not have or refuses.</exception>
    public static ExtractorSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        int open = s.IndexOf('(', StringComparison.Ordinal);
        if (open >= 0)
        {
            if (!s.EndsWith(')'))
            {
                throw new ArgumentException($"feature extractor '{text}': expected name@version(option=value;...)");
            }

            foreach (string part in s[(open + 1)..^1].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = part.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new ArgumentException($"feature extractor '{text}': '{part}' is not option=value");
                }

                options[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }

            s = s[..open].Trim();
        }

        int at = s.LastIndexOf('@');
        ExtractorSpec spec;
        if (at < 0)
        {
            var known = Known.FirstOrDefault(k => k.Name == s)
                ?? throw new ArgumentException($"unknown feature extractor '{s}' (this build knows {string.Join(", ", Known.Select(k => k.Name))})");
            spec = new ExtractorSpec(known.Name, known.Version, options);
        }
        else
        {
            if (!int.TryParse(s[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int version))
            {
                throw new ArgumentException($"feature extractor '{text}': expected name@version");
            }

            spec = new ExtractorSpec(s[..at], version, options);
        }

        return spec.Canonical();
    }

    /// <summary>Reads a spec from a model file's <c>name</c>, <c>version</c> and <c>options</c> (null: none).</summary>
    /// <param name="name">Extractor name.</param>
    /// <param name="version">Extractor version.</param>
    /// <param name="options">The options object (string or number values), or null.</param>
    /// <exception cref="ArgumentException">Options that are not an object of plain values, or that the extractor refuses.</exception>
    public static ExtractorSpec FromJson(string name, int version, JsonElement? options)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"options of feature extractor '{name}' must be an object");
            }

            foreach (var p in element.EnumerateObject())
            {
                values[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => p.Value.GetRawText(),
                    _ => throw new ArgumentException($"option '{p.Name}' of feature extractor '{name}' must be a string or a number"),
                };
            }
        }

        return new ExtractorSpec(name, version, values).Canonical();
    }

    /// <summary>The options as a JSON object of strings, or null when there are none (the model file then omits them).</summary>
    public Dictionary<string, string>? OptionsToJson() =>
        Options.Count == 0 ? null : Options.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    /// <summary>Creates the extractor.</summary>
    /// <exception cref="ArgumentException">This build has no extractor of that name and version, or it refuses the
    /// options (message names them).</exception>
    public IFeatureExtractor Create()
    {
        if (Name == ReferenceFeatureExtractor.ExtractorName && Version == ReferenceFeatureExtractor.ExtractorVersion)
        {
            if (Options.Count > 0)
            {
                throw new ArgumentException($"feature extractor '{Name}' has no options (got {string.Join(", ", Options.Keys)})");
            }

            return new ReferenceFeatureExtractor();
        }

        if (Name == OdGroupsFeatureExtractor.ExtractorName && Version == OdGroupsFeatureExtractor.ExtractorVersion)
        {
            return OdGroupsFeatureExtractor.FromOptions(Options);
        }

        var sameName = Known.FirstOrDefault(k => k.Name == Name);
        throw new ArgumentException(sameName is null
            ? $"unknown feature extractor '{this}' (this build knows {string.Join(", ", Known.Select(k => k.Name))})"
            : $"feature extractor '{this}' is not the version this build has ({sameName.Name}@{sameName.Version.ToString(CultureInfo.InvariantCulture)}); its features were measured another way");
    }

    /// <summary>
    /// Whether features measured by this extractor serve a model that reads <paramref name="wanted"/>'s: the same spec, or
    /// the same od-groups version with every group <paramref name="wanted"/> has (od-groups measures each group the same
    /// whichever others are on, so a table of more groups holds the same numbers for the fewer; checked on all 10,283 PBC
    /// images and by a test).
    /// </summary>
    public bool Provides(ExtractorSpec wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        if (Equals(wanted))
        {
            return true;
        }

        if (Name != OdGroupsFeatureExtractor.ExtractorName || wanted.Name != Name || wanted.Version != Version)
        {
            return false;
        }

        try
        {
            var have = ((OdGroupsFeatureExtractor)Create()).Groups;
            return ((OdGroupsFeatureExtractor)wanted.Create()).Groups.All(have.Contains);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public bool Equals(ExtractorSpec? other) =>
        other is not null && Name == other.Name && Version == other.Version && Options.Count == other.Options.Count
        && Options.All(p => other.Options.TryGetValue(p.Key, out string? v) && v == p.Value);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        hash.Add(Version);
        foreach (var (key, value) in Options)
        {
            hash.Add(key);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder(Name).Append('@').Append(Version.ToString(CultureInfo.InvariantCulture));
        if (Options.Count > 0)
        {
            text.Append('(').AppendJoin(';', Options.Select(p => $"{p.Key}={p.Value}")).Append(')');
        }

        return text.ToString();
    }

    // An extractor this build has, in the form its instance reports (validates the options); any other stays as given,
    // to be refused by Create with a message naming it.
    private ExtractorSpec Canonical()
    {
        bool known = Known.Any(k => k.Name == Name && k.Version == Version);
        return known ? Create().Spec : this;
    }
}
