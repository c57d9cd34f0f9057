using Raabin.Features.Imaging;
using Raabin.Features.Segmentation.Thresholding;

namespace Raabin.Features.Segmentation;

/// <summary>Settings of <see cref="OdCellSegmenter"/>; the defaults were chosen on the Zheng ground truth (see the README of the segmenter).</summary>
public sealed record OdCellSegmenterOptions
{
    /// <summary>Default settings.</summary>
    public static OdCellSegmenterOptions Default { get; } = new();

    /// <summary>Fraction of the brightest pixels whose per-channel median is the background (see <see cref="OpticalDensity.Of(RgbImage, double)"/>).</summary>
    public double BackgroundFraction { get; init; } = 0.08;

    /// <summary>OD that maps to 255 when the OD planes are scaled to 8 bits.</summary>
    public double OdFullScale { get; init; } = 1.5;

    /// <summary>Weight w of the blue OD subtracted from the green OD in the nucleus channel <c>OD_G − w·OD_B</c>.</summary>
    public double BlueWeight { get; init; }

    /// <summary>Gaussian kernel size applied to both 8-bit channels (odd; 0 or 1: none).</summary>
    public int BlurKernelSize { get; init; } = 5;

    /// <summary>Added to the within-cell Otsu threshold of the nucleus channel, in 8-bit channel units (negative: more nucleus).</summary>
    public int ThresholdOffset { get; init; } = -10;

    /// <summary>
    /// After the nucleus is found, the pixels next to it (4-neighbours) whose nucleus channel exceeds this 8-bit level are
    /// added: dense boundary pixels that the in-cell Otsu threshold left out (100 ≈ OD_G − w·OD_B of 0.59 at the default
    /// full scale, i.e. about a quarter of the background's green light gets through). 255 turns it off. Chosen on the Zheng
    /// ground truth, like the other defaults.
    /// </summary>
    public int EdgeLevel { get; init; } = 100;

    /// <summary>
    /// A nucleus pixel's blue share of OD (OD_B / ΣOD, blurred) may exceed the median share of the coarse nucleus by at
    /// most this much (0 to 1; 1 = no limit): it keeps orange-red granules (eosinophils) out of the purple nucleus.
    /// </summary>
    public double BlueShareMargin { get; init; } = 0.08;

    /// <summary>Spread of the centre weight that picks the central cell, as a fraction of the crop's shorter side.</summary>
    public double CentreSigma { get; init; } = 0.35;

    /// <summary>Nucleus pieces smaller than this fraction of the largest are dropped.</summary>
    public double MinimumPieceFraction { get; init; } = 0.02;

    /// <summary>The cell foreground is the mean OD above this fraction of its lower 3-class Otsu threshold.</summary>
    public double CellThresholdFraction { get; init; } = 0.3;

    /// <summary>
    /// Whether foreground pixels whose OD chromaticity is nearer the red cells' (the foreground components away from the
    /// nucleus) than the cytoplasm's (a ring around the nucleus) are taken out of the cell: it stops the cell mask at
    /// touching red cells when the crop shows some.
    /// </summary>
    public bool ExcludeRedCellColour { get; init; } = true;

    /// <summary>Opening radius that cuts bridges from the cell to touching red cells, as a fraction of the nucleus radius.</summary>
    public double CellOpeningRadius { get; init; } = 0.5;

    /// <summary>The cell is kept within this distance of the nucleus, as a multiple of the nucleus radius.</summary>
    public double CellReach { get; init; } = 1.3;

    /// <summary>A nucleus with fewer pixels (of the input image) than this is rejected.</summary>
    public int MinimumNucleusPixels { get; init; } = 20;

    /// <summary>
    /// Largest longest side, in pixels, segmented as is: a larger crop is first reduced by the smallest integer factor k
    /// that brings its longest side to at most this (k × k block means), segmented there, and its masks are brought back
    /// to the input size (bilinear, set at half); 0 always segments at the input resolution. Pixel counts
    /// (<see cref="MinimumNucleusPixels"/> and the internal minimum areas) scale with the area, radii with the nucleus.
    /// The factor is <see cref="NucleusSegmentation.ThresholdParts"/> <c>working_scale</c> = 1/k. With 200, 360×363 PBC
    /// and 300×300 CellaVision crops are halved and 120×120 JTSC crops are not reduced.
    /// </summary>
    public int WorkingSize { get; init; } = 200;

    /// <summary>
    /// Gaussian σ, in working pixels, of the blur of the nucleus channel and the blue share when the crop was reduced
    /// (kernel <see cref="BlurKernelSize"/>; 0: none): the reduction has already averaged, so the full-resolution blur
    /// would over-smooth the nucleus edge. The cell channel and the chromaticity planes keep the
    /// <see cref="BlurKernelSize"/> blur.
    /// </summary>
    public double WorkingNucleusBlurSigma { get; init; } = 0.4;
}

/// <summary>
/// Nucleus and whole cell of the central white cell, in optical density against the crop's own background, so the
/// thresholds mean the same under any lamp, camera white balance or stain intensity:
/// <list type="number">
/// <item>a crop larger than <see cref="OdCellSegmenterOptions.WorkingSize"/> is reduced by an integer factor (block
/// means); every later step runs at that size and the masks are brought back to the input size at the end;</item>
/// <item>background and OD per channel (<see cref="OpticalDensity"/>);</item>
/// <item>nucleus channel OD_G − w·OD_B and cell channel mean OD, each scaled to 8 bits and blurred;</item>
/// <item>the cell foreground: cell channel above a fraction of its lower 3-class Otsu threshold, holes filled;</item>
/// <item>the central cell: nucleus candidates above the upper 3-class Otsu threshold of the nucleus channel, opened,
/// scored by area × a Gaussian weight of the distance to the crop centre; the foreground components holding the best
/// candidate (and pieces of it within 2.2 radii) are the cell region;</item>
/// <item>the nucleus: inside the cell region, the nucleus channel above its own Otsu threshold (plus an offset), without
/// pixels much bluer (in OD share) than the coarse nucleus, opened with a 3×3 ellipse, small pieces dropped, holes filled;</item>
/// <item>the whole cell: the foreground without pixels coloured like the crop's red cells (nearer, in OD chromaticity, the
/// foreground away from the nucleus than a ring around it), opened at half the nucleus radius (cutting bridges to red
/// cells), joined to the nucleus, the components touching it, kept within a dilation of the nucleus, opened again, holes
/// filled.</item>
/// </list>
/// The nucleus then gets the reference segmenter's hull and ROC (no small-contour removal), so the reference features
/// can be measured on it too. Every threshold is in <see cref="NucleusSegmentation.ThresholdParts"/>.
/// </summary>
public sealed class OdCellSegmenter : INucleusSegmenter
{
    /// <summary>The name recorded in outputs.</summary>
    public const string MethodName = "od-cell";

    private readonly OdCellSegmenterOptions _options;

    /// <summary>Creates the segmenter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option out of its range.</exception>
    public OdCellSegmenter(OdCellSegmenterOptions? options = null)
    {
        _options = options ?? OdCellSegmenterOptions.Default;
        var o = _options;
        if (!(o.BackgroundFraction > 0 && o.BackgroundFraction <= 1) || !(o.OdFullScale > 0) || !(o.CentreSigma > 0)
            || !(o.CellThresholdFraction >= 0) || !(o.CellOpeningRadius >= 0) || !(o.CellReach > 0) || !(o.MinimumPieceFraction >= 0)
            || o.WorkingSize < 0 || !(o.WorkingNucleusBlurSigma >= 0) || !double.IsFinite(o.WorkingNucleusBlurSigma)
            || !(o.BlueShareMargin >= 0 && o.BlueShareMargin <= 1) || o.BlurKernelSize < 0 || (o.BlurKernelSize > 1 && o.BlurKernelSize % 2 == 0) || !double.IsFinite(o.BlueWeight))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"Invalid {MethodName} options: {o}.");
        }
    }

    /// <inheritdoc />
    public string Name => MethodName;

    /// <inheritdoc />
    public SegmenterSpec Spec => SegmenterSpec.Of(MethodName, _options);

    /// <inheritdoc />
    public NucleusSegmentation Segment(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var o = _options;
        int w = image.Width, h = image.Height;
        int factor = ReductionFactor(w, h, o.WorkingSize);
        RgbImage work = image;
        if (factor > 1)
        {
            // The reduced crop is only read by this run: one buffer per thread, reused while the size stays the same.
            (int rw, int rh) = (Math.Max(1, w / factor), Math.Max(1, h / factor));
            work = t_reduced is { } kept && kept.Width == rw && kept.Height == rh ? kept : (t_reduced = new RgbImage(rw, rh));
            Reduce(image, factor, work);
        }

        var run = new Run(this, work, 1.0 / factor);
        Outcome outcome = run.Segment();
        // The balanced image, hull mask and ROC serve only the reference features: made when first read.
        GrayImage nucleus = factor > 1 ? UpscaleMask(outcome.Nucleus, factor, w, h) : outcome.Nucleus;
        GrayImage? cell = outcome.Cell is null ? null : factor > 1 ? UpscaleMask(outcome.Cell, factor, w, h) : outcome.Cell;
        return NucleusMaskFinisher.Finish(MethodName, image, null, () => GrayWorldBalance.Apply(image), outcome.Channel, outcome.Threshold, run.Parts, false, nucleus, outcome.MinimumArea, 0, cell);
    }

    /// <summary>
    /// The integer factor by which a <paramref name="width"/> × <paramref name="height"/> crop is reduced: the smallest
    /// that brings its longest side to at most <paramref name="workingSize"/> (1 when it already fits or the size is 0).
    /// </summary>
    internal static int ReductionFactor(int width, int height, int workingSize)
    {
        int longest = Math.Max(width, height);
        return workingSize <= 0 || longest <= workingSize ? 1 : (longest + workingSize - 1) / workingSize;
    }

    /// <summary>
    /// The crop reduced by an integer <paramref name="factor"/> k: each output pixel is the mean of a k × k block per
    /// channel, rounded half up (<c>(sum + k²/2) / k²</c>; for k = 2 that is OpenCV INTER_AREA's <c>(sum + 2) &gt;&gt; 2</c>);
    /// a remainder of fewer than k rows or columns at the bottom and right is dropped. The output is at least 1 × 1.
    /// </summary>
    internal static RgbImage Reduce(RgbImage image, int factor)
    {
        var result = new RgbImage(Math.Max(1, image.Width / factor), Math.Max(1, image.Height / factor));
        Reduce(image, factor, result);
        return result;
    }

    [ThreadStatic]
    private static RgbImage? t_reduced;

    // Reduce into a result of the reduced size.
    private static void Reduce(RgbImage image, int factor, RgbImage result)
    {
        int w = image.Width, h = image.Height;
        int ow = result.Width, oh = result.Height;
        int bw = Math.Min(factor, w), bh = Math.Min(factor, h);
        byte[] src = image.Pixels, dst = result.Pixels;
        int area = bw * bh, half = area / 2;
        if (bw == 2 && bh == 2)
        {
            // 2 × 2 blocks, the common case: (sum + 2) / 4 per channel.
            for (int oy = 0; oy < oh; oy++)
            {
                int upper = 2 * oy * w * 3, lower = upper + (w * 3), o = oy * ow * 3;
                for (int q = 0; q < ow * 3; q += 3, upper += 6, lower += 6)
                {
                    dst[o + q] = (byte)((src[upper] + src[upper + 3] + src[lower] + src[lower + 3] + 2) >> 2);
                    dst[o + q + 1] = (byte)((src[upper + 1] + src[upper + 4] + src[lower + 1] + src[lower + 4] + 2) >> 2);
                    dst[o + q + 2] = (byte)((src[upper + 2] + src[upper + 5] + src[lower + 2] + src[lower + 5] + 2) >> 2);
                }
            }

            return;
        }

        Span<int> sums = ow * 3 <= 4096 ? stackalloc int[ow * 3] : new int[ow * 3];
        for (int oy = 0; oy < oh; oy++)
        {
            sums.Clear();
            for (int y = oy * bh; y < (oy + 1) * bh; y++)
            {
                int p = y * w * 3;
                for (int ox = 0, q = 0; ox < ow; ox++, q += 3)
                {
                    int r = 0, g = 0, b = 0;
                    for (int x = 0; x < bw; x++, p += 3)
                    {
                        r += src[p];
                        g += src[p + 1];
                        b += src[p + 2];
                    }

                    sums[q] += r;
                    sums[q + 1] += g;
                    sums[q + 2] += b;
                }
            }

            int o = oy * ow * 3;
            for (int q = 0; q < ow * 3; q++)
            {
                dst[o + q] = (byte)((sums[q] + half) / area);
            }
        }
    }

    /// <summary>
    /// A 0/255 mask reduced by <paramref name="factor"/> brought back to <paramref name="width"/> × <paramref name="height"/>:
    /// bilinear interpolation with pixel centres aligned (source x = (x + ½) / factor − ½, clamped to the mask), set
    /// where the interpolated value is at least half. Only the bounding box of the mask (plus one source pixel) is visited.
    /// </summary>
    /// <remarks>A factor of 2 is computed in integer quarters (the same decisions; <paramref name="integerHalving"/>: false takes the
    /// general double path, which tests compare it with).</remarks>
    internal static GrayImage UpscaleMask(GrayImage mask, int factor, int width, int height, bool integerHalving = true)
    {
        var result = new GrayImage(width, height);
        int sw = mask.Width, sh = mask.Height;
        byte[] src = mask.Pixels;
        int x0 = sw, x1 = -1, y0 = sh, y1 = -1;
        for (int y = 0; y < sh; y++)
        {
            var row = src.AsSpan(y * sw, sw);
            int first = row.IndexOfAnyExcept((byte)0);
            if (first < 0)
            {
                continue;
            }

            y0 = Math.Min(y0, y);
            y1 = y;
            x0 = Math.Min(x0, first);
            x1 = Math.Max(x1, row.LastIndexOfAnyExcept((byte)0));
        }

        if (x1 < 0)
        {
            return result;
        }

        double rx = 1.0 / factor, ry = rx;

        // Output pixels whose source position lies within one source pixel of the box: the others read only zeros.
        int ox0 = Math.Max(0, (int)Math.Floor(((x0 - 1 + 0.5) / rx) - 0.5)), ox1 = Math.Min(width - 1, (int)Math.Ceiling(((x1 + 1 + 0.5) / rx) - 0.5));
        int oy0 = Math.Max(0, (int)Math.Floor(((y0 - 1 + 0.5) / ry) - 0.5)), oy1 = Math.Min(height - 1, (int)Math.Ceiling(((y1 + 1 + 0.5) / ry) - 0.5));
        int span = ox1 - ox0 + 1;
        Span<int> left = span <= 1024 ? stackalloc int[span] : new int[span];
        Span<double> fraction = span <= 1024 ? stackalloc double[span] : new double[span];
        for (int x = ox0; x <= ox1; x++)
        {
            (left[x - ox0], fraction[x - ox0]) = SourcePosition(x, rx, sw);
        }

        byte[] dst = result.Pixels;
        if (factor == 2 && integerHalving)
        {
            // Halved crops: every fraction is 0, ¼ or ¾, so each product and sum below is exact in doubles and the same
            // test reads, in sixteenths, (4 − FY)·U + FY·L ≥ 8 with U and L the rows' sums in quarters.
            Span<int> quarters = span <= 1024 ? stackalloc int[span] : new int[span];
            for (int x = 0; x < span; x++)
            {
                quarters[x] = (int)(fraction[x] * 4);
            }

            for (int y = oy0; y <= oy1; y++)
            {
                (int top, double fy) = SourcePosition(y, ry, sh);
                int bottom = Math.Min(top + 1, sh - 1), wy = (int)(fy * 4);
                ReadOnlySpan<byte> upperRow = src.AsSpan(top * sw, sw), lowerRow = src.AsSpan(bottom * sw, sw);
                Span<byte> output = dst.AsSpan((y * width) + ox0, span);
                for (int x = 0; x < span; x++)
                {
                    int l = left[x], r = Math.Min(l + 1, sw - 1), wx = quarters[x];
                    int upper = (upperRow[l] != 0 ? 4 - wx : 0) + (upperRow[r] != 0 ? wx : 0);
                    int lower = (lowerRow[l] != 0 ? 4 - wx : 0) + (lowerRow[r] != 0 ? wx : 0);
                    output[x] = ((4 - wy) * upper) + (wy * lower) >= 8 ? (byte)255 : (byte)0;
                }
            }

            return result;
        }

        for (int y = oy0; y <= oy1; y++)
        {
            (int top, double fy) = SourcePosition(y, ry, sh);
            int bottom = Math.Min(top + 1, sh - 1);
            for (int x = ox0; x <= ox1; x++)
            {
                int l = left[x - ox0], r = Math.Min(l + 1, sw - 1);
                double fx = fraction[x - ox0];
                double upper = (src[(top * sw) + l] != 0 ? 1 - fx : 0) + (src[(top * sw) + r] != 0 ? fx : 0);
                double lower = (src[(bottom * sw) + l] != 0 ? 1 - fx : 0) + (src[(bottom * sw) + r] != 0 ? fx : 0);
                dst[(y * width) + x] = ((1 - fy) * upper) + (fy * lower) >= 0.5 ? (byte)255 : (byte)0;
            }
        }

        return result;
    }

    private static (int Index, double Fraction) SourcePosition(int x, double ratio, int size)
    {
        double s = ((x + 0.5) * ratio) - 0.5;
        if (s <= 0)
        {
            return (0, 0);
        }

        int i = (int)Math.Floor(s);
        return i >= size - 1 ? (size - 1, 0) : (i, s - i);
    }

    /// <summary>What one run decided: the nucleus channel, threshold, masks at the working size, and the area rule.</summary>
    private sealed record Outcome(GrayImage Channel, int Threshold, GrayImage Nucleus, GrayImage? Cell, double MinimumArea);

    /// <summary>One segmentation at the working size; pixel counts and positions are reported in input pixels.</summary>
    private sealed class Run
    {
        private readonly OdCellSegmenterOptions _o;
        private RgbImage _image;
        private int _w;
        private int _h;
        private readonly double _scaleX;
        private readonly double _scaleY;
        private readonly double _area;
        private readonly bool _reduced;
        private readonly double[] _odR = new double[256];
        private readonly double[] _odG = new double[256];
        private readonly double[] _odB = new double[256];
        private GrayImage[]? _shares;

        public Run(OdCellSegmenter owner, RgbImage image, double scale)
        {
            _o = owner._options;
            _image = image;
            _w = image.Width;
            _h = image.Height;
            _scaleX = scale;
            _scaleY = scale;
            _area = scale * scale;
            _reduced = _area < 1;
        }

        public Dictionary<string, double> Parts { get; } = new();

        public Outcome Segment()
        {
            var o = _o;
            int w = _w, h = _h, n = w * h;
            OpticalDensity.Background(_image, o.BackgroundFraction, out double bgR, out double bgG, out double bgB);
            for (int v = 0; v < 256; v++)
            {
                _odR[v] = OpticalDensity.Of((byte)v, bgR);
                _odG[v] = OpticalDensity.Of((byte)v, bgG);
                _odB[v] = OpticalDensity.Of((byte)v, bgB);
            }

            // The two 8-bit channels in one pass, with the same arithmetic as OpticalDensity.ToBytes of the planes.
            var channel = new GrayImage(w, h);
            var cellChannel = new GrayImage(w, h);
            double k = 255 / o.OdFullScale, blueWeight = o.BlueWeight;
            byte[] px = _image.Pixels, nucleusBytes = channel.Pixels, cellBytes = cellChannel.Pixels;
            if (blueWeight == 0)
            {
                // g − 0·b is g exactly (OD is finite), so the nucleus channel is a function of the green byte alone.
                Span<byte> greenBytes = stackalloc byte[256];
                for (int v = 0; v < 256; v++)
                {
                    greenBytes[v] = (byte)Math.Clamp((_odG[v] - (blueWeight * _odB[0])) * k, 0, 255);
                }

                for (int i = 0, p = 0; i < n; i++, p += 3)
                {
                    nucleusBytes[i] = greenBytes[px[p + 1]];
                    cellBytes[i] = (byte)Math.Clamp((_odR[px[p]] + _odG[px[p + 1]] + _odB[px[p + 2]]) / 3 * k, 0, 255);
                }
            }
            else
            {
                for (int i = 0, p = 0; i < n; i++, p += 3)
                {
                    double r = _odR[px[p]], g = _odG[px[p + 1]], b = _odB[px[p + 2]];
                    nucleusBytes[i] = (byte)Math.Clamp((g - (blueWeight * b)) * k, 0, 255);
                    cellBytes[i] = (byte)Math.Clamp((r + g + b) / 3 * k, 0, 255);
                }
            }

            channel = NucleusBlur(channel);
            cellChannel = Blur(cellChannel);
            Parts["working_scale"] = Math.Sqrt(_area);
            Parts["background_r"] = bgR;
            Parts["background_g"] = bgG;
            Parts["background_b"] = bgB;
            var empty = new GrayImage(w, h);
            if (!MultiOtsu.TryThresholds(channel, 3, out int[] nucleus3) || !MultiOtsu.TryThresholds(cellChannel, 3, out int[] cell3))
            {
                return new Outcome(channel, 0, empty, null, 0);
            }

            // Cell foreground.
            double cellThreshold = Math.Max(o.CellThresholdFraction * cell3[0], 4);
            Parts["cell_otsu3_lower"] = cell3[0];
            Parts["cell_threshold"] = cellThreshold;
            GrayImage foreground = MaskOps.FillHoles(Above(cellChannel, cellThreshold));

            // The central cell, from coarse nucleus candidates.
            Parts["nucleus_otsu3_upper"] = nucleus3[1];
            var ellipse3 = StructuringElement.EllipseOfRadius(1);
            GrayImage coarse = Morphology.Open(Above(channel, nucleus3[1]), ellipse3);
            GrayImage central = CentralPieces(coarse, o.CentreSigma, 0.08, 2.2, out double centralX, out double centralY);
            Parts["centre_x"] = ((centralX + 0.5) / _scaleX) - 0.5;
            Parts["centre_y"] = ((centralY + 0.5) / _scaleY) - 0.5;
            GrayImage region = ComponentsTouching(foreground, central);
            int regionPixels = MaskOps.Count(region);
            if (regionPixels < 50 * _area)
            {
                // No foreground around the nucleus (e.g. a crop of bare nucleus): look at the whole crop.
                region.Pixels.AsSpan().Fill(255);
                regionPixels = n;
            }

            GrayImage fullChannel = channel;

            // The nucleus: Otsu inside the cell region.
            Span<long> histogram = stackalloc long[256];
            histogram.Clear();
            for (int i = 0; i < n; i++)
            {
                if (region.Pixels[i] != 0)
                {
                    histogram[channel.Pixels[i]]++;
                }
            }

            if (!MultiOtsu.TryThresholds(histogram, 0, 2, out int[] inner))
            {
                return new Outcome(channel, 0, empty, null, 0);
            }

            int threshold = inner[0] + o.ThresholdOffset;
            Parts["cell_region_px"] = regionPixels / _area;
            Parts["nucleus_otsu2_in_cell"] = inner[0];

            // Every later step runs in a box around the cell region and the coarse pieces: the nucleus lies in the
            // region, and so does the cell (it is made of foreground components touching the nucleus), hole filling
            // and openings there depend only on the region, and the margin covers the blur (2 px) and the ring around
            // the nucleus, so the masks are the same as over the whole crop. Only the red cells' colour, which
            // needs the foreground everywhere, is measured over the whole crop.
            RgbImage fullImage = _image;
            GrayImage fullForeground = foreground;
            int ringMax = Math.Max(2, (int)Math.Round(0.25 * Math.Sqrt(regionPixels / Math.PI)));
            var box = Box.Around(region, central, ringMax + 3);
            if (box.Width * box.Height < n)
            {
                channel = box.Crop(channel);
                region = box.Crop(region);
                central = box.Crop(central);
                foreground = box.Crop(foreground);
                _image = box.Crop(_image);
                (_w, _h) = (box.Width, box.Height);
            }

            GrayImage nucleus = Above(channel, threshold);
            And(nucleus, region);
            if (o.BlueShareMargin < 1)
            {
                LimitBlueShare(nucleus, central, o.BlueShareMargin);
            }

            nucleus = Morphology.Open(nucleus, ellipse3);
            DropSmallPieces(nucleus, o.MinimumPieceFraction);
            nucleus = MaskOps.FillHoles(nucleus);
            if (o.EdgeLevel < 255)
            {
                var grown = Morphology.Dilate(nucleus, StructuringElement.Cross(3, 3));
                for (int i = 0; i < grown.Pixels.Length; i++)
                {
                    if (grown.Pixels[i] != 0 && nucleus.Pixels[i] == 0 && channel.Pixels[i] > o.EdgeLevel)
                    {
                        nucleus.Pixels[i] = 255;
                    }
                }
            }

            int nucleusPixels = MaskOps.Count(nucleus);
            if (nucleusPixels < o.MinimumNucleusPixels * _area)
            {
                return new Outcome(fullChannel, threshold, box.Paste(nucleus, w, h), null, double.PositiveInfinity);
            }

            // The whole cell; radii in working pixels.
            double radius = Math.Sqrt(nucleusPixels / Math.PI);
            GrayImage cell = foreground;
            if (o.ExcludeRedCellColour)
            {
                cell = WithoutRedCellColour(foreground, nucleus, radius, fullImage, fullForeground, box.Paste(nucleus, w, h));
            }

            int open = (int)Math.Round(o.CellOpeningRadius * radius);
            if (open >= 1)
            {
                cell = Morphology.Open(cell, StructuringElement.EllipseOfRadius(open));
            }

            Or(cell, nucleus);
            cell = ComponentsTouching(cell, nucleus);
            And(cell, Morphology.Dilate(nucleus, StructuringElement.EllipseOfRadius(Math.Max(1, (int)Math.Round(o.CellReach * radius)))));
            int reopen = (int)Math.Round(0.3 * radius);
            if (reopen >= 1)
            {
                cell = Morphology.Open(cell, StructuringElement.EllipseOfRadius(reopen));
            }

            Or(cell, nucleus);
            cell = MaskOps.FillHoles(cell);
            Parts["nucleus_radius"] = radius / Math.Sqrt(_area);
            return new Outcome(fullChannel, threshold, box.Paste(nucleus, w, h), box.Paste(cell, w, h), 0);
        }

        // Chromaticity OD_c / ΣOD as 8 bits (unblurred), the three planes computed once.
        private GrayImage[] Shares()
        {
            if (_shares is not null)
            {
                return _shares;
            }

            int n = _w * _h;
            _shares = [new GrayImage(_w, _h), new GrayImage(_w, _h), new GrayImage(_w, _h)];
            byte[] px = _image.Pixels;
            byte[] sr = _shares[0].Pixels, sg = _shares[1].Pixels, sb = _shares[2].Pixels;
            for (int i = 0, p = 0; i < n; i++, p += 3)
            {
                ShareBytes(px[p], px[p + 1], px[p + 2], out sr[i], out sg[i], out sb[i]);
            }

            return _shares;
        }

        // One pixel's chromaticity OD_c / ΣOD as 8 bits.
        private void ShareBytes(byte red, byte green, byte blue, out byte sr, out byte sg, out byte sb)
        {
            double r = _odR[red], g = _odG[green], b = _odB[blue];
            double sum = r + g + b + 1e-3;
            sr = (byte)Math.Clamp(r / sum * 255, 0, 255);
            sg = (byte)Math.Clamp(g / sum * 255, 0, 255);
            sb = (byte)Math.Clamp(b / sum * 255, 0, 255);
        }

        // The foreground without the pixels whose chromaticity (OD_c / ΣOD, each blurred as 8 bits) is nearer the median of
        // the red cells (foreground components not touching the nucleus) than that of the cytoplasm ring around the nucleus.
        // The red cells are found over the whole crop (fullImage, fullForeground, fullNucleus); foreground and nucleus
        // are the box's.
        private GrayImage WithoutRedCellColour(GrayImage foreground, GrayImage nucleus, double radius, RgbImage fullImage, GrayImage fullForeground, GrayImage fullNucleus)
        {
            int n = foreground.Pixels.Length;
            GrayImage ring = Morphology.Dilate(nucleus, StructuringElement.EllipseOfRadius(Math.Max(2, (int)Math.Round(0.25 * radius))));
            int ringCount = 0;
            for (int i = 0; i < n; i++)
            {
                bool inRing = ring.Pixels[i] != 0 && nucleus.Pixels[i] == 0 && foreground.Pixels[i] != 0;
                ring.Pixels[i] = inRing ? (byte)255 : (byte)0;
                ringCount += inRing ? 1 : 0;
            }

            // Red cells: the foreground components not touching the nucleus; their share histograms in the same pass.
            GrayImage own = ComponentsTouching(fullForeground, fullNucleus);
            int redCount = 0;
            Span<int> redHistograms = stackalloc int[3 * 256];
            redHistograms.Clear();
            byte[] px = fullImage.Pixels, fg = fullForeground.Pixels, mine = own.Pixels;

            for (int i = 0, p = 0; i < fg.Length; i++, p += 3)
            {
                if (fg[i] == 0 || mine[i] != 0)
                {
                    continue;
                }

                redCount++;
                ShareBytes(px[p], px[p + 1], px[p + 2], out byte sr, out byte sg, out byte sb);
                redHistograms[sr]++;
                redHistograms[256 + sg]++;
                redHistograms[512 + sb]++;
            }

            if (redCount <= 200 * _area || ringCount <= 20 * _area)
            {
                return foreground;
            }

            GrayImage[] raw = Shares();
            var shares = new GrayImage[3];
            var red3 = new double[3];
            var cytoplasm3 = new double[3];
            Span<int> histogram = stackalloc int[256];
            for (int c = 0; c < 3; c++)
            {
                red3[c] = OpticalDensity.Median(redHistograms.Slice(256 * c, 256), redCount);
                cytoplasm3[c] = MedianOver(raw[c], ring, histogram, ringCount);
                shares[c] = Blur(raw[c]);
            }

            Parts["red_cell_share_r"] = red3[0] / 255;
            Parts["red_cell_share_b"] = red3[2] / 255;
            Parts["cytoplasm_share_r"] = cytoplasm3[0] / 255;
            Parts["cytoplasm_share_b"] = cytoplasm3[2] / 255;
            var result = new GrayImage(foreground.Width, foreground.Height);
            for (int i = 0; i < n; i++)
            {
                if (foreground.Pixels[i] == 0)
                {
                    continue;
                }

                double toRed = 0, toCytoplasm = 0;
                for (int c = 0; c < 3; c++)
                {
                    double v = shares[c].Pixels[i];
                    toRed += (v - red3[c]) * (v - red3[c]);
                    toCytoplasm += (v - cytoplasm3[c]) * (v - cytoplasm3[c]);
                }

                result.Pixels[i] = nucleus.Pixels[i] != 0 || toRed >= toCytoplasm ? (byte)255 : (byte)0;
            }

            return MaskOps.FillHoles(result);
        }

        // Clears nucleus pixels whose blurred blue share of OD (8-bit, ×255) exceeds the coarse nucleus's median by the margin.
        private void LimitBlueShare(GrayImage nucleus, GrayImage coarse, double margin)
        {
            GrayImage share = NucleusBlur(Shares()[2]);
            Span<int> histogram = stackalloc int[256];
            histogram.Clear();
            int count = 0;
            for (int i = 0; i < share.Pixels.Length; i++)
            {
                if (coarse.Pixels[i] != 0)
                {
                    histogram[share.Pixels[i]]++;
                    count++;
                }
            }

            if (count == 0)
            {
                return;
            }

            double median = OpticalDensity.Median(histogram, count);
            double limit = median + (margin * 255);
            Parts["blue_share_median"] = median / 255;
            for (int i = 0; i < share.Pixels.Length; i++)
            {
                if (share.Pixels[i] > limit)
                {
                    nucleus.Pixels[i] = 0;
                }
            }
        }

        private GrayImage Blur(GrayImage plane) => _o.BlurKernelSize > 1 ? GaussianBlur.Apply(plane, _o.BlurKernelSize) : plane;

        // The nucleus channel's blur: the configured one at the input resolution, a narrower one on a reduced crop.
        private GrayImage NucleusBlur(GrayImage plane)
        {
            if (!_reduced)
            {
                return Blur(plane);
            }

            return _o.WorkingNucleusBlurSigma > 0 && _o.BlurKernelSize > 1 ? GaussianBlur.Apply(plane, _o.BlurKernelSize, _o.WorkingNucleusBlurSigma) : plane;
        }
    }

    private static double MedianOver(GrayImage values, GrayImage where, Span<int> histogram, int count)
    {
        histogram.Clear();
        for (int i = 0; i < values.Pixels.Length; i++)
        {
            if (where.Pixels[i] != 0)
            {
                histogram[values.Pixels[i]]++;
            }
        }

        return OpticalDensity.Median(histogram, count);
    }

    private static GrayImage Above(GrayImage channel, double threshold)
    {
        var mask = new GrayImage(channel.Width, channel.Height);
        for (int i = 0; i < mask.Pixels.Length; i++)
        {
            mask.Pixels[i] = channel.Pixels[i] > threshold ? (byte)255 : (byte)0;
        }

        return mask;
    }

    // The candidate of highest area × exp(−d² / 2σ²) and the pieces near it; empty when there is no candidate.
    // Components in cv2's 8-connectivity numbering (Pieces), so ties go the same way as with ConnectedComponents.Label.
    private static GrayImage CentralPieces(GrayImage candidates, double sigmaFraction, double pieceFraction, double reach, out double x, out double y)
    {
        int w = candidates.Width, h = candidates.Height;
        var result = new GrayImage(w, h);
        x = y = double.NaN;
        List<Piece> pieces = Pieces(candidates, out int[] labels);
        if (pieces.Count == 0)
        {
            return result;
        }

        double sigma = sigmaFraction * Math.Min(w, h);
        int best = 0;
        double bestScore = double.NegativeInfinity;
        for (int k = 0; k < pieces.Count; k++)
        {
            var c = pieces[k];
            double dx = c.CentroidX - w / 2.0, dy = c.CentroidY - h / 2.0;
            double score = c.Area * Math.Exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
            if (score > bestScore)
            {
                bestScore = score;
                best = k;
            }
        }

        var main = pieces[best];
        x = main.CentroidX;
        y = main.CentroidY;
        double radius = Math.Sqrt(main.Area / Math.PI);
        var keep = new bool[pieces.Count + 1];
        for (int k = 0; k < pieces.Count; k++)
        {
            var c = pieces[k];
            keep[c.Label] = k == best
                || (c.Area >= pieceFraction * main.Area && Math.Sqrt(Square(c.CentroidX - main.CentroidX) + Square(c.CentroidY - main.CentroidY)) < reach * radius);
        }

        byte[] m = candidates.Pixels, r = result.Pixels;
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = m[i] != 0 && keep[labels[i]] ? (byte)255 : (byte)0;
        }

        return result;
    }

    /// <summary>One 8-connected component: its flood-fill label, area, centroid and first 2 × 2 block.</summary>
    private readonly record struct Piece(int Label, int Area, double CentroidX, double CentroidY, int FirstBlock);

    // The 8-connected components of a mask by flood fills, ordered as cv2.connectedComponentsWithStats numbers them
    // (by the first 2 × 2 block holding one of their pixels; two components never share a block), with centroids
    // computed as it does ((double)Σx / area). labels: a per-thread array, the piece's Label where the mask is set.
    private static List<Piece> Pieces(GrayImage mask, out int[] labels)
    {
        int w = mask.Width, h = mask.Height, n = w * h;
        byte[] m = mask.Pixels;
        labels = t_labels is { } kept && kept.Length >= n ? kept : (t_labels = new int[n]);
        int[] stack = t_stack is { } rented && rented.Length >= n ? rented : (t_stack = new int[n]);
        Array.Clear(labels, 0, n);
        var pieces = new List<Piece>();
        int blocksPerRow = (w + 1) / 2;
        int start = 0;
        while (start < n)
        {
            int offset = m.AsSpan(start).IndexOfAnyExcept((byte)0);
            if (offset < 0)
            {
                break;
            }

            start += offset;
            if (labels[start] != 0)
            {
                start++;
                continue;
            }

            int label = pieces.Count + 1;
            long sumX = 0, sumY = 0;
            int area = 0, firstBlock = int.MaxValue, top = 0;
            labels[start] = label;
            stack[top++] = start;
            while (top > 0)
            {
                int i = stack[--top];
                int py = i / w, px = i - (py * w);
                area++;
                sumX += px;
                sumY += py;
                firstBlock = Math.Min(firstBlock, ((py / 2) * blocksPerRow) + (px / 2));
                int yFrom = Math.Max(0, py - 1), yTo = Math.Min(h - 1, py + 1), xFrom = Math.Max(0, px - 1), xTo = Math.Min(w - 1, px + 1);
                for (int yy = yFrom; yy <= yTo; yy++)
                {
                    for (int j = (yy * w) + xFrom, end = (yy * w) + xTo; j <= end; j++)
                    {
                        if (m[j] != 0 && labels[j] == 0)
                        {
                            labels[j] = label;
                            stack[top++] = j;
                        }
                    }
                }
            }

            pieces.Add(new Piece(label, area, (double)sumX / area, (double)sumY / area, firstBlock));
            start++;
        }

        pieces.Sort((a, b) => a.FirstBlock.CompareTo(b.FirstBlock));
        return pieces;
    }

    [ThreadStatic]
    private static int[]? t_labels;

    // The components of mask (8-connected) that share a pixel with seed: a flood fill from the seed pixels in the mask,
    // the same pixels as labelling the mask and keeping the labels under the seed, without labelling the whole image.
    // The fill goes a row run at a time (a run is always set whole, so one set pixel marks its run as done); the runs
    // of the rows above and below touching it 8-connected are those overlapping one column more on each side.
    private static GrayImage ComponentsTouching(GrayImage mask, GrayImage seed)
    {
        int w = mask.Width, h = mask.Height, n = w * h;
        byte[] m = mask.Pixels, s = seed.Pixels;
        var result = new GrayImage(w, h);
        byte[] r = result.Pixels;
        var stack = new MaskOps.RunStack();
        for (int i = 0; i < n; i++)
        {
            if (s[i] != 0 && m[i] != 0)
            {
                stack.Push(i);
                while (i + 1 < n && s[i + 1] != 0 && m[i + 1] != 0 && (i + 1) % w != 0)
                {
                    i++;
                }
            }
        }

        while (stack.TryPop(out int i))
        {
            if (r[i] != 0)
            {
                continue;
            }

            int y = i / w, row = y * w, x = i - row;
            ReadOnlySpan<byte> line = m.AsSpan(row, w);
            int left = line[..x].LastIndexOf((byte)0) + 1;
            int after = line[x..].IndexOf((byte)0);
            int right = after < 0 ? w - 1 : x + after - 1;
            r.AsSpan(row + left, right - left + 1).Fill(255);
            int from = Math.Max(0, left - 1), to = Math.Min(w - 1, right + 1);
            if (y > 0)
            {
                PushRuns(m, r, row - w + from, row - w + to, ref stack);
            }

            if (y + 1 < h)
            {
                PushRuns(m, r, row + w + from, row + w + to, ref stack);
            }
        }

        stack.Return();
        return result;

        // One seed per mask run of [from, to] not yet set.
        static void PushRuns(byte[] m, byte[] r, int from, int to, ref MaskOps.RunStack stack)
        {
            for (int j = from; j <= to; j++)
            {
                if (m[j] == 0)
                {
                    continue;
                }

                if (r[j] == 0)
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

    /// <summary>A rectangle of the working image, with crops and pastes of masks and pixels.</summary>
    private readonly record struct Box(int X, int Y, int Width, int Height)
    {
        // The bounding box of the nonzero pixels of a and b, grown by margin and clipped to the image (the whole
        // image when both are empty).
        public static Box Around(GrayImage a, GrayImage b, int margin)
        {
            int w = a.Width, h = a.Height, x0 = w, x1 = -1, y0 = h, y1 = -1;
            for (int y = 0; y < h; y++)
            {
                foreach (GrayImage m in (ReadOnlySpan<GrayImage>)[a, b])
                {
                    var row = m.Pixels.AsSpan(y * w, w);
                    int first = row.IndexOfAnyExcept((byte)0);
                    if (first >= 0)
                    {
                        y0 = Math.Min(y0, y);
                        y1 = y;
                        x0 = Math.Min(x0, first);
                        x1 = Math.Max(x1, row.LastIndexOfAnyExcept((byte)0));
                    }
                }
            }

            if (x1 < 0)
            {
                return new Box(0, 0, w, h);
            }

            x0 = Math.Max(0, x0 - margin);
            y0 = Math.Max(0, y0 - margin);
            x1 = Math.Min(w - 1, x1 + margin);
            y1 = Math.Min(h - 1, y1 + margin);
            return new Box(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
        }

        public GrayImage Crop(GrayImage image)
        {
            var result = new GrayImage(Width, Height);
            for (int y = 0; y < Height; y++)
            {
                image.Pixels.AsSpan(((Y + y) * image.Width) + X, Width).CopyTo(result.Row(y));
            }

            return result;
        }

        public RgbImage Crop(RgbImage image)
        {
            var result = new RgbImage(Width, Height);
            for (int y = 0; y < Height; y++)
            {
                image.Pixels.AsSpan((((Y + y) * image.Width) + X) * 3, Width * 3).CopyTo(result.Pixels.AsSpan(y * Width * 3, Width * 3));
            }

            return result;
        }

        // The box's mask placed in an all-zero image of width × height (itself when the box is the whole image).
        public GrayImage Paste(GrayImage mask, int width, int height)
        {
            if (Width == width && Height == height)
            {
                return mask;
            }

            var result = new GrayImage(width, height);
            for (int y = 0; y < Height; y++)
            {
                mask.Row(y).CopyTo(result.Pixels.AsSpan(((Y + y) * width) + X, Width));
            }

            return result;
        }
    }

    // The flood fill's stack, one per thread (each pixel is pushed at most once, so the image size suffices).
    [ThreadStatic]
    private static int[]? t_stack;

    private static void DropSmallPieces(GrayImage mask, double fraction)
    {
        List<Piece> pieces = Pieces(mask, out int[] labels);
        int largest = 0;
        foreach (var piece in pieces)
        {
            largest = Math.Max(largest, piece.Area);
        }

        var areas = new int[pieces.Count + 1];
        foreach (var piece in pieces)
        {
            areas[piece.Label] = piece.Area;
        }

        for (int i = 0; i < mask.Pixels.Length; i++)
        {
            if (mask.Pixels[i] != 0 && areas[labels[i]] < fraction * largest)
            {
                mask.Pixels[i] = 0;
            }
        }
    }

    private static void And(GrayImage target, GrayImage other)
    {
        for (int i = 0; i < target.Pixels.Length; i++)
        {
            target.Pixels[i] = other.Pixels[i] != 0 ? target.Pixels[i] : (byte)0;
        }
    }

    private static void Or(GrayImage target, GrayImage other)
    {
        for (int i = 0; i < target.Pixels.Length; i++)
        {
            target.Pixels[i] = (target.Pixels[i] | other.Pixels[i]) != 0 ? (byte)255 : (byte)0;
        }
    }

    private static double Square(double v) => v * v;
}
