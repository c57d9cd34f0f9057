using System.CommandLine;
using System.Globalization;
using System.Text;
using Raabin.Features.Datasets;
using Raabin.Features.IO;
using Raabin.Features.Measurement;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// <c>raabin merge SHARD... --out OUT</c>: joins the outputs of <c>features</c>, <c>segment</c> or <c>predict</c> run with
/// <c>--shard I/N</c> into the output a single run writes, byte for byte (rows in the single run's order, its header,
/// its side files: segment's masks and overlays, predict's differential count recomputed from the joined rows).
/// </summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var shards = new Argument<string[]>("shards")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "Every shard's output: the CSV of features or predict, the output folder of segment (or their .shard.json manifests).",
        };
        var output = new Option<string>("--out", "-o")
        {
            Required = true,
            Description = "The joined output: a CSV for features and predict (predict also writes NAME.differential.csv), a folder for segment.",
        };
        var command = new Command("merge",
            "Join the shards of a features, segment or predict run (--shard I/N) into the output of a single run. Refuses shards that are " +
            "missing, given twice, changed since they finished, or made with another command, toolkit version, model, settings, shard count or " +
            "dataset listing, naming the files.") { shards, output };
        command.SetAction(parse =>
        {
            try
            {
                return Merge(parse.GetValue(shards)!, parse.GetValue(output)!);
            }
            catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or DataFileException)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }
        });
        return command;
    }

    /// <summary>One shard as given: what the user typed, its table, its manifest (loaded).</summary>
    private sealed record Part(string Given, string Table, string ManifestPath, ShardManifest Manifest)
    {
        public string Folder => Path.GetDirectoryName(Path.GetFullPath(Table))!;
    }

    private static int Merge(IReadOnlyList<string> given, string output)
    {
        var parts = given.Select(Locate).ToList();
        string full = Path.GetFullPath(output);
        foreach (var part in parts)
        {
            if (Path.GetFullPath(part.Table) == full || Path.GetFullPath(part.Given) == full || part.Folder == full)
            {
                throw new ArgumentException($"--out {output} is one of the shards ({part.Given}); write the joined output elsewhere");
            }
        }

        CheckTogether(parts);
        var first = parts[0].Manifest;
        var ordered = parts.OrderBy(p => p.Manifest.Index).ToList();
        foreach (var part in ordered)
        {
            CheckFiles(part);
        }

        // Rows as the bytes the shards wrote, so the joined file is the single run's to the byte.
        var tables = ordered.Select(p => ReadTable(p)).ToList();
        for (int i = 1; i < tables.Count; i++)
        {
            if (!tables[i].Header.AsSpan().SequenceEqual(tables[0].Header))
            {
                throw new ArgumentException($"{ordered[i].Table} and {ordered[0].Table} have different header rows; they are not shards of one run");
            }
        }

        var records = Shard.Interleave(tables.Select(t => (IReadOnlyList<byte[]>)t.Records).ToList());
        var rows = Shard.Interleave(tables.Select(t => (IReadOnlyList<string[]>)t.Rows).ToList());
        if (ShardManifest.Sha256Lines(rows.Select(r => r[0])) != first.ItemsSha256)
        {
            throw new ArgumentException(
                $"the joined rows are not the listing's images in order (their paths do not match items_sha256 of the manifests): {string.Join(", ", ordered.Select(p => p.Table))}");
        }

        int failed;
        string written;
        switch (first.Command)
        {
            case "features":
                failed = CountNot(rows, tables[0].Columns, "status", CellStatus.Ok);
                written = WriteTable(output, tables[0].Header, records);
                break;
            case "segment":
                failed = CountNot(rows, tables[0].Columns, "status", CellStatus.Ok);
                Directory.CreateDirectory(output);
                written = WriteTable(Path.Combine(output, SegmentCommand.TableName), tables[0].Header, records);
                CopySideFiles(ordered, output);
                break;
            case "predict":
                failed = WritePredictions(output, tables[0].Header, tables[0].Columns, records, rows);
                written = output;
                break;
            default:
                throw new ArgumentException($"{ordered[0].ManifestPath}: shards of '{first.Command}' cannot be merged (features, segment and predict can)");
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"merged {ordered.Count} shards of {first.Command} ({rows.Count} rows of {first.Items} images, {failed} failed) -> {written}"));
        return CliOutput.Finished(failed);
    }

    // A shard as given: a table, its manifest, or a segment folder holding one manifest.
    private static Part Locate(string given)
    {
        string table;
        if (given.EndsWith(ShardManifest.Suffix, StringComparison.Ordinal) && File.Exists(given))
        {
            table = given[..^ShardManifest.Suffix.Length];
        }
        else if (Directory.Exists(given))
        {
            var manifests = Directory.GetFiles(given, "*" + ShardManifest.Suffix);
            if (manifests.Length != 1)
            {
                throw new ShardFileException(given, manifests.Length == 0
                    ? $"no shard manifest (*{ShardManifest.Suffix}) in this folder; was it written with --shard, and did that run finish? " +
                      (File.Exists(PartialCsvFile.PartialPathOf(Path.Combine(given, SegmentCommand.TableName)))
                          ? "It holds an unfinished run: run its job again with --resume."
                          : string.Empty)
                    : $"{manifests.Length} shard manifests in one folder; give the tables themselves");
            }

            table = manifests[0][..^ShardManifest.Suffix.Length];
        }
        else
        {
            table = given;
        }

        string manifest = ShardManifest.PathOf(table);
        if (!File.Exists(manifest))
        {
            string why = File.Exists(PartialCsvFile.PartialPathOf(table))
                ? $"the shard did not finish ({Path.GetFileName(PartialCsvFile.PartialPathOf(table))} is there): run its job again with --resume"
                : File.Exists(table)
                    ? $"it has no shard manifest {Path.GetFileName(manifest)}: it was not written with --shard, or was overwritten by a later run"
                    : "no such shard output";
            throw new ShardFileException(given, why);
        }

        return new Part(given, table, manifest, ShardManifest.Load(manifest));
    }

    // Same batch (compared with the first), no shard twice, none missing.
    private static void CheckTogether(IReadOnlyList<Part> parts)
    {
        var first = parts[0];
        var problems = new List<string>();
        foreach (var part in parts.Skip(1))
        {
            var differences = first.Manifest.DifferencesFrom(part.Manifest, first.Given, part.Given);
            if (differences.Count > 0)
            {
                problems.Add($"{part.Given} is not a shard of the same run as {first.Given} ({string.Join("; ", differences)})");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine + "raabin: ", problems));
        }

        foreach (var group in parts.GroupBy(p => p.Manifest.Index).Where(g => g.Count() > 1))
        {
            var files = group.Select(p => p.Given).ToList();
            bool sameFile = files.Select(Path.GetFullPath).Distinct().Count() == 1;
            throw new ArgumentException(sameFile
                ? $"{files[0]} given twice (shard {group.First().Manifest.ShardName})"
                : $"shard {group.First().Manifest.ShardName} given twice: {string.Join(" and ", files)}");
        }

        int n = first.Manifest.Count;
        var missing = Enumerable.Range(0, n).Except(parts.Select(p => p.Manifest.Index)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"missing shard{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing.Select(i => $"{i}/{n}"))} of {n} (given: " +
                $"{string.Join(", ", parts.OrderBy(p => p.Manifest.Index).Select(p => $"{p.Given} = {p.Manifest.ShardName}"))})"));
        }
    }

    // Every file the manifest lists is there, unchanged; the shard has the rows the rule gives it.
    private static void CheckFiles(Part part)
    {
        var m = part.Manifest;
        int expected = Shard.SizeOf(m.Items, m.Index, m.Count);
        if (m.Rows != expected)
        {
            throw new ShardFileException(part.ManifestPath, string.Create(CultureInfo.InvariantCulture,
                $"shard {m.ShardName} lists {m.Rows} rows, but {m.Items} images in {m.Count} shards give it {expected}"));
        }

        if (m.Files[0].Path != Path.GetFileName(part.Table))
        {
            throw new ShardFileException(part.ManifestPath, $"it describes {m.Files[0].Path}, not {Path.GetFileName(part.Table)} (renamed?)");
        }

        foreach (var file in m.Files)
        {
            string path = Path.Combine(part.Folder, file.Path);
            if (file.Path.Split('/').Contains("..") || Path.IsPathRooted(file.Path))
            {
                throw new ShardFileException(part.ManifestPath, $"file '{file.Path}' is outside the shard's folder");
            }

            if (!File.Exists(path))
            {
                throw new ShardFileException(path, $"missing: shard {m.ShardName} ({part.ManifestPath}) lists it");
            }

            if (ShardManifest.Sha256File(path) != file.Sha256)
            {
                throw new ShardFileException(path, $"changed since shard {m.ShardName} finished (its SHA-256 is not the one in {Path.GetFileName(part.ManifestPath)}); run that shard again");
            }
        }
    }

    private sealed record Table(byte[] Header, List<byte[]> Records, IReadOnlyList<string> Columns, IReadOnlyList<string[]> Rows);

    private static Table ReadTable(Part part)
    {
        byte[] bytes = File.ReadAllBytes(part.Table);
        var records = SplitRecords(bytes, part.Table);
        if (records.Count == 0)
        {
            throw new ShardFileException(part.Table, "empty: not even a header row");
        }

        var csv = CsvTable.Parse(Encoding.UTF8.GetString(bytes), part.Table);
        if (csv.Rows.Count != records.Count - 1 || csv.Rows.Count != part.Manifest.Rows)
        {
            throw new ShardFileException(part.Table, string.Create(CultureInfo.InvariantCulture,
                $"{csv.Rows.Count} rows, but its manifest says {part.Manifest.Rows}"));
        }

        return new Table(records[0], records.GetRange(1, records.Count - 1), csv.Header, csv.Rows);
    }

    // Each CSV record with its line end, split at line feeds outside quoted fields.
    private static List<byte[]> SplitRecords(byte[] bytes, string source)
    {
        var records = new List<byte[]>();
        bool quoted = false;
        int start = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'"')
            {
                quoted = !quoted;
            }
            else if (bytes[i] == (byte)'\n' && !quoted)
            {
                records.Add(bytes[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start != bytes.Length)
        {
            throw new ShardFileException(source, "its last row has no line end: the file is cut short");
        }

        return records;
    }

    private static string WriteTable(string path, byte[] header, IReadOnlyList<byte[]> records)
    {
        CliOutput.EnsureParent(path);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            foreach (byte[] record in records)
            {
                stream.Write(record);
            }
        });
        ShardOptions.Forget(path);
        return path;
    }

    private static int CountNot(IReadOnlyList<string[]> rows, IReadOnlyList<string> columns, string column, string value)
    {
        int at = IndexOf(columns, column);
        return rows.Count(r => r[at] != value);
    }

    private static int IndexOf(IReadOnlyList<string> columns, string column)
    {
        for (int i = 0; i < columns.Count; i++)
        {
            if (columns[i] == column)
            {
                return i;
            }
        }

        throw new ArgumentException($"the shards' tables have no '{column}' column");
    }

    // Copies masks/ and overlays/ of every shard; a file two shards both wrote means they overlap.
    private static void CopySideFiles(IReadOnlyList<Part> parts, string output)
    {
        var owner = new Dictionary<string, Part>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var file in part.Manifest.Files.Skip(1))
            {
                if (!owner.TryAdd(file.Path, part))
                {
                    throw new ArgumentException($"{file.Path} is in two shards: {owner[file.Path].Given} and {part.Given}");
                }

                string target = Path.Combine(output, file.Path);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(part.Folder, file.Path), target, overwrite: true);
            }
        }
    }

    // The predictions and the differential count of all of them, as predict writes them; returns the failed cells.
    private static int WritePredictions(string output, byte[] header, IReadOnlyList<string> columns, IReadOnlyList<byte[]> records, IReadOnlyList<string[]> rows)
    {
        int pred = IndexOf(columns, "pred");
        int status = IndexOf(columns, "status");
        int firstClass = IndexOf(columns, "other_rule_pred") + 1;
        int error = IndexOf(columns, "error");
        var classes = columns.Skip(firstClass).Take(error - firstClass).Select(c => c.StartsWith("p_", StringComparison.Ordinal) ? c[2..] : c).ToList();
        WriteTable(output, header, records);
        var differential = Evaluation.DifferentialCount.Of(classes, rows.Select(r => r[pred].Length > 0 ? r[pred] : null));
        string differentialPath = PredictCommand.DifferentialPath(output);
        PredictCommand.WriteDifferential(differentialPath, differential);
        PredictCommand.PrintDifferential(differential, differentialPath);
        return rows.Count(r => r[pred].Length == 0 && r[status] != CellStatus.NotRecognised);
    }
}
