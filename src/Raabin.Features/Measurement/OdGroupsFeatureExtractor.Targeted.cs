using Raabin.Features.Imaging;

namespace Raabin.Features.Measurement;

// The targeted group: measurements aimed at the confusions left by the other four groups (neutrophil ↔ eosinophil:
// lobes and granule colour against the cell's own reference; reactive lymphocyte ↔ monocyte: indentation, chromatin
// and cytoplasm colour against the nucleus). Formulas in FeatureCatalog.OdGroups.cs.
public sealed partial class OdGroupsFeatureExtractor
{
    /// <summary>The number of values of the <c>targeted</c> group.</summary>
    internal const int TargetedCount = 12;

    /// <summary>An EDT maximum counts as a lobe when its dynamic is at least this share of the largest EDT.</summary>
    public const double PeakDynamicShare = 0.25;

    [ThreadStatic]
    private static double[]? t_values;

    [ThreadStatic]
    private static long[]? t_order;

    [ThreadStatic]
    private static int[]? t_parent;

    [ThreadStatic]
    private static double[]? t_peak;

    /// <summary>
    /// The lobe measurements of one mask, in the catalog's order: skeleton length / sqrt(A/π), skeleton ends, EDT
    /// peaks, second dynamic / max EDT, centroid depth (5 values). An empty mask gives 0, 0, 0, 0, 0.
    /// </summary>
    /// <param name="mask">The mask (any nonzero value is foreground).</param>
    /// <param name="destination">Room for 5 values.</param>
    public static void MeasureLobes(GrayImage mask, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(mask);
        destination[..5].Clear();
        int area = MaskOps.Count(mask);
        if (area == 0)
        {
            return;
        }

        double radius = Math.Sqrt(area / Math.PI);
        var distance = DistanceTransform.Euclidean(mask);
        double max = 0;
        long sx = 0, sy = 0;
        for (int y = 0; y < mask.Height; y++)
        {
            int row = y * mask.Width;
            for (int x = 0; x < mask.Width; x++)
            {
                if (mask.Pixels[row + x] != 0)
                {
                    max = Math.Max(max, distance.Pixels[row + x]);
                    sx += x;
                    sy += y;
                }
            }
        }

        if (double.IsPositiveInfinity(max))
        {
            // No background in the view: nothing to measure the thickness against.
            return;
        }

        var skeleton = Skeleton.ZhangSuen(mask);
        int ends = SignificantEnds(skeleton, distance, max, out int spurPixels);
        destination[0] = (MaskOps.Count(skeleton) - spurPixels) / radius;
        destination[1] = ends;
        var (peaks, second) = EdtPeaks(mask, distance, max);
        destination[2] = peaks;
        destination[3] = second / max;
        int cx = (int)Math.Round((double)sx / area), cy = (int)Math.Round((double)sy / area);
        destination[4] = distance.Pixels[(cy * mask.Width) + cx] / max;
    }

    /// <summary>The <c>targeted</c> group of a canonical view, in the catalog's order (12 values).</summary>
    internal static void MeasureTargeted(CanonicalCellView view, Span<double> destination)
    {
        var nucleusRegion = TextureRegion(view.Nucleus);
        var cytoplasmRegion = TextureRegion(view.Cytoplasm);
        var log1 = LaplacianOfGaussian.Apply(view.Sum, 1.0);
        MeasureTargeted(view, nucleusRegion, cytoplasmRegion, LogEnergy(log1, view.Sum, nucleusRegion), LogEnergy(log1, view.Sum, cytoplasmRegion), destination);
    }

    private static int MeasureTargeted(
        CanonicalCellView view, GrayImage nucleusRegion, GrayImage cytoplasmRegion, double nucleusLog1, double cytoplasmLog1, Span<double> destination)
    {
        MeasureLobes(view.Nucleus, destination);

        // Cytoplasm ΣOD order statistics: the densest quarter (granules) against the lighter half of the same cell.
        int n = MaskOps.Count(cytoplasmRegion);
        double[] values = t_values is { } v && v.Length >= n ? v : (t_values = new double[Math.Max(n, 256)]);
        int k = 0;
        for (int i = 0; i < cytoplasmRegion.Pixels.Length; i++)
        {
            if (cytoplasmRegion.Pixels[i] != 0)
            {
                values[k++] = view.Sum.Pixels[i];
            }
        }

        Span<double> dense = stackalloc double[5];
        Span<double> light = stackalloc double[5];
        Span<double> nucleus = stackalloc double[5];
        double granuleFraction = 0;
        Span<double> nucleusColour = stackalloc double[8];
        Span<double> cytoplasmColour = stackalloc double[8];
        RegionColour(view, view.Nucleus, nucleusColour);
        RegionColour(view, view.Cytoplasm, cytoplasmColour);
        Reference(view, nucleusRegion, double.NegativeInfinity, double.PositiveInfinity, nucleus);
        if (n > 0)
        {
            Array.Sort(values, 0, n);
            double median = values[(n - 1) / 2], upper = values[(int)(0.75 * (n - 1))];
            Reference(view, cytoplasmRegion, upper, double.PositiveInfinity, dense);
            Reference(view, cytoplasmRegion, double.NegativeInfinity, median, light);
            double cut = (Mean(values.AsSpan(0, n)) + nucleus[4]) / 2;
            int above = 0;
            for (int i = 0; i < n; i++)
            {
                above += values[i] > cut ? 1 : 0;
            }

            granuleFraction = (double)above / n;
        }

        destination[5] = dense[0] - light[0];
        destination[6] = ChromaticityDistance(dense[1..4], light[1..4]);
        destination[7] = dense[0] - nucleus[0];
        destination[8] = granuleFraction;
        destination[9] = double.IsFinite(cytoplasmLog1) && double.IsFinite(nucleusLog1) ? cytoplasmLog1 / (nucleusLog1 + 1e-3) : 0;
        double hue = ChromaticityDistance(cytoplasmColour[3..6], nucleusColour[3..6]);
        destination[10] = double.IsFinite(hue) ? hue : 0;
        destination[11] = nucleus[4] > 0 ? ChromatinCv(view, nucleusRegion, nucleus[4]) : 0;
        return TargetedCount;
    }

    // Over the region's pixels with lo ≤ ΣOD ≤ hi: redness mean(OD_G − OD_R) / (mean ΣOD / 3 + 0.001), mean
    // chromaticities R, G, B (as the colour group), mean ΣOD. All 0 when no pixel qualifies.
    private static void Reference(CanonicalCellView view, GrayImage region, double lo, double hi, Span<double> destination)
    {
        double d = 0, s = 0, cr = 0, cg = 0, cb = 0;
        long n = 0;
        for (int i = 0; i < region.Pixels.Length; i++)
        {
            double t = view.Sum.Pixels[i];
            if (region.Pixels[i] == 0 || t < lo || t > hi)
            {
                continue;
            }

            double r = view.R.Pixels[i], g = view.G.Pixels[i], b = view.B.Pixels[i], tt = r + g + b + 1e-3;
            d += g - r;
            s += t;
            cr += r / tt;
            cg += g / tt;
            cb += b / tt;
            n++;
        }

        if (n == 0)
        {
            destination[..5].Clear();
            return;
        }

        destination[0] = d / n / ((s / n / 3) + 1e-3);
        destination[1] = cr / n;
        destination[2] = cg / n;
        destination[3] = cb / n;
        destination[4] = s / n;
    }

    private static double ChromatinCv(CanonicalCellView view, GrayImage region, double mean)
    {
        double squares = 0;
        long n = 0;
        for (int i = 0; i < region.Pixels.Length; i++)
        {
            if (region.Pixels[i] != 0)
            {
                double e = view.Sum.Pixels[i] - mean;
                squares += e * e;
                n++;
            }
        }

        return n == 0 ? 0 : Math.Sqrt(squares / n) / (mean + 1e-3);
    }

    private static double Mean(ReadOnlySpan<double> values)
    {
        double s = 0;
        foreach (double v in values)
        {
            s += v;
        }

        return s / values.Length;
    }

    private static double ChromaticityDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int c = 0; c < 3; c++)
        {
            s += (a[c] - b[c]) * (a[c] - b[c]);
        }

        return Math.Sqrt(s);
    }

    // The 8 neighbours of a pixel clockwise from north, as offsets.
    private static readonly (int Dx, int Dy)[] Ring = [(0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1)];

    // 0 → 1 changes going once round the 8 neighbours (the crossing number): 1 at an end, 2 along a line (also on a
    // staircase, where a pixel has 3 neighbours), ≥ 3 at a junction.
    private static int Crossings(GrayImage s, int x, int y)
    {
        int changes = 0;
        bool previous = On(s, x + Ring[7].Dx, y + Ring[7].Dy);
        foreach (var (dx, dy) in Ring)
        {
            bool on = On(s, x + dx, y + dy);
            changes += on && !previous ? 1 : 0;
            previous = on;
        }

        return changes;
    }

    private static bool On(GrayImage s, int x, int y) =>
        x >= 0 && y >= 0 && x < s.Width && y < s.Height && s.Pixels[(y * s.Width) + x] != 0;

    // The skeleton's end points (crossing number 1) whose branch, followed to the first junction (crossing number ≥ 3)
    // or to the far end, is longer (in pixels) than the EDT where it stops: shorter branches are spurs from dents of the
    // outline that stay inside the inscribed disc. A branch that reaches another end is measured against the max EDT.
    // spurPixels: the pixels of the spurs (each spur's traced length, its junction pixel excluded).
    private static int SignificantEnds(GrayImage skeleton, DoubleImage distance, double max, out int spurPixels)
    {
        int w = skeleton.Width, h = skeleton.Height, count = 0;
        spurPixels = 0;
        var visited = new HashSet<int>();
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                if (skeleton.Pixels[(y * w) + x] == 0 || Crossings(skeleton, x, y) != 1)
                {
                    continue;
                }

                visited.Clear();
                int cx = x, cy = y, length = 1;
                visited.Add((cy * w) + cx);
                double limit = max;
                bool junction = false;
                while (true)
                {
                    // Next: an unvisited neighbour, 4-adjacent first (a staircase offers both).
                    int nx = -1, ny = -1;
                    for (int pass = 0; pass < 2 && nx < 0; pass++)
                    {
                        foreach (var (dx, dy) in Ring)
                        {
                            bool diagonal = dx != 0 && dy != 0;
                            if (diagonal != (pass == 1) || !On(skeleton, cx + dx, cy + dy) || visited.Contains(((cy + dy) * w) + cx + dx))
                            {
                                continue;
                            }

                            nx = cx + dx;
                            ny = cy + dy;
                            break;
                        }
                    }

                    if (nx < 0)
                    {
                        break;
                    }

                    // Staircase corners next to the path are part of it, not side branches.
                    foreach (var (dx, dy) in Ring)
                    {
                        visited.Add(((cy + dy) * w) + cx + dx);
                    }

                    cx = nx;
                    cy = ny;
                    length++;
                    if (Crossings(skeleton, cx, cy) >= 3)
                    {
                        limit = distance.Pixels[(cy * w) + cx];
                        junction = true;
                        break;
                    }
                }

                if (length > limit)
                {
                    count++;
                }
                else if (junction)
                {
                    // A spur (a lone short bar between two ends is kept: it is the whole skeleton).
                    spurPixels += length - 1;
                }
            }
        }

        return count;
    }

    // Maxima of the EDT by their dynamic (the drop to the saddle where their basin meets a higher one), flooding the
    // mask's pixels from the highest EDT down with a union-find over 8-neighbours; the highest maximum's dynamic is its
    // own height. Returns the number with dynamic ≥ PeakDynamicShare · max and the largest dynamic of the others.
    private static (int Peaks, double Second) EdtPeaks(GrayImage mask, DoubleImage distance, double max)
    {
        int w = mask.Width, n = mask.Pixels.Length;
        int area = MaskOps.Count(mask);
        long[] order = t_order is { } o && o.Length >= area ? o : (t_order = new long[Math.Max(area, 256)]);
        int[] parent = t_parent is { } p && p.Length >= n ? p : (t_parent = new int[n]);
        int k = 0;
        long top = (long)Math.Round(max * max);
        for (int i = 0; i < n; i++)
        {
            parent[i] = -1;
            if (mask.Pixels[i] != 0)
            {
                // Squared EDT is an integer: sort by it (descending), ties by index, exactly.
                long squared = (long)Math.Round(distance.Pixels[i] * distance.Pixels[i]);
                order[k++] = ((top - squared) << 32) | (uint)i;
            }
        }

        Array.Sort(order, 0, k);
        double[] peak = t_peak is { } q && q.Length >= n ? q : (t_peak = new double[n]);
        int significant = 1;
        double second = 0, threshold = PeakDynamicShare * max;
        for (int j = 0; j < k; j++)
        {
            int i = (int)(order[j] & 0xFFFFFFFF);
            double level = distance.Pixels[i];
            parent[i] = i;
            peak[i] = level;
            int x = i % w, y = i / w;
            foreach (var (dx, dy) in Ring)
            {
                int xx = x + dx, yy = y + dy;
                if (xx < 0 || yy < 0 || xx >= w || yy >= mask.Height || parent[(yy * w) + xx] < 0)
                {
                    continue;
                }

                int a = Find(parent, (yy * w) + xx), b = Find(parent, i);
                if (a == b)
                {
                    continue;
                }

                // The lower peak dies here; ties keep the earlier root (deterministic).
                var (keep, die) = peak[a] > peak[b] || (peak[a] == peak[b] && a < b) ? (a, b) : (b, a);
                double dynamic = peak[die] - level;
                if (dynamic > 0 && die != i)
                {
                    significant += dynamic >= threshold ? 1 : 0;
                    second = Math.Max(second, dynamic);
                }

                parent[die] = keep;
            }
        }

        return (significant, second);

        static int Find(int[] parent, int i)
        {
            while (parent[i] != i)
            {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }

            return i;
        }
    }
}
