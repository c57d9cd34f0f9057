using System.Text;

namespace Raabin.Features.Measurement;

/// <summary>One measurement: a stable id (CSV column, model file), its unit, formula, range and reference.</summary>
/// <param name="Id">Stable identifier; the CSV column name.</param>
/// <param name="Group">The family it belongs to (e.g. "colour ratio, nucleus/hull", "shape").</param>
/// <param name="Unit">Unit of the value ("ratio" for dimensionless quotients).</param>
/// <param name="Formula">How it is computed, precisely enough to re-implement.</param>
/// <param name="Range">The values it can take.</param>
/// <param name="Reference">Where it comes from.</param>
public sealed record FeatureDefinition(string Id, string Group, string Unit, string Formula, string Range, string Reference);

/// <summary>
/// The catalog of every feature the toolkit computes. CSV headers, model files and the feature manual
/// (<c>raabin catalog</c>) all come from here.
/// </summary>
public static partial class FeatureCatalog
{
    /// <summary>Citation of the published method the reference features reproduce.</summary>
    public const string TavakoliReference =
        "Tavakoli S., Ghaffari A., Kouzehkanan Z. M., Hosseini R. New segmentation and feature extraction algorithm for " +
        "classification of white blood cells in peripheral smear images. Sci Rep 11:19428 (2021); as specified in METHOD.md";

    /// <summary>The twelve 8-bit channels of the colour-balanced image that the reference colour features measure, in order.</summary>
    public static readonly IReadOnlyList<ColourChannel> ReferenceChannels =
    [
        new("R", "red of the gray-world balanced image", "0..255"),
        new("G", "green of the gray-world balanced image", "0..255"),
        new("B", "blue of the gray-world balanced image", "0..255"),
        new("H", "hue of OpenCV 8-bit RGB→HSV (degrees / 2)", "0..179"),
        new("S", "saturation of OpenCV 8-bit RGB→HSV", "0..255"),
        new("V", "value of OpenCV 8-bit RGB→HSV (max of R, G, B)", "0..255"),
        new("L", "lightness of OpenCV 8-bit RGB→Lab (L·255/100)", "0..255"),
        new("A", "a* of OpenCV 8-bit RGB→Lab (a* + 128)", "0..255"),
        new("BB", "b* of OpenCV 8-bit RGB→Lab (b* + 128; named BB to tell it from blue)", "0..255"),
        new("Y", "luma of OpenCV 8-bit RGB→YCrCb", "0..255"),
        new("Cr", "Cr of OpenCV 8-bit RGB→YCrCb", "0..255"),
        new("Cb", "Cb of OpenCV 8-bit RGB→YCrCb", "0..255"),
    ];

    /// <summary>The 51 features of the published method, in its order.</summary>
    public static readonly IReadOnlyList<FeatureDefinition> Reference = BuildReference();

    /// <summary>The features of the <c>od-groups</c> extractor (<see cref="OdGroupsFeatureExtractor"/>), every group, in its order.</summary>
    public static readonly IReadOnlyList<FeatureDefinition> OdGroups = BuildOdGroups();

    /// <summary>Every feature the toolkit knows: the reference 51, then the od-groups features.</summary>
    public static IReadOnlyList<FeatureDefinition> All { get; } = [.. Reference, .. OdGroups];

    /// <summary>The ids of <see cref="Reference"/>, in order.</summary>
    public static IReadOnlyList<string> ReferenceIds { get; } = Reference.Select(f => f.Id).ToArray();

    /// <summary>Looks a feature up by id (ordinal).</summary>
    public static FeatureDefinition? Find(string id)
    {
        foreach (var f in All)
        {
            if (string.Equals(f.Id, id, StringComparison.Ordinal))
            {
                return f;
            }
        }

        return null;
    }

    /// <summary>The feature manual as Markdown: one table row per feature.</summary>
    public static string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Feature catalog").AppendLine();
        sb.AppendLine("Generated from `FeatureCatalog` (`raabin catalog --markdown`); the ids are the CSV column names.").AppendLine();
        sb.AppendLine("Channels measured by the colour features (all from the gray-world balanced image):").AppendLine();
        sb.AppendLine("| channel | meaning | range |").AppendLine("| --- | --- | --- |");
        foreach (var c in ReferenceChannels)
        {
            sb.AppendLine($"| `{c.Name}` | {c.Description} | {c.Range} |");
        }

        sb.AppendLine().AppendLine("## reference-51 (the published method)").AppendLine();
        sb.AppendLine("| id | group | unit | formula | range |").AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var f in Reference)
        {
            sb.AppendLine($"| `{f.Id}` | {f.Group} | {f.Unit} | {f.Formula} | {f.Range} |");
        }

        sb.AppendLine().AppendLine("Reference for all of the above: " + TavakoliReference + ".");
        sb.AppendLine().AppendLine("## od-groups (whole cell, canonical scale; needs the od-cell segmenter)").AppendLine();
        sb.AppendLine("Groups, each selectable (`--extractor od-groups --groups shape,colour`, recorded as `od-groups@1(groups=shape+colour)`): " +
            string.Join(", ", OdGroupNames.Select(g => $"`{g}`")) + "; without `--groups`: " + string.Join(", ", OdDefaultGroups.Select(g => $"`{g}`")) +
            " (`--groups all` adds the rest). Canonical view: " + CanonicalViewDescription).AppendLine();
        sb.AppendLine("| id | group | unit | formula | range | reference |").AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var f in OdGroups)
        {
            sb.AppendLine($"| `{f.Id}` | {f.Group} | {f.Unit} | {f.Formula} | {f.Range} | {f.Reference} |");
        }

        return sb.ToString();
    }

    private static FeatureDefinition[] BuildReference()
    {
        const string ratioRange = "≥ 0 (NaN when the hull statistic is 0, or the ROC is empty)";
        var list = new List<FeatureDefinition>(51);
        foreach (var (prefix, region, group) in new[]
                 {
                     ("ncl_cvx", "nucleus", "colour ratio, nucleus / convex hull"),
                     ("roc_cvx", "ROC (hull minus nucleus)", "colour ratio, ROC / convex hull"),
                 })
        {
            foreach (var ch in ReferenceChannels)
            {
                string nucleusNote = prefix == "ncl_cvx"
                    ? " (reference quirk: nucleus values are gathered only where the nucleus lies inside the filled hull, " +
                      "into an array sized by the whole nucleus whose unfilled entries stay 0)"
                    : string.Empty;
                list.Add(new($"{prefix}_{ch.Name}_mean", group, "ratio",
                    $"mean of channel {ch.Name} over the {region} / mean of {ch.Name} over the filled hull{nucleusNote}",
                    ratioRange, TavakoliReference));
                list.Add(new($"{prefix}_{ch.Name}_std", group, "ratio",
                    $"population standard deviation of {ch.Name} over the {region} / that over the filled hull{nucleusNote}",
                    ratioRange, TavakoliReference));
            }
        }

        list.Add(new("circularity", "shape", "ratio",
            "P² / (4 · 3.14 · A), P = sum of OpenCV arcLength(closed) of the kept external nucleus contours, " +
            "A = 255 × nucleus pixel count (reference quirk: the 0/255 mask is summed, so values are 1/255 of the textbook ratio)",
            "> 0 (≈ 1/255 for a disc)", TavakoliReference));
        list.Add(new("convexity", "shape", "ratio",
            "hull perimeter / P: perimeter of the convex hull of nucleus pixel centres over the contour length P",
            "> 0 (≤ about 1 for a solid nucleus)", TavakoliReference));
        list.Add(new("solidity", "shape", "ratio",
            "A / hull area with A = 255 × nucleus pixel count (reference quirk: 255 times the textbook solidity)",
            "> 0 (≈ 255 for a convex nucleus)", TavakoliReference));
        return [.. list];
    }
}

/// <summary>An 8-bit channel measured by colour features.</summary>
/// <param name="Name">Short name used in feature ids.</param>
/// <param name="Description">What it is and which conversion produces it.</param>
/// <param name="Range">Its integer range.</param>
public sealed record ColourChannel(string Name, string Description, string Range);
