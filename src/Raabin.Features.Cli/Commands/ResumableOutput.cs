using System.CommandLine;
using System.Globalization;
using Raabin.Features.IO;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// <c>--resume</c> and the life of a batch command's partial output (<see cref="PartialCsvFile"/>): rows go to
/// <c>OUT.partial</c> as they finish, an interrupted run keeps them, and <c>--resume</c> continues with the same settings.
/// </summary>
internal sealed class ResumableOutput
{
    /// <summary>The option's name.</summary>
    public const string Name = "--resume";

    public Option<bool> Resume { get; } = new(Name)
    {
        Description = "Continue OUT.partial left by an interrupted run (exit code 130) made with the same settings: its finished rows " +
            "are kept and only the remaining images are processed; the result is the file an uninterrupted run writes.",
    };

    public void AddTo(Command command) => command.Options.Add(Resume);

    /// <summary>
    /// The run's fingerprint: every argument and option of the parsed command as given or defaulted, by name, except
    /// <paramref name="excluded"/> (those that do not change the output, like <c>--jobs</c>) and <c>--resume</c>;
    /// <paramref name="paths"/> are compared as full paths. Options added to a command later are covered without change here.
    /// <c>--shard</c> and <c>--shard-count</c> are not settings as given: a shard's run adds the shard it resolved to
    /// (<see cref="ShardOptions.FingerprintSettings"/>) through <paramref name="extra"/>, so an unsharded run's fingerprint is
    /// what it was before shards existed.
    /// </summary>
    public static BatchFingerprint Fingerprint(ParseResult parse, IReadOnlyList<string> keys, IEnumerable<string> excluded, IEnumerable<string> paths,
        IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var command = parse.CommandResult.Command;
        var skip = new HashSet<string>(excluded, StringComparer.Ordinal) { Name, "--help", ShardOptions.ShardName, ShardOptions.CountName };
        var full = new HashSet<string>(paths, StringComparer.Ordinal);
        var settings = new List<KeyValuePair<string, string>>();
        foreach (Symbol symbol in command.Arguments.Cast<Symbol>().Concat(command.Options))
        {
            if (skip.Contains(symbol.Name) || symbol is Option { Recursive: true })
            {
                continue;
            }

            object? value = parse.GetValue<object>(symbol.Name);
            string text = Format(value);
            if (full.Contains(symbol.Name) && text.Length > 0)
            {
                text = Path.GetFullPath(text);
            }

            settings.Add(new(symbol.Name, text));
        }

        settings.AddRange(extra ?? []);
        return new BatchFingerprint(command.Name, settings, keys);
    }

    /// <summary>Opens <c>OUT.partial</c> afresh or, with <c>--resume</c>, continues it; reports on stderr why not (null).</summary>
    public PartialCsvFile? Open(ParseResult parse, string path, IReadOnlyList<string> header, BatchFingerprint fingerprint)
    {
        try
        {
            if (parse.GetValue(Resume))
            {
                var resumed = PartialCsvFile.Resume(path, header, fingerprint);
                if (!resumed.Resumed)
                {
                    CliOutput.Warn($"{resumed.PartialPath}: no partial output to resume; starting from the beginning");
                }
                else
                {
                    string torn = resumed.TornBytesDropped > 0
                        ? string.Create(CultureInfo.InvariantCulture, $" (an unfinished last row of {resumed.TornBytesDropped} bytes dropped)")
                        : string.Empty;
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"resuming {resumed.PartialPath}: {resumed.KeptRowCount} of {resumed.TotalRows} rows kept{torn}"));
                }

                return resumed;
            }

            var started = PartialCsvFile.Start(path, header, fingerprint);
            if (started.ReplacedPartial)
            {
                CliOutput.Warn($"{started.PartialPath}: replacing the partial output of an interrupted run (give --resume to continue it instead)");
            }

            return started;
        }
        catch (Exception e) when (e is PartialFileException or IOException or UnauthorizedAccessException)
        {
            CliOutput.Error(e.Message);
            return null;
        }
    }

    /// <summary>Says what an interrupted run kept and how to continue; returns <see cref="CliOutput.Interrupted"/>.</summary>
    public static int Interrupted(PartialCsvFile output)
    {
        output.Dispose();
        CliOutput.Error(string.Create(CultureInfo.InvariantCulture,
            $"interrupted: {output.RowCount} of {output.TotalRows} rows kept in {output.PartialPath}; run the same command with --resume to continue"));
        return CliOutput.Interrupted;
    }

    private static string Format(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list => string.Join(", ", list.Cast<object?>().Select(Format)),
        _ => value.ToString() ?? string.Empty,
    };
}
