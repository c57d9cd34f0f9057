using Raabin.Features.Imaging;

namespace Raabin.Features.Segmentation;

/// <summary>
/// Colour as optical density against the image's own background: the background is the per-channel median of the
/// brightest pixels (plasma and glass), and OD = −log10(I / background), clipped to [0, <see cref="MaxDensity"/>]. A
/// per-channel gain (illumination, camera white balance) divides both I and the background, so OD does not change:
/// the same stain gives the same numbers under another lamp or camera.
/// </summary>
public sealed class OpticalDensity
{
    /// <summary>Largest OD kept (a transmission of 0.1 %), as the study's <c>np.clip(..., 0, 3)</c>.</summary>
    public const double MaxDensity = 3.0;

    private OpticalDensity(double backgroundR, double backgroundG, double backgroundB, DoubleImage r, DoubleImage g, DoubleImage b)
    {
        BackgroundR = backgroundR;
        BackgroundG = backgroundG;
        BackgroundB = backgroundB;
        R = r;
        G = g;
        B = b;
    }

    /// <summary>Background red level (0-255): the median red of the brightest pixels.</summary>
    public double BackgroundR { get; }

    /// <summary>Background green level (0-255).</summary>
    public double BackgroundG { get; }

    /// <summary>Background blue level (0-255).</summary>
    public double BackgroundB { get; }

    /// <summary>OD of the red channel, 0 to <see cref="MaxDensity"/>.</summary>
    public DoubleImage R { get; }

    /// <summary>OD of the green channel (haematoxylin / nuclear stain absorbs green most).</summary>
    public DoubleImage G { get; }

    /// <summary>OD of the blue channel.</summary>
    public DoubleImage B { get; }

    /// <summary>
    /// Measures the background and converts the image. The brightest pixels are those whose channel sum is at least
    /// the sum at the <paramref name="brightFraction"/> quantile from the top (ties included); each background level
    /// is the median of that channel over them (the mean of the two middle values when their count is even).
    /// Intensities below 1 count as 1, a background below 1 as 1.
    /// </summary>
    /// <param name="image">The crop.</param>
    /// <param name="brightFraction">Fraction of pixels taken as background, in (0, 1]; the study used 0.08.</param>
    public static OpticalDensity Of(RgbImage image, double brightFraction = 0.08)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!(brightFraction > 0 && brightFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(brightFraction), brightFraction, "must be in (0, 1]");
        }

        Background(image, brightFraction, out double bgR, out double bgG, out double bgB);
        return new OpticalDensity(bgR, bgG, bgB, Convert(image, 0, bgR), Convert(image, 1, bgG), Convert(image, 2, bgB));
    }

    /// <summary>The three background levels of <see cref="Of(RgbImage, double)"/> without the OD planes.</summary>
    internal static void Background(RgbImage image, double brightFraction, out double bgR, out double bgG, out double bgB)
    {
        byte[] px = image.Pixels;
        int n = image.Width * image.Height;

        // Channel sums 0..765 in a histogram: the threshold sum is the one at rank ceil(fraction * n) from the top.
        Span<int> sums = stackalloc int[766];
        sums.Clear();
        for (int i = 0, o = 0; i < n; i++, o += 3)
        {
            sums[px[o] + px[o + 1] + px[o + 2]]++;
        }

        int wanted = Math.Max(1, (int)Math.Ceiling(brightFraction * n));
        int threshold = 765, seen = 0;
        for (; threshold > 0; threshold--)
        {
            seen += sums[threshold];
            if (seen >= wanted)
            {
                break;
            }
        }

        Span<int> hr = stackalloc int[256], hg = stackalloc int[256], hb = stackalloc int[256];
        hr.Clear();
        hg.Clear();
        hb.Clear();
        int count = 0;
        for (int i = 0, o = 0; i < n; i++, o += 3)
        {
            if (px[o] + px[o + 1] + px[o + 2] >= threshold)
            {
                hr[px[o]]++;
                hg[px[o + 1]]++;
                hb[px[o + 2]]++;
                count++;
            }
        }

        bgR = Math.Max(1, Median(hr, count));
        bgG = Math.Max(1, Median(hg, count));
        bgB = Math.Max(1, Median(hb, count));
    }

    /// <summary>The OD of one 8-bit value against a background level, clipped to [0, <see cref="MaxDensity"/>].</summary>
    public static double Of(byte value, double background) => Math.Clamp(-Math.Log10(Math.Max(value, (byte)1) / background), 0, MaxDensity);

    /// <summary>The mean of the three ODs per pixel.</summary>
    public DoubleImage Mean()
    {
        var mean = new DoubleImage(R.Width, R.Height);
        for (int i = 0; i < mean.Pixels.Length; i++)
        {
            mean.Pixels[i] = (R.Pixels[i] + G.Pixels[i] + B.Pixels[i]) / 3;
        }

        return mean;
    }

    /// <summary>
    /// An OD plane scaled to 8 bits: v · 255 / <paramref name="fullScale"/>, clipped to [0, 255] and truncated (NumPy's
    /// <c>astype(uint8)</c> after <c>clip</c>), so <paramref name="fullScale"/> maps to 255.
    /// </summary>
    public static GrayImage ToBytes(DoubleImage plane, double fullScale)
    {
        ArgumentNullException.ThrowIfNull(plane);
        var result = new GrayImage(plane.Width, plane.Height);
        double k = 255 / fullScale;
        for (int i = 0; i < plane.Pixels.Length; i++)
        {
            result.Pixels[i] = (byte)Math.Clamp(plane.Pixels[i] * k, 0, 255);
        }

        return result;
    }

    /// <summary>The median of <paramref name="count"/> values given as a histogram: the values at 0-based ranks
    /// (count − 1) / 2 and count / 2, averaged (NumPy's <c>median</c>).</summary>
    internal static double Median(ReadOnlySpan<int> histogram, int count)
    {
        int lo = -1, hi = -1, seen = 0;
        for (int v = 0; v < histogram.Length && hi < 0; v++)
        {
            int next = seen + histogram[v];
            if (lo < 0 && next > (count - 1) / 2)
            {
                lo = v;
            }

            if (next > count / 2)
            {
                hi = v;
            }

            seen = next;
        }

        return (lo + hi) / 2.0;
    }

    private static DoubleImage Convert(RgbImage image, int channel, double background)
    {
        Span<double> table = stackalloc double[256];
        for (int v = 0; v < 256; v++)
        {
            table[v] = Of((byte)v, background);
        }

        var plane = new DoubleImage(image.Width, image.Height);
        byte[] px = image.Pixels;
        for (int i = 0, o = channel; i < plane.Pixels.Length; i++, o += 3)
        {
            plane.Pixels[i] = table[px[o]];
        }

        return plane;
    }
}
