using Raabin.Features.Segmentation;
using Raabin.Features.Tests.Reporting;

namespace Raabin.Features.Tests.Segmentation;

public class LabelMaskTests
{
    [Fact]
    public void With_a_cell_mask_pixels_are_exactly_0_128_255_by_region()
    {
        // The nucleus pokes out of the cell at x = 30..31: nucleus wins there.
        var nucleus = SyntheticCell.Rectangle(10, 8, 19, 17);
        SyntheticCell.Rectangle(30, 10, 31, 11, into: nucleus);
        var labels = LabelMask.Compose(SyntheticCell.Make(withCell: true, nucleus));
        Assert.Equal((SyntheticCell.Width, SyntheticCell.Height), (labels.Width, labels.Height));
        for (int y = 0; y < labels.Height; y++)
        {
            for (int x = 0; x < labels.Width; x++)
            {
                bool inNucleus = (x is >= 10 and <= 19 && y is >= 8 and <= 17) || (x is 30 or 31 && y is 10 or 11);
                bool inCell = x is >= 5 and <= 29 && y is >= 4 and <= 24;
                byte expected = inNucleus ? (byte)255 : inCell ? (byte)128 : (byte)0;
                Assert.True(expected == labels[x, y], $"({x},{y}): expected {expected}, got {labels[x, y]}");
            }
        }

        Assert.Equal(10 * 10 + 4, labels.Pixels.Count(v => v == LabelMask.Nucleus));
        Assert.Equal(25 * 21 - 100, labels.Pixels.Count(v => v == LabelMask.Cytoplasm));
    }

    [Fact]
    public void Without_a_cell_mask_pixels_are_0_and_255_equal_to_the_nucleus_mask()
    {
        var seg = SyntheticCell.Make(withCell: false);
        var labels = LabelMask.Compose(seg);
        Assert.Equal(seg.NucleusMask.Pixels, labels.Pixels);
        Assert.All(labels.Pixels, v => Assert.True(v is 0 or 255));
    }

    [Fact]
    public void A_cell_mask_of_another_size_is_refused_with_both_sizes()
    {
        var seg = SyntheticCell.Make(withCell: true, cell: new Raabin.Features.Imaging.GrayImage(20, 20));
        var e = Assert.Throws<ArgumentException>(() => LabelMask.Compose(seg));
        Assert.Contains("cell mask is 20x20", e.Message);
        Assert.Contains("40x30", e.Message);
    }

    [Fact]
    public void Whole_cell_agreement_counts_pixels_at_or_above_128()
    {
        var labels = LabelMask.Compose(SyntheticCell.Make(withCell: true));
        var truth = SyntheticCell.Rectangle(5, 4, 29, 14, value: 128);
        SyntheticCell.Rectangle(10, 8, 19, 17, into: truth);
        var a = MaskAgreement.CompareAtLeast(labels, 128, truth, 128);
        long truthPixels = 25 * 11 + 10 * 3; // rows 4..14 of the cell plus nucleus rows 15..17
        Assert.Equal((25L * 21, truthPixels, truthPixels), (a.PredictedPixels, a.TruthPixels, a.Intersection));
        Assert.Equal(2.0 * truthPixels / (25 * 21 + truthPixels), a.Dice, 15);
    }
}
