using Raabin.Features.Reporting;
using Raabin.Features.Segmentation;
using static Raabin.Features.Reporting.SegmentationOverlay;

namespace Raabin.Features.Tests.Reporting;

public class SegmentationOverlayTests
{
    private static readonly (byte R, byte G, byte B) Bg = SyntheticCell.Background;

    [Fact]
    public void Contours_are_1_px_lines_of_their_colour_outlined_1_px_in_black()
    {
        var overlay = Draw(SyntheticCell.Make(withCell: true).Input, SyntheticCell.Make(withCell: true));

        // A row through both rectangles: cell border at x = 5 and 29, nucleus border at x = 10 and 19.
        var expected = new Dictionary<int, (byte, byte, byte)>
        {
            [3] = Bg, [4] = OutlineColour, [5] = CellContourColour, [6] = OutlineColour, [7] = Bg, [8] = Bg,
            [9] = OutlineColour, [10] = ContourColour, [11] = OutlineColour, [12] = Bg, [17] = Bg,
            [18] = OutlineColour, [19] = ContourColour, [20] = OutlineColour, [21] = Bg,
            [27] = Bg, [28] = OutlineColour, [29] = CellContourColour, [30] = OutlineColour, [31] = Bg,
        };
        foreach (var (x, colour) in expected)
        {
            Assert.True(colour == SyntheticCell.At(overlay, x, 12), $"x = {x}: expected {colour}, got {SyntheticCell.At(overlay, x, 12)}");
        }

        // Every border pixel of the nucleus rectangle is green (the hull coincides with it and lies below).
        for (int i = 10; i <= 19; i++)
        {
            Assert.Equal(ContourColour, SyntheticCell.At(overlay, i, 8));
            Assert.Equal(ContourColour, SyntheticCell.At(overlay, i, 17));
            Assert.Equal(ContourColour, SyntheticCell.At(overlay, 10, i - 2));
            Assert.Equal(ContourColour, SyntheticCell.At(overlay, 19, i - 2));
        }
    }

    [Fact]
    public void Without_a_cell_mask_or_ground_truth_only_the_nucleus_and_hull_are_drawn()
    {
        var seg = SyntheticCell.Make(withCell: false);
        var overlay = Draw(seg.Input, seg);
        var colours = Colours(overlay);
        Assert.Contains(ContourColour, colours);
        Assert.DoesNotContain(CellContourColour, colours);
        Assert.DoesNotContain(TruthNucleusColour, colours);
        Assert.DoesNotContain(TruthCellColour, colours);
        Assert.Equal(Bg, SyntheticCell.At(overlay, 5, 12));
    }

    [Fact]
    public void The_hull_is_drawn_where_it_leaves_the_nucleus()
    {
        // An L-shaped nucleus: the hull's diagonal cuts the empty corner.
        var nucleus = SyntheticCell.Rectangle(10, 8, 13, 20);
        SyntheticCell.Rectangle(10, 17, 25, 20, into: nucleus);
        var seg = SyntheticCell.Make(withCell: false, nucleus);
        var overlay = Draw(seg.Input, seg);
        // The hull edge from (13,8) to (25,17) passes (17,11).
        Assert.Equal(HullColour, SyntheticCell.At(overlay, 17, 11));
        Assert.Equal(OutlineColour, SyntheticCell.At(overlay, 17, 10));
    }

    [Fact]
    public void Ground_truth_contours_are_dashed_in_their_own_colours()
    {
        var seg = SyntheticCell.Make(withCell: false);
        // Truth: nucleus x 12..21, y 8..17 (255); cell x 5..29, y 4..24 (128).
        var truth = SyntheticCell.Rectangle(5, 4, 29, 24, value: 128);
        SyntheticCell.Rectangle(12, 8, 21, 17, into: truth);
        var overlay = Draw(seg.Input, seg, truth);

        // The predicted contour is drawn on top: where the truth's border runs on it or on its outline, the prediction shows.
        Assert.Equal(ContourColour, SyntheticCell.At(overlay, 12, 8));
        Assert.Equal(OutlineColour, SyntheticCell.At(overlay, 12, 9));

        // The truth's right side (x = 21) lies 2 px outside the prediction. The traced contour runs down the left side,
        // along the bottom and up the right side, so (21, 17) is its 19th pixel (index 18); dashes are 5 on, 3 off.
        var column = Enumerable.Range(8, 10).ToDictionary(y => y, y => SyntheticCell.At(overlay, 21, y));
        foreach (int y in new[] { 17, 16, 15, 11, 10, 9, 8 })
        {
            Assert.True(column[y] == TruthNucleusColour, $"(21,{y}) is {column[y]}");
        }

        Assert.Equal(OutlineColour, column[14]);
        Assert.Equal(Bg, column[13]);
        Assert.Equal(OutlineColour, column[12]);

        // Ground-truth colours appear only on the ground truth's borders.
        for (int y = 0; y < overlay.Height; y++)
        {
            for (int x = 0; x < overlay.Width; x++)
            {
                var c = SyntheticCell.At(overlay, x, y);
                if (c == TruthNucleusColour)
                {
                    Assert.True(x is 12 or 21 || y is 8 or 17, $"({x},{y})");
                }
                else if (c == TruthCellColour)
                {
                    Assert.True(x is 5 or 29 || y is 4 or 24, $"({x},{y})");
                }
            }
        }

        var colours = Colours(overlay);
        Assert.Contains(TruthCellColour, colours);
        Assert.Contains(ContourColour, colours);
    }

    [Fact]
    public void A_tile_is_the_scaled_image_letterboxed_with_the_lines_drawn_at_tile_scale()
    {
        var seg = SyntheticCell.Make(withCell: true);
        var tile = DrawTile(seg.Input, seg, null, 80);
        Assert.Equal((80, 80), (tile.Width, tile.Height));
        // 40x30 at 2x is 80x60, centred: rows 0..9 and 70..79 are letterbox.
        for (int x = 0; x < 80; x++)
        {
            Assert.Equal(TileBackground, SyntheticCell.At(tile, x, 0));
            Assert.Equal(TileBackground, SyntheticCell.At(tile, x, 79));
            Assert.Equal(Bg, SyntheticCell.At(tile, x, 10 + 2));
        }

        // Nucleus column x = 10 maps to round(10.5 * 2 - 0.5) = 21, row 12 to 10 + 25 = 35; lines stay 1 px + outline.
        Assert.Equal(ContourColour, SyntheticCell.At(tile, 21, 35));
        Assert.Equal(OutlineColour, SyntheticCell.At(tile, 20, 35));
        Assert.Equal(OutlineColour, SyntheticCell.At(tile, 22, 35));
        Assert.Equal(Bg, SyntheticCell.At(tile, 24, 35));
        Assert.Equal(CellContourColour, SyntheticCell.At(tile, 11, 35));
    }

    [Fact]
    public void The_legend_names_every_colour()
    {
        foreach (string word in new[] { "green", "cyan", "yellow", "magenta", "orange", "black", "dashed" })
        {
            Assert.Contains(word, Legend);
        }
    }

    private static HashSet<(byte R, byte G, byte B)> Colours(Raabin.Features.Imaging.RgbImage image)
    {
        var set = new HashSet<(byte, byte, byte)>();
        for (int i = 0; i < image.Pixels.Length; i += 3)
        {
            set.Add((image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]));
        }

        return set;
    }
}
