using System.Text.Json;
using System.Text.Json.Serialization;

namespace Raabin.Features.Evaluation;

/// <summary>
/// System.Text.Json settings for every evaluation record: camelCase names, indented, and NaN/±Infinity written as the
/// strings "NaN", "Infinity", "-Infinity" (undefined metrics are NaN, which plain JSON cannot hold). Doubles are written
/// in round-trip form; enums as camelCase names.
/// </summary>
public static class EvaluationJson
{
    /// <summary>The shared serializer options (read-only).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Serialises an evaluation record with <see cref="Options"/>.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Reads an evaluation record written by <see cref="Serialize{T}"/>.</summary>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"JSON 'null' where a {typeof(T).Name} was expected.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
