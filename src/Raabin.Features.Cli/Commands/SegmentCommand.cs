using System.CommandLine;
using Raabin.Features.Measurement;
using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Png;
using Raabin.Features.IO;
using Raabin.Features.Reporting;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Cli.Commands;

/// <summary><c>raabin segment DATASET --out DIR</c>: nucleus masks, overlays and a table of what was decided.</summary>
internal static class SegmentCommand
{
    /// <summary>Columns of <c>segmentation.csv</c>.</summary>
    internal static readonly string[] Columns =
    [
        "path", "label", "split", "domain", "status", "error", "method", "threshold", "used_fallback", "nucleus_px", "components",
        "largest_contour_area", "contour_perimeter", "hull_area", "hull_perimeter", "hull_px", "roc_px", "gt_nucleus_px", "dice", "iou",
    ];

    public static Command Create()
    {
        var common = new PipelineOptions();
        var output = new Option<string>("--out", "-o") { Required = true, Description = "Output folder: segmentation.csv, masks/<path>.png, overlays/<path>.png." };
        var noImages = new Option<bool>("--no-images") { Description = "Write only segmentation.csv (no masks or overlays)." };
        var command = new Command("segment",
            "Segment the nucleus of every image: writes the threshold, pixel counts, hull measures and, where the dataset has " +
            "ground-truth masks (255 = nucleus), Dice and IoU.");
        common.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(noImages);
        command.SetAction(parse =>
        {
            var opened = common.Open(parse);
            if (opened is not { } o)
            {
                return CliOutput.Failed;
            }

            string dir = parse.GetValue(output)!;
            Directory.CreateDirectory(dir);
            bool images = !parse.GetValue(noImages);
            int done = 0, failed = 0, damaged = 0;
            double diceSum = 0;
            int diceCount = 0;
            using var writer = new CsvWriter(Path.Combine(dir, "segmentation.csv"));
            writer.Row(Columns);
            var rows = o.Pipeline.ProcessAll(o.Dataset, o.Items, parse.GetValue(common.Jobs), result => WriteImages(o.Dataset, result, dir, images));
            foreach (var result in rows)
            {
                var extra = (GroundTruthRow?)result.Tag;
                WriteRow(writer, result, extra);
                if (!result.Row.IsOk)
                {
                    failed++;
                    damaged += result.Row.Status == CellStatus.Damaged ? 1 : 0;
                    CliOutput.Warn($"{result.Row.Path}: {result.Row.Status}: {result.Row.Error}");
                }

                if (extra?.Agreement is { } a)
                {
                    diceSum += a.Dice;
                    diceCount++;
                }

                CliOutput.Progress("segmented", ++done, o.Items.Count);
            }

            Console.Error.WriteLine($"{done - failed} of {done} images segmented -> {dir}" +
                (diceCount > 0 ? $"; mean nucleus Dice {diceSum / diceCount:F4} over {diceCount} ground-truth masks" : string.Empty));
            return damaged > 0 ? CliOutput.SomeFailed : CliOutput.Success;
        });
        return command;
    }

    private static object? WriteImages(Datasets.Dataset dataset, CellResult result, string dir, bool images)
    {
        var seg = result.Segmentation;
        if (seg is null)
        {
            return null;
        }

        MaskAgreement? agreement = null;
        string? gtError = null;
        if (result.Item.MaskPath is { } maskPath)
        {
            try
            {
                var truth = ImageDecoder.LoadGray(Path.Combine(dataset.Root, maskPath));
                agreement = MaskAgreement.Compare(seg.NucleusMask, 255, truth, 255);
            }
            catch (Exception e) when (e is ImageDecodeException or ArgumentException)
            {
                gtError = $"ground-truth mask: {e.Message}";
            }
        }

        if (images)
        {
            string mask = Path.Combine(dir, "masks", result.Item.Path + ".png");
            string overlay = Path.Combine(dir, "overlays", result.Item.Path + ".png");
            Directory.CreateDirectory(Path.GetDirectoryName(mask)!);
            Directory.CreateDirectory(Path.GetDirectoryName(overlay)!);
            PngEncoder.Save(seg.NucleusMask, mask);
            PngEncoder.Save(SegmentationOverlay.Draw(seg.Input, seg), overlay);
        }

        return new GroundTruthRow(agreement, gtError);
    }

    private static void WriteRow(CsvWriter w, CellResult result, GroundTruthRow? extra)
    {
        var row = result.Row;
        string? error = row.Error ?? extra?.GroundTruthError;
        w.Field(row.Path).Field(row.Label).Field(row.Split).Field(row.Domain).Field(row.Status).Field(error);
        var seg = result.Summary;
        if (seg is null)
        {
            for (int i = 6; i < Columns.Length; i++)
            {
                w.Field(string.Empty);
            }

            w.EndRow();
            return;
        }

        w.Field(seg.Method).Field(seg.Threshold).Field(seg.UsedFallback ? "true" : "false").Field(seg.NucleusPixels).Field(seg.Components)
            .Field(seg.LargestContourArea).Field(seg.ContourPerimeter).Field(seg.HullArea).Field(seg.HullPerimeter)
            .Field(seg.HullPixels).Field(seg.RocPixels);
        if (extra?.Agreement is { } a)
        {
            w.Field(a.TruthPixels).Field(a.Dice).Field(a.IoU);
        }
        else
        {
            w.Field(string.Empty).Field(string.Empty).Field(string.Empty);
        }

        w.EndRow();
    }

    private sealed record GroundTruthRow(MaskAgreement? Agreement, string? GroundTruthError);
}
