using System.CommandLine;
using System.Globalization;
using Raabin.Features.Datasets;
using Raabin.Features.IO;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// <c>--shard I/N|auto</c> and <c>--shard-count N</c> of the per-image commands (features, segment, predict): run one
/// part of a dataset (rule: <see cref="Shard"/>) and leave beside the output the <see cref="ShardManifest"/> that
/// <c>raabin merge</c> checks. A shard is an ordinary run of its own items, so <c>--resume</c> works on it as on any run.
/// </summary>
internal sealed class ShardOptions
{
    /// <summary>The option's name.</summary>
    public const string ShardName = "--shard";

    /// <summary>The count option's name.</summary>
    public const string CountName = "--shard-count";

    /// <summary>The value of <c>--shard</c> that reads the shard from the scheduler's environment.</summary>
    public const string Auto = "auto";

    /// <summary>The setting a shard adds to its run's fingerprint (so a resume refuses another shard's partial output).</summary>
    public const string FingerprintSetting = "shard";

    /// <summary>Reads an environment variable; the tests run raabin as a child process with its own environment instead.</summary>
    private static readonly Func<string, string?> Environment = System.Environment.GetEnvironmentVariable;

    public Option<string?> Shard { get; } = new(ShardName)
    {
        Description = "Process only shard I of N (0 <= I < N) and write beside the output a manifest for `raabin merge` (OUT.shard.json; segment: " +
            "DIR/segmentation.csv.shard.json): images ordered by path, " +
            "image k goes to shard k mod N (balanced, independent of the listing's order). 'auto' reads the shard from a Slurm job array " +
            "(SLURM_ARRAY_TASK_ID, ..._MIN, ..._MAX, ..._STEP, ..._COUNT) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with --shard-count).",
    };

    public Option<int?> Count { get; } = new(CountName)
    {
        Description = "With --shard auto: the number of shards (required for a Kubernetes Indexed Job: its spec.completions; must agree with " +
            "SLURM_ARRAY_TASK_COUNT under Slurm).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Shard);
        command.Options.Add(Count);
    }

    /// <summary>The shard to process, null without <c>--shard</c>; says on stderr which shard and where it came from.</summary>
    /// <exception cref="ArgumentException">A malformed or out-of-range shard, or no usable scheduler environment (exit code 2).</exception>
    public Datasets.Shard? Resolve(ParseResult parse)
    {
        string? text = parse.GetValue(Shard);
        int? count = parse.GetValue(Count);
        if (text is null)
        {
            return count is null ? null : throw new ArgumentException($"{CountName} goes with {ShardName} {Auto}");
        }

        if (text != Auto)
        {
            if (count is not null)
            {
                throw new ArgumentException($"{CountName} goes with {ShardName} {Auto} ({ShardName} {text} names the count itself)");
            }

            return Datasets.Shard.Parse(text);
        }

        var (shard, source) = SchedulerShard.FromEnvironment(Environment, count);
        Console.Error.WriteLine($"shard {shard} from {source}");
        return shard;
    }

    /// <summary>The shard's items of the whole listing <paramref name="all"/>, or all of them when not sharding.</summary>
    public static IReadOnlyList<DatasetItem> Select(Datasets.Shard? shard, IReadOnlyList<DatasetItem> all)
    {
        if (shard is null)
        {
            return all;
        }

        var chosen = shard.Select(all, i => i.Path);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shard {shard}: {chosen.Count} of {all.Count} images"));
        return chosen;
    }

    /// <summary>The fingerprint setting that marks a shard's run, none when not sharding.</summary>
    public static KeyValuePair<string, string>[] FingerprintSettings(Datasets.Shard? shard) =>
        shard is null ? [] : [new(FingerprintSetting, shard.ToString())];

    /// <summary>
    /// Deletes the manifest a finished shard left at <paramref name="table"/>: a new run there (sharded or not) makes it
    /// stale, and a stale manifest must never vouch for a new output.
    /// </summary>
    public static void Forget(string table) => File.Delete(ShardManifest.PathOf(table));

    /// <summary>
    /// Writes <c>TABLE.shard.json</c> after the shard's table (and per-image files) are complete.
    /// </summary>
    /// <param name="command">The command name.</param>
    /// <param name="shard">The shard.</param>
    /// <param name="input">The dataset as given (recorded as a full path).</param>
    /// <param name="all">The whole listing, every shard's items.</param>
    /// <param name="settings">The settings the rows depend on (no paths of this machine, no shard).</param>
    /// <param name="table">The shard's finished table.</param>
    /// <param name="rows">Rows in the table.</param>
    /// <param name="sideFiles">Per-image files beside the table, relative to its folder with '/' separators.</param>
    public static void WriteManifest(string command, Datasets.Shard shard, string input, IReadOnlyList<DatasetItem> all,
        IEnumerable<KeyValuePair<string, string>> settings, string table, int rows, IEnumerable<string> sideFiles)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(table))!;
        var files = new List<ShardFile> { new(Path.GetFileName(table), ShardManifest.Sha256File(table)) };
        foreach (string relative in sideFiles)
        {
            files.Add(new ShardFile(relative, ShardManifest.Sha256File(Path.Combine(folder, relative))));
        }

        var ordered = Datasets.Shard.InKeyOrder(all, i => i.Path);
        var manifest = new ShardManifest(command, Pipeline.PipelineModel.ToolkitVersion, shard.Index, shard.Count, Path.GetFullPath(input),
            ordered.Count, ShardManifest.Sha256Lines(ordered.Select(i => i.Path)),
            ShardManifest.Sha256Lines(ordered.Select(i => string.Join('\t', i.Path, i.Label, i.Split, i.Domain, i.MaskPath ?? string.Empty))),
            settings, rows, files);
        manifest.Save(ShardManifest.PathOf(table));
        Console.Error.WriteLine($"shard {shard}: {rows} rows -> {table}, manifest {ShardManifest.PathOf(table)}; join the shards with `raabin merge`");
    }

    /// <summary>The settings of a run's fingerprint that go into its shard manifest: all but the named ones (paths of this machine, the shard).</summary>
    public static IEnumerable<KeyValuePair<string, string>> ManifestSettings(BatchFingerprint fingerprint, params string[] leftOut) =>
        fingerprint.Settings.Where(s => s.Key != FingerprintSetting && !leftOut.Contains(s.Key));
}
