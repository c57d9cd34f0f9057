using Raabin.Features.Imaging;
using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Tests.Segmentation.Geometry;

public class ContourTracerTests
{
    private static GrayImage Mask(params string[] rows)
    {
        var mask = new GrayImage(rows[0].Length, rows.Length);
        for (int y = 0; y < rows.Length; y++)
        {
            for (int x = 0; x < rows[y].Length; x++)
            {
                mask[x, y] = rows[y][x] == '#' ? (byte)255 : (byte)0;
            }
        }

        return mask;
    }

    private static Point[] P(params int[] xy)
    {
        var points = new Point[xy.Length / 2];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = new Point(xy[2 * i], xy[2 * i + 1]);
        }

        return points;
    }

    [Fact]
    public void Square_3x3_gives_its_four_corners_counter_clockwise_on_screen()
    {
        GrayImage mask = Mask(
            ".....",
            ".###.",
            ".###.",
            ".###.",
            ".....");
        Contour contour = Assert.Single(ContourTracer.FindExternalContours(mask));
        Assert.Equal(P(1, 1, 1, 3, 3, 3, 3, 1), contour.Points.ToArray());
        Assert.Equal(4.0, contour.Area);
        Assert.Equal(8.0, contour.Perimeter);
    }

    [Fact]
    public void One_pixel_wide_L_is_walked_there_and_back()
    {
        // Chain from (1,1): S S E E W NW N; corners where the direction changes.
        GrayImage mask = Mask(
            ".....",
            ".#...",
            ".#...",
            ".###.",
            ".....");
        Contour contour = Assert.Single(ContourTracer.FindExternalContours(mask));
        Assert.Equal(P(1, 1, 1, 3, 3, 3, 2, 3, 1, 2), contour.Points.ToArray());
        // Shoelace: 2 - 6 + 3 + 1 - 1 = -1, halved, absolute.
        Assert.Equal(0.5, contour.Area);
        // 2 + 2 + 1 + sqrt(2) + 1 with the diagonal as OpenCV computes it: sqrtf(2) in single precision.
        Assert.Equal(6.0 + (double)MathF.Sqrt(2f), contour.Perimeter);
    }

    [Fact]
    public void Two_blobs_come_in_reverse_raster_order()
    {
        GrayImage mask = Mask(
            "........",
            ".#......",
            "........",
            "....##..",
            "....##..",
            "........");
        IReadOnlyList<Contour> contours = ContourTracer.FindExternalContours(mask);
        Assert.Equal(2, contours.Count);
        Assert.Equal(P(4, 3, 4, 4, 5, 4, 5, 3), contours[0].Points.ToArray());
        Assert.Equal(P(1, 1), contours[1].Points.ToArray());
        Assert.Equal(0.0, contours[1].Area);
        Assert.Equal(0.0, contours[1].Perimeter);
    }

    [Fact]
    public void Holes_and_blobs_inside_holes_are_not_reported()
    {
        GrayImage ring = Mask(
            ".......",
            ".#####.",
            ".#...#.",
            ".#.#.#.",
            ".#...#.",
            ".#####.",
            ".......");
        Contour contour = Assert.Single(ContourTracer.FindExternalContours(ring));
        Assert.Equal(P(1, 1, 1, 5, 5, 5, 5, 1), contour.Points.ToArray());
        Assert.Equal(16.0, contour.Area);
    }

    [Fact]
    public void Regions_touching_the_image_edge_are_traced_through_the_edge_pixels()
    {
        GrayImage full = Mask("###", "###", "###");
        Contour contour = Assert.Single(ContourTracer.FindExternalContours(full));
        Assert.Equal(P(0, 0, 0, 2, 2, 2, 2, 0), contour.Points.ToArray());

        GrayImage corner = Mask("#..", "...", "..#");
        IReadOnlyList<Contour> pixels = ContourTracer.FindExternalContours(corner);
        Assert.Equal(2, pixels.Count);
        Assert.Equal(P(2, 2), pixels[0].Points.ToArray());
        Assert.Equal(P(0, 0), pixels[1].Points.ToArray());
    }

    [Fact]
    public void Any_nonzero_value_is_foreground_and_the_mask_is_left_unchanged()
    {
        GrayImage mask = Mask(".....", ".###.", ".###.", ".###.", ".....");
        mask[2, 2] = 1;
        mask[1, 1] = 7;
        byte[] before = (byte[])mask.Pixels.Clone();
        Contour contour = Assert.Single(ContourTracer.FindExternalContours(mask));
        Assert.Equal(P(1, 1, 1, 3, 3, 3, 3, 1), contour.Points.ToArray());
        Assert.Equal(before, mask.Pixels);
    }

    [Fact]
    public void Empty_mask_has_no_contours()
    {
        Assert.Empty(ContourTracer.FindExternalContours(new GrayImage(4, 3)));
    }

    [Fact]
    public void Matches_opencv_findContours_on_golden_masks()
    {
        int checkedContours = 0;
        foreach (var item in GeometryFixtures.Load("contours.json").EnumerateArray())
        {
            string name = item.GetProperty("name").GetString()!;
            GrayImage mask = GeometryFixtures.DecodeMask(item.GetProperty("mask"));
            IReadOnlyList<Contour> contours = ContourTracer.FindExternalContours(mask);
            var expected = item.GetProperty("contours");
            Assert.True(expected.GetArrayLength() == contours.Count, $"{name}: {contours.Count} contours, OpenCV found {expected.GetArrayLength()}");
            for (int i = 0; i < contours.Count; i++)
            {
                var golden = expected[i];
                Point[] points = GeometryFixtures.Points(golden.GetProperty("points"));
                Assert.True(points.AsSpan().SequenceEqual(contours[i].Points), $"{name} contour {i}: got {contours[i]}, OpenCV {string.Join(" ", points)}");
                checkedContours++;
            }
        }

        Assert.True(checkedContours > 1000, $"only {checkedContours} contours checked");
    }
}
