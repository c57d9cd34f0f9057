using Raabin.Features.Augmentation;

namespace Raabin.Features.Tests.Augmentation;

public class DomainRandomizationOptionsTests
{
    private const string DefaultSpec =
        "stain=0.7..1.35;stainGlobal=0.8..1.2;tint=0.75..1.1;scale=0.3..1;blur=0..2.5@0.7;gamma=0.75..1.35;hue=10;saturation=0.7..1.4;noise=0..4;jpeg=30..95;bright=0.08";

    [Fact]
    public void Defaults_are_the_studys_distributions()
    {
        // reference/robust-study/extract.py, randomise().
        var o = DomainRandomizationOptions.Default;
        Assert.Equal(new UniformRange(0.7, 1.35), o.ChannelStain);
        Assert.Equal(new UniformRange(0.8, 1.2), o.GlobalStain);
        Assert.Equal(new UniformRange(0.75, 1.1), o.Tint);
        Assert.Equal(new UniformRange(0.3, 1.0), o.Scale);
        Assert.Equal(new UniformRange(0, 2.5), o.BlurSigma);
        Assert.Equal(0.7, o.BlurProbability);
        Assert.Equal(new UniformRange(0.75, 1.35), o.Gamma);
        Assert.Equal(new UniformRange(-10, 10), o.HueShift);
        Assert.Equal(new UniformRange(0.7, 1.4), o.Saturation);
        Assert.Equal(new UniformRange(0, 4), o.NoiseSigma);
        Assert.Equal(new UniformRange(30, 95), o.JpegQuality);
        Assert.Equal(0.08, o.BrightFraction);
        Assert.Equal(0.2, DomainRandomizer.MinimumBlurSigma);
        Assert.Equal(60, DomainRandomizer.MinimumTint);
        Assert.Equal(255, DomainRandomizer.MaximumTint);
        Assert.Equal(DefaultSpec, o.ToSpec());
    }

    [Fact]
    public void Spec_round_trips()
    {
        var changed = DomainRandomizationOptions.Default with
        {
            Tint = null,
            BlurSigma = new UniformRange(0.5, 1.25),
            BlurProbability = 0.25,
            HueShift = new UniformRange(-3, 7.5),
            JpegQuality = new UniformRange(50, 50),
            BrightFraction = 0.1,
            NoiseSigma = new UniformRange(0.1, 1.0 / 3),
        };
        foreach (var options in new[] { DomainRandomizationOptions.Default, DomainRandomizationOptions.Off, changed })
        {
            Assert.Equal(options, DomainRandomizationOptions.Parse(options.ToSpec()));
        }

        Assert.Equal(DefaultSpec, DomainRandomizationOptions.Parse(DefaultSpec).ToSpec());
        Assert.Contains("tint=off", changed.ToSpec());
        Assert.Contains("hue=-3..7.5", changed.ToSpec());
    }

    [Fact]
    public void Parse_keeps_defaults_for_keys_not_given_and_reads_shorthands()
    {
        Assert.Equal(DomainRandomizationOptions.Default, DomainRandomizationOptions.Parse(""));
        var o = DomainRandomizationOptions.Parse(" blur = off ; hue=5; jpeg=off ");
        Assert.Null(o.BlurSigma);
        Assert.Null(o.JpegQuality);
        Assert.Equal(new UniformRange(-5, 5), o.HueShift);
        Assert.Equal(DomainRandomizationOptions.Default.Scale, o.Scale);
        Assert.Equal(0.7, DomainRandomizationOptions.Parse("blur=0..1").BlurProbability);
        Assert.Equal(DomainRandomizationOptions.Off, DomainRandomizationOptions.Parse("off"));
    }

    [Theory]
    [InlineData("colour=0..1", "colour")]
    [InlineData("stain=0.7", "stain")]
    [InlineData("stain=a..1", "stain")]
    [InlineData("scale=0.3..1;scale=0.5..1", "scale")]
    [InlineData("gamma=1.2..0.8", "gamma")]
    [InlineData("tint=0..1", "tint")]
    [InlineData("blur=0..2@1.5", "blur")]
    [InlineData("blur=0..2@x", "blur")]
    [InlineData("jpeg=0..95", "jpeg")]
    [InlineData("hue=-4", "hue")]
    [InlineData("bright=0", "bright")]
    [InlineData("noise", "noise")]
    public void Parse_rejects_bad_input_naming_the_key(string spec, string key)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => DomainRandomizationOptions.Parse(spec));
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void Validate_names_the_bad_option()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => (DomainRandomizationOptions.Default with { Scale = new UniformRange(0, 1) }).Validate());
        Assert.Equal(nameof(DomainRandomizationOptions.Scale), e.ParamName);
        Assert.Contains("scale", e.Message);
        e = Assert.ThrowsAny<ArgumentException>(() => new DomainRandomizer(DomainRandomizationOptions.Default with { BlurProbability = -0.1 }));
        Assert.Equal(nameof(DomainRandomizationOptions.BlurProbability), e.ParamName);
        e = Assert.ThrowsAny<ArgumentException>(() => (DomainRandomizationOptions.Default with { NoiseSigma = new UniformRange(double.NaN, 1) }).Validate());
        Assert.Equal(nameof(DomainRandomizationOptions.NoiseSigma), e.ParamName);
    }
}
