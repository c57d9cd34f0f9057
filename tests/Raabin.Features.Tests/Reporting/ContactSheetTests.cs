using Raabin.Features.Imaging;
using Raabin.Features.Reporting;

namespace Raabin.Features.Tests.Reporting;

public class ContactSheetTests
{
    [Fact]
    public void Order_puts_unreadable_images_first_then_worst_dice_then_the_rest_in_dataset_order()
    {
        ContactSheetEntry[] entries =
        [
            new("a", "ok", 0.9), new("b", "ok", null), new("c", "decode_error", null), new("d", "ok", 0.5),
            new("e", "segmentation_failed", 0.0), new("f", "ok", 0.9), new("g", "missing", null), new("h", "ok", null),
        ];
        Assert.Equal([2, 6, 4, 3, 0, 5, 1, 7], ContactSheet.Order(entries));
    }

    [Fact]
    public void Without_ground_truth_failures_come_first_then_dataset_order()
    {
        ContactSheetEntry[] entries = [new("a", "ok", null), new("b", "segmentation_failed", null), new("c", "ok", null)];
        Assert.Equal([1, 0, 2], ContactSheet.Order(entries));
    }

    [Fact]
    public void Pages_hold_the_grid_and_replace_the_pages_of_an_earlier_longer_sheet()
    {
        using var tmp = TestPaths.NewTempFolder();
        File.WriteAllBytes(Path.Combine(tmp.Path, "contact-sheet.png"), [1]);
        File.WriteAllBytes(Path.Combine(tmp.Path, "contact-sheet-004.png"), [1]);
        File.WriteAllBytes(Path.Combine(tmp.Path, "contact-sheet-notes.png"), [1]);
        var options = new ContactSheetOptions { Columns = 2, Rows = 2, TileSize = 20 };
        IReadOnlyList<ContactSheetPlacement> placements;
        using (var sheet = new ContactSheet(tmp.Path, options))
        {
            for (int i = 0; i < 5; i++)
            {
                var tile = SegmentationOverlay.Filled(20, 20, ((byte)(i * 40), 0, 0));
                sheet.Add(new ContactSheetEntry($"images/{i}.png", "ok", 1 - i * 0.1), i == 2 ? null : tile);
            }

            Assert.Equal(2, sheet.PageCount);
            placements = sheet.Write(tmp.Path);
            Assert.Single(Directory.GetFiles(tmp.Path, ".contact-sheet.tiles.*.tmp"));
        }

        Assert.Empty(Directory.GetFiles(tmp.Path, "*.tmp"));
        Assert.Equal(
            ["contact-sheet-001.png", "contact-sheet-002.png", "contact-sheet-notes.png"],
            Directory.GetFiles(tmp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["images/4.png", "images/3.png", "images/2.png", "images/1.png", "images/0.png"], placements.Select(p => p.Entry.Path));
        Assert.Equal([(0, 0), (0, 1), (1, 0), (1, 1), (0, 0)], placements.Select(p => (p.Row, p.Column)));

        int cellHeight = 20 + ContactSheet.CaptionHeight;
        var first = ImageDecoder.Load(Path.Combine(tmp.Path, "contact-sheet-001.png"));
        Assert.Equal((2 * 20 + 3 * ContactSheet.Gap, 2 * cellHeight + 3 * ContactSheet.Gap), (first.Width, first.Height));
        var last = ImageDecoder.Load(Path.Combine(tmp.Path, "contact-sheet-002.png"));
        Assert.Equal((20 + 2 * ContactSheet.Gap, cellHeight + 2 * ContactSheet.Gap), (last.Width, last.Height));

        // Tile 1 of page 1 is images/4.png (red 160); the third is the placeholder of the missing tile.
        Assert.Equal(((byte)160, (byte)0, (byte)0), SyntheticCell.At(first, ContactSheet.Gap + 10, ContactSheet.Gap + 10));
        Assert.Equal(SegmentationOverlay.TileBackground, SyntheticCell.At(first, ContactSheet.Gap, ContactSheet.Gap * 2 + cellHeight));
    }

    [Fact]
    public void Captions_give_rank_and_dice_then_the_path_tail_then_a_status_that_is_not_ok()
    {
        var ok = new ContactSheetPlacement(12, "p", 0, 0, new ContactSheetEntry("images/neutrophil/SNE_123456789.jpg", "ok", 0.98765));
        Assert.Equal(["#12 dice 0.9877", "...ophil/SNE_123456789.jpg", string.Empty], ContactSheet.CaptionText(ok, 160));
        var failed = new ContactSheetPlacement(1, "p", 0, 0, new ContactSheetEntry("x.bmp", "decode_error", null));
        Assert.Equal(["#1", "x.bmp", "decode_error"], ContactSheet.CaptionText(failed, 160));
    }

    [Fact]
    public void A_tile_of_the_wrong_size_is_refused()
    {
        using var tmp = TestPaths.NewTempFolder();
        using var sheet = new ContactSheet(tmp.Path, new ContactSheetOptions { TileSize = 20 });
        Assert.Throws<ArgumentException>(() => sheet.Add(new ContactSheetEntry("a", "ok", null), new RgbImage(10, 20)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContactSheet(tmp.Path, new ContactSheetOptions { Columns = 0 }));
    }
}
