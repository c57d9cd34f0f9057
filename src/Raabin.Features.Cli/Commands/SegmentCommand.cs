using System.CommandLine;
using System.Globalization;
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
        "path", "label", "split", "domain", "status", "error", "method", "threshold", "used_fallback", "nucleus_px", "cell_px", "components",
        "largest_contour_area", "contour_perimeter", "hull_area", "hull_perimeter", "hull_px", "roc_px", "gt_nucleus_px", "dice", "iou",
        "gt_cell_px", "cell_dice", "cell_iou",
    ];

    /// <summary>Columns of <c>contact-sheet.csv</c>: where each tile of the contact sheet is.</summary>
    internal static readonly string[] SheetColumns = ["rank", "page", "row", "column", "path", "status", "dice"];

    public static Command Create()
    {
        var common = new PipelineOptions();
        var output = new Option<string>("--out", "-o") { Required = true, Description = "Output folder: segmentation.csv, masks/<path>.png, overlays/<path>.png." };
        var noImages = new Option<bool>("--no-images") { Description = "Write no per-cell PNGs (masks/, overlays/); --contact-sheet still works." };
        var defaults = ContactSheetOptions.Default;
        var sheet = new Option<bool>("--contact-sheet")
        {
            Description = "Also write DIR/contact-sheet.png (or contact-sheet-001.png, ... when the cells need more than one page) and " +
                "DIR/contact-sheet.csv: every cell's overlay as a small tile captioned with its rank, nucleus Dice, path and status, " +
                "worst Dice first where the dataset has masks (else failures first, then dataset order).",
        };
        var grid = new Option<string>("--contact-sheet-grid")
        {
            Description = "Tiles per contact-sheet page, COLUMNSxROWS.",
            DefaultValueFactory = _ => string.Create(CultureInfo.InvariantCulture, $"{defaults.Columns}x{defaults.Rows}"),
        };
        grid.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (ParseGrid(value) is null)
            {
                result.AddError($"{grid.Name} must be COLUMNSxROWS with both 1 or more (e.g. 8x6), got '{value}'.");
            }
        });
        var resume = new ResumableOutput();
        var shards = new ShardOptions();
        var command = new Command("segment",
            "Segment the nucleus of every image: writes the threshold, pixel counts, hull measures and, where the dataset has " +
            "ground-truth masks (255 = nucleus, 128 = cytoplasm), nucleus Dice and IoU, and whole-cell Dice and IoU (cell = mask >= 128) " +
            "for segmenters that find the cell. masks/<path>.png are in the datasets' convention at the input's size: 0 background, " +
            "128 cytoplasm, 255 nucleus (0/255 when the segmenter finds only the nucleus). Overlay colours: " + SegmentationOverlay.Legend +
            ". Rows go to segmentation.csv.partial as they finish, in input order, with memory bounded however many images there are " +
            "(a few images in flight; --contact-sheet spools its tiles to disk and keeps about 100 bytes per cell); Ctrl+C or SIGTERM stops cleanly (exit code 130) and --resume continues.");
        common.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(noImages);
        command.Options.Add(sheet);
        command.Options.Add(grid);
        resume.AddTo(command);
        shards.AddTo(command);
        command.SetAction(parse =>
        {
            var opened = common.Open(parse);
            if (opened is not { } o)
            {
                return CliOutput.Failed;
            }

            Datasets.Shard? shard;
            try
            {
                shard = shards.Resolve(parse);
                if (shard is not null && parse.GetValue(sheet))
                {
                    // Tiles are drawn from the pixels, which merge does not read: the sheet comes from a single run.
                    throw new ArgumentException("--contact-sheet needs every cell at once: make it with a single run, not with --shard");
                }
            }
            catch (ArgumentException e)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }

            var items = ShardOptions.Select(shard, o.Items);

            string dir = parse.GetValue(output)!;
            Directory.CreateDirectory(dir);
            bool images = !parse.GetValue(noImages);
            int jobs = parse.GetValue(common.Jobs);
            var (columns, rows) = ParseGrid(parse.GetValue(grid))!.Value;
            var sheetOptions = parse.GetValue(sheet) ? new ContactSheetOptions { Columns = columns, Rows = rows } : null;

            string table = Path.Combine(dir, TableName);
            var fingerprint = Fingerprint(parse, items.Select(i => i.Path).ToArray(), shard);
            using var batch = resume.Open(parse, table, Columns, fingerprint);
            if (batch is null)
            {
                return CliOutput.Failed;
            }

            ShardOptions.Forget(table);

            // Rows kept from an interrupted run count as they were written (their masks and overlays are already on disk).
            int status = Array.IndexOf(Columns, "status");
            int done = batch.KeptRowCount, failed = batch.KeptRows.Count(r => r[status] != CellStatus.Ok);
            var nucleusDice = new Mean(batch.KeptRows, Array.IndexOf(Columns, "dice"));
            var cellDice = new Mean(batch.KeptRows, Array.IndexOf(Columns, "cell_dice"));
            using var contactSheet = sheetOptions is null ? null : new ContactSheet(dir, sheetOptions);
            int tileSize = sheetOptions?.TileSize ?? 0;
            using var interruption = Interruption.Listen();
            try
            {
                if (contactSheet is not null && batch.KeptRowCount > 0)
                {
                    var kept = items.Take(batch.KeptRowCount).ToArray();
                    int rebuilt = 0;
                    var rebuilding = ProgressReporter.OnStderr("contact-sheet tiles of kept rows", kept.Length);
                    foreach (var result in o.Pipeline.ProcessAll(o.Dataset, kept, jobs, r => Analyse(o.Dataset, r, dir, images: false, tileSize),
                        interruption.Token))
                    {
                        interruption.Token.ThrowIfCancellationRequested();
                        var outcome = (ImageOutcome?)result.Tag;
                        contactSheet.Add(SheetEntry(result, outcome), outcome?.Tile);
                        rebuilding.Report(++rebuilt);
                    }
                }

                var remaining = items.Skip(batch.KeptRowCount).ToArray();
                var progress = ProgressReporter.OnStderr("segmented", items.Count, batch.KeptRowCount);
                var results = o.Pipeline.ProcessAll(o.Dataset, remaining, jobs, r => Analyse(o.Dataset, r, dir, images, tileSize), interruption.Token);
                foreach (var result in results)
                {
                    interruption.Token.ThrowIfCancellationRequested();
                    var outcome = (ImageOutcome?)result.Tag;
                    WriteRow(batch.Writer, result, outcome);
                    if (!result.Row.IsOk)
                    {
                        failed++;
                        CliOutput.Warn($"{result.Row.Path}: {result.Row.Status}: {result.Row.Error}");
                    }

                    nucleusDice.Add(outcome?.Nucleus?.Dice);
                    cellDice.Add(outcome?.Cell?.Dice);
                    contactSheet?.Add(SheetEntry(result, outcome), outcome?.Tile);
                    progress.Report(++done);
                }
            }
            catch (OperationCanceledException) when (interruption.Token.IsCancellationRequested)
            {
                return ResumableOutput.Interrupted(batch);
            }

            batch.Complete();
            if (shard is not null)
            {
                ShardOptions.WriteManifest(command.Name, shard, parse.GetValue(common.Dataset)!, o.Items,
                    ShardOptions.ManifestSettings(fingerprint, common.Dataset.Name), table, batch.RowCount, images ? ImageFiles(dir, items) : []);
            }

            string pages = string.Empty;
            if (contactSheet is not null)
            {
                var placements = contactSheet.Write(dir);
                WriteSheetTable(Path.Combine(dir, ContactSheet.BaseName + ".csv"), placements);
                pages = string.Create(CultureInfo.InvariantCulture, $"; contact sheet: {contactSheet.PageCount} page(s)");
            }

            Console.Error.WriteLine($"{done - failed} of {done} images segmented -> {dir}" +
                (nucleusDice.Count > 0 ? $"; mean nucleus Dice {nucleusDice.Value:F4} over {nucleusDice.Count} ground-truth masks" : string.Empty) +
                (cellDice.Count > 0 ? $"; mean cell Dice {cellDice.Value:F4}" : string.Empty) + pages);
            return CliOutput.Finished(failed);
        });
        return command;
    }

    /// <summary>
    /// The run's settings for <c>--resume</c>. The contact sheet does not change segmentation.csv, so its options are
    /// not part of it: a run resumed with <c>--contact-sheet</c> rebuilds the tiles of the rows it keeps.
    /// </summary>
    internal static BatchFingerprint Fingerprint(ParseResult parse, IReadOnlyList<string> keys, Datasets.Shard? shard = null) =>
        ResumableOutput.Fingerprint(parse, keys, excluded: ["--out", "--jobs", "--contact-sheet", "--contact-sheet-grid"], paths: ["dataset"],
            ShardOptions.FingerprintSettings(shard));

    /// <summary>The table's name in the output folder.</summary>
    internal const string TableName = "segmentation.csv";

    /// <summary>The per-image files of a segmentation table (one per item, in the order of the rows), as they are on disk.</summary>
    internal static IEnumerable<string> ImageFiles(string dir, IReadOnlyList<Datasets.DatasetItem> items)
    {
        foreach (string folder in new[] { "masks", "overlays" })
        {
            foreach (var item in items)
            {
                string relative = folder + "/" + item.Path + ".png";
                if (File.Exists(Path.Combine(dir, relative)))
                {
                    yield return relative;
                }
            }
        }
    }

    /// <summary>Parses COLUMNSxROWS (both 1 or more); null when malformed.</summary>
    internal static (int Columns, int Rows)? ParseGrid(string? text)
    {
        var parts = (text ?? string.Empty).Split('x');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int columns) && columns >= 1
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int rows) && rows >= 1
            ? (columns, rows)
            : null;
    }

    // Runs on a worker thread with the full segmentation: compares with the ground truth, writes the per-cell PNGs,
    // makes the contact-sheet tile; what it returns is all the main thread keeps of the image.
    private static ImageOutcome? Analyse(Datasets.Dataset dataset, CellResult result, string dir, bool images, int tileSize)
    {
        var seg = result.Segmentation;
        if (seg is null)
        {
            return null;
        }

        var labels = LabelMask.Compose(seg);
        long? cellPixels = seg.CellMask is null ? null : Count(labels, LabelMask.Cytoplasm);
        MaskAgreement? nucleus = null, cell = null;
        long? truthCellPixels = null;
        GrayImage? truth = null;
        string? gtError = null;
        if (result.Item.MaskPath is { } maskPath)
        {
            try
            {
                truth = ImageDecoder.LoadGray(Path.Combine(dataset.Root, maskPath));
                nucleus = MaskAgreement.Compare(seg.NucleusMask, 255, truth, LabelMask.Nucleus);
                truthCellPixels = Count(truth, LabelMask.Cytoplasm);
                if (seg.CellMask is not null)
                {
                    cell = MaskAgreement.CompareAtLeast(labels, LabelMask.Cytoplasm, truth, LabelMask.Cytoplasm);
                }
            }
            catch (Exception e) when (e is ImageDecodeException or ArgumentException)
            {
                gtError = $"ground-truth mask: {e.Message}";
                truth = null;
            }
        }

        if (images)
        {
            string mask = Path.Combine(dir, "masks", result.Item.Path + ".png");
            string overlay = Path.Combine(dir, "overlays", result.Item.Path + ".png");
            Directory.CreateDirectory(Path.GetDirectoryName(mask)!);
            Directory.CreateDirectory(Path.GetDirectoryName(overlay)!);
            PngEncoder.Save(labels, mask);
            PngEncoder.Save(SegmentationOverlay.Draw(seg.Input, seg, truth), overlay);
        }

        var tile = tileSize > 0 ? SegmentationOverlay.DrawTile(seg.Input, seg, truth, tileSize) : null;
        return new ImageOutcome(nucleus, cell, cellPixels, truthCellPixels, gtError, tile);
    }

    private static long Count(GrayImage mask, byte minimum)
    {
        long n = 0;
        foreach (byte v in mask.Pixels)
        {
            n += v >= minimum ? 1 : 0;
        }

        return n;
    }

    private static ContactSheetEntry SheetEntry(CellResult result, ImageOutcome? outcome) =>
        new(result.Row.Path, result.Row.Status, outcome?.Nucleus?.Dice);

    private static void WriteSheetTable(string path, IReadOnlyList<ContactSheetPlacement> placements)
    {
        using var w = new CsvWriter(path);
        w.Row(SheetColumns);
        foreach (var p in placements)
        {
            w.Field(p.Rank).Field(p.Page).Field(p.Row).Field(p.Column).Field(p.Entry.Path).Field(p.Entry.Status);
            if (p.Entry.Dice is { } dice)
            {
                w.Field(dice);
            }
            else
            {
                w.Field(string.Empty);
            }

            w.EndRow();
        }

        w.Commit();
    }

    private static void WriteRow(CsvWriter w, CellResult result, ImageOutcome? extra)
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

        w.Field(seg.Method).Field(seg.Threshold).Field(seg.UsedFallback ? "true" : "false").Field(seg.NucleusPixels);
        Optional(w, extra?.CellPixels);
        w.Field(seg.Components).Field(seg.LargestContourArea).Field(seg.ContourPerimeter).Field(seg.HullArea).Field(seg.HullPerimeter)
            .Field(seg.HullPixels).Field(seg.RocPixels);
        if (extra?.Nucleus is { } a)
        {
            w.Field(a.TruthPixels).Field(a.Dice).Field(a.IoU);
        }
        else
        {
            w.Field(string.Empty).Field(string.Empty).Field(string.Empty);
        }

        Optional(w, extra?.TruthCellPixels);
        if (extra?.Cell is { } c)
        {
            w.Field(c.Dice).Field(c.IoU);
        }
        else
        {
            w.Field(string.Empty).Field(string.Empty);
        }

        w.EndRow();
    }

    private static void Optional(CsvWriter w, long? value)
    {
        if (value is { } v)
        {
            w.Field(v);
        }
        else
        {
            w.Field(string.Empty);
        }
    }

    /// <summary>What the main thread keeps of one image: agreements with the ground truth, pixel counts, the tile.</summary>
    private sealed record ImageOutcome(
        MaskAgreement? Nucleus, MaskAgreement? Cell, long? CellPixels, long? TruthCellPixels, string? GroundTruthError, RgbImage? Tile);

    /// <summary>A running mean of a column: kept rows' values first, then each new row's.</summary>
    private sealed class Mean
    {
        private double _sum;

        public Mean(IEnumerable<string[]> keptRows, int column)
        {
            foreach (var row in keptRows)
            {
                if (row[column].Length > 0)
                {
                    Add(double.Parse(row[column], CultureInfo.InvariantCulture));
                }
            }
        }

        public int Count { get; private set; }

        public double Value => _sum / Count;

        public void Add(double? value)
        {
            if (value is { } v)
            {
                _sum += v;
                Count++;
            }
        }
    }
}
