using Raabin.Features.Imaging;
using static Raabin.Features.Tests.Imaging.Morphology.MorphologyTestImages;

namespace Raabin.Features.Tests.Imaging.Morphology;

public class MaskOpsTests
{
    [Fact]
    public void A_ring_is_filled_and_the_output_is_0_or_255()
    {
        GrayImage ring = Mask(
            ".......",
            ".+++++.",
            ".#...#.",
            ".#.#.#.",
            ".#...#.",
            ".#####.",
            ".......");
        GrayImage filled = MaskOps.FillHoles(ring);
        Assert.Equal([".......", ".#####.", ".#####.", ".#####.", ".#####.", ".#####.", "......."], Rows(filled));
        Assert.All(filled.Pixels, v => Assert.True(v is 0 or 255));
    }

    [Fact]
    public void Background_reaches_the_border_only_through_4_neighbours()
    {
        // The centre of a diagonal-gapped ring is a hole (4-connectivity), a gap in a side is not.
        GrayImage diagonalGap = Mask(
            ".....",
            "..##.",
            ".#.#.",
            ".###.",
            ".....");
        Assert.Equal([".....", "..##.", ".###.", ".###.", "....."], Rows(MaskOps.FillHoles(diagonalGap)));
        GrayImage sideGap = Mask(
            ".....",
            ".#.#.",
            ".#.#.",
            ".###.",
            ".....");
        Assert.Equal(Rows(sideGap), Rows(MaskOps.FillHoles(sideGap)));
    }

    [Fact]
    public void Background_on_the_image_border_is_never_a_hole()
    {
        GrayImage mask = Mask(
            "#.#",
            "###");
        Assert.Equal(Rows(mask), Rows(MaskOps.FillHoles(mask)));
        Assert.Equal(["."], Rows(MaskOps.FillHoles(Mask("."))));
        Assert.Equal(["#"], Rows(MaskOps.FillHoles(Mask("+"))));
    }
}
