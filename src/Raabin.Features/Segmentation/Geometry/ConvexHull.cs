using Raabin.Features.Imaging;

namespace Raabin.Features.Segmentation.Geometry;

/// <summary>
/// The convex hull of a set of integer points (for a mask: of its foreground pixel centres), with the measures
/// that <c>scipy.spatial.ConvexHull</c> (qhull) reports for 2-D input: <see cref="Area"/> (scipy's
/// <c>volume</c>) and <see cref="Perimeter"/> (scipy's <c>area</c>). Immutable.
/// </summary>
/// <remarks>
/// <para>Computed with Andrew's monotone chain in exact integer arithmetic (coordinates within ±2^30). Vertices are the hull's corners only
/// (points lying on a hull edge are not vertices, as in qhull's output), in qhull's 2-D order: counter-clockwise
/// with x right and y up, i.e. a positive <see cref="Polygon.SignedArea"/>. The first vertex is the one with the
/// smallest x (then smallest y); qhull may start elsewhere on the same cycle, which changes neither the measures
/// nor the <see cref="PolygonFill"/> result (the vertices are pixel positions inside the image, where filling does
/// not depend on the starting vertex).</para>
/// <para>Area is the exact shoelace area; perimeter sums the Euclidean edge lengths in double precision. qhull
/// computes both through floating-point facet normals and agrees to within a few units in the last place
/// (relative difference well below 1e-12).</para>
/// <para>Degenerate sets, where qhull raises an error: a single distinct point gives one vertex, area 0 and
/// perimeter 0; collinear points give the two end points as vertices, area 0 and perimeter twice the segment
/// length (the hull is a degenerate polygon walked there and back).</para>
/// </remarks>
public sealed class ConvexHull
{
    private readonly Point[] _vertices;

    private ConvexHull(Point[] vertices)
    {
        _vertices = vertices;
        long twiceArea = 0;
        double perimeter = 0.0;
        Point previous = vertices[^1];
        foreach (Point current in vertices)
        {
            twiceArea += (long)previous.X * current.Y - (long)previous.Y * current.X;
            double dx = current.X - previous.X;
            double dy = current.Y - previous.Y;
            perimeter += Math.Sqrt(dx * dx + dy * dy);
            previous = current;
        }

        Area = Math.Abs(twiceArea) * 0.5;
        Perimeter = perimeter;
    }

    /// <summary>Hull corners, counter-clockwise with y up (positive signed area), each exactly once.</summary>
    public IReadOnlyList<Point> Vertices => _vertices;

    /// <summary>Enclosed area in square pixels (scipy <c>ConvexHull.volume</c>); 0 for degenerate hulls.</summary>
    public double Area { get; }

    /// <summary>Perimeter in pixels (scipy <c>ConvexHull.area</c>); twice the length for a collinear set.</summary>
    public double Perimeter { get; }

    /// <summary>True when the points are all equal or all collinear (fewer than three vertices).</summary>
    public bool IsDegenerate => _vertices.Length < 3;

    /// <summary>The convex hull of <paramref name="points"/> (duplicates allowed).</summary>
    /// <param name="points">At least one point.</param>
    /// <returns>The hull.</returns>
    public static ConvexHull Of(IReadOnlyList<Point> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new ArgumentException("The convex hull of an empty point set is undefined.", nameof(points));
        }

        var sorted = new Point[points.Count];
        for (int i = 0; i < sorted.Length; i++)
        {
            sorted[i] = points[i];
        }

        return FromCandidates(sorted);
    }

    /// <summary>The convex hull of the centres of the nonzero pixels of <paramref name="mask"/>, in pixel coordinates
    /// (x = column, y = row).</summary>
    /// <param name="mask">A mask with at least one nonzero pixel.</param>
    /// <returns>The hull.</returns>
    public static ConvexHull OfMask(GrayImage mask)
    {
        ArgumentNullException.ThrowIfNull(mask);

        // Only the leftmost and rightmost foreground pixel of each row can be hull corners.
        var candidates = new List<Point>();
        for (int y = 0; y < mask.Height; y++)
        {
            ReadOnlySpan<byte> row = mask.Row(y);
            int left = row.IndexOfAnyExcept((byte)0);
            if (left < 0)
            {
                continue;
            }

            int right = row.LastIndexOfAnyExcept((byte)0);
            candidates.Add(new Point(left, y));
            if (right != left)
            {
                candidates.Add(new Point(right, y));
            }
        }

        if (candidates.Count == 0)
        {
            throw new ArgumentException("The mask has no foreground pixel, so it has no convex hull.", nameof(mask));
        }

        return FromCandidates(candidates.ToArray());
    }

    private static ConvexHull FromCandidates(Point[] points)
    {
        Array.Sort(points, static (a, b) => a.X != b.X ? a.X.CompareTo(b.X) : a.Y.CompareTo(b.Y));
        int unique = 1;
        for (int i = 1; i < points.Length; i++)
        {
            if (points[i] != points[unique - 1])
            {
                points[unique++] = points[i];
            }
        }

        if (unique == 1)
        {
            return new ConvexHull([points[0]]);
        }

        // Lower chain left to right, then upper chain right to left; a corner is kept only on a strict left turn.
        var hull = new Point[2 * unique];
        int count = 0;
        for (int i = 0; i < unique; i++)
        {
            while (count >= 2 && Cross(hull[count - 2], hull[count - 1], points[i]) <= 0)
            {
                count--;
            }

            hull[count++] = points[i];
        }

        int lowerCount = count + 1;
        for (int i = unique - 2; i >= 0; i--)
        {
            while (count >= lowerCount && Cross(hull[count - 2], hull[count - 1], points[i]) <= 0)
            {
                count--;
            }

            hull[count++] = points[i];
        }

        count--; // the last point repeats the first
        return new ConvexHull(hull.AsSpan(0, count).ToArray());
    }

    // Exact for coordinates within ±2^30 (differences below 2^31, products below 2^62).
    private static long Cross(Point o, Point a, Point b) =>
        ((long)a.X - o.X) * ((long)b.Y - o.Y) - ((long)a.Y - o.Y) * ((long)b.X - o.X);
}
