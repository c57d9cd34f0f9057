using System.Globalization;
using Raabin.Features.Cli;
using Raabin.Features.Cli.Commands;
using Raabin.Features.Datasets;
using Raabin.Features.Imaging;
using Raabin.Features.IO;
using Raabin.Features.Reporting;

namespace Raabin.Features.Tests.Cli;

/// <summary><c>raabin segment</c>: masks in the datasets' convention, whole-cell columns, overlays and the contact sheet.</summary>
public class SegmentOutputTests
{
    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public void Masks_are_at_the_input_size_and_whole_cell_columns_sit_next_to_the_nucleus_ones()
    {
        using var tmp = TestPaths.NewTempFolder();
        var r = RaabinProcess.Run("segment", TestPaths.Sample("zheng-jtsc"), "--out", tmp.Path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var table = CsvTable.Load(Path.Combine(tmp.Path, "segmentation.csv"));
        Assert.Equal(SegmentCommand.Columns, table.Header);
        Assert.Equal(table.RequireColumn("nucleus_px") + 1, table.RequireColumn("cell_px"));
        Assert.Equal(["gt_nucleus_px", "dice", "iou", "gt_cell_px", "cell_dice", "cell_iou"], table.Header.Skip(table.RequireColumn("gt_nucleus_px")).Take(6));
        var dataset = Dataset.Open(TestPaths.Sample("zheng-jtsc"));
        for (int i = 0; i < table.Rows.Count; i++)
        {
            var row = table.Rows[i];
            var item = dataset.Items.Single(x => x.Path == row[0]);
            var input = ImageDecoder.Load(dataset.FullPath(item));
            var mask = ImageDecoder.LoadGray(Path.Combine(tmp.Path, "masks", row[0] + ".png"));
            Assert.Equal((input.Width, input.Height), (mask.Width, mask.Height));
            Assert.All(mask.Pixels, v => Assert.True(v is 0 or 255)); // the reference segmenter finds no cell
            Assert.Equal(row[table.RequireColumn("nucleus_px")], mask.Pixels.Count(v => v == 255).ToString(CultureInfo.InvariantCulture));

            // The reference segmenter has no cell mask: its cell columns are empty, the ground truth's cell size is not.
            Assert.Equal(string.Empty, row[table.RequireColumn("cell_px")]);
            Assert.Equal(string.Empty, row[table.RequireColumn("cell_dice")]);
            Assert.Equal(string.Empty, row[table.RequireColumn("cell_iou")]);
            var truth = ImageDecoder.LoadGray(Path.Combine(dataset.Root, item.MaskPath!));
            Assert.Equal(truth.Pixels.Count(v => v >= 128).ToString(CultureInfo.InvariantCulture), row[table.RequireColumn("gt_cell_px")]);
        }

        // Overlays show the ground truth in its own colours where it differs from the prediction (the worst cell).
        int dice = table.RequireColumn("dice");
        string worst = table.Rows.MinBy(row => Number(row[dice]))![0];
        var overlay = ImageDecoder.Load(Path.Combine(tmp.Path, "overlays", worst + ".png"));
        Assert.True(Contains(overlay, SegmentationOverlay.TruthNucleusColour));
        Assert.True(Contains(overlay, SegmentationOverlay.TruthCellColour));
        Assert.True(Contains(overlay, SegmentationOverlay.ContourColour));
        Assert.False(File.Exists(Path.Combine(tmp.Path, "contact-sheet.png")));
    }

    [Fact]
    public void Contact_sheet_orders_tiles_worst_dice_first_with_their_captions_and_no_per_cell_images()
    {
        using var tmp = TestPaths.NewTempFolder();
        var r = RaabinProcess.Run("segment", TestPaths.Sample("zheng-jtsc"), "--out", tmp.Path, "--contact-sheet", "--no-images");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("contact sheet: 1 page(s)", r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "masks")));
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "overlays")));

        var segmentation = CsvTable.Load(Path.Combine(tmp.Path, "segmentation.csv"));
        int dice = segmentation.RequireColumn("dice");
        var expected = segmentation.Rows.OrderBy(row => Number(row[dice])).Select(row => row[0]).ToArray();
        var sheet = CsvTable.Load(Path.Combine(tmp.Path, "contact-sheet.csv"));
        Assert.Equal(SegmentCommand.SheetColumns, sheet.Header);
        Assert.Equal(9, sheet.Rows.Count);
        Assert.Equal(expected, sheet.Rows.Select(row => row[4]));
        Assert.Equal(Enumerable.Range(1, 9).Select(i => i.ToString(CultureInfo.InvariantCulture)), sheet.Rows.Select(row => row[0]));
        Assert.All(sheet.Rows, row => Assert.Equal("contact-sheet.png", row[1]));
        for (int i = 1; i < expected.Length; i++)
        {
            Assert.True(Number(sheet.Rows[i - 1][6]) <= Number(sheet.Rows[i][6]));
        }

        // One page of 8 columns, 2 rows; each tile's caption reads its rank, Dice and path.
        var page = ImageDecoder.Load(Path.Combine(tmp.Path, "contact-sheet.png"));
        int tile = ContactSheetOptions.Default.TileSize, gap = ContactSheet.Gap, cellHeight = tile + ContactSheet.CaptionHeight;
        Assert.Equal((8 * tile + 9 * gap, 2 * cellHeight + 3 * gap), (page.Width, page.Height));
        foreach (var row in sheet.Rows)
        {
            var placement = new ContactSheetPlacement(int.Parse(row[0], CultureInfo.InvariantCulture), row[1],
                int.Parse(row[2], CultureInfo.InvariantCulture), int.Parse(row[3], CultureInfo.InvariantCulture),
                new ContactSheetEntry(row[4], row[5], Number(row[6])));
            int x = gap + placement.Column * (tile + gap), y = gap + placement.Row * (cellHeight + gap) + tile;
            var caption = new RgbImage(page.Width, page.Height);
            ContactSheet.DrawCaption(caption, x, y, tile, placement);
            for (int cy = y; cy < y + ContactSheet.CaptionHeight; cy++)
            {
                int o = (cy * page.Width + x) * 3;
                Assert.True(page.Pixels.AsSpan(o, tile * 3).SequenceEqual(caption.Pixels.AsSpan(o, tile * 3)), $"caption of rank {placement.Rank}, row {cy - y}");
            }

            Assert.StartsWith($"#{placement.Rank} dice 0.", ContactSheet.CaptionText(placement, tile)[0]);
        }

        // The tile above the worst caption is an overlay with the ground truth on it.
        var first = Crop(page, gap, gap, tile, tile);
        Assert.True(Contains(first, SegmentationOverlay.TruthNucleusColour));
        Assert.True(Contains(first, SegmentationOverlay.ContourColour));
    }

    [Fact]
    public void Contact_sheet_pages_follow_the_grid_and_a_resumed_run_writes_the_same_sheet()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = TestPaths.Sample("zheng-jtsc");
        string whole = Path.Combine(tmp.Path, "whole");
        var r = RaabinProcess.Run("segment", dataset, "--out", whole, "--contact-sheet", "--contact-sheet-grid", "2x2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("contact sheet: 3 page(s)", r.Stderr);
        Assert.Equal(["contact-sheet-001.png", "contact-sheet-002.png", "contact-sheet-003.png"],
            Directory.GetFiles(whole, "contact-sheet*.png").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var sheet = CsvTable.Load(Path.Combine(whole, "contact-sheet.csv"));
        Assert.Equal([4, 4, 1], sheet.Rows.GroupBy(row => row[1]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Count()));
        int tile = ContactSheetOptions.Default.TileSize, cellHeight = tile + ContactSheet.CaptionHeight, gap = ContactSheet.Gap;
        var last = ImageDecoder.Load(Path.Combine(whole, "contact-sheet-003.png"));
        Assert.Equal((tile + 2 * gap, cellHeight + 2 * gap), (last.Width, last.Height));
        var full = ImageDecoder.Load(Path.Combine(whole, "contact-sheet-001.png"));
        Assert.Equal((2 * tile + 3 * gap, 2 * cellHeight + 3 * gap), (full.Width, full.Height));

        // An interrupted run that kept 4 rows, resumed with --contact-sheet: same table, same sheet.
        string resumed = Path.Combine(tmp.Path, "resumed");
        Directory.CreateDirectory(resumed);
        string csv = Path.Combine(resumed, "segmentation.csv");
        var parse = Program.BuildRoot().Parse(["segment", dataset, "--out", resumed]);
        var keys = Dataset.Open(dataset).Items.Select(i => i.Path).ToArray();
        var wholeCsv = CsvTable.Load(Path.Combine(whole, "segmentation.csv"));
        using (var partial = PartialCsvFile.Start(csv, SegmentCommand.Columns, SegmentCommand.Fingerprint(parse, keys)))
        {
            foreach (var row in wholeCsv.Rows.Take(4))
            {
                partial.Writer.Row(row);
            }
        }

        var again = RaabinProcess.Run("segment", dataset, "--out", resumed, "--resume", "--contact-sheet", "--contact-sheet-grid", "2x2");
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("4 of 9 rows kept", again.Stderr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "segmentation.csv")), File.ReadAllBytes(csv));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "contact-sheet.csv")), File.ReadAllBytes(Path.Combine(resumed, "contact-sheet.csv")));
        foreach (string name in new[] { "contact-sheet-001.png", "contact-sheet-002.png", "contact-sheet-003.png" })
        {
            Assert.Equal(ImageDecoder.Load(Path.Combine(whole, name)).Pixels, ImageDecoder.Load(Path.Combine(resumed, name)).Pixels);
        }

        Assert.Empty(Directory.GetFiles(resumed, "*.tmp"));
    }

    [Fact]
    public void A_malformed_grid_is_a_usage_error()
    {
        using var tmp = TestPaths.NewTempFolder();
        var r = RaabinProcess.Run("segment", TestPaths.Sample("zheng-jtsc"), "--out", tmp.Path, "--contact-sheet", "--contact-sheet-grid", "8by6");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--contact-sheet-grid must be COLUMNSxROWS", r.Stderr);
        Assert.Null(SegmentCommand.ParseGrid("0x3"));
        Assert.Equal((8, 6), SegmentCommand.ParseGrid("8x6"));
    }

    [Fact]
    public void Help_documents_the_mask_convention_and_the_overlay_colours()
    {
        var r = RaabinProcess.Run("segment", "--help");
        Assert.Equal(0, r.ExitCode);
        string help = string.Join(' ', r.Stdout.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("128 cytoplasm", help);
        Assert.Contains("--contact-sheet", help);
        foreach (string colour in new[] { "green", "cyan", "yellow", "magenta", "orange" })
        {
            Assert.Contains(colour, help);
        }
    }

    private static RgbImage Crop(RgbImage image, int x, int y, int width, int height)
    {
        var crop = new RgbImage(width, height);
        for (int row = 0; row < height; row++)
        {
            image.Pixels.AsSpan(((y + row) * image.Width + x) * 3, width * 3).CopyTo(crop.Pixels.AsSpan(row * width * 3));
        }

        return crop;
    }

    private static bool Contains(RgbImage image, (byte R, byte G, byte B) colour)
    {
        for (int i = 0; i < image.Pixels.Length; i += 3)
        {
            if (image.Pixels[i] == colour.R && image.Pixels[i + 1] == colour.G && image.Pixels[i + 2] == colour.B)
            {
                return true;
            }
        }

        return false;
    }
}
