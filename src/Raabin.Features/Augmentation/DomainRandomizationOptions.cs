using System.Globalization;
using System.Text;

namespace Raabin.Features.Augmentation;

/// <summary>
/// The distributions of <see cref="DomainRandomizer"/>: one range per lever, null to switch the lever off. The
/// defaults are the robust study's (<c>reference/robust-study/extract.py</c>, <c>randomise</c>): the distributions
/// that made colour features survive other microscopes.
/// </summary>
/// <remarks>
/// <para>Text form (<see cref="ToSpec"/>, <see cref="Parse"/>): <c>key=value</c> pairs separated by <c>;</c>, keys in
/// any order, each at most once; a key left out keeps its default, <c>off</c> switches a lever off, and the whole spec
/// <c>off</c> switches every lever off. Values: a range <c>low..high</c>; for <c>blur</c> a range and the probability
/// <c>low..high@p</c> (<c>@p</c> optional, default 0.7); for <c>hue</c> also a single <c>m</c> meaning <c>-m..m</c>;
/// for <c>bright</c> a number. Numbers use the invariant culture. The defaults read
/// <c>stain=0.7..1.35;stainGlobal=0.8..1.2;tint=0.75..1.1;scale=0.3..1;blur=0..2.5@0.7;gamma=0.75..1.35;hue=10;saturation=0.7..1.4;noise=0..4;jpeg=30..95;bright=0.08</c>.</para>
/// </remarks>
public sealed record DomainRandomizationOptions
{
    /// <summary>Default probability that the blur lever is applied to an image.</summary>
    public const double DefaultBlurProbability = 0.7;

    /// <summary>Default fraction of brightest pixels whose median is the background (as <c>OpticalDensity.Of</c>).</summary>
    public const double DefaultBrightFraction = 0.08;

    private static readonly string[] Keys =
        ["stain", "stainGlobal", "tint", "scale", "blur", "gamma", "hue", "saturation", "noise", "jpeg", "eosin", "bright"];

    /// <summary>The study's distributions.</summary>
    public static DomainRandomizationOptions Default { get; } = new();

    /// <summary>Every lever off: <see cref="DomainRandomizer.Randomize(Imaging.RgbImage, Random)"/> returns a copy.</summary>
    public static DomainRandomizationOptions Off { get; } = new()
    {
        ChannelStain = null, GlobalStain = null, Tint = null, Scale = null, BlurSigma = null, Gamma = null,
        HueShift = null, Saturation = null, NoiseSigma = null, JpegQuality = null,
    };

    /// <summary>Lever 1, key <c>stain</c>: per-channel multiplier of optical density, each channel drawn on its own.
    /// Default U(0.7, 1.35).</summary>
    public UniformRange? ChannelStain { get; init; } = new(0.7, 1.35);

    /// <summary>Lever 1, key <c>stainGlobal</c>: one multiplier of the optical density of all channels. Default U(0.8, 1.2).</summary>
    public UniformRange? GlobalStain { get; init; } = new(0.8, 1.2);

    /// <summary>Lever 2, key <c>tint</c>: per-channel factor of the background level, each channel drawn on its own.
    /// Default U(0.75, 1.1).</summary>
    public UniformRange? Tint { get; init; } = new(0.75, 1.1);

    /// <summary>Lever 3, key <c>scale</c>: resize factor for both sides, area interpolation. Default U(0.3, 1.0).</summary>
    public UniformRange? Scale { get; init; } = new(0.3, 1.0);

    /// <summary>Lever 4, key <c>blur</c>: Gaussian blur sigma in pixels. Default U(0, 2.5).</summary>
    public UniformRange? BlurSigma { get; init; } = new(0, 2.5);

    /// <summary>Lever 4: probability (0..1) that the blur is applied; default 0.7. Not used (and not written) when
    /// <see cref="BlurSigma"/> is null.</summary>
    public double BlurProbability { get; init; } = DefaultBlurProbability;

    /// <summary>
    /// Off by default. Eosin added to the cytoplasm (the rapid-stain look: orange neutrophil cytoplasm): with probability
    /// <see cref="EosinProbability"/>, every pixel whose summed optical density ΣOD is in the cytoplasm's range gets
    /// e · w(ΣOD) · (0.1, 0.6, 0.3) added to its (R, G, B) OD, e drawn from this range, w = 1 for ΣOD in [0.15, 0.6],
    /// ramping to 0 at ΣOD = 0 and 1.0 (so background and nuclei are left alone). Text form <c>eosin=0..0.3@0.5</c>.
    /// </summary>
    public UniformRange? Eosin { get; init; }

    /// <summary>The chance that <see cref="Eosin"/> is applied to an image (default 0.5).</summary>
    public double EosinProbability { get; init; } = 0.5;

    /// <summary>Lever 5, key <c>gamma</c>: exponent of <c>I = 255 (I / 255)^gamma</c>. Default U(0.75, 1.35).</summary>
    public UniformRange? Gamma { get; init; } = new(0.75, 1.35);

    /// <summary>Lever 6, key <c>hue</c>: hue shift in OpenCV 8-bit hue units (0..180 is a full turn). Default U(−10, 10).</summary>
    public UniformRange? HueShift { get; init; } = new(-10, 10);

    /// <summary>Lever 6, key <c>saturation</c>: HSV saturation multiplier. Default U(0.7, 1.4).</summary>
    public UniformRange? Saturation { get; init; } = new(0.7, 1.4);

    /// <summary>Lever 7, key <c>noise</c>: standard deviation of additive Gaussian noise in 8-bit levels, one draw per
    /// image, independent samples per pixel and channel. Default U(0, 4).</summary>
    public UniformRange? NoiseSigma { get; init; } = new(0, 4);

    /// <summary>Lever 8, key <c>jpeg</c>: JPEG quality, drawn uniformly and truncated to an integer (the study's
    /// <c>int(rng.uniform(30, 95))</c>, so 30..94 by default). Default U(30, 95).</summary>
    public UniformRange? JpegQuality { get; init; } = new(30, 95);

    /// <summary>Key <c>bright</c>: fraction of brightest pixels (0..1] whose per-channel median is the background of
    /// levers 1-2. Default 0.08.</summary>
    public double BrightFraction { get; init; } = DefaultBrightFraction;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentException">The message and <see cref="ArgumentException.ParamName"/> name the option.</exception>
    public void Validate()
    {
        CheckRange(ChannelStain, "stain", nameof(ChannelStain), 0, 10, lowExclusive: false);
        CheckRange(GlobalStain, "stainGlobal", nameof(GlobalStain), 0, 10, lowExclusive: false);
        CheckRange(Tint, "tint", nameof(Tint), 0, 10, lowExclusive: true);
        CheckRange(Scale, "scale", nameof(Scale), 0, 4, lowExclusive: true);
        CheckRange(BlurSigma, "blur", nameof(BlurSigma), 0, 40, lowExclusive: false);
        if (!(BlurProbability >= 0 && BlurProbability <= 1))
        {
            throw new ArgumentException($"blur: probability {UniformRange.Format(BlurProbability)} must be 0..1", nameof(BlurProbability));
        }

        CheckRange(Gamma, "gamma", nameof(Gamma), 0, 10, lowExclusive: true);
        CheckRange(HueShift, "hue", nameof(HueShift), -90, 90, lowExclusive: false);
        CheckRange(Saturation, "saturation", nameof(Saturation), 0, 10, lowExclusive: false);
        CheckRange(NoiseSigma, "noise", nameof(NoiseSigma), 0, 255, lowExclusive: false);
        CheckRange(JpegQuality, "jpeg", nameof(JpegQuality), 1, 100, lowExclusive: false);
        CheckRange(Eosin, "eosin", nameof(Eosin), 0, 2, lowExclusive: false);
        if (!(EosinProbability >= 0 && EosinProbability <= 1))
        {
            throw new ArgumentException($"eosin: probability {UniformRange.Format(EosinProbability)} must be 0..1", nameof(EosinProbability));
        }
        if (!(BrightFraction > 0 && BrightFraction <= 1))
        {
            throw new ArgumentException($"bright: {UniformRange.Format(BrightFraction)} must be in (0, 1]", nameof(BrightFraction));
        }
    }

    /// <summary>The text form with every key written (see the class remarks); <see cref="Parse"/> reads it back to an
    /// equal options object.</summary>
    public string ToSpec()
    {
        var sb = new StringBuilder();
        Append(sb, "stain", ChannelStain);
        Append(sb, "stainGlobal", GlobalStain);
        Append(sb, "tint", Tint);
        Append(sb, "scale", Scale);
        Append(sb, "blur", BlurSigma, BlurSigma is null ? null : "@" + UniformRange.Format(BlurProbability));
        Append(sb, "gamma", Gamma);
        if (HueShift is { } hue && hue.Low == -hue.High && hue.High > 0)
        {
            sb.Append("hue=").Append(UniformRange.Format(hue.High)).Append(';');
        }
        else
        {
            Append(sb, "hue", HueShift);
        }

        Append(sb, "saturation", Saturation);
        Append(sb, "noise", NoiseSigma);
        Append(sb, "jpeg", JpegQuality);

        // Written only when on, so the text of the default (and of every spec made before the lever existed) is unchanged.
        if (Eosin is { } eosin)
        {
            sb.Append("eosin=").Append(eosin.ToString()).Append('@').Append(UniformRange.Format(EosinProbability)).Append(';');
        }

        sb.Append("bright=").Append(UniformRange.Format(BrightFraction));
        return sb.ToString();
    }

    /// <inheritdoc cref="ToSpec"/>
    public override string ToString() => ToSpec();

    /// <summary>Reads the text form (see the class remarks): keys not given keep their defaults; <c>off</c> alone
    /// switches every lever off. The result is validated.</summary>
    /// <exception cref="ArgumentException">Unknown or repeated key, or a malformed or out-of-range value; the message
    /// names the key.</exception>
    public static DomainRandomizationOptions Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string text = spec.Trim();
        if (text == "off")
        {
            return Off;
        }

        var options = Default;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"domain randomisation '{spec}': '{part}' is not key=value", nameof(spec));
            }

            string key = part[..eq].Trim(), value = part[(eq + 1)..].Trim();
            if (Array.IndexOf(Keys, key) < 0)
            {
                throw new ArgumentException(
                    $"domain randomisation: unknown key '{key}' (keys: {string.Join(", ", Keys)})", nameof(spec));
            }

            if (!seen.Add(key))
            {
                throw new ArgumentException($"domain randomisation: key '{key}' given twice", nameof(spec));
            }

            options = key switch
            {
                "stain" => options with { ChannelStain = ParseRange(key, value) },
                "stainGlobal" => options with { GlobalStain = ParseRange(key, value) },
                "tint" => options with { Tint = ParseRange(key, value) },
                "scale" => options with { Scale = ParseRange(key, value) },
                "blur" => ParseBlur(options, value),
                "gamma" => options with { Gamma = ParseRange(key, value) },
                "hue" => options with { HueShift = ParseHue(value) },
                "saturation" => options with { Saturation = ParseRange(key, value) },
                "noise" => options with { NoiseSigma = ParseRange(key, value) },
                "jpeg" => options with { JpegQuality = ParseRange(key, value) },
                "eosin" => ParseEosin(options, value),
                _ => options with { BrightFraction = ParseNumber(key, value) },
            };
        }

        options.Validate();
        return options;
    }

    private static DomainRandomizationOptions ParseBlur(DomainRandomizationOptions options, string value)
    {
        if (value == "off")
        {
            return options with { BlurSigma = null, BlurProbability = DefaultBlurProbability };
        }

        int at = value.IndexOf('@', StringComparison.Ordinal);
        UniformRange? range = ParseRange("blur", at < 0 ? value : value[..at]);
        double probability = at < 0 ? DefaultBlurProbability : ParseNumber("blur", value[(at + 1)..]);
        return options with { BlurSigma = range, BlurProbability = probability };
    }

    private static DomainRandomizationOptions ParseEosin(DomainRandomizationOptions options, string value)
    {
        if (value == "off")
        {
            return options with { Eosin = null, EosinProbability = 0.5 };
        }

        int at = value.IndexOf('@', StringComparison.Ordinal);
        UniformRange? range = ParseRange("eosin", at < 0 ? value : value[..at]);
        double probability = at < 0 ? 0.5 : ParseNumber("eosin", value[(at + 1)..]);
        return options with { Eosin = range, EosinProbability = probability };
    }

    private static UniformRange? ParseHue(string value)
    {
        if (value != "off" && !value.Contains("..", StringComparison.Ordinal))
        {
            double m = ParseNumber("hue", value);
            if (m < 0)
            {
                throw new ArgumentException($"domain randomisation: hue '{value}': a single value is the largest shift, at least 0", "spec");
            }

            return new UniformRange(-m, m);
        }

        return ParseRange("hue", value);
    }

    private static UniformRange? ParseRange(string key, string value)
    {
        if (value == "off")
        {
            return null;
        }

        int dots = value.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0)
        {
            throw new ArgumentException($"domain randomisation: {key} '{value}' is not low..high or off", "spec");
        }

        return new UniformRange(ParseNumber(key, value[..dots]), ParseNumber(key, value[(dots + 2)..]));
    }

    private static double ParseNumber(string key, string text)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new ArgumentException($"domain randomisation: {key} '{text}' is not a number", "spec");
        }

        return value;
    }

    private static void Append(StringBuilder sb, string key, UniformRange? range, string? suffix = null)
    {
        sb.Append(key).Append('=').Append(range is { } r ? r.ToString() : "off").Append(suffix).Append(';');
    }

    private static void CheckRange(UniformRange? range, string key, string property, double min, double max, bool lowExclusive)
    {
        if (range is not { } r)
        {
            return;
        }

        bool lowOk = lowExclusive ? r.Low > min : r.Low >= min;
        if (!double.IsFinite(r.Low) || !double.IsFinite(r.High) || !lowOk || r.High > max || r.Low > r.High)
        {
            string lowBound = lowExclusive ? $"above {UniformRange.Format(min)}" : $"at least {UniformRange.Format(min)}";
            throw new ArgumentException(
                $"{key}: range {r} must have low {lowBound}, high at most {UniformRange.Format(max)}, and low ≤ high", property);
        }
    }
}
