using Raabin.Features.Augmentation;
using Raabin.Features.Imaging;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Tests.Augmentation;

public class EosinLeverTests
{
    // A 40×40 crop: white background, a pale "cytoplasm" square (ΣOD ≈ 0.3) and a dark "nucleus" square (ΣOD ≈ 1.5).
    private static RgbImage Crop()
    {
        var image = new RgbImage(40, 40);
        for (int y = 0; y < 40; y++)
        {
            for (int x = 0; x < 40; x++)
            {
                byte v = x is >= 5 and < 15 && y is >= 5 and < 15 ? (byte)202 // 10^-0.1 · 255: OD 0.1 per channel
                    : x is >= 25 and < 35 && y is >= 25 and < 35 ? (byte)81       // OD 0.5 per channel
                    : (byte)255;
                image.Row(y)[(x * 3)..((x * 3) + 3)].Fill(v);
            }
        }

        return image;
    }

    [Fact]
    public void Eosin_reddens_the_cytoplasm_only_and_mostly_in_green()
    {
        var randomizer = new DomainRandomizer(DomainRandomizationOptions.Off with { Eosin = new UniformRange(0.3, 0.3), EosinProbability = 1 });
        var draw = randomizer.Draw(new Random(1));
        Assert.Equal(0.3, draw.Eosin);
        var result = randomizer.Apply(Crop(), draw).Image;

        byte At(int x, int y, int c) => result.Row(y)[(x * 3) + c];
        Assert.Equal(255, At(20, 2, 1));           // background untouched
        Assert.Equal(81, At(30, 30, 1));           // nucleus (ΣOD 1.5 > 1.0) untouched
        Assert.Equal(81, At(30, 30, 0));

        // Cytoplasm: ΣOD 0.3 gives weight 1, so OD rises by 0.3 · (0.1, 0.6, 0.3); byte = 255 · 10^-(0.1 + added), rounded.
        // (202 is OD 0.1016 against 255, not exactly 0.1: within one level.)
        Assert.InRange(At(10, 10, 0) - Math.Round(255 * Math.Pow(10, -(0.1 + 0.03))), -1, 1);
        Assert.InRange(At(10, 10, 1) - Math.Round(255 * Math.Pow(10, -(0.1 + 0.18))), -1, 1);
        Assert.InRange(At(10, 10, 2) - Math.Round(255 * Math.Pow(10, -(0.1 + 0.09))), -1, 1);
    }

    [Fact]
    public void Eosin_is_off_by_default_and_leaves_the_default_spec_and_draws_as_they_were()
    {
        Assert.Null(DomainRandomizationOptions.Default.Eosin);
        Assert.DoesNotContain("eosin", DomainRandomizationOptions.Default.ToSpec());
        var with = DomainRandomizationOptions.Parse("eosin=0..0.4@0.25");
        Assert.Equal(new UniformRange(0, 0.4), with.Eosin);
        Assert.Equal(0.25, with.EosinProbability);
        Assert.Equal(with, DomainRandomizationOptions.Parse(with.ToSpec()));

        // The draws of every other lever do not change when eosin is on (its values come last).
        var a = new DomainRandomizer().Draw(new Random(7));
        var b = new DomainRandomizer(with).Draw(new Random(7));
        Assert.Equal(a, b with { Eosin = null });
        Assert.Contains("eosin", Assert.Throws<ArgumentException>(() => DomainRandomizationOptions.Parse("eosin=0..3")).Message);
    }
}
