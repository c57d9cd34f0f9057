using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Raabin.Features.Segmentation;

/// <summary>
/// A segmenter named with every one of its options: what a model file and a feature table record, so the same
/// segmentation can be rebuilt later. Its text form is <c>name(option=value;...)</c> with every option written out
/// (e.g. <c>cmyk-otsu(weight=0.5;blurKernelSize=5;minimumArea=100)</c>); a bare name means the defaults.
/// </summary>
/// <remarks>
/// The segmenters this build knows are listed in <see cref="KnownNames"/>; a spec naming any other, or an option its
/// segmenter does not have, is refused with a message naming it.
/// </remarks>
public sealed record SegmenterSpec
{
    private static readonly JsonSerializerOptions OptionsJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    private static readonly Dictionary<string, Known> Registry = new(StringComparer.Ordinal)
    {
        [ReferenceNucleusSegmenter.MethodName] = new(typeof(ReferenceSegmenterOptions), ReferenceSegmenterOptions.Default,
            o => new ReferenceNucleusSegmenter((ReferenceSegmenterOptions)o)),
        [CmykOtsuSegmenter.MethodName] = new(typeof(CmykOtsuSegmenterOptions), CmykOtsuSegmenterOptions.Default,
            o => new CmykOtsuSegmenter((CmykOtsuSegmenterOptions)o)),
        [OdCellSegmenter.MethodName] = new(typeof(OdCellSegmenterOptions), OdCellSegmenterOptions.Default,
            o => new OdCellSegmenter((OdCellSegmenterOptions)o)),
    };

    private SegmenterSpec(string name, object options)
    {
        Name = name;
        Options = options;
    }

    /// <summary>The published method's segmenter with its published settings.</summary>
    public static SegmenterSpec Reference { get; } = new(ReferenceNucleusSegmenter.MethodName, ReferenceSegmenterOptions.Default);

    /// <summary>Names of the segmenters this build can create.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = [.. Registry.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The segmenter's stable name (<see cref="INucleusSegmenter.Name"/>).</summary>
    public string Name { get; }

    /// <summary>Its options object (e.g. <see cref="CmykOtsuSegmenterOptions"/>), every value set.</summary>
    public object Options { get; }

    /// <summary>A spec for segmenter <paramref name="name"/> with the given options object (its defaults when null).</summary>
    /// <exception cref="ArgumentException">Unknown segmenter, or options of the wrong type.</exception>
    public static SegmenterSpec Of(string name, object? options = null)
    {
        var known = Lookup(name);
        options ??= known.Defaults;
        if (options.GetType() != known.OptionsType)
        {
            throw new ArgumentException($"segmenter '{name}' takes {known.OptionsType.Name}, not {options.GetType().Name}");
        }

        return new SegmenterSpec(name, options);
    }

    /// <summary>
    /// Parses <c>name</c> or <c>name(option=value;...)</c>; options not named keep their defaults. Option names are the
    /// options type's properties in camelCase.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown segmenter or option, or a value of the wrong kind.</exception>
    public static SegmenterSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim();
        int open = s.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return Of(s);
        }

        if (!s.EndsWith(')'))
        {
            throw new ArgumentException($"segmenter '{text}': expected name(option=value;...)");
        }

        string name = s[..open].Trim();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in s[(open + 1)..^1].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"segmenter '{text}': '{part}' is not option=value");
            }

            values[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }

        return Of(name).With(values);
    }

    /// <summary>This spec with some options changed (values as text, invariant culture).</summary>
    /// <exception cref="ArgumentException">An option this segmenter does not have, or a value of the wrong kind.</exception>
    public SegmenterSpec With(IReadOnlyDictionary<string, string> values)
    {
        var json = JsonSerializer.SerializeToNode(Options, Options.GetType(), OptionsJson)!.AsObject();
        foreach (var (key, value) in values)
        {
            if (!json.ContainsKey(key))
            {
                throw new ArgumentException(
                    $"segmenter '{Name}' has no option '{key}' (options: {string.Join(", ", json.Select(p => p.Key))})");
            }

            json[key] = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
                ? JsonValue.Create(number)
                : bool.TryParse(value, out bool flag) ? JsonValue.Create(flag) : JsonValue.Create(value);
        }

        return FromJson(Name, json.Deserialize<JsonElement>(), $"segmenter '{Name}'");
    }

    /// <summary>Reads a spec from a model file's <c>name</c> and <c>options</c> (missing options take their defaults).</summary>
    /// <param name="name">Segmenter name.</param>
    /// <param name="options">The options object, or null for the defaults.</param>
    /// <param name="source">Names the file or field in error messages.</param>
    /// <exception cref="ArgumentException">Unknown segmenter or option, or an invalid value (message starts with <paramref name="source"/>).</exception>
    public static SegmenterSpec FromJson(string name, JsonElement? options, string source)
    {
        Known known;
        try
        {
            known = Lookup(name);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{source}: {e.Message}", e);
        }

        if (options is not { ValueKind: JsonValueKind.Object } element)
        {
            return new SegmenterSpec(name, known.Defaults);
        }

        object? value;
        try
        {
            value = element.Deserialize(known.OptionsType, OptionsJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{source}: options of segmenter '{name}': {e.Message}", e);
        }

        var spec = new SegmenterSpec(name, value ?? known.Defaults);
        try
        {
            // Validate the values the way the segmenter itself does.
            _ = spec.Create();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{source}: options of segmenter '{name}': {e.Message}", e);
        }

        return spec;
    }

    /// <summary>The options as a JSON object (camelCase names, every value written).</summary>
    public JsonElement OptionsToJson() => JsonSerializer.SerializeToElement(Options, Options.GetType(), OptionsJson);

    /// <summary>Creates the segmenter.</summary>
    /// <exception cref="ArgumentException">An option value the segmenter refuses.</exception>
    public INucleusSegmenter Create() => Lookup(Name).Create(Options);

    /// <summary>The text form <c>name(option=value;...)</c> with every option, values in invariant round-trip form.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Name).Append('(');
        bool first = true;
        foreach (var property in OptionsToJson().EnumerateObject())
        {
            text.Append(first ? string.Empty : ";").Append(property.Name).Append('=').Append(property.Value.ValueKind switch
            {
                JsonValueKind.Number => property.Value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => property.Value.ToString(),
            });
            first = false;
        }

        return text.Append(')').ToString();
    }

    /// <inheritdoc />
    public bool Equals(SegmenterSpec? other) => other is not null && Name == other.Name && Options.Equals(other.Options);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Options);

    private static Known Lookup(string name) => Registry.TryGetValue(name, out var known)
        ? known
        : throw new ArgumentException($"unknown segmenter '{name}' (this build knows {string.Join(", ", KnownNames)})");

    private sealed record Known(Type OptionsType, object Defaults, Func<object, INucleusSegmenter> Create);
}
