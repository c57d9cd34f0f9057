using System.Text;
using Raabin.Features.Imaging;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Augmentation;

/// <summary>
/// Training-time domain randomisation of a cell crop: changes stain strength, background tint, scale, focus, tone,
/// hue, saturation, sensor noise and JPEG compression at random within <see cref="DomainRandomizationOptions"/>, so
/// that features learnt on one microscope carry over to others. Managed, deterministic for a given seed on any
/// machine.
/// </summary>
/// <remarks>
/// <para>The levers, in the order they are applied (the robust study's <c>randomise</c>):</para>
/// <list type="number">
/// <item>Stain strength: with the background b (per-channel median of the brightest
/// <see cref="DomainRandomizationOptions.BrightFraction"/> of pixels, <see cref="OpticalDensity"/>) and
/// OD = clip(−log10(max(I, 1) / b), 0, 3), each channel's OD is multiplied by its <c>ChannelStain</c> factor and by
/// <c>GlobalStain</c>.</item>
/// <item>Background re-tint: b' = clip(b · tint, <see cref="MinimumTint"/>, <see cref="MaximumTint"/>) per channel, and
/// the image is re-synthesised as I = b' · 10^(−OD). Levers 1-2 run when any of their three draws is set (so pixels
/// brighter than the background become the background, as OD is clipped at 0).</item>
/// <item>Scale: <c>cv2.resize(fx = fy = s, INTER_AREA)</c> on float64 planes (<see cref="Resize"/>), s raised if
/// needed so that each side keeps at least <see cref="MinimumSide"/> pixels.</item>
/// <item>Blur: <c>cv2.GaussianBlur(σ)</c> on float64 planes (<see cref="GaussianBlur"/>), applied with probability
/// <see cref="DomainRandomizationOptions.BlurProbability"/> and only when σ &gt; <see cref="MinimumBlurSigma"/>.</item>
/// <item>Gamma: I = 255 · clip(I / 255, 0, 1)^γ.</item>
/// <item>Hue and saturation: the image is rounded to bytes, converted with <c>cv2.COLOR_RGB2HSV</c>
/// (<see cref="ColorConversion.RgbToHsv(RgbImage)"/>); H' = round((H + shift) mod 180) (180 wraps to 0),
/// S' = clip(round(S · factor), 0, 255); back with <see cref="ColorConversion.HsvToRgb(ThreeChannelImage)"/>.</item>
/// <item>Noise: I += σ · z per pixel and channel, z standard normal by Box–Muller from <c>new Random(NoiseSeed)</c>,
/// pixels in row-major order and R, G, B within a pixel.</item>
/// <item>JPEG: the image is rounded to bytes and passed through <see cref="JpegArtifacts.Apply"/> at the drawn quality.</item>
/// </list>
/// <para>Values are kept in float64 from step 1 to 7 and rounded to the nearest byte (ties to even, clipped to 0..255)
/// before steps 6 and 8 and at the end. The study truncated (NumPy <c>astype(uint8)</c>), half a level darker on
/// average; the study also worked in float32 and used OpenCV's JPEG codec, where this uses the managed simulation.</para>
/// <para>Determinism: <see cref="Draw"/> always takes the same 16 values from the generator in a fixed order, whatever
/// levers are switched off, so switching one lever off leaves the others' draws unchanged; seeded
/// <see cref="Random"/> gives the same sequence on every machine and .NET version. For a data set, seed each image
/// with <see cref="SeedFor(int, int)"/> or <see cref="SeedFor(int, string)"/> so that parallel and sequential runs
/// agree.</para>
/// </remarks>
public sealed class DomainRandomizer
{
    /// <summary>Smallest side, in pixels, an input may have and the scale lever leaves.</summary>
    public const int MinimumSide = 8;

    /// <summary>Blur sigmas at or below this (pixels) are skipped, as in the study.</summary>
    public const double MinimumBlurSigma = 0.2;

    /// <summary>Lowest re-tinted background level (8-bit).</summary>
    public const double MinimumTint = 60;

    /// <summary>Highest re-tinted background level (8-bit).</summary>
    public const double MaximumTint = 255;

    /// <summary>Creates a randomiser.</summary>
    /// <param name="options">The distributions; null for <see cref="DomainRandomizationOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">An option is out of range (see <see cref="DomainRandomizationOptions.Validate"/>).</exception>
    public DomainRandomizer(DomainRandomizationOptions? options = null)
    {
        Options = options ?? DomainRandomizationOptions.Default;
        Options.Validate();
    }

    /// <summary>The distributions drawn from.</summary>
    public DomainRandomizationOptions Options { get; }

    /// <summary>Randomises one image with values drawn from <paramref name="rng"/> (<see cref="Draw"/> then <see cref="Apply"/>).</summary>
    /// <param name="image">The crop, at least <see cref="MinimumSide"/> pixels on each side.</param>
    /// <param name="rng">The generator; 16 values are taken from it.</param>
    /// <returns>A new image (smaller when the scale lever is on).</returns>
    /// <exception cref="ArgumentException">The image is smaller than <see cref="MinimumSide"/> on a side.</exception>
    public RgbImage Randomize(RgbImage image, Random rng) => Apply(image, Draw(rng)).Image;

    /// <summary>Randomises one image with <c>new Random(seed)</c>.</summary>
    /// <param name="image">The crop, at least <see cref="MinimumSide"/> pixels on each side.</param>
    /// <param name="seed">The seed, e.g. from <see cref="SeedFor(int, string)"/>.</param>
    public RgbImage Randomize(RgbImage image, int seed) => Randomize(image, new Random(seed));

    /// <summary>
    /// Draws one set of values: in this order stain R, G, B; global stain; tint R, G, B; scale; blur sigma; blur gate
    /// (applied when below <see cref="DomainRandomizationOptions.BlurProbability"/>); gamma; hue; saturation; noise
    /// sigma; JPEG quality (truncated); each <c>low + (high − low) · NextDouble()</c>; then the noise seed
    /// (<see cref="Random.Next()"/>); then eosin and its gate (after the others, so draws made before the lever existed are
    /// unchanged). A lever that is off still consumes its values and is left null.
    /// </summary>
    /// <param name="rng">The generator.</param>
    public RandomizationDraw Draw(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var o = Options;
        double sr = rng.NextDouble(), sg = rng.NextDouble(), sb = rng.NextDouble(), global = rng.NextDouble();
        double tr = rng.NextDouble(), tg = rng.NextDouble(), tb = rng.NextDouble();
        double scale = rng.NextDouble(), blur = rng.NextDouble(), gate = rng.NextDouble();
        double gamma = rng.NextDouble(), hue = rng.NextDouble(), saturation = rng.NextDouble();
        double noise = rng.NextDouble(), jpeg = rng.NextDouble();
        int noiseSeed = rng.Next();
        double eosin = rng.NextDouble(), eosinGate = rng.NextDouble();

        double? sigma = o.BlurSigma is { } b && gate < o.BlurProbability ? b.At(blur) : null;
        return new RandomizationDraw
        {
            ChannelStain = o.ChannelStain is { } s ? new ChannelFactors(s.At(sr), s.At(sg), s.At(sb)) : null,
            GlobalStain = o.GlobalStain?.At(global),
            Tint = o.Tint is { } t ? new ChannelFactors(t.At(tr), t.At(tg), t.At(tb)) : null,
            Scale = o.Scale?.At(scale),
            BlurSigma = sigma > MinimumBlurSigma ? sigma : null,
            Gamma = o.Gamma?.At(gamma),
            HueShift = o.HueShift?.At(hue),
            Saturation = o.Saturation?.At(saturation),
            NoiseSigma = o.NoiseSigma?.At(noise),
            NoiseSeed = noiseSeed,
            JpegQuality = o.JpegQuality is { } q ? Math.Clamp((int)Math.Floor(q.At(jpeg)), 1, 100) : null,
            Eosin = o.Eosin is { } e && eosinGate < o.EosinProbability ? e.At(eosin) : null,
        };
    }

    /// <summary>Applies drawn (or hand-made) values to an image; the result depends only on the image, the draw and
    /// <see cref="DomainRandomizationOptions.BrightFraction"/>.</summary>
    /// <param name="image">The crop, at least <see cref="MinimumSide"/> pixels on each side.</param>
    /// <param name="draw">The values; null levers are skipped.</param>
    /// <returns>The new image and what was decided.</returns>
    /// <exception cref="ArgumentException">The image is smaller than <see cref="MinimumSide"/> on a side.</exception>
    public RandomizationResult Apply(RgbImage image, RandomizationDraw draw)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(draw);
        if (image.Width < MinimumSide || image.Height < MinimumSide)
        {
            throw new ArgumentException(
                $"image is {image.Width}x{image.Height}; domain randomisation needs at least {MinimumSide} pixels per side", nameof(image));
        }

        DoubleImage[] planes;
        ChannelFactors? background = null, newBackground = null;
        if (draw.ChannelStain is not null || draw.GlobalStain is not null || draw.Tint is not null || draw.Eosin is not null)
        {
            OpticalDensity.Background(image, Options.BrightFraction, out double bgR, out double bgG, out double bgB);
            var bg = new ChannelFactors(bgR, bgG, bgB);
            var stain = draw.ChannelStain ?? new ChannelFactors(1, 1, 1);
            var tint = draw.Tint ?? new ChannelFactors(1, 1, 1);
            double global = draw.GlobalStain ?? 1;
            var levels = draw.Tint is null
                ? bg
                : new ChannelFactors(Retint(bg.R, tint.R), Retint(bg.G, tint.G), Retint(bg.B, tint.B));
            planes = new DoubleImage[3];
            for (int c = 0; c < 3; c++)
            {
                // I depends only on the byte value per channel: one 256-entry table.
                var table = new double[256];
                double k = stain[c] * global;
                for (int v = 0; v < 256; v++)
                {
                    table[v] = levels[c] * Math.Pow(10, -k * OpticalDensity.Of((byte)v, bg[c]));
                }

                planes[c] = draw.Eosin is null ? Plane(image, c, table) : OdPlane(image, c, k, bg[c]);
            }

            if (draw.Eosin is { } e)
            {
                AddEosin(planes, e, levels);
            }

            background = bg;
            newBackground = levels;
        }
        else
        {
            planes = [Plane(image, 0, null), Plane(image, 1, null), Plane(image, 2, null)];
        }

        double? usedScale = null;
        if (draw.Scale is { } drawn)
        {
            double s = Math.Max(drawn, (double)MinimumSide / Math.Min(image.Width, image.Height));
            if (s != 1)
            {
                for (int c = 0; c < 3; c++)
                {
                    planes[c] = Resize.Scale(planes[c], s, s, ResizeInterpolation.Area);
                }
            }

            usedScale = s;
        }

        if (draw.BlurSigma is { } sigma)
        {
            for (int c = 0; c < 3; c++)
            {
                planes[c] = GaussianBlur.Apply(planes[c], sigma);
            }
        }

        if (draw.Gamma is { } gamma)
        {
            foreach (var plane in planes)
            {
                double[] p = plane.Pixels;
                for (int i = 0; i < p.Length; i++)
                {
                    p[i] = 255 * Math.Pow(Math.Clamp(p[i] / 255, 0, 1), gamma);
                }
            }
        }

        if (draw.HueShift is not null || draw.Saturation is not null)
        {
            planes = ShiftHsv(ToBytes(planes), draw.HueShift ?? 0, draw.Saturation ?? 1);
        }

        if (draw.NoiseSigma is { } noise)
        {
            AddNoise(planes, noise, new Random(draw.NoiseSeed));
        }

        RgbImage result = ToBytes(planes);
        if (draw.JpegQuality is { } quality)
        {
            result = JpegArtifacts.Apply(result, quality);
        }

        return new RandomizationResult(result, draw, background, newBackground, usedScale);
    }

    /// <summary>
    /// The seed of image number <paramref name="index"/> in a run seeded with <paramref name="baseSeed"/>: the top 31
    /// bits of SplitMix64's output for the 64-bit value <c>(uint)baseSeed &lt;&lt; 32 | (uint)index</c>. Independent of
    /// processing order, so a parallel run draws what a sequential one does.
    /// </summary>
    public static int SeedFor(int baseSeed, int index) => Mix(((ulong)(uint)baseSeed << 32) | (uint)index);

    /// <summary>
    /// The seed of the image named <paramref name="key"/> (e.g. its path relative to the data set, with '/'
    /// separators): the top 31 bits of SplitMix64's output for <c>(uint)baseSeed &lt;&lt; 32</c> XOR the 64-bit FNV-1a
    /// hash of the key's UTF-8 bytes. Stable across runs, machines and orderings.
    /// </summary>
    public static int SeedFor(int baseSeed, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(key))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return Mix(((ulong)(uint)baseSeed << 32) ^ hash);
    }

    /// <summary>Standard normal samples by the Box–Muller transform: for each pair, u1 = 1 − NextDouble() (in (0, 1]),
    /// u2 = NextDouble(), r = √(−2 ln u1), giving r cos(2π u2) then r sin(2π u2).</summary>
    /// <param name="rng">The generator.</param>
    /// <param name="destination">Filled with samples (an odd last one uses the cosine of a fresh pair).</param>
    public static void FillGaussian(Random rng, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = 0; i < destination.Length; i += 2)
        {
            double u1 = 1.0 - rng.NextDouble();
            double u2 = rng.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            (double sin, double cos) = Math.SinCos(2.0 * Math.PI * u2);
            destination[i] = r * cos;
            if (i + 1 < destination.Length)
            {
                destination[i + 1] = r * sin;
            }
        }
    }

    private static double Retint(double background, double factor) => Math.Clamp(background * factor, MinimumTint, MaximumTint);

    private static int Mix(ulong x)
    {
        // SplitMix64 finaliser (Steele, Lea & Flood 2014).
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (int)(x >> 33);
    }

    // Eosin's share of the added optical density per channel (R, G, B): it absorbs green most, then blue.
    private static readonly double[] EosinDirection = [0.1, 0.6, 0.3];

    // The stained optical density of one channel (k · OD of the byte against the background), kept as OD until AddEosin.
    private static DoubleImage OdPlane(RgbImage image, int channel, double k, double background)
    {
        var table = new double[256];
        for (int v = 0; v < 256; v++)
        {
            table[v] = k * OpticalDensity.Of((byte)v, background);
        }

        return Plane(image, channel, table);
    }

    // planes hold OD; adds e · w(ΣOD) · direction to each pixel's OD and turns it back into intensity against `levels`.
    private static void AddEosin(DoubleImage[] planes, double e, ChannelFactors levels)
    {
        double[] r = planes[0].Pixels, g = planes[1].Pixels, b = planes[2].Pixels;
        for (int i = 0; i < r.Length; i++)
        {
            double sum = r[i] + g[i] + b[i];
            double w = Math.Clamp(sum / 0.15, 0, 1) * Math.Clamp((1.0 - sum) / 0.4, 0, 1);
            double add = e * w;
            r[i] = levels.R * Math.Pow(10, -(r[i] + (add * EosinDirection[0])));
            g[i] = levels.G * Math.Pow(10, -(g[i] + (add * EosinDirection[1])));
            b[i] = levels.B * Math.Pow(10, -(b[i] + (add * EosinDirection[2])));
        }
    }

    private static DoubleImage Plane(RgbImage image, int channel, double[]? table)
    {
        var plane = new DoubleImage(image.Width, image.Height);
        double[] d = plane.Pixels;
        byte[] px = image.Pixels;
        for (int i = 0, o = channel; i < d.Length; i++, o += 3)
        {
            d[i] = table is null ? px[o] : table[px[o]];
        }

        return plane;
    }

    private static RgbImage ToBytes(DoubleImage[] planes)
    {
        var image = new RgbImage(planes[0].Width, planes[0].Height);
        byte[] px = image.Pixels;
        for (int c = 0; c < 3; c++)
        {
            double[] p = planes[c].Pixels;
            for (int i = 0, o = c; i < p.Length; i++, o += 3)
            {
                px[o] = (byte)Math.Round(Math.Clamp(p[i], 0, 255), MidpointRounding.ToEven);
            }
        }

        return image;
    }

    private static DoubleImage[] ShiftHsv(RgbImage image, double hueShift, double saturation)
    {
        ThreeChannelImage hsv = ColorConversion.RgbToHsv(image);
        byte[] p = hsv.Pixels;

        // Per-value tables: the new hue of each hue 0..255 and the new saturation of each saturation.
        Span<byte> hues = stackalloc byte[256];
        Span<byte> saturations = stackalloc byte[256];
        for (int v = 0; v < 256; v++)
        {
            double h = v + hueShift;
            h -= 180 * Math.Floor(h / 180);
            int rounded = (int)Math.Round(h, MidpointRounding.ToEven);
            hues[v] = (byte)(rounded >= 180 ? rounded - 180 : rounded);
            saturations[v] = (byte)Math.Clamp(Math.Round(v * saturation, MidpointRounding.ToEven), 0, 255);
        }

        for (int i = 0; i < p.Length; i += 3)
        {
            p[i] = hues[p[i]];
            p[i + 1] = saturations[p[i + 1]];
        }

        RgbImage rgb = ColorConversion.HsvToRgb(hsv);
        return [Plane(rgb, 0, null), Plane(rgb, 1, null), Plane(rgb, 2, null)];
    }

    private static void AddNoise(DoubleImage[] planes, double sigma, Random rng)
    {
        int n = planes[0].Pixels.Length;
        double[] r = planes[0].Pixels, g = planes[1].Pixels, b = planes[2].Pixels;
        var z = new double[n * 3];
        FillGaussian(rng, z);
        for (int i = 0, j = 0; i < n; i++, j += 3)
        {
            r[i] += sigma * z[j];
            g[i] += sigma * z[j + 1];
            b[i] += sigma * z[j + 2];
        }
    }
}
