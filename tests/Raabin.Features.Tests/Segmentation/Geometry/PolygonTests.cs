using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Tests.Segmentation.Geometry;

public class PolygonTests
{
    [Fact]
    public void Area_and_length_of_a_right_triangle()
    {
        Point[] triangle = [new(0, 0), new(4, 0), new(4, 3)];
        Assert.Equal(6.0, Polygon.Area(triangle));
        Assert.Equal(6.0, Polygon.SignedArea(triangle));
        Assert.Equal(-6.0, Polygon.SignedArea([triangle[2], triangle[1], triangle[0]]));
        Assert.Equal(12.0, Polygon.ArcLength(triangle, closed: true));
        Assert.Equal(7.0, Polygon.ArcLength(triangle, closed: false));
    }

    [Fact]
    public void Self_intersecting_bow_tie_nets_its_lobes_to_zero()
    {
        Point[] bowTie = [new(0, 0), new(2, 2), new(2, 0), new(0, 2)];
        Assert.Equal(0.0, Polygon.Area(bowTie));
    }

    [Fact]
    public void Degenerate_polygons_measure_zero_area()
    {
        Assert.Equal(0.0, Polygon.Area([]));
        Assert.Equal(0.0, Polygon.Area([new Point(3, 4)]));
        Assert.Equal(0.0, Polygon.ArcLength([new Point(3, 4)], closed: true));
        Assert.Equal(0.0, Polygon.Area([new Point(0, 0), new Point(3, 4)]));
        Assert.Equal(10.0, Polygon.ArcLength([new Point(0, 0), new Point(3, 4)], closed: true));
    }

    [Fact]
    public void Segment_lengths_are_single_precision_as_in_opencv()
    {
        // sqrt(1 + 4): the float square root differs from the double one.
        Point[] segment = [new(0, 0), new(1, 2)];
        Assert.Equal(2.0 * MathF.Sqrt(5f), Polygon.ArcLength(segment, closed: true));
        Assert.NotEqual(2.0 * Math.Sqrt(5.0), Polygon.ArcLength(segment, closed: true));
    }

    [Fact]
    public void Match_opencv_contourArea_and_arcLength_on_golden_contours()
    {
        int count = 0;
        foreach (var item in GeometryFixtures.Load("contours.json").EnumerateArray())
        {
            foreach (var contour in item.GetProperty("contours").EnumerateArray())
            {
                Point[] points = GeometryFixtures.Points(contour.GetProperty("points"));
                string what = $"{item.GetProperty("name").GetString()} {string.Join(" ", points)}";
                // Same arithmetic as OpenCV, so the numbers are identical, not merely close.
                Assert.True(contour.GetProperty("area").GetDouble() == Polygon.Area(points), what);
                Assert.True(contour.GetProperty("arcLength").GetDouble() == Polygon.ArcLength(points, closed: true), what);
                count++;
            }
        }

        Assert.True(count > 1000);
    }
}
