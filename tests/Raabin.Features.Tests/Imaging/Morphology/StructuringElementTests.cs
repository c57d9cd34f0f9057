using Raabin.Features.Imaging;
using static Raabin.Features.Tests.Imaging.Morphology.MorphologyTestImages;

namespace Raabin.Features.Tests.Imaging.Morphology;

public class StructuringElementTests
{
    [Fact]
    public void Ellipse_4x4_is_OpenCVs_lopsided_disc()
    {
        // r = c = 2; row 0: dy = -2, dx = 0; rows 1..3: dx = round(2 sqrt(3/4)) = 2 (clipped to the box), round(2) = 2.
        var element = StructuringElement.Ellipse(4, 4);
        Assert.Equal(["..#.", "####", "####", "####"], Rows(element));
        Assert.Equal((2, 2), (element.AnchorX, element.AnchorY));
        Assert.Equal(13, element.Count);
    }

    [Fact]
    public void Ellipse_5x3_and_10x4_follow_the_rounding_rule()
    {
        Assert.Equal(["..#..", "#####", "..#.."], Rows(StructuringElement.Ellipse(5, 3)));
        // r = 2, c = 5: dy = -2 gives dx = 0; dy = -1 gives round(5 * 0.866) = 4; the last row (dy = 1) as the second.
        Assert.Equal([".....#....", ".#########", "##########", ".#########"], Rows(StructuringElement.Ellipse(10, 4)));
        Assert.Equal([".#"], Rows(StructuringElement.Ellipse(2, 1)));
    }

    [Fact]
    public void EllipseOfRadius_is_the_odd_square_ellipse()
    {
        Assert.Equal(["#"], Rows(StructuringElement.EllipseOfRadius(0)));
        // r = c = 2: dy = ±1 gives dx = round(2 sqrt(3/4)) = round(1.73) = 2, the full row (the familiar cv2 5 x 5 disc).
        Assert.Equal(["..#..", "#####", "#####", "#####", "..#.."], Rows(StructuringElement.EllipseOfRadius(2)));
        Assert.Equal(Rows(StructuringElement.Ellipse(81, 81)), Rows(StructuringElement.EllipseOfRadius(40)));
    }

    [Fact]
    public void Rectangle_and_cross_have_the_anchor_at_the_centre()
    {
        Assert.Equal(["###", "###"], Rows(StructuringElement.Rectangle(3, 2)));
        Assert.Equal(["..#..", "#####", "..#.."], Rows(StructuringElement.Cross(5, 3)));
        var cross = StructuringElement.Cross(4, 4);
        Assert.Equal(["..#.", "..#.", "####", "..#."], Rows(cross));
        Assert.Equal((2, 2), (cross.AnchorX, cross.AnchorY));
    }

    [Fact]
    public void Every_ellipse_is_symmetric_top_to_bottom_when_odd_and_contains_its_anchor()
    {
        for (int w = 1; w <= 41; w++)
        {
            for (int h = 1; h <= 41; h++)
            {
                var e = StructuringElement.Ellipse(w, h);
                Assert.True(e[e.AnchorX, e.AnchorY], $"{w}x{h}");
                if (h % 2 == 1)
                {
                    for (int y = 0; y < h; y++)
                    {
                        for (int x = 0; x < w; x++)
                        {
                            Assert.Equal(e[x, y], e[x, h - 1 - y]);
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Bad_sizes_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StructuringElement.Ellipse(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => StructuringElement.Rectangle(3, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => StructuringElement.EllipseOfRadius(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => StructuringElement.Cross(StructuringElement.MaxSize + 1, 1));
    }
}
