using Raabin.Features.Imaging;
using Raabin.Features.Segmentation;
using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Reporting;

/// <summary>
/// Draws what a segmenter decided on top of the cell, so that a student can check it by eye: the convex hull, the
/// predicted nucleus and (when the segmenter finds it) whole-cell contours, and, when a ground-truth mask is given, the
/// ground truth's nucleus and cell contours. Contours are the borders <see cref="ContourTracer"/> finds (OpenCV
/// <c>findContours</c>), joined by 8-connected Bresenham lines.
/// </summary>
/// <remarks>
/// <para>Every line is 1 px of colour outlined 1 px on both sides in <see cref="OutlineColour"/>: a 3-px band that
/// stays visible on dark purple nuclei and on pale backgrounds alike. Layers, bottom to top: the ground truth, dashed
/// (<see cref="DashOn"/> pixels drawn, <see cref="DashOff"/> skipped): cell (<see cref="TruthCellColour"/>) and nucleus
/// (<see cref="TruthNucleusColour"/>); then the prediction, solid, on the traced border pixels: the convex hull
/// (<see cref="HullColour"/>), the cell contour (<see cref="CellContourColour"/>) and the nucleus contour
/// (<see cref="ContourColour"/>). The prediction is always seen whole; a ground-truth contour shows where it lies
/// 2 px or more from the predicted one, so a cell with no magenta left is one whose nucleus border agrees within 1 px.</para>
/// <para>Ground-truth masks follow the datasets' convention (<see cref="LabelMask"/>): nucleus = 255, cell = ≥ 128.</para>
/// </remarks>
public static class SegmentationOverlay
{
    /// <summary>Predicted nucleus contour colour: green.</summary>
    public static readonly (byte R, byte G, byte B) ContourColour = (0, 255, 0);

    /// <summary>Predicted whole-cell contour colour: cyan.</summary>
    public static readonly (byte R, byte G, byte B) CellContourColour = (0, 255, 255);

    /// <summary>Convex hull colour (solid, outlined): yellow.</summary>
    public static readonly (byte R, byte G, byte B) HullColour = (255, 230, 0);

    /// <summary>Outline on both sides of every contour line: black.</summary>
    public static readonly (byte R, byte G, byte B) OutlineColour = (0, 0, 0);

    /// <summary>Ground-truth nucleus contour colour (dashed): magenta.</summary>
    public static readonly (byte R, byte G, byte B) TruthNucleusColour = (255, 0, 255);

    /// <summary>Ground-truth cell contour colour (dashed): orange.</summary>
    public static readonly (byte R, byte G, byte B) TruthCellColour = (255, 140, 0);

    /// <summary>Letterbox colour around a scaled cell in a tile (<see cref="DrawTile"/>): dark grey.</summary>
    public static readonly (byte R, byte G, byte B) TileBackground = (48, 48, 48);

    /// <summary>Pixels drawn in each dash of a ground-truth contour, counted along the contour.</summary>
    public const int DashOn = 5;

    /// <summary>Pixels skipped between dashes of a ground-truth contour.</summary>
    public const int DashOff = 3;

    /// <summary>The colours in words, for help texts and reports.</summary>
    public static string Legend =>
        "green = predicted nucleus contour, cyan = predicted whole-cell contour (segmenters that find the cell), yellow = convex hull " +
        "of the nucleus, each a 1-px line outlined in black; beneath them, dashed and outlined the same way, magenta = ground-truth " +
        "nucleus and orange = ground-truth cell (where the dataset has masks), seen where they differ from the prediction by 2 px or more";

    /// <summary>
    /// Returns a copy of <paramref name="image"/> with the hull, the predicted contours and, when
    /// <paramref name="truth"/> is given, the ground-truth contours drawn at full resolution.
    /// </summary>
    /// <param name="image">The image drawn on (usually <see cref="NucleusSegmentation.Input"/>); not modified.</param>
    /// <param name="segmentation">The segmentation of <paramref name="image"/>.</param>
    /// <param name="truth">A ground-truth label mask (0 / 128 / 255) of the image's size, or null.</param>
    public static RgbImage Draw(RgbImage image, NucleusSegmentation segmentation, GrayImage? truth = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(segmentation);
        var canvas = new RgbImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        DrawLayers(canvas, segmentation, truth, new Mapping(1, 1, 0, 0));
        return canvas;
    }

    /// <summary>
    /// The overlay as a <paramref name="size"/>×<paramref name="size"/> tile: the image scaled (area average) to fit,
    /// centred on <see cref="TileBackground"/>, with the same layers as <see cref="Draw"/> drawn at the tile's scale so
    /// the lines stay crisp however much the image shrinks.
    /// </summary>
    /// <param name="image">The image (usually <see cref="NucleusSegmentation.Input"/>); not modified.</param>
    /// <param name="segmentation">Its segmentation, or null to show the image alone.</param>
    /// <param name="truth">A ground-truth label mask of the image's size, or null.</param>
    /// <param name="size">Tile side, pixels (at least 8).</param>
    public static RgbImage DrawTile(RgbImage image, NucleusSegmentation? segmentation, GrayImage? truth, int size)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        double scale = (double)size / Math.Max(image.Width, image.Height);
        int width = Math.Clamp((int)Math.Round(image.Width * scale), 1, size);
        int height = Math.Clamp((int)Math.Round(image.Height * scale), 1, size);
        var tile = Filled(size, size, TileBackground);
        var scaled = Resize.Apply(image, width, height, ResizeInterpolation.Area);
        int left = (size - width) / 2, top = (size - height) / 2;
        for (int y = 0; y < height; y++)
        {
            scaled.Pixels.AsSpan(y * width * 3, width * 3).CopyTo(tile.Pixels.AsSpan(((top + y) * size + left) * 3));
        }

        if (segmentation is not null)
        {
            DrawLayers(tile, segmentation, truth, new Mapping((double)width / image.Width, (double)height / image.Height, left, top));
        }

        return tile;
    }

    /// <summary>Draws a closed polyline with 8-connected Bresenham segments, 1 px wide, clipped to the image.</summary>
    public static void DrawClosedPolyline(RgbImage canvas, IReadOnlyList<Point> points, (byte R, byte G, byte B) colour)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(points);
        foreach (var (x, y) in Rasterize(points, new Mapping(1, 1, 0, 0)))
        {
            Plot(canvas, x, y, colour);
        }
    }

    /// <summary>An image of one colour.</summary>
    internal static RgbImage Filled(int width, int height, (byte R, byte G, byte B) colour)
    {
        var image = new RgbImage(width, height);
        var p = image.Pixels;
        for (int i = 0; i < p.Length; i += 3)
        {
            p[i] = colour.R;
            p[i + 1] = colour.G;
            p[i + 2] = colour.B;
        }

        return image;
    }

    private static void DrawLayers(RgbImage canvas, NucleusSegmentation segmentation, GrayImage? truth, Mapping map)
    {
        // The ground truth goes below the prediction: the prediction always shows whole, the truth wherever they differ.
        if (truth is not null && truth.Width == segmentation.Input.Width && truth.Height == segmentation.Input.Height)
        {
            var expected = new List<(List<(int X, int Y)> Pixels, (byte R, byte G, byte B) Colour)>();
            foreach (var contour in ContourTracer.FindExternalContours(LabelMask.AtLeast(truth, LabelMask.Cytoplasm)))
            {
                expected.Add((Dashed(Rasterize(contour, map)), TruthCellColour));
            }

            foreach (var contour in ContourTracer.FindExternalContours(LabelMask.AtLeast(truth, LabelMask.Nucleus)))
            {
                expected.Add((Dashed(Rasterize(contour, map)), TruthNucleusColour));
            }

            DrawOutlined(canvas, expected);
        }

        var predicted = new List<(List<(int X, int Y)> Pixels, (byte R, byte G, byte B) Colour)>();
        if (segmentation.Hull is not null)
        {
            predicted.Add((Rasterize(segmentation.Hull.Vertices, map), HullColour));
        }

        if (segmentation.CellMask is not null)
        {
            var cell = LabelMask.AtLeast(LabelMask.Compose(segmentation), LabelMask.Cytoplasm);
            foreach (var contour in ContourTracer.FindExternalContours(cell))
            {
                predicted.Add((Rasterize(contour, map), CellContourColour));
            }
        }

        foreach (var contour in segmentation.Contours)
        {
            predicted.Add((Rasterize(contour, map), ContourColour));
        }

        DrawOutlined(canvas, predicted);
    }

    // All outlines first, then all lines, so that one line's outline never cuts through a neighbouring line.
    private static void DrawOutlined(RgbImage canvas, List<(List<(int X, int Y)> Pixels, (byte R, byte G, byte B) Colour)> lines)
    {
        foreach (var (pixels, _) in lines)
        {
            foreach (var (x, y) in pixels)
            {
                for (int dy = -1; dy <= 1; dy++)
                {
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        Plot(canvas, x + dx, y + dy, OutlineColour);
                    }
                }
            }
        }

        foreach (var (pixels, colour) in lines)
        {
            foreach (var (x, y) in pixels)
            {
                Plot(canvas, x, y, colour);
            }
        }
    }

    private static List<(int X, int Y)> Dashed(List<(int X, int Y)> pixels)
    {
        var dashes = new List<(int X, int Y)>(pixels.Count);
        for (int i = 0; i < pixels.Count; i++)
        {
            if (i % (DashOn + DashOff) < DashOn)
            {
                dashes.Add(pixels[i]);
            }
        }

        return dashes;
    }

    // The pixels of a closed polyline through the mapped points, each once, in drawing order.
    private static List<(int X, int Y)> Rasterize(IReadOnlyList<Point> points, Mapping map)
    {
        var pixels = new List<(int X, int Y)>(points.Count * 2);
        if (points.Count == 0)
        {
            return pixels;
        }

        var first = map.Apply(points[0]);
        pixels.Add(first);
        var from = first;
        for (int i = 1; i <= points.Count; i++)
        {
            var to = i == points.Count ? first : map.Apply(points[i]);
            Line(pixels, from.X, from.Y, to.X, to.Y);
            from = to;
        }

        // The walk ends where it started: drop the repeated first pixel.
        if (pixels.Count > 1 && pixels[^1] == first)
        {
            pixels.RemoveAt(pixels.Count - 1);
        }

        return pixels;
    }

    // Bresenham from (x0, y0), exclusive, to (x1, y1), inclusive.
    private static void Line(List<(int X, int Y)> pixels, int x0, int y0, int x1, int y1)
    {
        int dx = Math.Abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
        int dy = -Math.Abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
        int err = dx + dy;
        while (x0 != x1 || y0 != y1)
        {
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

            pixels.Add((x0, y0));
        }
    }

    private static void Plot(RgbImage canvas, int x, int y, (byte R, byte G, byte B) colour)
    {
        if ((uint)x < (uint)canvas.Width && (uint)y < (uint)canvas.Height)
        {
            int o = (y * canvas.Width + x) * 3;
            canvas.Pixels[o] = colour.R;
            canvas.Pixels[o + 1] = colour.G;
            canvas.Pixels[o + 2] = colour.B;
        }
    }

    // Source pixel centres to target pixels: x' = round(left + (x + 0.5) * scaleX - 0.5).
    private readonly record struct Mapping(double ScaleX, double ScaleY, int Left, int Top)
    {
        public (int X, int Y) Apply(Point p) => (
            Left + (int)Math.Round((p.X + 0.5) * ScaleX - 0.5, MidpointRounding.AwayFromZero),
            Top + (int)Math.Round((p.Y + 0.5) * ScaleY - 0.5, MidpointRounding.AwayFromZero));
    }
}
