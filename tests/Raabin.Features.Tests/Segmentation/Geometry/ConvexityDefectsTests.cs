using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Tests.Segmentation.Geometry;

public class ConvexityDefectsTests
{
    [Fact]
    public void Square_with_a_notch_has_one_defect_of_the_notch_depth()
    {
        // Screen coordinates; a 10x10 square with a V notch 4 deep in the top edge.
        Point[] contour = [new(0, 0), new(0, 10), new(10, 10), new(10, 0), new(5, 4)];
        int[] hull = ConvexityDefects.HullIndices(contour);
        Assert.Equal(4, hull.Length);
        Assert.DoesNotContain(4, hull);
        ConvexityDefect d = Assert.Single(ConvexityDefects.Find(contour, hull));
        Assert.Equal(4, d.FarthestIndex);
        Assert.Equal(3, d.StartIndex);
        Assert.Equal(0, d.EndIndex);
        Assert.Equal(4.0, d.Depth);
        Assert.Equal(1024, d.FixedPointDepth);
    }

    [Fact]
    public void Convex_polygons_and_collinear_points()
    {
        Point[] square = [new(0, 0), new(0, 5), new(2, 5), new(5, 5), new(5, 0)];
        int[] hull = ConvexityDefects.HullIndices(square);
        Assert.Equal(4, hull.Length); // the collinear (2,5) is not a vertex
        Assert.DoesNotContain(2, hull);
        Assert.Empty(ConvexityDefects.Find(square, hull));
        Assert.Equal([0], ConvexityDefects.HullIndices([new Point(3, 3), new Point(3, 3)]));
        Assert.Empty(ConvexityDefects.Find([new Point(0, 0), new Point(1, 0), new Point(0, 1)]));
    }

    [Fact]
    public void Of_equal_points_the_first_contour_index_is_reported()
    {
        // A one-pixel spur traced out and back: (4,0) appears once, (2,0) twice (indices 1 and 3).
        Point[] contour = [new(0, 0), new(2, 0), new(4, 0), new(2, 0), new(0, 0), new(0, 3)];
        int[] hull = ConvexityDefects.HullIndices(contour);
        Assert.DoesNotContain(3, hull);
        Assert.Contains(2, hull);
    }
}
