using System.Globalization;
using System.Text;
using System.Text.Json;
using Raabin.Features.IO;

namespace Raabin.Features.Datasets.Dedup;

/// <summary>The duplicate groups found among a set of images, with counts, and writers for the CSV and JSON outputs.</summary>
public sealed class DuplicateReport
{
    /// <summary>Columns of <see cref="WriteCsv(TextWriter)"/>: one row per group member.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "group", "dataset", "path", "label", "split", "ahash", "phash", "sharpness", "kept", "ahash_dist_to_kept", "phash_dist_to_kept",
    ];

    internal DuplicateReport(DuplicateFinderOptions options, IReadOnlyList<ImageFingerprint> images, long pairsCompared, long duplicatePairs,
        IReadOnlyList<DuplicateGroup> groups)
    {
        Options = options;
        Images = images;
        PairsCompared = pairsCompared;
        DuplicatePairs = duplicatePairs;
        Groups = groups;
        foreach (var g in groups)
        {
            ImagesInvolved += g.Members.Count;
            if (g.LabelsDisagree)
            {
                LabelConflicts++;
            }

            switch (g.Scope)
            {
                case DuplicateScope.SameSplit:
                    GroupsWithinSplit++;
                    break;
                case DuplicateScope.AcrossSplits:
                    GroupsAcrossSplits++;
                    break;
                default:
                    GroupsAcrossDatasets++;
                    break;
            }
        }
    }

    /// <summary>The limits used.</summary>
    public DuplicateFinderOptions Options { get; }

    /// <summary>Every image compared, ordered by dataset, then path.</summary>
    public IReadOnlyList<ImageFingerprint> Images { get; }

    /// <summary>Image pairs tested: n (n − 1) / 2.</summary>
    public long PairsCompared { get; }

    /// <summary>Pairs within both limits (before joining them into groups).</summary>
    public long DuplicatePairs { get; }

    /// <summary>Duplicate groups (two or more members each).</summary>
    public IReadOnlyList<DuplicateGroup> Groups { get; }

    /// <summary>Images in some group.</summary>
    public int ImagesInvolved { get; }

    /// <summary>Images marked for removal: members that are not kept (<see cref="ImagesInvolved"/> − groups).</summary>
    public int ImagesMarked => ImagesInvolved - Groups.Count;

    /// <summary>Groups inside one split of one dataset.</summary>
    public int GroupsWithinSplit { get; }

    /// <summary>Groups crossing splits of one dataset (train/test leakage).</summary>
    public int GroupsAcrossSplits { get; }

    /// <summary>Groups crossing datasets.</summary>
    public int GroupsAcrossDatasets { get; }

    /// <summary>Groups whose members carry more than one label.</summary>
    public int LabelConflicts { get; }

    /// <summary>
    /// Groups per combination of <c>dataset:split</c> locations for groups that span more than one (e.g.
    /// <c>pbc:test + pbc:train</c>), ordinal order of the combination.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, int>> CrossingCombinations()
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var g in Groups)
        {
            if (g.Locations.Count > 1)
            {
                string key = string.Join(" + ", g.Locations);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        return [.. counts];
    }

    /// <summary>Writes <see cref="Columns"/> and one row per member, groups in order (hashes as 16 hex digits, sharpness round-trip).</summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var csv = new CsvWriter(writer);
        csv.Row(Columns);
        foreach (var g in Groups)
        {
            foreach (var m in g.Members)
            {
                var f = m.Image;
                csv.Field(g.Id).Field(f.Dataset).Field(f.Path).Field(f.Label).Field(f.Split)
                    .Field(ImageHash.ToHex(f.AverageHash)).Field(ImageHash.ToHex(f.PerceptualHash)).Field(f.Sharpness)
                    .Field(m.Kept ? "true" : "false").Field(m.AverageHashDistanceToKept).Field(m.PerceptualHashDistanceToKept).EndRow();
            }
        }

        csv.Flush();
    }

    /// <summary>Writes the CSV to a file atomically (it appears, or replaces an older one, only when complete).</summary>
    public void WriteCsv(string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        WriteCsv(writer);
    });

    /// <summary>
    /// Writes a JSON summary: limits, counts, crossing combinations, images that could not be read and one entry per
    /// group (id, size, scope, labels, locations, kept path).
    /// </summary>
    /// <param name="stream">Destination.</param>
    /// <param name="datasets">Names of the scanned datasets.</param>
    /// <param name="failures">Images left out because they could not be read.</param>
    public void WriteSummaryJson(Stream stream, IReadOnlyList<string> datasets, IReadOnlyList<FingerprintFailure> failures)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(datasets);
        ArgumentNullException.ThrowIfNull(failures);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("method", "aHash and pHash (imagehash 4.3 definitions, Pillow LANCZOS); pairs within both limits; connected components; keep the highest mean Sobel magnitude");
        w.WriteNumber("max_ahash_distance", Options.MaxAverageHashDistance);
        w.WriteNumber("max_phash_distance", Options.MaxPerceptualHashDistance);
        w.WriteStartArray("datasets");
        foreach (string d in datasets)
        {
            w.WriteStartObject();
            w.WriteString("name", d);
            w.WriteNumber("images", CountImages(d));
            w.WriteNumber("failed", CountFailures(failures, d));
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("images_compared", Images.Count);
        w.WriteNumber("images_failed", failures.Count);
        w.WriteNumber("pairs_compared", PairsCompared);
        w.WriteNumber("duplicate_pairs", DuplicatePairs);
        w.WriteNumber("groups", Groups.Count);
        w.WriteNumber("images_involved", ImagesInvolved);
        w.WriteNumber("images_marked", ImagesMarked);
        w.WriteNumber("groups_within_split", GroupsWithinSplit);
        w.WriteNumber("groups_across_splits", GroupsAcrossSplits);
        w.WriteNumber("groups_across_datasets", GroupsAcrossDatasets);
        w.WriteNumber("label_conflicts", LabelConflicts);
        w.WriteStartObject("crossing_combinations");
        foreach (var (combination, count) in CrossingCombinations())
        {
            w.WriteNumber(combination, count);
        }

        w.WriteEndObject();
        w.WriteStartArray("failures");
        foreach (var f in failures)
        {
            w.WriteStartObject();
            w.WriteString("dataset", f.Dataset);
            w.WriteString("path", f.Path);
            w.WriteString("problem", f.Problem);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("group_list");
        foreach (var g in Groups)
        {
            w.WriteStartObject();
            w.WriteNumber("group", g.Id);
            w.WriteNumber("size", g.Members.Count);
            w.WriteString("scope", ScopeName(g.Scope));
            w.WriteBoolean("labels_disagree", g.LabelsDisagree);
            WriteStrings(w, "labels", g.Labels);
            WriteStrings(w, "locations", g.Locations);
            w.WriteString("kept", g.Kept.Dataset + "/" + g.Kept.Path);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Writes the JSON summary to a file atomically (it appears, or replaces an older one, only when complete).</summary>
    public void WriteSummaryJson(string path, IReadOnlyList<string> datasets, IReadOnlyList<FingerprintFailure> failures) =>
        AtomicFile.Write(path, stream => WriteSummaryJson(stream, datasets, failures));

    /// <summary>The snake_case name of a scope as written in outputs: <c>same_split</c>, <c>across_splits</c>, <c>across_datasets</c>.</summary>
    public static string ScopeName(DuplicateScope scope) => scope switch
    {
        DuplicateScope.SameSplit => "same_split",
        DuplicateScope.AcrossSplits => "across_splits",
        DuplicateScope.AcrossDatasets => "across_datasets",
        _ => ((int)scope).ToString(CultureInfo.InvariantCulture),
    };

    private int CountImages(string dataset)
    {
        int count = 0;
        foreach (var f in Images)
        {
            if (f.Dataset == dataset)
            {
                count++;
            }
        }

        return count;
    }

    private static int CountFailures(IReadOnlyList<FingerprintFailure> failures, string dataset)
    {
        int count = 0;
        foreach (var f in failures)
        {
            if (f.Dataset == dataset)
            {
                count++;
            }
        }

        return count;
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
