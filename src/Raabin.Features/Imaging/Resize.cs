namespace Raabin.Features.Imaging;

/// <summary>The interpolations of <see cref="Resize"/>, named after OpenCV's flags.</summary>
public enum ResizeInterpolation
{
    /// <summary><c>cv2.INTER_LINEAR</c>: bilinear, pixel centres aligned (<c>src = (dst + 0.5) * scale - 0.5</c>),
    /// edge pixels repeated. An exact 2× reduction in both directions takes OpenCV's 2×2 averaging path.</summary>
    Linear,

    /// <summary><c>cv2.INTER_AREA</c>: when reducing in both directions, each output pixel is the area-weighted mean
    /// of the source pixels its footprint covers (integer ratios take a plain block-mean path); when enlarging in
    /// either direction, OpenCV's bilinear variant with area-style coefficients.</summary>
    Area,
}

/// <summary>
/// Image resampling identical to OpenCV 4.6 <c>cv2.resize</c> with <c>INTER_LINEAR</c> or <c>INTER_AREA</c>, for
/// 8-bit images (<see cref="GrayImage"/>, <see cref="RgbImage"/>) and float64 planes (<see cref="DoubleImage"/>),
/// with either an explicit output size or OpenCV's scale-factor form <c>cv2.resize(src, None, fx=…, fy=…)</c>.
/// </summary>
/// <remarks>
/// <para>Every path reproduces OpenCV's arithmetic, so results are bit-identical to Debian's OpenCV 4.6 (no IPP):</para>
/// <list type="bullet">
/// <item>Sizes: the scale form gives <c>round(width * fx)</c> × <c>round(height * fy)</c> (round half to even) and keeps
/// the given factors as inverse scales; the size form uses <c>width' / width</c>. Equal sizes copy the image.</item>
/// <item>Bilinear coefficients are single precision (<c>(float)((d + 0.5) * scale - 0.5)</c>, its floor and
/// fraction). 8-bit: coefficients in 1/2048 units (rounded half to even), horizontal sums exact in 32 bits, and the
/// vertical step <c>((b0 (h0 &gt;&gt; 4)) &gt;&gt; 16) + ((b1 (h1 &gt;&gt; 4)) &gt;&gt; 16) + 2) &gt;&gt; 2</c> (OpenCV's
/// truncating fixed-point form, not exact rounding). float64: <c>s0 a0 + s1 a1</c> in double with the float
/// coefficients.</item>
/// <item>Area reduction with integer ratios: 8-bit 2×2 blocks <c>(sum + 2) &gt;&gt; 2</c>; other blocks
/// <c>round((float)sum * (1f / area))</c>; float64 blocks summed four at a time and multiplied by the float
/// <c>1f / area</c>. Partial blocks at the right and bottom edge (scale form only) are <c>(float)sum / count</c>.</item>
/// <item>Area reduction with other ratios: OpenCV's table of float weights per source row and column, accumulated
/// in float (8-bit, then rounded half to even and saturated) or double (float64).</item>
/// </list>
/// </remarks>
public static class Resize
{
    private const int CoefficientBits = 11;
    private const int CoefficientOne = 1 << CoefficientBits;
    private const double DoubleEpsilon = 2.220446049250313e-16; // C's DBL_EPSILON

    /// <summary>The output size of the scale form <c>cv2.resize(src, None, fx=fx, fy=fy)</c>:
    /// <c>round(width * fx)</c> × <c>round(height * fy)</c>, rounding half to even as OpenCV's <c>saturate_cast&lt;int&gt;</c>.</summary>
    /// <param name="width">Source width in pixels, at least 1.</param>
    /// <param name="height">Source height in pixels, at least 1.</param>
    /// <param name="fx">Horizontal scale factor, positive.</param>
    /// <param name="fy">Vertical scale factor, positive.</param>
    /// <returns>The output size; throws when a side would be 0.</returns>
    public static (int Width, int Height) ScaledSize(int width, int height, double fx, double fy)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (!(fx > 0) || !(fy > 0) || double.IsInfinity(fx) || double.IsInfinity(fy))
        {
            throw new ArgumentOutOfRangeException(nameof(fx), $"Scale factors must be positive and finite (fx {fx}, fy {fy}).");
        }

        int w = RoundToInt(width * fx);
        int h = RoundToInt(height * fy);
        if (w < 1 || h < 1)
        {
            throw new ArgumentException(
                $"Scaling {width}x{height} by ({fx}, {fy}) gives an empty {w}x{h} image.", nameof(fx));
        }

        return (w, h);
    }

    /// <summary>Resamples an 8-bit image to <paramref name="width"/> × <paramref name="height"/>:
    /// <c>cv2.resize(src, (width, height), interpolation=…)</c>.</summary>
    /// <param name="src">Source image.</param>
    /// <param name="width">Output width in pixels, at least 1.</param>
    /// <param name="height">Output height in pixels, at least 1.</param>
    /// <param name="interpolation">Linear or area.</param>
    /// <returns>A new image (a copy when the size is unchanged).</returns>
    public static GrayImage Apply(GrayImage src, int width, int height, ResizeInterpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(src);
        Plan plan = Plan.ForSize(src.Width, src.Height, width, height);
        return Run(src, plan, interpolation);
    }

    /// <summary>Resamples an 8-bit image by scale factors: <c>cv2.resize(src, None, fx=fx, fy=fy, interpolation=…)</c>
    /// (size from <see cref="ScaledSize"/>, coefficients from the factors themselves).</summary>
    /// <param name="src">Source image.</param>
    /// <param name="fx">Horizontal factor, e.g. 0.5 halves the width.</param>
    /// <param name="fy">Vertical factor.</param>
    /// <param name="interpolation">Linear or area.</param>
    /// <returns>A new image.</returns>
    public static GrayImage Scale(GrayImage src, double fx, double fy, ResizeInterpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(src);
        Plan plan = Plan.ForScale(src.Width, src.Height, fx, fy);
        return Run(src, plan, interpolation);
    }

    /// <summary>Resamples a float64 plane to <paramref name="width"/> × <paramref name="height"/>, as
    /// <c>cv2.resize</c> on a <c>float64</c> array (computed in double with OpenCV's float coefficients).</summary>
    /// <param name="src">Source plane; any finite values.</param>
    /// <param name="width">Output width in pixels, at least 1.</param>
    /// <param name="height">Output height in pixels, at least 1.</param>
    /// <param name="interpolation">Linear or area.</param>
    /// <returns>A new plane.</returns>
    public static DoubleImage Apply(DoubleImage src, int width, int height, ResizeInterpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(src);
        Plan plan = Plan.ForSize(src.Width, src.Height, width, height);
        return Run(src, plan, interpolation);
    }

    /// <summary>Resamples a float64 plane by scale factors, as <c>cv2.resize(src, None, fx=fx, fy=fy)</c>.</summary>
    /// <param name="src">Source plane.</param>
    /// <param name="fx">Horizontal factor.</param>
    /// <param name="fy">Vertical factor.</param>
    /// <param name="interpolation">Linear or area.</param>
    /// <returns>A new plane.</returns>
    public static DoubleImage Scale(DoubleImage src, double fx, double fy, ResizeInterpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(src);
        Plan plan = Plan.ForScale(src.Width, src.Height, fx, fy);
        return Run(src, plan, interpolation);
    }

    /// <summary>Resamples an RGB image channel by channel, identical to <c>cv2.resize</c> on a 3-channel 8-bit image
    /// (OpenCV's per-channel arithmetic is the same as for one channel).</summary>
    /// <param name="src">Source image.</param>
    /// <param name="width">Output width in pixels, at least 1.</param>
    /// <param name="height">Output height in pixels, at least 1.</param>
    /// <param name="interpolation">Linear or area.</param>
    /// <returns>A new image.</returns>
    public static RgbImage Apply(RgbImage src, int width, int height, ResizeInterpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(src);
        return PerChannel(src, Plan.ForSize(src.Width, src.Height, width, height), interpolation);
    }

    /// <summary>Resamples an RGB image by scale factors, channel by channel (see
    /// <see cref="Apply(RgbImage, int, int, ResizeInterpolation)"/>).</summary>
    /// <param name="src">Source image.</param>
    /// <param name="fx">Horizontal factor.</param>
    /// <param name="fy">Vertical factor.</param>
    /// <param name="interpolation">Linear or area.</param>
    /// <returns>A new image.</returns>
    public static RgbImage Scale(RgbImage src, double fx, double fy, ResizeInterpolation interpolation)
    {
        ArgumentNullException.ThrowIfNull(src);
        return PerChannel(src, Plan.ForScale(src.Width, src.Height, fx, fy), interpolation);
    }

    private static RgbImage PerChannel(RgbImage src, Plan plan, ResizeInterpolation interpolation)
    {
        var result = new RgbImage(plan.Width, plan.Height);
        int count = src.Width * src.Height;
        var plane = new GrayImage(src.Width, src.Height);
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < count; i++)
            {
                plane.Pixels[i] = src.Pixels[3 * i + c];
            }

            GrayImage resized = Run(plane, plan, interpolation);
            for (int i = 0; i < resized.Pixels.Length; i++)
            {
                result.Pixels[3 * i + c] = resized.Pixels[i];
            }
        }

        return result;
    }

    // ---------------------------------------------------------------- dispatch, as OpenCV's hal::resize

    private enum Path
    {
        Copy,
        Bilinear,
        AreaBilinear,
        AreaFast,
        AreaGeneral,
    }

    /// <summary>Source and output sizes plus OpenCV's inverse scales (output / source).</summary>
    private readonly record struct Plan(int SourceWidth, int SourceHeight, int Width, int Height, double InverseX, double InverseY)
    {
        public static Plan ForSize(int sw, int sh, int w, int h)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(w, 1, "width");
            ArgumentOutOfRangeException.ThrowIfLessThan(h, 1, "height");
            return new Plan(sw, sh, w, h, (double)w / sw, (double)h / sh);
        }

        public static Plan ForScale(int sw, int sh, double fx, double fy)
        {
            (int w, int h) = ScaledSize(sw, sh, fx, fy);
            return new Plan(sw, sh, w, h, fx, fy);
        }

        public double ScaleX => 1.0 / InverseX;

        public double ScaleY => 1.0 / InverseY;

        public int IntegerScaleX => RoundToInt(ScaleX);

        public int IntegerScaleY => RoundToInt(ScaleY);

        public Path Choose(ResizeInterpolation interpolation)
        {
            if (Width == SourceWidth && Height == SourceHeight)
            {
                return Path.Copy;
            }

            double sx = ScaleX, sy = ScaleY;
            int ix = IntegerScaleX, iy = IntegerScaleY;
            bool integerRatios = Math.Abs(sx - ix) < DoubleEpsilon && Math.Abs(sy - iy) < DoubleEpsilon;
            bool area = interpolation == ResizeInterpolation.Area
                || (interpolation == ResizeInterpolation.Linear && integerRatios && ix == 2 && iy == 2);
            if (area && sx >= 1 && sy >= 1)
            {
                return integerRatios ? Path.AreaFast : Path.AreaGeneral;
            }

            return area ? Path.AreaBilinear : Path.Bilinear;
        }
    }

    private static GrayImage Run(GrayImage src, Plan plan, ResizeInterpolation interpolation)
    {
        ValidateInterpolation(interpolation);
        switch (plan.Choose(interpolation))
        {
            case Path.Copy:
                return new GrayImage(src.Width, src.Height, (byte[])src.Pixels.Clone());
            case Path.AreaFast:
                return AreaFast8(src, plan);
            case Path.AreaGeneral:
                return AreaGeneral8(src, plan);
            case Path.AreaBilinear:
                return Bilinear8(src, plan, areaCoefficients: true);
            default:
                return Bilinear8(src, plan, areaCoefficients: false);
        }
    }

    private static DoubleImage Run(DoubleImage src, Plan plan, ResizeInterpolation interpolation)
    {
        ValidateInterpolation(interpolation);
        switch (plan.Choose(interpolation))
        {
            case Path.Copy:
                return new DoubleImage(src.Width, src.Height, (double[])src.Pixels.Clone());
            case Path.AreaFast:
                return AreaFast64(src, plan);
            case Path.AreaGeneral:
                return AreaGeneral64(src, plan);
            case Path.AreaBilinear:
                return Bilinear64(src, plan, areaCoefficients: true);
            default:
                return Bilinear64(src, plan, areaCoefficients: false);
        }
    }

    private static void ValidateInterpolation(ResizeInterpolation interpolation)
    {
        if (interpolation is not (ResizeInterpolation.Linear or ResizeInterpolation.Area))
        {
            throw new ArgumentOutOfRangeException(nameof(interpolation), interpolation, "Unknown interpolation.");
        }
    }

    /// <summary>OpenCV's <c>saturate_cast&lt;int&gt;(double)</c>: round half to even, clamped to the int range.</summary>
    private static int RoundToInt(double value)
    {
        double r = Math.Round(value, MidpointRounding.ToEven);
        return r >= int.MaxValue ? int.MaxValue : r <= int.MinValue ? int.MinValue : (int)r;
    }

    /// <summary>OpenCV's <c>saturate_cast&lt;uchar&gt;(float)</c>: round half to even, then clamp to 0..255.</summary>
    private static byte SaturateByte(float value)
    {
        float r = MathF.Round(value, MidpointRounding.ToEven);
        return r <= 0 ? (byte)0 : r >= 255 ? (byte)255 : (byte)r;
    }

    // ---------------------------------------------------------------- bilinear (and area-style bilinear)

    /// <summary>Per output column (or row): source index, float fraction; plus OpenCV's xmax (first column whose
    /// right neighbour falls outside the image).</summary>
    private static (int[] Index, float[] Fraction, int Max) Coefficients(int sourceLength, int length, double inverse,
        bool areaCoefficients, bool clampIndex)
    {
        double scale = 1.0 / inverse;
        var index = new int[length];
        var fraction = new float[length];
        int max = length;
        for (int d = 0; d < length; d++)
        {
            int s;
            float f;
            if (!areaCoefficients)
            {
                f = (float)((d + 0.5) * scale - 0.5);
                s = (int)MathF.Floor(f);
                f -= s;
            }
            else
            {
                s = (int)Math.Floor(d * scale);
                f = (float)((d + 1) - (s + 1) * inverse);
                f = f <= 0 ? 0f : f - (int)MathF.Floor(f);
            }

            if (clampIndex)
            {
                if (s < 0)
                {
                    f = 0;
                    s = 0;
                }

                if (s + 1 >= sourceLength)
                {
                    max = Math.Min(max, d);
                    if (s >= sourceLength - 1)
                    {
                        f = 0;
                        s = sourceLength - 1;
                    }
                }
            }

            index[d] = s;
            fraction[d] = f;
        }

        return (index, fraction, max);
    }

    private static short FixedCoefficient(float value) => (short)MathF.Round(value * CoefficientOne, MidpointRounding.ToEven);

    private static int ClampRow(int row, int height) => row < 0 ? 0 : row >= height ? height - 1 : row;

    private static GrayImage Bilinear8(GrayImage src, Plan plan, bool areaCoefficients)
    {
        int sw = src.Width, sh = src.Height, dw = plan.Width, dh = plan.Height;
        (int[] xs, float[] fxs, int xmax) = Coefficients(sw, dw, plan.InverseX, areaCoefficients, clampIndex: true);
        (int[] ys, float[] fys, _) = Coefficients(sh, dh, plan.InverseY, areaCoefficients, clampIndex: false);
        var a0 = new int[dw];
        var a1 = new int[dw];
        for (int x = 0; x < dw; x++)
        {
            a0[x] = FixedCoefficient(1f - fxs[x]);
            a1[x] = FixedCoefficient(fxs[x]);
        }

        var h0 = new int[dw];
        var h1 = new int[dw];
        var dst = new GrayImage(dw, dh);
        byte[] s = src.Pixels;
        for (int y = 0; y < dh; y++)
        {
            int b0 = FixedCoefficient(1f - fys[y]);
            int b1 = FixedCoefficient(fys[y]);
            HorizontalFixed(s, ClampRow(ys[y], sh) * sw, xs, a0, a1, xmax, h0);
            HorizontalFixed(s, ClampRow(ys[y] + 1, sh) * sw, xs, a0, a1, xmax, h1);
            Span<byte> row = dst.Row(y);
            for (int x = 0; x < dw; x++)
            {
                // OpenCV's 8-bit vertical step (its scalar and SIMD forms agree): drop 4 bits, multiply, drop 16,
                // add 2, drop 2. Never above 255 for coefficients summing to 2048.
                int value = (((b0 * (h0[x] >> 4)) >> 16) + ((b1 * (h1[x] >> 4)) >> 16) + 2) >> 2;
                row[x] = (byte)Math.Clamp(value, 0, 255);
            }
        }

        return dst;
    }

    private static void HorizontalFixed(byte[] s, int rowStart, int[] xs, int[] a0, int[] a1, int xmax, int[] output)
    {
        int x = 0;
        for (; x < xmax; x++)
        {
            int sx = rowStart + xs[x];
            output[x] = s[sx] * a0[x] + s[sx + 1] * a1[x];
        }

        for (; x < output.Length; x++)
        {
            output[x] = s[rowStart + xs[x]] * CoefficientOne;
        }
    }

    private static DoubleImage Bilinear64(DoubleImage src, Plan plan, bool areaCoefficients)
    {
        int sw = src.Width, sh = src.Height, dw = plan.Width, dh = plan.Height;
        (int[] xs, float[] fxs, int xmax) = Coefficients(sw, dw, plan.InverseX, areaCoefficients, clampIndex: true);
        (int[] ys, float[] fys, _) = Coefficients(sh, dh, plan.InverseY, areaCoefficients, clampIndex: false);
        var a0 = new double[dw];
        var a1 = new double[dw];
        for (int x = 0; x < dw; x++)
        {
            a0[x] = 1f - fxs[x];
            a1[x] = fxs[x];
        }

        var h0 = new double[dw];
        var h1 = new double[dw];
        var dst = new DoubleImage(dw, dh);
        double[] s = src.Pixels;
        for (int y = 0; y < dh; y++)
        {
            double b0 = 1f - fys[y];
            double b1 = fys[y];
            HorizontalDouble(s, ClampRow(ys[y], sh) * sw, xs, a0, a1, xmax, h0);
            HorizontalDouble(s, ClampRow(ys[y] + 1, sh) * sw, xs, a0, a1, xmax, h1);
            Span<double> row = dst.Row(y);
            for (int x = 0; x < dw; x++)
            {
                row[x] = h0[x] * b0 + h1[x] * b1;
            }
        }

        return dst;
    }

    private static void HorizontalDouble(double[] s, int rowStart, int[] xs, double[] a0, double[] a1, int xmax, double[] output)
    {
        int x = 0;
        for (; x < xmax; x++)
        {
            int sx = rowStart + xs[x];
            output[x] = s[sx] * a0[x] + s[sx + 1] * a1[x];
        }

        for (; x < output.Length; x++)
        {
            output[x] = s[rowStart + xs[x]];
        }
    }

    // ---------------------------------------------------------------- area, integer ratios

    private static GrayImage AreaFast8(GrayImage src, Plan plan)
    {
        int sw = src.Width, sh = src.Height, dw = plan.Width, dh = plan.Height;
        int ix = plan.IntegerScaleX, iy = plan.IntegerScaleY, area = ix * iy;
        float scale = 1f / area;
        int fullColumns = sw / ix;
        var dst = new GrayImage(dw, dh);
        byte[] s = src.Pixels;
        for (int y = 0; y < dh; y++)
        {
            int sy0 = y * iy;
            Span<byte> row = dst.Row(y);
            if (sy0 >= sh)
            {
                continue; // stays 0
            }

            int full = sy0 + iy <= sh ? fullColumns : 0;
            int x = 0;
            for (; x < full; x++)
            {
                int sum = 0;
                for (int dy = 0; dy < iy; dy++)
                {
                    int start = (sy0 + dy) * sw + x * ix;
                    for (int dx = 0; dx < ix; dx++)
                    {
                        sum += s[start + dx];
                    }
                }

                row[x] = ix == 2 && iy == 2 ? (byte)((sum + 2) >> 2) : SaturateByte(sum * scale);
            }

            for (; x < dw; x++)
            {
                int sum = 0, count = 0, sx0 = x * ix;
                for (int dy = 0; dy < iy && sy0 + dy < sh; dy++)
                {
                    for (int dx = 0; dx < ix && sx0 + dx < sw; dx++)
                    {
                        sum += s[(sy0 + dy) * sw + sx0 + dx];
                        count++;
                    }
                }

                row[x] = count == 0 ? (byte)0 : SaturateByte((float)sum / count);
            }
        }

        return dst;
    }

    private static DoubleImage AreaFast64(DoubleImage src, Plan plan)
    {
        int sw = src.Width, sh = src.Height, dw = plan.Width, dh = plan.Height;
        int ix = plan.IntegerScaleX, iy = plan.IntegerScaleY, area = ix * iy;
        double scale = 1f / area; // OpenCV multiplies by the float reciprocal
        int fullColumns = sw / ix;
        var dst = new DoubleImage(dw, dh);
        double[] s = src.Pixels;
        var block = new double[area];
        for (int y = 0; y < dh; y++)
        {
            int sy0 = y * iy;
            Span<double> row = dst.Row(y);
            if (sy0 >= sh)
            {
                continue;
            }

            int full = sy0 + iy <= sh ? fullColumns : 0;
            int x = 0;
            for (; x < full; x++)
            {
                int k = 0;
                for (int dy = 0; dy < iy; dy++)
                {
                    int start = (sy0 + dy) * sw + x * ix;
                    for (int dx = 0; dx < ix; dx++)
                    {
                        block[k++] = s[start + dx];
                    }
                }

                // OpenCV's unrolled loop: sum += a + b + c + d, then the remainder one by one.
                double sum = 0;
                k = 0;
                for (; k <= area - 4; k += 4)
                {
                    sum += block[k] + block[k + 1] + block[k + 2] + block[k + 3];
                }

                for (; k < area; k++)
                {
                    sum += block[k];
                }

                row[x] = sum * scale;
            }

            for (; x < dw; x++)
            {
                double sum = 0;
                int count = 0, sx0 = x * ix;
                for (int dy = 0; dy < iy && sy0 + dy < sh; dy++)
                {
                    for (int dx = 0; dx < ix && sx0 + dx < sw; dx++)
                    {
                        sum += s[(sy0 + dy) * sw + sx0 + dx];
                        count++;
                    }
                }

                row[x] = count == 0 ? 0.0 : (float)sum / count;
            }
        }

        return dst;
    }

    // ---------------------------------------------------------------- area, general ratios

    private readonly record struct Weight(int Destination, int Source, float Alpha);

    /// <summary>OpenCV's <c>computeResizeAreaTab</c>: for each output index the covered source indices with float weights.</summary>
    private static Weight[] AreaTable(int sourceLength, int length, double scale)
    {
        var table = new List<Weight>(2 * sourceLength);
        for (int d = 0; d < length; d++)
        {
            double fs1 = d * scale;
            double fs2 = fs1 + scale;
            double cellWidth = Math.Min(scale, sourceLength - fs1);
            int s1 = (int)Math.Ceiling(fs1), s2 = (int)Math.Floor(fs2);
            s2 = Math.Min(s2, sourceLength - 1);
            s1 = Math.Min(s1, s2);
            if (s1 - fs1 > 1e-3)
            {
                table.Add(new Weight(d, s1 - 1, (float)((s1 - fs1) / cellWidth)));
            }

            for (int s = s1; s < s2; s++)
            {
                table.Add(new Weight(d, s, (float)(1.0 / cellWidth)));
            }

            if (fs2 - s2 > 1e-3)
            {
                table.Add(new Weight(d, s2, (float)(Math.Min(Math.Min(fs2 - s2, 1.0), cellWidth) / cellWidth)));
            }
        }

        return table.ToArray();
    }

    private static GrayImage AreaGeneral8(GrayImage src, Plan plan)
    {
        int sw = src.Width, dw = plan.Width;
        Weight[] xt = AreaTable(sw, dw, plan.ScaleX);
        Weight[] yt = AreaTable(src.Height, plan.Height, plan.ScaleY);
        var dst = new GrayImage(dw, plan.Height);
        var buffer = new float[dw];
        var sum = new float[dw];
        byte[] s = src.Pixels;
        int previous = yt[0].Destination;
        foreach (Weight yw in yt)
        {
            float beta = yw.Alpha;
            Array.Clear(buffer);
            int rowStart = yw.Source * sw;
            foreach (Weight xw in xt)
            {
                buffer[xw.Destination] += s[rowStart + xw.Source] * xw.Alpha;
            }

            if (yw.Destination != previous)
            {
                Span<byte> row = dst.Row(previous);
                for (int x = 0; x < dw; x++)
                {
                    row[x] = SaturateByte(sum[x]);
                    sum[x] = beta * buffer[x];
                }

                previous = yw.Destination;
            }
            else
            {
                for (int x = 0; x < dw; x++)
                {
                    sum[x] += beta * buffer[x];
                }
            }
        }

        Span<byte> last = dst.Row(previous);
        for (int x = 0; x < dw; x++)
        {
            last[x] = SaturateByte(sum[x]);
        }

        return dst;
    }

    private static DoubleImage AreaGeneral64(DoubleImage src, Plan plan)
    {
        int sw = src.Width, dw = plan.Width;
        Weight[] xt = AreaTable(sw, dw, plan.ScaleX);
        Weight[] yt = AreaTable(src.Height, plan.Height, plan.ScaleY);
        var dst = new DoubleImage(dw, plan.Height);
        var buffer = new double[dw];
        var sum = new double[dw];
        double[] s = src.Pixels;
        int previous = yt[0].Destination;
        foreach (Weight yw in yt)
        {
            double beta = yw.Alpha;
            Array.Clear(buffer);
            int rowStart = yw.Source * sw;
            foreach (Weight xw in xt)
            {
                buffer[xw.Destination] += s[rowStart + xw.Source] * (double)xw.Alpha;
            }

            if (yw.Destination != previous)
            {
                Span<double> row = dst.Row(previous);
                for (int x = 0; x < dw; x++)
                {
                    row[x] = sum[x];
                    sum[x] = beta * buffer[x];
                }

                previous = yw.Destination;
            }
            else
            {
                for (int x = 0; x < dw; x++)
                {
                    sum[x] += beta * buffer[x];
                }
            }
        }

        Span<double> last = dst.Row(previous);
        for (int x = 0; x < dw; x++)
        {
            last[x] = sum[x];
        }

        return dst;
    }

    /// <summary>Supplies the rows of several source planes of one size to <see cref="AreaGeneralMany"/>.</summary>
    internal interface IRowSource
    {
        /// <summary>Number of planes.</summary>
        int PlaneCount { get; }

        /// <summary>Writes row <paramref name="y"/> of every plane, interleaved: plane p of column x at <c>x · PlaneCount + p</c>.</summary>
        void Fill(int y, Span<double> row);
    }

    /// <summary>
    /// Area reduction of several <paramref name="sw"/> × <paramref name="sh"/> planes by the same factors in one pass,
    /// each plane identical to <see cref="Scale(DoubleImage, double, double, ResizeInterpolation)"/> with
    /// <see cref="ResizeInterpolation.Area"/> (the same weights, products and sums in the same order per plane), without
    /// the source planes being stored: rows come from <paramref name="source"/>, interleaved so that each weight is read
    /// once for all planes. Null when the factors do not take OpenCV's general area path (no reduction, or integer
    /// ratios): the caller then resizes plane by plane.
    /// </summary>
    internal static DoubleImage[]? AreaGeneralMany<TSource>(int sw, int sh, double fx, double fy, TSource source)
        where TSource : IRowSource
    {
        Plan plan = Plan.ForScale(sw, sh, fx, fy);
        if (plan.Choose(ResizeInterpolation.Area) != Path.AreaGeneral)
        {
            return null;
        }

        int dw = plan.Width, planes = source.PlaneCount;
        Weight[] xt = AreaTable(sw, dw, plan.ScaleX);
        Weight[] yt = AreaTable(sh, plan.Height, plan.ScaleY);
        var dst = new DoubleImage[planes];
        for (int p = 0; p < planes; p++)
        {
            dst[p] = new DoubleImage(dw, plan.Height);
        }

        var row = new double[planes * sw];
        var buffer = new double[planes * dw];
        var sum = new double[planes * dw];
        int loaded = -1;
        int previous = yt[0].Destination;
        foreach (Weight yw in yt)
        {
            double beta = yw.Alpha;

            // A source row shared by two output rows is summed across once: its horizontal sums are the same.
            if (yw.Source != loaded)
            {
                source.Fill(yw.Source, row);
                loaded = yw.Source;
                HorizontalSums(xt, row, buffer, planes);
            }

            if (yw.Destination != previous)
            {
                Store(dst, previous, sum, planes);
                for (int i = 0; i < sum.Length; i++)
                {
                    sum[i] = beta * buffer[i];
                }

                previous = yw.Destination;
            }
            else
            {
                for (int i = 0; i < sum.Length; i++)
                {
                    sum[i] += beta * buffer[i];
                }
            }
        }

        Store(dst, previous, sum, planes);
        return dst;

        static void HorizontalSums(Weight[] xt, double[] row, double[] buffer, int planes)
        {
            Array.Clear(buffer);
            if (planes == 5)
            {
                // The extractor's case (three OD planes and two masks), unrolled.
                foreach (Weight xw in xt)
                {
                    double alpha = xw.Alpha;
                    int d = xw.Destination * 5, s = xw.Source * 5;
                    buffer[d] += row[s] * alpha;
                    buffer[d + 1] += row[s + 1] * alpha;
                    buffer[d + 2] += row[s + 2] * alpha;
                    buffer[d + 3] += row[s + 3] * alpha;
                    buffer[d + 4] += row[s + 4] * alpha;
                }

                return;
            }

            foreach (Weight xw in xt)
            {
                double alpha = xw.Alpha;
                int d = xw.Destination * planes, s = xw.Source * planes;
                for (int p = 0; p < planes; p++)
                {
                    buffer[d + p] += row[s + p] * alpha;
                }
            }
        }

        static void Store(DoubleImage[] dst, int y, double[] sum, int planes)
        {
            for (int p = 0; p < planes; p++)
            {
                Span<double> target = dst[p].Row(y);
                for (int x = 0, i = p; x < target.Length; x++, i += planes)
                {
                    target[x] = sum[i];
                }
            }
        }
    }
}
