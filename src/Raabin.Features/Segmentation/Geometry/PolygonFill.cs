using Raabin.Features.Imaging;

namespace Raabin.Features.Segmentation.Geometry;

/// <summary>
/// Pixel-exact polygon filling with the semantics of OpenCV 4.6
/// <c>drawContours(image, polygons, -1, value, thickness=-1)</c> (default <c>LINE_8</c>, no shift, no offset)
/// on an 8-bit single-channel image.
/// </summary>
/// <remarks>
/// What OpenCV does, and this class reproduces (<c>modules/imgproc/src/drawing.cpp</c>, <c>cvDrawContours</c>,
/// <c>CollectPolyEdges</c>, <c>FillEdgeCollection</c>):
/// <list type="number">
/// <item>Every edge of every polygon (including the closing edge, plus a zero-length edge at the first vertex) is
/// drawn as an 8-connected Bresenham line (<c>LineIterator</c>, left to right, clipped to the image with
/// <c>clipLine</c>), so the outline is always painted, even for one- or two-point and collinear polygons.</item>
/// <item>The non-horizontal edges of all polygons together are then scan-converted with the even-odd rule:
/// x positions in 16.16 fixed point (<c>x·65536</c> at the upper vertex, slope truncated toward zero), each edge
/// covering rows <c>y0 ≤ y &lt; y1</c>, spans from <c>ceil(xl)</c> to <c>floor(xr)</c> clipped to the image.</item>
/// </list>
/// For a polygon lying inside the image the result depends neither on the starting vertex nor on the direction;
/// where an edge must be clipped it can (OpenCV clips each segment from its first end point, truncating), so
/// pass polygons in the caller's order to match OpenCV there.
/// </remarks>
public static class PolygonFill
{
    private const int FixedShift = 16;
    private const long FixedOne = 1L << FixedShift;

    /// <summary>Fills one polygon (interior and outline) with <paramref name="value"/>, as
    /// <c>cv2.drawContours(dst, [polygon], -1, value, thickness=-1)</c>.</summary>
    /// <param name="destination">Image to paint in place.</param>
    /// <param name="polygon">Vertices in order (at least one); may extend outside the image, where it is clipped.</param>
    /// <param name="value">Grey level to paint.</param>
    public static void Fill(GrayImage destination, IReadOnlyList<Point> polygon, byte value)
    {
        ArgumentNullException.ThrowIfNull(polygon);
        FillAll(destination, [polygon], value);
    }

    /// <summary>Fills several polygons in one pass (even-odd rule over all their edges together), as
    /// <c>cv2.drawContours(dst, polygons, -1, value, thickness=-1)</c>.</summary>
    /// <param name="destination">Image to paint in place.</param>
    /// <param name="polygons">Polygons, each with at least one vertex.</param>
    /// <param name="value">Grey level to paint.</param>
    public static void FillAll(GrayImage destination, IReadOnlyList<IReadOnlyList<Point>> polygons, byte value)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(polygons);
        var edges = new List<Edge>();
        for (int p = 0; p < polygons.Count; p++)
        {
            IReadOnlyList<Point> polygon = polygons[p] ?? throw new ArgumentException($"Polygon {p} is null.", nameof(polygons));
            if (polygon.Count == 0)
            {
                throw new ArgumentException($"Polygon {p} has no points.", nameof(polygons));
            }

            CollectEdges(destination, polygon, edges, value);
        }

        FillEdges(destination, edges, value);
    }

    private struct Edge
    {
        public int Y0;      // first row covered
        public int Y1;      // row just below the last covered
        public long X;      // 16.16 fixed-point x on the current row
        public long Dx;     // 16.16 fixed-point x step per row
        public int Next;    // index of the next edge in the active list, or -1
    }

    // drawContours walks the closed sequence starting at its first point and appends the first point again,
    // so the vertex list is p0, p0, p1, ..., p(n-1), p0 and edge k runs from v[k-1] (v[-1] = last) to v[k].
    private static void CollectEdges(GrayImage image, IReadOnlyList<Point> polygon, List<Edge> edges, byte value)
    {
        int count = polygon.Count;
        Point first = polygon[0];
        AddEdge(image, first, first, edges, value);
        Point previous = first;
        for (int k = 1; k <= count; k++)
        {
            Point current = k == count ? first : polygon[k];
            AddEdge(image, previous, current, edges, value);
            previous = current;
        }
    }

    private static void AddEdge(GrayImage image, Point from, Point to, List<Edge> edges, byte value)
    {
        DrawLine(image, from.X, from.Y, to.X, to.Y, value);
        if (from.Y == to.Y)
        {
            return;
        }

        long x0 = (long)from.X << FixedShift;
        long x1 = (long)to.X << FixedShift;
        var edge = new Edge { Dx = (x1 - x0) / (to.Y - from.Y), Next = -1 };
        if (from.Y < to.Y)
        {
            edge.Y0 = from.Y;
            edge.Y1 = to.Y;
            edge.X = x0;
        }
        else
        {
            edge.Y0 = to.Y;
            edge.Y1 = from.Y;
            edge.X = x1;
        }

        edges.Add(edge);
    }

    // OpenCV Line() with LINE_8: LineIterator(img, pt1, pt2, 8, leftToRight=true) after clipLine.
    internal static void DrawLine(GrayImage image, int x1, int y1, int x2, int y2, byte value)
    {
        int width = image.Width;
        int height = image.Height;
        if ((uint)x1 >= (uint)width || (uint)x2 >= (uint)width || (uint)y1 >= (uint)height || (uint)y2 >= (uint)height)
        {
            long cx1 = x1, cy1 = y1, cx2 = x2, cy2 = y2;
            if (!ClipLine(width, height, ref cx1, ref cy1, ref cx2, ref cy2))
            {
                return;
            }

            x1 = (int)cx1;
            y1 = (int)cy1;
            x2 = (int)cx2;
            y2 = (int)cy2;
        }

        int stepX = 1, stepY = 1;
        int dx = x2 - x1;
        int dy = y2 - y1;
        if (dx < 0)
        {
            dx = -dx;
            dy = -dy;
            x1 = x2;
            y1 = y2;
        }

        if (dy < 0)
        {
            dy = -dy;
            stepY = -1;
        }

        bool steep = dy > dx;
        if (steep)
        {
            (dx, dy) = (dy, dx);
        }

        // Every step moves one pixel along the major axis, and also along the minor axis when err < 0.
        int majorX = steep ? 0 : stepX, majorY = steep ? stepY : 0;
        int minorX = steep ? stepX : 0, minorY = steep ? 0 : stepY;
        int err = dx - (dy + dy);
        int plusDelta = dx + dx;
        int minusDelta = -(dy + dy);
        int count = dx + 1;
        byte[] pixels = image.Pixels;
        int x = x1, y = y1;
        for (int i = 0; i < count; i++)
        {
            pixels[y * width + x] = value;
            bool minor = err < 0;
            err += minusDelta + (minor ? plusDelta : 0);
            x += majorX + (minor ? minorX : 0);
            y += majorY + (minor ? minorY : 0);
        }
    }

    // OpenCV clipLine(Size2l, Point2l&, Point2l&) of 4.6: Cohen–Sutherland style, intersections computed in double
    // and truncated toward zero. Returns false when the segment misses the image.
    internal static bool ClipLine(long width, long height, ref long x1, ref long y1, ref long x2, ref long y2)
    {
        long right = width - 1, bottom = height - 1;
        if (width <= 0 || height <= 0)
        {
            return false;
        }

        int c1 = Code(x1, y1, right, bottom);
        int c2 = Code(x2, y2, right, bottom);
        if ((c1 & c2) == 0 && (c1 | c2) != 0)
        {
            long a;
            if ((c1 & 12) != 0)
            {
                a = c1 < 8 ? 0 : bottom;
                x1 += (long)((double)(a - y1) * (x2 - x1) / (y2 - y1));
                y1 = a;
                c1 = (x1 < 0 ? 1 : 0) + (x1 > right ? 2 : 0);
            }

            if ((c2 & 12) != 0)
            {
                a = c2 < 8 ? 0 : bottom;
                x2 += (long)((double)(a - y2) * (x2 - x1) / (y2 - y1));
                y2 = a;
                c2 = (x2 < 0 ? 1 : 0) + (x2 > right ? 2 : 0);
            }

            if ((c1 & c2) == 0 && (c1 | c2) != 0)
            {
                if (c1 != 0)
                {
                    a = c1 == 1 ? 0 : right;
                    y1 += (long)((double)(a - x1) * (y2 - y1) / (x2 - x1));
                    x1 = a;
                    c1 = 0;
                }

                if (c2 != 0)
                {
                    a = c2 == 1 ? 0 : right;
                    y2 += (long)((double)(a - x2) * (y2 - y1) / (x2 - x1));
                    x2 = a;
                    c2 = 0;
                }
            }
        }

        return (c1 | c2) == 0;
    }

    private static int Code(long x, long y, long right, long bottom) =>
        (x < 0 ? 1 : 0) + (x > right ? 2 : 0) + (y < 0 ? 4 : 0) + (y > bottom ? 8 : 0);

    // OpenCV FillEdgeCollection: even-odd scan conversion with an active edge list kept sorted by x.
    private static void FillEdges(GrayImage image, List<Edge> edgeList, byte value)
    {
        int total = edgeList.Count;
        if (total < 2)
        {
            return;
        }

        int width = image.Width;
        int height = image.Height;
        int yMin = int.MaxValue, yMax = int.MinValue;
        long xMin = long.MaxValue, xMax = -1; // OpenCV initialises the maximum to 0xFFFF...FF, i.e. -1
        for (int i = 0; i < total; i++)
        {
            Edge e1 = edgeList[i];
            long xEnd = e1.X + (e1.Y1 - e1.Y0) * e1.Dx;
            yMin = Math.Min(yMin, e1.Y0);
            yMax = Math.Max(yMax, e1.Y1);
            xMin = Math.Min(xMin, e1.X);
            xMax = Math.Max(xMax, e1.X);
            xMin = Math.Min(xMin, xEnd);
            xMax = Math.Max(xMax, xEnd);
        }

        if (yMax < 0 || yMin >= height || xMax < 0 || xMin >= ((long)width << FixedShift))
        {
            return;
        }

        // Sorted by (y0, x, dx); edges equal in all three are interchangeable, so an unstable sort is fine.
        var edges = new Edge[total + 2];
        edgeList.CopyTo(edges);
        Array.Sort(edges, 0, total, EdgeOrder.Instance);
        const int Nil = -1;
        int head = total + 1;      // list head (OpenCV's `tmp`)
        edges[total].Y0 = int.MaxValue; // sentinel after the last edge
        edges[head].Next = Nil;

        int pending = 0;           // next edge not yet in the active list
        yMax = Math.Min(yMax, height);
        byte[] pixels = image.Pixels;
        for (int y = edges[0].Y0; y < yMax; y++)
        {
            bool draw = false;
            bool clipped = y < 0;
            int previous = head;
            int last = edges[head].Next;
            while (last != Nil || edges[pending].Y0 == y)
            {
                if (last != Nil && edges[last].Y1 == y)
                {
                    // The edge ends above this row: drop it.
                    edges[previous].Next = edges[last].Next;
                    last = edges[last].Next;
                    continue;
                }

                int keep = previous;
                if (last != Nil && (edges[pending].Y0 > y || edges[last].X < edges[pending].X))
                {
                    previous = last;
                    last = edges[last].Next;
                }
                else if (pending < total)
                {
                    // The pending edge starts on this row: insert it before `last`.
                    edges[previous].Next = pending;
                    edges[pending].Next = last;
                    previous = pending;
                    pending++;
                }
                else
                {
                    break;
                }

                if (draw)
                {
                    if (!clipped)
                    {
                        long left = edges[keep].X, rightX = edges[previous].X;
                        int xa, xb;
                        if (left > rightX)
                        {
                            xa = (int)((rightX + FixedOne - 1) >> FixedShift);
                            xb = (int)(left >> FixedShift);
                        }
                        else
                        {
                            xa = (int)((left + FixedOne - 1) >> FixedShift);
                            xb = (int)(rightX >> FixedShift);
                        }

                        if (xa < width && xb >= 0)
                        {
                            if (xa < 0)
                            {
                                xa = 0;
                            }

                            if (xb >= width)
                            {
                                xb = width - 1;
                            }

                            if (xb >= xa)
                            {
                                pixels.AsSpan(y * width + xa, xb - xa + 1).Fill(value);
                            }
                        }
                    }

                    edges[keep].X += edges[keep].Dx;
                    edges[previous].X += edges[previous].Dx;
                }

                draw = !draw;
            }

            // Bubble sort of the active list by x (stable), stopping at the last exchange of the previous pass.
            int stop = Nil;
            do
            {
                previous = head;
                last = edges[head].Next;
                int lastExchange = Nil;
                while (last != stop && edges[last].Next != Nil)
                {
                    int te = edges[last].Next;
                    if (edges[last].X > edges[te].X)
                    {
                        edges[previous].Next = te;
                        edges[last].Next = edges[te].Next;
                        edges[te].Next = last;
                        previous = te;
                        lastExchange = previous;
                    }
                    else
                    {
                        previous = last;
                        last = te;
                    }
                }

                if (lastExchange == Nil)
                {
                    break;
                }

                stop = lastExchange;
            }
            while (stop != edges[head].Next && stop != head);
        }
    }

    private sealed class EdgeOrder : IComparer<Edge>
    {
        public static readonly EdgeOrder Instance = new();

        public int Compare(Edge a, Edge b)
        {
            if (a.Y0 != b.Y0)
            {
                return a.Y0 < b.Y0 ? -1 : 1;
            }

            if (a.X != b.X)
            {
                return a.X < b.X ? -1 : 1;
            }

            return a.Dx < b.Dx ? -1 : (a.Dx > b.Dx ? 1 : 0);
        }
    }
}
