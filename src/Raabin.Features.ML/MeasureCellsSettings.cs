using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Raabin.Features.Imaging;
using Raabin.Features.Measurement;
using Raabin.Features.Segmentation;

namespace Raabin.Features.ML;

/// <summary>
/// The measurement settings as the text an ML.NET <c>ValueMapping</c> holds in a fitted <see cref="MeasureCellsEstimator"/>
/// chain: a header line <c>raabin-measure-cells 1</c> and a JSON body with the segmenter (name and every option, as a
/// model file records it), the extractor (name, version, options), the decoder's pixel limit, whether damaged images are
/// measured, the image folder and the extractor's feature ids in output order. Reading checks that this build's extractor
/// still writes exactly those ids, so a saved transform never silently measures other features.
/// </summary>
public static class MeasureCellsSettings
{
    private const string Magic = "raabin-measure-cells";
    private const int Version = 1;
    private const int CacheLimit = 32;

    // Parsed settings by their text: the measuring mapping is stateless and sees the text on every row. Parsing creates
    // the segmenter and extractor (JSON, option validation), so it is done once per text and looked up by span after that.
    private static readonly ConcurrentDictionary<string, CellMeasurer> Cache = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, CellMeasurer>.AlternateLookup<ReadOnlySpan<char>> CacheBySpan =
        Cache.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Writes the settings of <paramref name="options"/> as text.</summary>
    /// <exception cref="ArgumentException">The segmenter or extractor cannot be created, or has more than
    /// <see cref="MeasureCellsEstimator.MaxFeatureCount"/> features.</exception>
    public static string Write(MeasureCellsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Segmenter);
        ArgumentNullException.ThrowIfNull(options.Extractor);
        ArgumentNullException.ThrowIfNull(options.Decoder);
        _ = options.Segmenter.Create();   // refuses option values the segmenter refuses
        var ids = options.Extractor.Create().Features.Select(f => f.Id).ToArray();
        if (ids.Length > MeasureCellsEstimator.MaxFeatureCount)
        {
            throw new ArgumentException($"feature extractor '{options.Extractor}' writes {ids.Length} features; the transform takes at most {MeasureCellsEstimator.MaxFeatureCount}.");
        }

        var body = new JsonObject
        {
            ["segmenter"] = new JsonObject
            {
                ["name"] = options.Segmenter.Name,
                ["options"] = JsonNode.Parse(options.Segmenter.OptionsToJson().GetRawText()),
            },
            ["extractor"] = new JsonObject
            {
                ["name"] = options.Extractor.Name,
                ["version"] = options.Extractor.Version,
                ["options"] = options.Extractor.OptionsToJson() is { } o ? new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))) : null,
            },
            ["maxPixels"] = options.Decoder.MaxPixels,
            ["measureDamaged"] = options.MeasureDamaged,
            ["imageFolder"] = options.ImageFolder,
            ["featureIds"] = new JsonArray([.. ids.Select(id => (JsonNode?)id)]),
        };
        return $"{Magic} {Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n{body.ToJsonString()}";
    }

    /// <summary>Reads text written by <see cref="Write"/> into the options it describes and the feature ids it recorded.</summary>
    /// <exception cref="InvalidDataException">Not such a text, another version, a step this build does not have, or an
    /// extractor that no longer writes the recorded feature ids.</exception>
    public static (MeasureCellsOptions Options, IReadOnlyList<string> FeatureIds) Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        string[] header = newline < 0 ? [] : text[..newline].Split(' ');
        if (header.Length != 2 || header[0] != Magic)
        {
            throw new InvalidDataException($"Not cell-measurement settings (they should start with '{Magic}').");
        }

        if (header[1] != Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException($"Cell-measurement settings version {header[1]} are not supported (this build reads version {Version}).");
        }

        try
        {
            using var json = JsonDocument.Parse(text[(newline + 1)..]);
            var root = json.RootElement;
            var segmenter = root.GetProperty("segmenter");
            var extractor = root.GetProperty("extractor");
            var options = new MeasureCellsOptions
            {
                Segmenter = SegmenterSpec.FromJson(segmenter.GetProperty("name").GetString()!, segmenter.GetProperty("options"), "cell-measurement settings"),
                Extractor = ExtractorSpec.FromJson(extractor.GetProperty("name").GetString()!, extractor.GetProperty("version").GetInt32(), extractor.GetProperty("options")),
                Decoder = new DecoderOptions { MaxPixels = root.GetProperty("maxPixels").GetInt64() },
                MeasureDamaged = root.GetProperty("measureDamaged").GetBoolean(),
                ImageFolder = root.GetProperty("imageFolder").GetString(),
            };
            var ids = root.GetProperty("featureIds").EnumerateArray().Select(e => e.GetString()!).ToArray();
            var now = options.Extractor.Create().Features.Select(f => f.Id).ToArray();
            if (!ids.SequenceEqual(now, StringComparer.Ordinal))
            {
                throw new InvalidDataException($"Feature extractor '{options.Extractor}' of this build writes other features than the saved transform recorded ({now.Length} now, {ids.Length} saved).");
            }

            return (options, ids);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new InvalidDataException($"Cell-measurement settings are inconsistent: {e.Message}", e);
        }
    }

    /// <summary>The measurer for a settings text, parsed once per text.</summary>
    internal static CellMeasurer Measurer(ReadOnlyMemory<char> text)
    {
        if (CacheBySpan.TryGetValue(text.Span, out var measurer))
        {
            return measurer;
        }

        string key = text.ToString();
        var (options, ids) = Read(key);
        measurer = new CellMeasurer(options, ids.Count);
        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }

        Cache[key] = measurer;
        return measurer;
    }
}
