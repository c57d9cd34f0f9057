using Raabin.Features.Imaging;
using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Tests.Segmentation.Geometry;

public class ConvexHullTests
{
    [Fact]
    public void Square_with_inner_and_edge_points()
    {
        ConvexHull hull = ConvexHull.Of([new(0, 0), new(4, 0), new(4, 4), new(0, 4), new(2, 0), new(2, 2), new(1, 3)]);
        // Corners only, counter-clockwise with y up, starting at the smallest (x, y).
        Assert.Equal([new Point(0, 0), new Point(4, 0), new Point(4, 4), new Point(0, 4)], hull.Vertices);
        Assert.Equal(16.0, hull.Area);
        Assert.Equal(16.0, hull.Perimeter);
        Assert.True(Polygon.SignedArea(hull.Vertices) > 0);
        Assert.False(hull.IsDegenerate);
    }

    [Fact]
    public void Degenerate_sets_are_a_point_or_a_segment_walked_twice()
    {
        ConvexHull single = ConvexHull.Of([new(3, 2), new(3, 2)]);
        Assert.Equal([new Point(3, 2)], single.Vertices);
        Assert.Equal(0.0, single.Area);
        Assert.Equal(0.0, single.Perimeter);
        Assert.True(single.IsDegenerate);

        ConvexHull line = ConvexHull.Of([new(2, 1), new(0, -3), new(1, -1), new(3, 3)]);
        Assert.Equal([new Point(0, -3), new Point(3, 3)], line.Vertices);
        Assert.Equal(0.0, line.Area);
        Assert.Equal(2 * Math.Sqrt(45.0), line.Perimeter);

        Assert.Throws<ArgumentException>(() => ConvexHull.Of([]));
        Assert.Throws<ArgumentException>(() => ConvexHull.OfMask(new GrayImage(3, 3)));
    }

    [Fact]
    public void Hull_of_an_L_shaped_mask_uses_pixel_centres()
    {
        var mask = new GrayImage(5, 5);
        mask[1, 1] = mask[1, 2] = mask[1, 3] = mask[2, 3] = mask[3, 3] = 255;
        ConvexHull hull = ConvexHull.OfMask(mask);
        Assert.Equal([new Point(1, 1), new Point(1, 3), new Point(3, 3)], hull.Vertices.Select(p => p).OrderBy(p => p.X).ThenBy(p => p.Y));
        Assert.Equal(2.0, hull.Area);
        Assert.Equal(4.0 + Math.Sqrt(8.0), hull.Perimeter, 12);
    }

    [Fact]
    public void Matches_scipy_ConvexHull_on_golden_masks()
    {
        int count = 0;
        foreach (var item in GeometryFixtures.Load("contours.json").EnumerateArray())
        {
            string name = item.GetProperty("name").GetString()!;
            GrayImage mask = GeometryFixtures.DecodeMask(item.GetProperty("mask"));
            var golden = item.GetProperty("hull");
            if (!mask.Pixels.AsSpan().ContainsAnyExcept((byte)0))
            {
                continue;
            }

            ConvexHull hull = ConvexHull.OfMask(mask);
            if (golden.ValueKind == System.Text.Json.JsonValueKind.Null)
            {
                // qhull refused: one pixel or collinear pixels.
                Assert.True(hull.IsDegenerate, name);
                continue;
            }

            Point[] expected = GeometryFixtures.Points(golden.GetProperty("vertices"));
            Assert.True(SameCycle(expected, hull.Vertices), $"{name}: got {string.Join(" ", hull.Vertices)}, scipy {string.Join(" ", expected)}");
            GeometryFixtures.AssertClose(golden.GetProperty("volume").GetDouble(), hull.Area, 1e-12, $"{name} area");
            GeometryFixtures.AssertClose(golden.GetProperty("area").GetDouble(), hull.Perimeter, 1e-12, $"{name} perimeter");

            var canvas = new GrayImage(mask.Width, mask.Height);
            PolygonFill.Fill(canvas, hull.Vertices, 255);
            Assert.True(golden.GetProperty("fill").GetString() == GeometryFixtures.Digest(canvas), $"{name}: hull fill");
            count++;
        }

        Assert.True(count > 250, $"only {count} hulls checked");
    }

    // True when `actual` is `expected` rotated (same vertices, same cyclic order and direction).
    private static bool SameCycle(IReadOnlyList<Point> expected, IReadOnlyList<Point> actual)
    {
        if (expected.Count != actual.Count)
        {
            return false;
        }

        for (int shift = 0; shift < actual.Count; shift++)
        {
            bool all = true;
            for (int i = 0; i < expected.Count && all; i++)
            {
                all = expected[i] == actual[(i + shift) % actual.Count];
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }
}
