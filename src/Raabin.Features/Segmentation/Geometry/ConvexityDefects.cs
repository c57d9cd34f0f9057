namespace Raabin.Features.Segmentation.Geometry;

/// <summary>
/// One convexity defect of a contour (an element of OpenCV's <c>cv2.convexityDefects</c> output): the stretch of
/// contour between two consecutive hull vertices, and its point farthest from the hull edge joining them.
/// </summary>
/// <param name="StartIndex">Contour index of the hull vertex where the defect starts.</param>
/// <param name="EndIndex">Contour index of the next hull vertex, where it ends.</param>
/// <param name="FarthestIndex">Contour index of the point farthest from the hull edge (the first one on a tie).</param>
/// <param name="FixedPointDepth">OpenCV's integer depth: <c>round(Depth * 256)</c>, rounding half to even.</param>
/// <param name="Depth">Distance of the farthest point from the hull edge's line, in pixels (&gt; 0), computed as
/// OpenCV does before it rounds: <c>|dx0 dy - dy0 dx| / sqrt(dx0² + dy0²)</c> in double precision.</param>
public readonly record struct ConvexityDefect(int StartIndex, int EndIndex, int FarthestIndex, int FixedPointDepth, double Depth);

/// <summary>
/// Convex hulls in OpenCV's index form and the convexity defects of a contour, as OpenCV 4.6
/// <c>cv2.convexHull(contour, returnPoints=False)</c> and <c>cv2.convexityDefects(contour, hull)</c> compute them on
/// integer contours such as <see cref="ContourTracer"/> returns (<c>CHAIN_APPROX_SIMPLE</c>); any integer point
/// sequence works.
/// </summary>
/// <remarks>
/// <para>The hull is Sklansky's scan as OpenCV runs it: points sorted by (x, y, contour index) (OpenCV breaks ties
/// by address, which decides which of two equal points' indices is reported), the four chains between the leftmost, topmost/bottommost and rightmost points, exact 64-bit turn tests, collinear
/// points excluded, counter-clockwise output (<c>clockwise=False</c>) and OpenCV's cyclic shift that makes the
/// indices ascending or descending where possible. Results equal cv2's exactly.</para>
/// <para>Defects follow OpenCV's loop exactly (orientation test on the first three hull indices, walk from each
/// hull vertex to the next, farthest point with a strict comparison); like cv2, contours of at most three points
/// and hulls of fewer than three vertices have no defects, and hull indices that are not monotonous (a
/// self-intersecting contour) are an error.</para>
/// </remarks>
public static class ConvexityDefects
{
    /// <summary>Contour indices of the convex hull vertices: <c>cv2.convexHull(contour, clockwise=False,
    /// returnPoints=False)</c>.</summary>
    /// <param name="contour">At least one point; coordinates within ±2^30.</param>
    /// <returns>Indices into <paramref name="contour"/>, counter-clockwise with y up (clockwise on screen), as cv2
    /// orders them.</returns>
    public static int[] HullIndices(IReadOnlyList<Point> contour)
    {
        ArgumentNullException.ThrowIfNull(contour);
        int total = contour.Count;
        if (total == 0)
        {
            return [];
        }

        var p = new Point[total];
        for (int i = 0; i < total; i++)
        {
            p[i] = contour[i];
        }

        var order = new int[total]; // OpenCV's array of pointers into the points, sorted
        for (int i = 0; i < total; i++)
        {
            order[i] = i;
        }

        // OpenCV orders by x, then y, then address: equal points keep their contour order, so any sort gives the same.
        Array.Sort(order, (a, b) => p[a].X != p[b].X ? p[a].X.CompareTo(p[b].X) : p[a].Y != p[b].Y ? p[a].Y.CompareTo(p[b].Y) : a.CompareTo(b));

        int minY = 0, maxY = 0;
        for (int i = 1; i < total; i++)
        {
            int y = p[order[i]].Y;
            if (p[order[minY]].Y > y)
            {
                minY = i;
            }

            if (p[order[maxY]].Y < y)
            {
                maxY = i;
            }
        }

        var hull = new List<int>(total);
        if (p[order[0]] == p[order[total - 1]])
        {
            hull.Add(0);
            return hull.ToArray();
        }

        var stack = new int[total + 2];
        // Upper half: chains from the leftmost and the rightmost point to the point with the largest y.
        int tlCount = Sklansky(p, order, 0, maxY, stack, 0, -1, 1);
        int trCount = Sklansky(p, order, total - 1, maxY, stack, tlCount, -1, -1);
        int tlStart = 0, trStart = tlCount;
        // Counter-clockwise output: swap the two chains.
        (tlStart, trStart) = (trStart, tlStart);
        (tlCount, trCount) = (trCount, tlCount);
        for (int i = 0; i < tlCount - 1; i++)
        {
            hull.Add(order[stack[tlStart + i]]);
        }

        for (int i = trCount - 1; i > 0; i--)
        {
            hull.Add(order[stack[trStart + i]]);
        }

        int stopIndex = trCount > 2 ? stack[trStart + 1] : tlCount > 2 ? stack[tlStart + tlCount - 2] : -1;

        // Lower half.
        int blCount = Sklansky(p, order, 0, minY, stack, 0, 1, -1);
        int brCount = Sklansky(p, order, total - 1, minY, stack, blCount, 1, 1);
        int blStart = 0, brStart = blCount;
        if (stopIndex >= 0)
        {
            int checkIndex = blCount > 2 ? stack[blStart + 1] : blCount + brCount > 2 ? stack[brStart + 2 - blCount] : -1;
            if (checkIndex == stopIndex || (checkIndex >= 0 && p[order[checkIndex]] == p[order[stopIndex]]))
            {
                // All points on one line: the lower part mirrors the upper one except the end points.
                blCount = Math.Min(blCount, 2);
                brCount = Math.Min(brCount, 2);
            }
        }

        for (int i = 0; i < blCount - 1; i++)
        {
            hull.Add(order[stack[blStart + i]]);
        }

        for (int i = brCount - 1; i > 0; i--)
        {
            hull.Add(order[stack[brStart + i]]);
        }

        int[] result = hull.ToArray();
        MakeMonotonous(result);
        return result;
    }

    /// <summary>The convexity defects of <paramref name="contour"/> against its hull:
    /// <c>cv2.convexityDefects(contour, hullIndices)</c>.</summary>
    /// <param name="contour">The contour (integer points, in order).</param>
    /// <param name="hullIndices">Hull vertex indices as <see cref="HullIndices"/> (or cv2) returns them.</param>
    /// <returns>The defects in OpenCV's order; empty for at most three contour points or fewer than three hull
    /// vertices.</returns>
    public static IReadOnlyList<ConvexityDefect> Find(IReadOnlyList<Point> contour, IReadOnlyList<int> hullIndices)
    {
        ArgumentNullException.ThrowIfNull(contour);
        ArgumentNullException.ThrowIfNull(hullIndices);
        int n = contour.Count, h = hullIndices.Count;
        var defects = new List<ConvexityDefect>();
        if (n <= 3 || h < 3)
        {
            return defects;
        }

        bool reversed = ((hullIndices[1] > hullIndices[0] ? 1 : 0) + (hullIndices[2] > hullIndices[1] ? 1 : 0)
            + (hullIndices[0] > hullIndices[2] ? 1 : 0)) != 2;
        int current = Checked(hullIndices[reversed ? 0 : h - 1], n);
        int increasing = -1;
        for (int i = 0; i < h; i++)
        {
            int next = Checked(hullIndices[reversed ? h - i - 1 : i], n);
            int step = current < next ? 1 : 0;
            if (increasing < 0)
            {
                increasing = 1 - step;
            }
            else if (increasing != step)
            {
                throw new ArgumentException(
                    "The convex hull indices are not monotonous, as happens when the contour intersects itself.",
                    nameof(hullIndices));
            }

            Point p0 = contour[current], p1 = contour[next];
            double dx0 = p1.X - p0.X;
            double dy0 = p1.Y - p0.Y;
            double scale = dx0 == 0 && dy0 == 0 ? 0.0 : 1.0 / Math.Sqrt(dx0 * dx0 + dy0 * dy0);
            int deepest = -1;
            double depth = 0;
            for (int j = current + 1; ; j++)
            {
                if (j >= n)
                {
                    j = 0;
                }

                if (j == next)
                {
                    break;
                }

                double dx = contour[j].X - p0.X;
                double dy = contour[j].Y - p0.Y;
                double distance = Math.Abs(-dy0 * dx + dx0 * dy) * scale;
                if (distance > depth)
                {
                    depth = distance;
                    deepest = j;
                }
            }

            if (deepest >= 0)
            {
                int fixedDepth = (int)Math.Round(depth * 256, MidpointRounding.ToEven);
                defects.Add(new ConvexityDefect(current, next, deepest, fixedDepth, depth));
            }

            current = next;
        }

        return defects;
    }

    /// <summary>The defects of <paramref name="contour"/> against <see cref="HullIndices"/>.</summary>
    /// <param name="contour">The contour.</param>
    /// <returns>The defects (see <see cref="Find(IReadOnlyList{Point}, IReadOnlyList{int})"/>).</returns>
    public static IReadOnlyList<ConvexityDefect> Find(IReadOnlyList<Point> contour) => Find(contour, HullIndices(contour));

    private static int Checked(int index, int count) =>
        (uint)index < (uint)count ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"Hull index outside the contour of {count} points.");

    // OpenCV's Sklansky_ on the sorted order: returns the chain length; the chain is stack[offset..] (positions in
    // `order`). nsign: the sign of dy that ends a step; sign2: the sign of a convex turn.
    private static int Sklansky(Point[] p, int[] order, int start, int end, int[] stack, int offset, int nsign, int sign2)
    {
        int increment = end > start ? 1 : -1;
        int previous = start, current = previous + increment, next = current + increment;
        int size = 3;
        if (start == end || p[order[start]] == p[order[end]])
        {
            stack[offset] = start;
            return 1;
        }

        stack[offset] = previous;
        stack[offset + 1] = current;
        stack[offset + 2] = next;
        end += increment;
        while (next != end)
        {
            int currentY = p[order[current]].Y;
            int nextY = p[order[next]].Y;
            long by = (long)nextY - currentY;
            if (Math.Sign(by) != nsign)
            {
                long ax = (long)p[order[current]].X - p[order[previous]].X;
                long bx = (long)p[order[next]].X - p[order[current]].X;
                long ay = (long)currentY - p[order[previous]].Y;
                long convexity = ay * bx - ax * by;
                if (Math.Sign(convexity) == sign2 && (ax != 0 || ay != 0))
                {
                    previous = current;
                    current = next;
                    next += increment;
                    stack[offset + size] = next;
                    size++;
                }
                else if (previous == start)
                {
                    current = next;
                    stack[offset + 1] = current;
                    next += increment;
                    stack[offset + 2] = next;
                }
                else
                {
                    stack[offset + size - 2] = next;
                    current = previous;
                    previous = stack[offset + size - 4];
                    size--;
                }
            }
            else
            {
                next += increment;
                stack[offset + size - 1] = next;
            }
        }

        return size - 1;
    }

    // OpenCV's final step: a cyclic shift that makes the indices one ascending or descending run where possible.
    private static void MakeMonotonous(int[] hull)
    {
        int n = hull.Length;
        if (n < 3)
        {
            return;
        }

        int minIndex = 0, maxIndex = 0, ascendingSteps = 0;
        for (int i = 1; i < n; i++)
        {
            int index = hull[i];
            ascendingSteps += hull[i - 1] < index ? 1 : 0;
            if (ascendingSteps > 1 && ascendingSteps <= i - 2)
            {
                break;
            }

            if (index < hull[minIndex])
            {
                minIndex = i;
            }

            if (index > hull[maxIndex])
            {
                maxIndex = i;
            }
        }

        int distance = Math.Abs(maxIndex - minIndex);
        if ((distance == 1 || distance == n - 1) && (ascendingSteps <= 1 || ascendingSteps >= n - 2))
        {
            bool ascending = (maxIndex + 1) % n == minIndex;
            int first = ascending ? minIndex : maxIndex, j = first;
            if (first > 0)
            {
                var shifted = new int[n];
                int i = 0;
                for (; i < n; i++)
                {
                    int value = shifted[i] = hull[j];
                    int nextJ = j + 1 < n ? j + 1 : 0;
                    if (i < n - 1 && ascending != (value < hull[nextJ]))
                    {
                        break;
                    }

                    j = nextJ;
                }

                if (i == n)
                {
                    shifted.CopyTo(hull, 0);
                }
            }
        }
    }
}
