using System.CommandLine;
using System.Security.Cryptography;
using Raabin.Features.Datasets;
using Raabin.Features.Imaging;
using Raabin.Features.IO;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// <c>raabin info PATH... [--csv]</c>: format, size and a hash of the decoded pixels of every image, and what the
/// decoder had to tolerate to read it (a damaged file keeps imread's pixels and hash, with a warning).
/// </summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.OneOrMore, Description = "Image files or folders (searched recursively)." };
        var csv = new Option<bool>("--csv") { Description = "Write CSV (path,format,width,height,pixel_sha256,warning) to stdout." };
        var jobs = CliValidation.JobsOption("Parallel decoders");
        var command = new Command("info",
            "Describe images: format, width, height and pixel_sha256 = SHA-256 of the decoded RGB24 row-major bytes " +
            "(equal to OpenCV imread's pixels converted BGR→RGB), and a warning when the file is damaged (truncated, corrupt data) " +
            "but still decodes as imread reads it. Folders are listed recursively in sorted order, paths relative to the folder. " +
            "Exit code 1 when any file is damaged or cannot be decoded.")
        {
            paths, csv, jobs,
        };
        command.SetAction(parse => Run(parse.GetValue(paths)!, parse.GetValue(csv), parse.GetValue(jobs)));
        return command;
    }

    internal static int Run(string[] paths, bool csv, int jobs)
    {
        var files = new List<(string Full, string Shown)>();
        foreach (string p in paths)
        {
            if (Directory.Exists(p))
            {
                var found = Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories)
                    .Where(f => Dataset.ImageExtensions.Contains(Path.GetExtension(f)))
                    .Select(f => (Full: f, Shown: Path.GetRelativePath(p, f).Replace('\\', '/')))
                    .OrderBy(f => f.Shown, StringComparer.Ordinal);
                files.AddRange(found);
            }
            else if (File.Exists(p))
            {
                files.Add((p, p));
            }
            else
            {
                CliOutput.Error($"{p}: no such file or folder");
                return CliOutput.Failed;
            }
        }

        int failures = 0;
        using var writer = new CsvWriter(Console.Out);
        if (csv)
        {
            writer.Row(["path", "format", "width", "height", "pixel_sha256", "warning"]);
        }
        else
        {
            Console.WriteLine($"{"format",-6} {"width",6} {"height",6}  {"pixel_sha256",-64}  path");
        }

        var results = OrderedParallel.Select(files, jobs, f => Describe(f.Full, f.Shown));
        foreach (var r in results)
        {
            if (r.Error is not null)
            {
                failures++;
                CliOutput.Error(r.Error);
                continue;
            }

            if (r.Report.IsDamaged)
            {
                failures++;
                CliOutput.Warn($"{r.Shown}: damaged: {r.Report.Summary}");
            }

            string warning = r.Report.IsDamaged ? "damaged: " + r.Report.Summary : r.Report.Summary;
            if (csv)
            {
                writer.Field(r.Shown).Field(r.Format).Field(r.Width).Field(r.Height).Field(r.Sha256).Field(warning).EndRow();
            }
            else
            {
                Console.WriteLine($"{r.Format,-6} {r.Width,6} {r.Height,6}  {r.Sha256}  {r.Shown}{(warning.Length == 0 ? string.Empty : "  warning: " + warning)}");
            }
        }

        writer.Flush();
        return failures == 0 ? CliOutput.Success : CliOutput.SomeFailed;
    }

    private static Description Describe(string full, string shown)
    {
        try
        {
            var image = ImageDecoder.Load(full, out ImageFormat format, out DecodeReport report);
            string hash = Convert.ToHexStringLower(SHA256.HashData(image.Pixels));
            return new Description(shown, ImageDecoder.FormatName(format), image.Width, image.Height, hash, null, report);
        }
        catch (ImageDecodeException e)
        {
            return new Description(shown, string.Empty, 0, 0, string.Empty, $"{shown}: {e.Problem}", DecodeReport.Intact);
        }
    }

    private sealed record Description(string Shown, string Format, int Width, int Height, string Sha256, string? Error, DecodeReport Report);
}
