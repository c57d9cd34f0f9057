namespace Raabin.Features.Segmentation.Geometry;

/// <summary>
/// Measurements of closed integer polygons with OpenCV 4.6 semantics (<c>contourArea</c>, <c>arcLength</c>).
/// </summary>
public static class Polygon
{
    /// <summary>
    /// The absolute area enclosed by the polygon, in square pixels: OpenCV <c>contourArea(points, oriented=false)</c>.
    /// The shoelace sum <c>Σ (x[i-1]·y[i] − y[i-1]·x[i])</c> starting with the edge from the last point to the first,
    /// accumulated in double precision, halved, absolute value. Self-intersecting polygons get the net signed area
    /// of their lobes, as in OpenCV. Fewer than three points give 0.
    /// </summary>
    /// <param name="points">Vertices in order; the polygon is closed implicitly.</param>
    /// <returns>Area in square pixels, at least 0.</returns>
    public static double Area(IReadOnlyList<Point> points) => Math.Abs(SignedArea(points));

    /// <summary>
    /// The signed area (OpenCV <c>contourArea(points, oriented=true)</c>): positive when the vertices turn
    /// counter-clockwise in x-right/y-up axes, which is clockwise on screen (y down).
    /// </summary>
    /// <param name="points">Vertices in order; the polygon is closed implicitly.</param>
    /// <returns>Signed area in square pixels.</returns>
    public static double SignedArea(IReadOnlyList<Point> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        int count = points.Count;
        if (count == 0)
        {
            return 0.0;
        }

        // OpenCV converts each point to float first; integers below 2^24 convert exactly, so double products of
        // the int coordinates are the same numbers.
        double sum = 0.0;
        Point previous = points[count - 1];
        for (int i = 0; i < count; i++)
        {
            Point current = points[i];
            sum += (double)(float)previous.X * (float)current.Y - (double)(float)previous.Y * (float)current.X;
            previous = current;
        }

        return sum * 0.5;
    }

    /// <summary>
    /// The length of the polyline through the points, in pixels: OpenCV <c>arcLength(points, closed)</c>.
    /// Each segment length is computed in single precision (<c>sqrtf(dx·dx + dy·dy)</c> with float dx, dy) and the
    /// lengths are summed in double precision, starting with the closing segment (last point to first) when
    /// <paramref name="closed"/> is true. Zero or one point gives 0.
    /// </summary>
    /// <param name="points">Vertices in order.</param>
    /// <param name="closed">Whether to include the segment from the last point back to the first.</param>
    /// <returns>Length in pixels.</returns>
    public static double ArcLength(IReadOnlyList<Point> points, bool closed)
    {
        ArgumentNullException.ThrowIfNull(points);
        int count = points.Count;
        if (count <= 1)
        {
            return 0.0;
        }

        double perimeter = 0.0;
        Point previous = points[closed ? count - 1 : 0];
        for (int i = 0; i < count; i++)
        {
            Point current = points[i];
            float dx = (float)current.X - (float)previous.X;
            float dy = (float)current.Y - (float)previous.Y;
            perimeter += MathF.Sqrt(dx * dx + dy * dy);
            previous = current;
        }

        return perimeter;
    }
}
