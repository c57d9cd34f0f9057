using Raabin.Features.Imaging;
using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Tests.Segmentation.Geometry;

public class PolygonFillTests
{
    private static string Render(GrayImage image)
    {
        var rows = new List<string>();
        for (int y = 0; y < image.Height; y++)
        {
            var row = new char[image.Width];
            for (int x = 0; x < image.Width; x++)
            {
                row[x] = image[x, y] != 0 ? '#' : '.';
            }

            rows.Add(new string(row));
        }

        return string.Join("\n", rows);
    }

    [Fact]
    public void Square_fills_its_corners_inclusive()
    {
        var image = new GrayImage(5, 5);
        PolygonFill.Fill(image, [new(1, 1), new(1, 3), new(3, 3), new(3, 1)], 255);
        Assert.Equal(".....\n.###.\n.###.\n.###.\n.....", Render(image));
    }

    [Fact]
    public void Degenerate_polygons_paint_their_outline()
    {
        var point = new GrayImage(3, 3);
        PolygonFill.Fill(point, [new(1, 2)], 9);
        Assert.Equal("...\n...\n.#.", Render(point));
        Assert.Equal(9, point[1, 2]);

        // A two-point polygon is a Bresenham segment: (0,0)-(4,2) steps diagonally when the error goes negative.
        var segment = new GrayImage(5, 3);
        PolygonFill.Fill(segment, [new(0, 0), new(4, 2)], 255);
        Assert.Equal("##...\n..##.\n....#", Render(segment));
    }

    [Fact]
    public void Polygon_outside_the_image_paints_nothing_and_one_across_it_is_clipped()
    {
        var image = new GrayImage(4, 4);
        PolygonFill.Fill(image, [new(10, 10), new(20, 10), new(20, 20)], 255);
        Assert.All(image.Pixels, value => Assert.Equal(0, value));

        PolygonFill.Fill(image, [new(-5, -5), new(10, -5), new(10, 10), new(-5, 10)], 255);
        Assert.All(image.Pixels, value => Assert.Equal(255, value));
    }

    [Fact]
    public void Fill_of_a_traced_contour_restores_a_convex_blob()
    {
        var mask = new GrayImage(9, 9);
        for (int y = 2; y <= 6; y++)
        {
            for (int x = 1; x <= 7; x++)
            {
                mask[x, y] = 255;
            }
        }

        Contour contour = Assert.Single(ContourTracer.FindExternalContours(mask));
        var filled = new GrayImage(9, 9);
        PolygonFill.Fill(filled, contour, 255);
        Assert.Equal(mask.Pixels, filled.Pixels);
    }

    [Fact]
    public void Matches_opencv_drawContours_on_golden_random_polygons()
    {
        int count = 0;
        foreach (var item in GeometryFixtures.Load("fills.json").EnumerateArray())
        {
            var canvas = new GrayImage(item.GetProperty("width").GetInt32(), item.GetProperty("height").GetInt32());
            Point[] polygon = GeometryFixtures.Points(item.GetProperty("points"));
            PolygonFill.Fill(canvas, polygon, 255);
            Assert.True(item.GetProperty("fill").GetString() == GeometryFixtures.Digest(canvas),
                $"{canvas.Width}x{canvas.Height} {string.Join(" ", polygon)}:\n{Render(canvas)}");
            count++;
        }

        Assert.Equal(400, count);
    }

    [Fact]
    public void Matches_opencv_drawContours_on_golden_contours_one_by_one_and_all_together()
    {
        int count = 0;
        foreach (var item in GeometryFixtures.Load("contours.json").EnumerateArray())
        {
            string name = item.GetProperty("name").GetString()!;
            GrayImage mask = GeometryFixtures.DecodeMask(item.GetProperty("mask"));
            var polygons = new List<IReadOnlyList<Point>>();
            foreach (var contour in item.GetProperty("contours").EnumerateArray())
            {
                Point[] points = GeometryFixtures.Points(contour.GetProperty("points"));
                var canvas = new GrayImage(mask.Width, mask.Height);
                PolygonFill.Fill(canvas, points, 255);
                Assert.True(contour.GetProperty("fill").GetString() == GeometryFixtures.Digest(canvas), $"{name} {string.Join(" ", points)}");
                polygons.Add(points);
                count++;
            }

            if (polygons.Count > 0)
            {
                var all = new GrayImage(mask.Width, mask.Height);
                PolygonFill.FillAll(all, polygons, 255);
                Assert.True(item.GetProperty("fillAll").GetString() == GeometryFixtures.Digest(all), $"{name}: all contours");
            }
        }

        Assert.True(count > 1000);
    }

    [Fact]
    public void Fill_inside_the_image_does_not_depend_on_start_vertex_or_direction()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            int n = random.Next(1, 9);
            var polygon = new Point[n];
            for (int i = 0; i < n; i++)
            {
                polygon[i] = new Point(random.Next(0, 16), random.Next(0, 16));
            }

            var reference = new GrayImage(16, 16);
            PolygonFill.Fill(reference, polygon, 255);
            int shift = random.Next(n);
            Point[] rotated = [.. polygon[shift..], .. polygon[..shift]];
            Array.Reverse(rotated);
            var other = new GrayImage(16, 16);
            PolygonFill.Fill(other, rotated, 255);
            Assert.Equal(reference.Pixels, other.Pixels);
        }
    }
}
