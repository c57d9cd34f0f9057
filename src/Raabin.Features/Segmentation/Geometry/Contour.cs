using System.Collections;

namespace Raabin.Features.Segmentation.Geometry;

/// <summary>
/// A closed polygon traced along the border of a connected region, as OpenCV's <c>findContours</c> returns it:
/// pixel positions of border pixels in tracing order, the last joined back to the first. Immutable.
/// </summary>
public sealed class Contour : IReadOnlyList<Point>
{
    private readonly Point[] _points;

    /// <summary>Wraps points in tracing order (the array is copied).</summary>
    /// <param name="points">At least one point.</param>
    public Contour(IEnumerable<Point> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        _points = points.ToArray();
        if (_points.Length == 0)
        {
            throw new ArgumentException("A contour needs at least one point.", nameof(points));
        }
    }

    private Contour(Point[] points, bool _) => _points = points;

    /// <summary>Number of points (vertices of the polygon).</summary>
    public int Count => _points.Length;

    /// <summary>The point at <paramref name="index"/> in tracing order.</summary>
    public Point this[int index] => _points[index];

    /// <summary>The points as a read-only span, in tracing order.</summary>
    public ReadOnlySpan<Point> Points => _points;

    /// <summary>Polygon area in square pixels, as OpenCV's <c>contourArea</c> (see <see cref="Polygon.Area(IReadOnlyList{Point})"/>).</summary>
    public double Area => Polygon.Area(_points);

    /// <summary>Closed polygon perimeter in pixels, as OpenCV's <c>arcLength(closed: true)</c> (see <see cref="Polygon.ArcLength(IReadOnlyList{Point}, bool)"/>).</summary>
    public double Perimeter => Polygon.ArcLength(_points, closed: true);

    /// <inheritdoc />
    public IEnumerator<Point> GetEnumerator() => ((IEnumerable<Point>)_points).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _points.GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => string.Join(" ", _points);

    // Takes ownership of an array built by the tracer, without copying.
    internal static Contour Own(Point[] points) => new(points, true);
}
