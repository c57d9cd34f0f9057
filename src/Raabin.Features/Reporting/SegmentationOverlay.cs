using Raabin.Features.Imaging;
using Raabin.Features.Segmentation;
using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Reporting;

/// <summary>Draws what a segmenter decided on top of the cell: nucleus contours and the convex hull.</summary>
public static class SegmentationOverlay
{
    /// <summary>Nucleus contour colour (green).</summary>
    public static readonly (byte R, byte G, byte B) ContourColour = (0, 220, 0);

    /// <summary>Convex hull colour (yellow).</summary>
    public static readonly (byte R, byte G, byte B) HullColour = (255, 230, 0);

    /// <summary>Returns a copy of <paramref name="image"/> with the hull and then the contours drawn as 1-pixel closed polylines.</summary>
    public static RgbImage Draw(RgbImage image, NucleusSegmentation segmentation)
    {
        var canvas = new RgbImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        if (segmentation.Hull is not null)
        {
            DrawClosedPolyline(canvas, segmentation.Hull.Vertices, HullColour);
        }

        foreach (var contour in segmentation.Contours)
        {
            DrawClosedPolyline(canvas, contour, ContourColour);
        }

        return canvas;
    }

    /// <summary>Draws a closed polyline with 8-connected Bresenham segments, clipped to the image.</summary>
    public static void DrawClosedPolyline(RgbImage canvas, IReadOnlyList<Point> points, (byte R, byte G, byte B) colour)
    {
        for (int i = 0; i < points.Count; i++)
        {
            var a = points[i];
            var b = points[(i + 1) % points.Count];
            DrawLine(canvas, a.X, a.Y, b.X, b.Y, colour);
        }
    }

    private static void DrawLine(RgbImage canvas, int x0, int y0, int x1, int y1, (byte R, byte G, byte B) colour)
    {
        int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
        int dy = -Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        while (true)
        {
            if ((uint)x0 < (uint)canvas.Width && (uint)y0 < (uint)canvas.Height)
            {
                int o = (y0 * canvas.Width + x0) * 3;
                canvas.Pixels[o] = colour.R;
                canvas.Pixels[o + 1] = colour.G;
                canvas.Pixels[o + 2] = colour.B;
            }

            if (x0 == x1 && y0 == y1)
            {
                break;
            }

            int e2 = 2 * err;
            if (e2 >= dy)
            {
                err += dy;
                x0 += sx;
            }

            if (e2 <= dx)
            {
                err += dx;
                y0 += sy;
            }
        }
    }
}
