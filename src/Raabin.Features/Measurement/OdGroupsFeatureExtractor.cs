using Raabin.Features.Imaging;
using Raabin.Features.Segmentation;
using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Measurement;

/// <summary>
/// The central cell at the canonical scale: what the <c>od-groups</c> extractor measures, kept for inspection
/// (<see cref="OdGroupsFeatureExtractor.Canonicalise"/>). See <see cref="FeatureCatalog.CanonicalViewDescription"/>.
/// </summary>
public sealed class CanonicalCellView
{
    /// <summary>The resampling factor k = 64 / <see cref="CellDiameter"/> (output px per input px).</summary>
    public required double Scale { get; init; }

    /// <summary>The whole cell's equivalent diameter in input pixels, 2·sqrt(cell px / π).</summary>
    public required double CellDiameter { get; init; }

    /// <summary>Left column of the window in the input, px.</summary>
    public required int WindowLeft { get; init; }

    /// <summary>Top row of the window in the input, px.</summary>
    public required int WindowTop { get; init; }

    /// <summary>Window width in the input, px.</summary>
    public required int WindowWidth { get; init; }

    /// <summary>Window height in the input, px.</summary>
    public required int WindowHeight { get; init; }

    /// <summary>OD of the red channel at the canonical scale, 0 to 3.</summary>
    public required DoubleImage R { get; init; }

    /// <summary>OD of the green channel at the canonical scale.</summary>
    public required DoubleImage G { get; init; }

    /// <summary>OD of the blue channel at the canonical scale.</summary>
    public required DoubleImage B { get; init; }

    /// <summary>ΣOD = R + G + B at the canonical scale, 0 to 9.</summary>
    public required DoubleImage Sum { get; init; }

    /// <summary>Nucleus mask (0/255) at the canonical scale.</summary>
    public required GrayImage Nucleus { get; init; }

    /// <summary>Whole-cell mask (0/255) at the canonical scale, nucleus included.</summary>
    public required GrayImage Cell { get; init; }

    /// <summary>Cytoplasm mask (0/255): cell minus nucleus, or a 3-px ring around the nucleus when that is under 10 px.</summary>
    public required GrayImage Cytoplasm { get; init; }
}

/// <summary>
/// Extended interpretable features of the central white cell, measured on a canonical-scale view of the nucleus and
/// whole-cell masks (<see cref="NucleusSegmentation.CellMask"/>, from the <c>od-cell</c> segmenter) in optical density:
/// groups <c>shape</c>, <c>colour</c> (stain-relative OD), <c>texture-coarse</c> (LoG σ = 2, granule redness) and
/// <c>texture-fine</c> (LoG σ = 1, uniform LBP), each selectable. Every feature is in <see cref="FeatureCatalog.OdGroups"/>.
/// </summary>
/// <remarks>
/// A segmentation without a whole-cell mask (the <c>reference</c> and <c>cmyk-otsu</c> segmenters give none) is not
/// measured: <see cref="Extract"/> throws <see cref="FeatureExtractionException"/>, which <see cref="CellPipeline"/>
/// writes as a <c>segmentation_failed</c> row with the reason; no dilated-nucleus stand-in is invented, so a cell
/// feature always means the segmented cell. The background of the OD planes is the segmenter's
/// (<c>background_r/g/b</c> in <see cref="NucleusSegmentation.ThresholdParts"/>), else measured as
/// <see cref="OpticalDensity.Of(RgbImage, double)"/> does with its default fraction.
/// </remarks>
public sealed partial class OdGroupsFeatureExtractor : IFeatureExtractor
{
    /// <summary>The name recorded in feature tables and model files.</summary>
    public const string ExtractorName = "od-groups";

    /// <summary>The version of its numbers and feature list.</summary>
    public const int ExtractorVersion = 1;

    /// <summary>The option naming the groups that are on (<c>groups=shape+colour</c>).</summary>
    public const string GroupsOption = "groups";

    /// <summary>The canonical equivalent diameter of the cell, px.</summary>
    public const double CanonicalDiameter = 64.0;

    /// <summary>The segmenters (by name) whose segmentations carry the whole-cell mask this extractor needs.</summary>
    public static IReadOnlyList<string> CellMaskSegmenters { get; } = [OdCellSegmenter.MethodName];

    /// <summary>Smallest canonical nucleus measured, px.</summary>
    public const int MinimumNucleusPixels = 20;

    private static readonly StructuringElement Ellipse3 = StructuringElement.EllipseOfRadius(1);
    private static readonly StructuringElement Ellipse7 = StructuringElement.EllipseOfRadius(3);

    private readonly bool[] _on;
    private readonly FeatureDefinition[] _features;

    /// <summary>Creates the extractor with the given groups on (null: <see cref="FeatureCatalog.OdDefaultGroups"/>).</summary>
    /// <param name="groups">Group names, any order; at least one; <c>all</c> is every group.</param>
    /// <exception cref="ArgumentException">An unknown group, or none.</exception>
    public OdGroupsFeatureExtractor(IEnumerable<string>? groups = null)
    {
        var names = FeatureCatalog.OdGroupNames;
        _on = new bool[names.Count];
        groups ??= FeatureCatalog.OdDefaultGroups;
        {
            foreach (string g in groups.SelectMany(g => g.Trim() == "all" ? names : [g]))
            {
                int i = IndexOfGroup(g.Trim());
                if (i < 0)
                {
                    throw new ArgumentException($"feature extractor {ExtractorName} has no group '{g.Trim()}' (groups: {string.Join(", ", names)})");
                }

                _on[i] = true;
            }

            if (!_on.Any(x => x))
            {
                throw new ArgumentException($"feature extractor {ExtractorName}: name at least one group ({string.Join(", ", names)})");
            }
        }

        Groups = [.. names.Where((_, i) => _on[i])];
        _features = [.. FeatureCatalog.OdGroups.Where(f => _on[IndexOfGroup(f.Group)])];
    }

    /// <summary>The groups that are on, in catalog order.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <inheritdoc />
    public string Name => ExtractorName;

    /// <inheritdoc />
    public int Version => ExtractorVersion;

    /// <inheritdoc />
    public ExtractorSpec Spec => new(ExtractorName, ExtractorVersion, new Dictionary<string, string> { [GroupsOption] = string.Join('+', Groups) });

    /// <inheritdoc />
    public IReadOnlyList<FeatureDefinition> Features => _features;

    /// <summary>The extractor a spec's options describe: <c>groups</c> as names joined by <c>+</c> or <c>,</c>.</summary>
    /// <exception cref="ArgumentException">An unknown option or group.</exception>
    public static OdGroupsFeatureExtractor FromOptions(IReadOnlyDictionary<string, string> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (string key in options.Keys)
        {
            if (key != GroupsOption)
            {
                throw new ArgumentException($"feature extractor {ExtractorName} has no option '{key}' (options: {GroupsOption})");
            }
        }

        return options.TryGetValue(GroupsOption, out string? text)
            ? new OdGroupsFeatureExtractor(text.Split(['+', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : new OdGroupsFeatureExtractor();
    }

    /// <summary>The canonical-scale view of the segmented cell that the features are measured on.</summary>
    /// <exception cref="FeatureExtractionException">No whole-cell mask, an empty one, or a nucleus under
    /// <see cref="MinimumNucleusPixels"/> px at the canonical scale.</exception>
    public static CanonicalCellView Canonicalise(NucleusSegmentation segmentation)
    {
        ArgumentNullException.ThrowIfNull(segmentation);
        if (!segmentation.Succeeded)
        {
            throw new ArgumentException($"Cannot measure a failed segmentation: {segmentation.FailureReason}", nameof(segmentation));
        }

        GrayImage cellMask = segmentation.CellMask
            ?? throw new FeatureExtractionException(
                $"extractor {ExtractorName} needs a whole-cell mask; segmenter '{segmentation.Method}' gives none (use --segmenter {OdCellSegmenter.MethodName})");
        RgbImage input = segmentation.Input;
        int w = input.Width, h = input.Height;

        // Cell area and centroid.
        long count = 0, sumX = 0, sumY = 0;
        byte[] cm = cellMask.Pixels;
        for (int y = 0; y < h; y++)
        {
            int row = y * w;
            var line = cm.AsSpan(row, w);
            int from = line.IndexOfAnyExcept((byte)0);
            if (from < 0)
            {
                continue;
            }

            int to = line.LastIndexOfAnyExcept((byte)0);
            for (int x = from; x <= to; x++)
            {
                if (cm[row + x] != 0)
                {
                    count++;
                    sumX += x;
                    sumY += y;
                }
            }
        }

        if (count == 0)
        {
            throw new FeatureExtractionException($"extractor {ExtractorName}: the whole-cell mask is empty");
        }

        double diameter = 2 * Math.Sqrt(count / Math.PI);
        double k = CanonicalDiameter / diameter;
        int half = (int)Math.Ceiling(0.8 * diameter);
        int cx = (int)((double)sumX / count), cy = (int)((double)sumY / count);
        int x0 = Math.Max(0, cx - half), x1 = Math.Min(w, cx + half);
        int y0 = Math.Max(0, cy - half), y1 = Math.Min(h, cy + half);
        int ww = x1 - x0, wh = y1 - y0;

        // OD planes of the window against the segmenter's background; masks as 0/1 planes. A reduction resamples all
        // five in one pass straight from the input (the same values as resizing each stored plane).
        double[] background = Background(segmentation);
        var tables = new double[3 * 256];
        for (int c = 0; c < 3; c++)
        {
            for (int v = 0; v < 256; v++)
            {
                tables[(c * 256) + v] = OpticalDensity.Of((byte)v, background[c]);
            }
        }

        var window = new WindowRows(input.Pixels, w, x0, y0, tables, segmentation.NucleusMask.Pixels, cellMask.Pixels);
        DoubleImage r, g, b;
        GrayImage nucleus, cell;
        if (k < 1 && Resize.AreaGeneralMany(ww, wh, k, k, window) is { } resized)
        {
            (r, g, b) = (resized[0], resized[1], resized[2]);
            nucleus = Smooth(AboveHalf(resized[3]));
            cell = Smooth(AboveHalf(resized[4]));
        }
        else
        {
            var interpolation = k < 1 ? ResizeInterpolation.Area : ResizeInterpolation.Linear;
            var planes = new DoubleImage[5];
            var row = new double[5 * ww];
            for (int p = 0; p < 5; p++)
            {
                planes[p] = new DoubleImage(ww, wh);
            }

            for (int y = 0; y < wh; y++)
            {
                window.Fill(y, row);
                for (int p = 0; p < 5; p++)
                {
                    Span<double> target = planes[p].Row(y);
                    for (int x = 0; x < ww; x++)
                    {
                        target[x] = row[(5 * x) + p];
                    }
                }
            }

            r = Resize.Scale(planes[0], k, k, interpolation);
            g = Resize.Scale(planes[1], k, k, interpolation);
            b = Resize.Scale(planes[2], k, k, interpolation);
            nucleus = Smooth(AboveHalf(Resize.Scale(planes[3], k, k, interpolation)));
            cell = Smooth(AboveHalf(Resize.Scale(planes[4], k, k, interpolation)));
        }

        int nucleusPixels = 0;
        for (int i = 0; i < cell.Pixels.Length; i++)
        {
            if (nucleus.Pixels[i] != 0)
            {
                cell.Pixels[i] = 255;
                nucleusPixels++;
            }
        }

        if (nucleusPixels < MinimumNucleusPixels)
        {
            throw new FeatureExtractionException(
                $"extractor {ExtractorName}: nucleus of {nucleusPixels} px at the canonical scale (fewer than {MinimumNucleusPixels})");
        }

        var cytoplasm = Minus(cell, nucleus);
        if (MaskOps.Count(cytoplasm) < 10)
        {
            cytoplasm = Minus(Morphology.Dilate(nucleus, Ellipse7), nucleus);
        }

        var sum = new DoubleImage(r.Width, r.Height);
        for (int i = 0; i < sum.Pixels.Length; i++)
        {
            sum.Pixels[i] = r.Pixels[i] + g.Pixels[i] + b.Pixels[i];
        }

        return new CanonicalCellView
        {
            Scale = k,
            CellDiameter = diameter,
            WindowLeft = x0,
            WindowTop = y0,
            WindowWidth = ww,
            WindowHeight = wh,
            R = r,
            G = g,
            B = b,
            Sum = sum,
            Nucleus = nucleus,
            Cell = cell,
            Cytoplasm = cytoplasm,
        };
    }

    /// <inheritdoc />
    public void Extract(NucleusSegmentation segmentation, Span<double> destination)
    {
        if (destination.Length < _features.Length)
        {
            throw new ArgumentException($"Need room for {_features.Length} features.", nameof(destination));
        }

        var view = Canonicalise(segmentation);
        int o = 0;
        if (_on[0])
        {
            o += MeasureShape(view, destination[o..]);
        }

        if (_on[1])
        {
            o += MeasureColour(view, destination[o..]);
        }

        GrayImage? nucleusRegion = null, cytoplasmRegion = null;
        double nucleusLog1 = double.NaN, cytoplasmLog1 = double.NaN;
        if (_on[2] || _on[3])
        {
            nucleusRegion = TextureRegion(view.Nucleus);
            cytoplasmRegion = TextureRegion(view.Cytoplasm);
            if (_on[2])
            {
                var log2 = LaplacianOfGaussian.Apply(view.Sum, 2.0);
                destination[o++] = LogEnergy(log2, view.Sum, nucleusRegion);
                destination[o++] = LogEnergy(log2, view.Sum, cytoplasmRegion);
                o += Redness(view, nucleusRegion, destination[o..]);
                o += Redness(view, cytoplasmRegion, destination[o..]);
            }

            if (_on[3])
            {
                var log1 = LaplacianOfGaussian.Apply(view.Sum, 1.0);
                nucleusLog1 = LogEnergy(log1, view.Sum, nucleusRegion);
                cytoplasmLog1 = LogEnergy(log1, view.Sum, cytoplasmRegion);
                destination[o++] = nucleusLog1;
                destination[o++] = cytoplasmLog1;
                var bytes = OpticalDensity.ToBytes(view.Sum, 3.0);
                var codes = LocalBinaryPattern.Uniform(bytes, Union(nucleusRegion, cytoplasmRegion));
                o += LbpHistogram(codes, nucleusRegion, destination[o..]);
                o += LbpHistogram(codes, cytoplasmRegion, destination[o..]);
            }
        }

        if (_on[4])
        {
            nucleusRegion ??= TextureRegion(view.Nucleus);
            cytoplasmRegion ??= TextureRegion(view.Cytoplasm);
            if (double.IsNaN(nucleusLog1))
            {
                var log1 = LaplacianOfGaussian.Apply(view.Sum, 1.0);
                nucleusLog1 = LogEnergy(log1, view.Sum, nucleusRegion);
                cytoplasmLog1 = LogEnergy(log1, view.Sum, cytoplasmRegion);
            }

            o += MeasureTargeted(view, nucleusRegion, cytoplasmRegion, nucleusLog1, cytoplasmLog1, destination[o..]);
        }

        if (o != _features.Length)
        {
            throw new InvalidOperationException($"{ExtractorName} wrote {o} values for {_features.Length} features.");
        }
    }

    /// <summary>
    /// The shape measurements of one mask, in the catalog's order (<c>solidity</c> ... <c>deep_defects</c>, 12 values).
    /// </summary>
    /// <param name="mask">A mask with at least one nonzero pixel.</param>
    /// <param name="destination">Room for 12 values.</param>
    public static void MeasureMaskShape(GrayImage mask, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(mask);
        double area = MaskOps.Count(mask);
        var contours = ContourTracer.FindExternalContours(mask);
        double perimeter = 0;
        Contour? largest = null;
        foreach (var contour in contours)
        {
            perimeter += contour.Perimeter;
            if (largest is null || contour.Area > largest.Area)
            {
                largest = contour;
            }
        }

        var hull = ConvexHull.OfMask(mask);
        double radius = Math.Sqrt(area / Math.PI);
        destination[0] = area / Math.Max(hull.Area, 1);
        destination[1] = 4 * Math.PI * area / Math.Max(perimeter * perimeter, 1);
        destination[2] = hull.Perimeter / Math.Max(perimeter, 1);

        var moments = ImageMoments.Of(mask);
        double a = moments.Mu20, c = moments.Mu02, bb = moments.Mu11;
        double mean = (a + c) / 2, spread = Math.Sqrt(((a - c) / 2 * ((a - c) / 2)) + (bb * bb));
        double major = mean + spread, minor = Math.Max(mean - spread, 0);
        destination[3] = major > 0 ? Math.Sqrt(1 - minor / major) : 0;
        destination[4] = CountComponents(mask, 8);

        var distance = DistanceTransform.Euclidean(mask);
        double max = 0, total = 0;
        for (int i = 0; i < distance.Pixels.Length; i++)
        {
            double d = distance.Pixels[i];
            if (mask.Pixels[i] != 0)
            {
                total += d;
                max = Math.Max(max, d);
            }
        }

        destination[5] = max / radius;
        destination[6] = total / area / radius;
        destination[7] = Lobes(distance, 0.35 * max);
        destination[8] = Lobes(distance, 0.55 * max);

        double first = 0, second = 0;
        int deep = 0;
        if (largest is not null)
        {
            foreach (var defect in ConvexityDefects.Find(largest))
            {
                double depth = defect.FixedPointDepth / 256.0 / radius;
                if (depth > first)
                {
                    second = first;
                    first = depth;
                }
                else if (depth > second)
                {
                    second = depth;
                }

                deep += depth > 0.25 ? 1 : 0;
            }
        }

        destination[9] = first;
        destination[10] = second;
        destination[11] = deep;
    }

    private static int MeasureShape(CanonicalCellView view, Span<double> destination)
    {
        MeasureMaskShape(view.Nucleus, destination);
        MeasureMaskShape(view.Cell, destination[12..]);
        var (nx, ny, nn) = Centroid(view.Nucleus);
        var (cx, cy, cn) = Centroid(view.Cell);
        destination[24] = (double)nn / cn;
        destination[25] = Math.Sqrt(((nx - cx) * (nx - cx)) + ((ny - cy) * (ny - cy))) / (CanonicalDiameter / 2);
        return 26;
    }

    private static int MeasureColour(CanonicalCellView view, Span<double> destination)
    {
        Span<double> nucleus = stackalloc double[8];
        Span<double> cytoplasm = stackalloc double[8];
        RegionColour(view, view.Nucleus, nucleus);
        RegionColour(view, view.Cytoplasm, cytoplasm);
        nucleus.CopyTo(destination);
        cytoplasm.CopyTo(destination[8..]);
        for (int c = 0; c < 3; c++)
        {
            destination[16 + c] = cytoplasm[c] / (nucleus[c] + 1e-3);
            destination[19 + c] = cytoplasm[3 + c] - nucleus[3 + c];
        }

        return 22;
    }

    // Mean OD R, G, B; mean chromaticity R, G, B; mean and CV of ΣOD + 0.001.
    private static void RegionColour(CanonicalCellView view, GrayImage mask, Span<double> destination)
    {
        double sr = 0, sg = 0, sb = 0, cr = 0, cg = 0, cb = 0, st = 0, st2 = 0;
        long n = 0;
        for (int i = 0; i < mask.Pixels.Length; i++)
        {
            if (mask.Pixels[i] == 0)
            {
                continue;
            }

            double r = view.R.Pixels[i], g = view.G.Pixels[i], b = view.B.Pixels[i];
            double t = r + g + b + 1e-3;
            sr += r;
            sg += g;
            sb += b;
            cr += r / t;
            cg += g / t;
            cb += b / t;
            st += t;
            n++;
        }

        double meanT = st / n;
        for (int i = 0; i < mask.Pixels.Length; i++)
        {
            if (mask.Pixels[i] != 0)
            {
                double d = view.R.Pixels[i] + view.G.Pixels[i] + view.B.Pixels[i] + 1e-3 - meanT;
                st2 += d * d;
            }
        }

        destination[0] = sr / n;
        destination[1] = sg / n;
        destination[2] = sb / n;
        destination[3] = cr / n;
        destination[4] = cg / n;
        destination[5] = cb / n;
        destination[6] = meanT;
        destination[7] = Math.Sqrt(st2 / n) / meanT;
    }

    private static GrayImage TextureRegion(GrayImage mask)
    {
        var eroded = Morphology.Erode(mask, Ellipse3);
        return MaskOps.Count(eroded) < 10 ? mask : eroded;
    }

    private static double LogEnergy(DoubleImage log, DoubleImage sum, GrayImage region)
    {
        double e = 0, s = 0;
        long n = 0;
        for (int i = 0; i < region.Pixels.Length; i++)
        {
            if (region.Pixels[i] != 0)
            {
                e += Math.Abs(log.Pixels[i]);
                s += sum.Pixels[i];
                n++;
            }
        }

        return e / n / ((s / n) + 1e-3);
    }

    private static int Redness(CanonicalCellView view, GrayImage region, Span<double> destination)
    {
        double d = 0, s = 0;
        long n = 0;
        for (int i = 0; i < region.Pixels.Length; i++)
        {
            if (region.Pixels[i] != 0)
            {
                d += view.G.Pixels[i] - view.R.Pixels[i];
                s += view.Sum.Pixels[i];
                n++;
            }
        }

        double mean = d / n, scale = (s / n / 3) + 1e-3, squares = 0;
        for (int i = 0; i < region.Pixels.Length; i++)
        {
            if (region.Pixels[i] != 0)
            {
                double e = view.G.Pixels[i] - view.R.Pixels[i] - mean;
                squares += e * e;
            }
        }

        destination[0] = mean / scale;
        destination[1] = Math.Sqrt(squares / n) / scale;
        return 2;
    }

    private static int LbpHistogram(GrayImage codes, GrayImage region, Span<double> destination)
    {
        Span<long> counts = stackalloc long[10];
        counts.Clear();
        long n = 0;
        for (int i = 0; i < region.Pixels.Length; i++)
        {
            if (region.Pixels[i] != 0)
            {
                counts[codes.Pixels[i]]++;
                n++;
            }
        }

        for (int bin = 0; bin < 10; bin++)
        {
            destination[bin] = (double)counts[bin] / n;
        }

        return 10;
    }

    private static int Lobes(DoubleImage distance, double threshold)
    {
        var core = new GrayImage(distance.Width, distance.Height);
        for (int i = 0; i < core.Pixels.Length; i++)
        {
            core.Pixels[i] = distance.Pixels[i] > threshold ? (byte)255 : (byte)0;
        }

        return CountComponents(core, 4);
    }

    // The number of 4- or 8-connected components of a mask's nonzero pixels (what ConnectedComponents.Label counts),
    // by flood fills a row run at a time (a run is always marked whole), without labelling: the runs of the rows above
    // and below that join a run are those overlapping its columns (4-connected) or one column more on each side (8).
    private static int CountComponents(GrayImage mask, int connectivity)
    {
        int w = mask.Width, h = mask.Height, n = w * h;
        byte[] m = mask.Pixels;
        bool[] seen = t_seen is { } s && s.Length >= n ? s : (t_seen = new bool[n]);
        Array.Clear(seen, 0, n);
        int reach = connectivity == 8 ? 1 : 0;
        var stack = new MaskOps.RunStack();
        int count = 0;
        for (int start = 0; start < n; start++)
        {
            // Skip runs of background at once.
            int offset = m.AsSpan(start, n - start).IndexOfAnyExcept((byte)0);
            if (offset < 0)
            {
                break;
            }

            start += offset;
            if (seen[start])
            {
                continue;
            }

            count++;
            stack.Push(start);
            while (stack.TryPop(out int i))
            {
                if (seen[i])
                {
                    continue;
                }

                int y = i / w, row = y * w, x = i - row;
                ReadOnlySpan<byte> line = m.AsSpan(row, w);
                int left = line[..x].LastIndexOf((byte)0) + 1;
                int after = line[x..].IndexOf((byte)0);
                int right = after < 0 ? w - 1 : x + after - 1;
                seen.AsSpan(row + left, right - left + 1).Fill(true);
                int from = Math.Max(0, left - reach), to = Math.Min(w - 1, right + reach);
                if (y > 0)
                {
                    PushRuns(m, seen, row - w + from, row - w + to, ref stack);
                }

                if (y + 1 < h)
                {
                    PushRuns(m, seen, row + w + from, row + w + to, ref stack);
                }
            }
        }

        stack.Return();
        return count;

        // One seed per mask run of [from, to] not yet seen.
        static void PushRuns(byte[] m, bool[] seen, int from, int to, ref MaskOps.RunStack stack)
        {
            for (int j = from; j <= to; j++)
            {
                if (m[j] == 0)
                {
                    continue;
                }

                if (!seen[j])
                {
                    stack.Push(j);
                }

                while (j < to && m[j + 1] != 0)
                {
                    j++;
                }
            }
        }
    }

    [ThreadStatic]
    private static bool[]? t_seen;

    private static double[] Background(NucleusSegmentation segmentation)
    {
        var parts = segmentation.ThresholdParts;
        if (parts.TryGetValue("background_r", out double r) && parts.TryGetValue("background_g", out double g) && parts.TryGetValue("background_b", out double b))
        {
            return [r, g, b];
        }

        OpticalDensity.Background(segmentation.Input, 0.08, out r, out g, out b);
        return [r, g, b];
    }

    // 255 where a resampled 0/1 plane is above 0.5.
    private static GrayImage AboveHalf(DoubleImage resized)
    {
        var result = new GrayImage(resized.Width, resized.Height);
        for (int i = 0; i < result.Pixels.Length; i++)
        {
            result.Pixels[i] = resized.Pixels[i] > 0.5 ? (byte)255 : (byte)0;
        }

        return result;
    }

    // The rows of the window: planes 0-2 the OD of R, G, B (by table), 3 and 4 the nucleus and cell masks as 0/1.
    private readonly struct WindowRows(byte[] rgb, int width, int x0, int y0, double[] tables, byte[] nucleus, byte[] cell) : Resize.IRowSource
    {
        public int PlaneCount => 5;

        public void Fill(int y, Span<double> row)
        {
            int start = ((y + y0) * width) + x0;
            for (int x = 0, src = start * 3, o = 0; o < row.Length; x++, src += 3, o += 5)
            {
                row[o] = tables[rgb[src]];
                row[o + 1] = tables[256 + rgb[src + 1]];
                row[o + 2] = tables[512 + rgb[src + 2]];
                row[o + 3] = nucleus[start + x] != 0 ? 1 : 0;
                row[o + 4] = cell[start + x] != 0 ? 1 : 0;
            }
        }
    }

    private static GrayImage Smooth(GrayImage mask) => Morphology.Open(Morphology.Close(mask, Ellipse3), Ellipse3);

    // The codes are read only inside the two regions.
    private static GrayImage Union(GrayImage a, GrayImage b)
    {
        var result = new GrayImage(a.Width, a.Height);
        for (int i = 0; i < result.Pixels.Length; i++)
        {
            result.Pixels[i] = (byte)(a.Pixels[i] | b.Pixels[i]);
        }

        return result;
    }

    private static GrayImage Minus(GrayImage a, GrayImage b)
    {
        var result = new GrayImage(a.Width, a.Height);
        for (int i = 0; i < result.Pixels.Length; i++)
        {
            result.Pixels[i] = a.Pixels[i] != 0 && b.Pixels[i] == 0 ? (byte)255 : (byte)0;
        }

        return result;
    }

    private static (double X, double Y, long N) Centroid(GrayImage mask)
    {
        long sx = 0, sy = 0, n = 0;
        for (int y = 0; y < mask.Height; y++)
        {
            var row = mask.Row(y);
            for (int x = 0; x < row.Length; x++)
            {
                if (row[x] != 0)
                {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }

        return ((double)sx / n, (double)sy / n, n);
    }

    private static int IndexOfGroup(string name)
    {
        var names = FeatureCatalog.OdGroupNames;
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
