using Raabin.Features.Augmentation;
using Raabin.Features.Imaging;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Tests.Augmentation;

public class DomainRandomizerTests
{
    private static readonly DomainRandomizer Randomizer = new();

    private static RgbImage Crop() => new(101, 97, File.ReadAllBytes(TestPaths.Fixture("Augmentation", "pbc_BNE_100878_crop_101x97.rgb")));

    private static RgbImage Flat(int width, int height, byte r, byte g, byte b)
    {
        var image = new RgbImage(width, height);
        for (int i = 0; i < image.Pixels.Length; i += 3)
        {
            image.Pixels[i] = r;
            image.Pixels[i + 1] = g;
            image.Pixels[i + 2] = b;
        }

        return image;
    }

    [Fact]
    public void Same_seed_gives_identical_bytes_and_different_seeds_differ()
    {
        RgbImage crop = Crop();
        byte[] first = Randomizer.Randomize(crop, 42).Pixels;
        Assert.Equal(first, Randomizer.Randomize(crop, 42).Pixels);
        Assert.Equal(first, new DomainRandomizer().Randomize(crop, new Random(42)).Pixels);
        RgbImage other = Randomizer.Randomize(crop, 43);
        Assert.False(first.AsSpan().SequenceEqual(other.Pixels));
        Assert.Equal(Randomizer.Draw(new Random(7)), Randomizer.Draw(new Random(7)));
    }

    [Fact]
    public void Parallel_per_image_seeds_equal_sequential()
    {
        RgbImage crop = Crop();
        var sequential = new byte[8][];
        for (int i = 0; i < 8; i++)
        {
            sequential[i] = Randomizer.Randomize(crop, DomainRandomizer.SeedFor(2024, i)).Pixels;
        }

        var parallel = new byte[8][];
        Parallel.For(0, 8, i => parallel[i] = Randomizer.Randomize(crop, DomainRandomizer.SeedFor(2024, i)).Pixels);
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(sequential[i], parallel[i]);
        }
    }

    [Fact]
    public void Seed_derivation_is_pinned()
    {
        // The formula is part of the recorded training recipe: a change here changes every randomised data set.
        Assert.Equal(DomainRandomizer.SeedFor(1, 0), DomainRandomizer.SeedFor(1, 0));
        Assert.NotEqual(DomainRandomizer.SeedFor(1, 0), DomainRandomizer.SeedFor(1, 1));
        Assert.NotEqual(DomainRandomizer.SeedFor(1, 0), DomainRandomizer.SeedFor(2, 0));
        Assert.NotEqual(DomainRandomizer.SeedFor(1, "a/b.jpg"), DomainRandomizer.SeedFor(1, "a/c.jpg"));
        Assert.InRange(DomainRandomizer.SeedFor(-5, "x"), 0, int.MaxValue);
        // SplitMix64(0) = 0xE220A8397B1DCDAF; its top 31 bits:
        Assert.Equal((int)(0xE220A8397B1DCDAFUL >> 33), DomainRandomizer.SeedFor(0, 0));
    }

    [Fact]
    public void Switched_off_levers_leave_the_others_draws_unchanged()
    {
        var noBlur = new DomainRandomizer(DomainRandomizationOptions.Default with { BlurSigma = null, Tint = null });
        RandomizationDraw all = Randomizer.Draw(new Random(3)), some = noBlur.Draw(new Random(3));
        Assert.Null(some.BlurSigma);
        Assert.Null(some.Tint);
        Assert.Equal(all with { BlurSigma = null, Tint = null }, some);
    }

    [Fact]
    public void Draws_stay_in_their_ranges_and_blur_follows_its_probability()
    {
        int blurred = 0;
        const int n = 4000;
        for (int seed = 0; seed < n; seed++)
        {
            RandomizationDraw d = Randomizer.Draw(new Random(seed));
            Assert.InRange(d.ChannelStain!.Value.G, 0.7, 1.35);
            Assert.InRange(d.GlobalStain!.Value, 0.8, 1.2);
            Assert.InRange(d.Tint!.Value.B, 0.75, 1.1);
            Assert.InRange(d.Scale!.Value, 0.3, 1.0);
            Assert.InRange(d.Gamma!.Value, 0.75, 1.35);
            Assert.InRange(d.HueShift!.Value, -10, 10);
            Assert.InRange(d.Saturation!.Value, 0.7, 1.4);
            Assert.InRange(d.NoiseSigma!.Value, 0, 4);
            Assert.InRange(d.JpegQuality!.Value, 30, 94);
            if (d.BlurSigma is { } sigma)
            {
                Assert.InRange(sigma, 0.2, 2.5);
                blurred++;
            }
        }

        // P(applied) = 0.7 · P(σ > 0.2) = 0.7 · 2.3 / 2.5 = 0.644; 4000 draws give a standard error of 0.0076.
        Assert.InRange(blurred / (double)n, 0.644 - 0.04, 0.644 + 0.04);
    }

    [Fact]
    public void All_levers_off_returns_an_equal_copy()
    {
        RgbImage crop = Crop();
        RgbImage result = new DomainRandomizer(DomainRandomizationOptions.Off).Randomize(crop, 1);
        Assert.NotSame(crop, result);
        Assert.Equal(crop.Pixels, result.Pixels);
    }

    [Fact]
    public void Stain_with_factor_one_is_the_identity_up_to_the_background_clip()
    {
        // OD is clipped at 0, so pixels brighter than the background become the background; 0 counts as 1.
        RgbImage crop = Crop();
        RandomizationResult result = Randomizer.Apply(crop, new RandomizationDraw { ChannelStain = new ChannelFactors(1, 1, 1) });
        ChannelFactors bg = result.Background!.Value;
        Assert.Equal(bg, result.NewBackground);
        for (int i = 0; i < crop.Pixels.Length; i++)
        {
            double expected = Math.Min(Math.Max(crop.Pixels[i], (byte)1), bg[i % 3]);
            Assert.InRange(result.Image.Pixels[i], expected - 0.5, expected + 0.5);
        }
    }

    [Fact]
    public void Stain_factor_scales_optical_density()
    {
        RgbImage crop = Crop();
        var draw = new RandomizationDraw { ChannelStain = new ChannelFactors(1.3, 1, 1), GlobalStain = 1.1 };
        RandomizationResult result = Randomizer.Apply(crop, draw);
        OpticalDensity before = OpticalDensity.Of(crop), after = OpticalDensity.Of(result.Image);
        // Dense pixels (OD well above 0, away from rounding): red OD times 1.43, green times 1.1.
        int checkedPixels = 0;
        for (int i = 0; i < before.G.Pixels.Length; i++)
        {
            if (before.R.Pixels[i] > 0.3 && before.G.Pixels[i] > 0.3 && after.R.Pixels[i] < 2.5)
            {
                Assert.InRange(after.R.Pixels[i] / before.R.Pixels[i], 1.43 * 0.93, 1.43 * 1.07);
                Assert.InRange(after.G.Pixels[i] / before.G.Pixels[i], 1.1 * 0.93, 1.1 * 1.07);
                checkedPixels++;
            }
        }

        Assert.True(checkedPixels > 100, $"{checkedPixels} dense pixels");
    }

    [Fact]
    public void Tint_moves_the_background_to_the_drawn_level()
    {
        RgbImage crop = Crop();
        var tint = new ChannelFactors(0.8, 1.05, 0.9);
        RandomizationResult result = Randomizer.Apply(crop, new RandomizationDraw { Tint = tint });
        ChannelFactors bg = result.Background!.Value, level = result.NewBackground!.Value;
        OpticalDensity measured = OpticalDensity.Of(result.Image);
        double[] got = [measured.BackgroundR, measured.BackgroundG, measured.BackgroundB];
        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(Math.Clamp(bg[c] * tint[c], 60, 255), level[c], 12);
            Assert.InRange(got[c], level[c] - 1.5, level[c] + 1.5);
        }

        // Clipped to 60..255.
        RandomizationResult dark = Randomizer.Apply(crop, new RandomizationDraw { Tint = new ChannelFactors(0.1, 5, 1) });
        Assert.Equal(60, dark.NewBackground!.Value.R);
        Assert.Equal(255, dark.NewBackground!.Value.G);
    }

    [Fact]
    public void Scale_gives_the_expected_size_and_keeps_the_minimum_side()
    {
        RgbImage crop = Crop();
        RandomizationResult half = Randomizer.Apply(crop, new RandomizationDraw { Scale = 0.5 });
        Assert.Equal(Resize.ScaledSize(101, 97, 0.5, 0.5), (half.Image.Width, half.Image.Height));
        Assert.Equal((50, 48), (half.Image.Width, half.Image.Height));
        Assert.Equal(0.5, half.Scale);

        RandomizationResult tiny = Randomizer.Apply(Flat(20, 30, 10, 20, 30), new RandomizationDraw { Scale = 0.3 });
        Assert.Equal((8, 12), (tiny.Image.Width, tiny.Image.Height));
        Assert.Equal(0.4, tiny.Scale);

        var e = Assert.Throws<ArgumentException>(() => Randomizer.Randomize(Flat(7, 30, 1, 2, 3), 1));
        Assert.Contains("7x30", e.Message);
    }

    [Fact]
    public void Blur_lowers_high_frequency_energy()
    {
        RgbImage crop = Crop();
        RgbImage blurred = Randomizer.Apply(crop, new RandomizationDraw { BlurSigma = 1.5 }).Image;
        Assert.True(Energy(blurred) < 0.5 * Energy(crop), $"{Energy(blurred)} vs {Energy(crop)}");
    }

    [Fact]
    public void Gamma_maps_levels_by_the_power_law()
    {
        RgbImage result = Randomizer.Apply(Flat(10, 10, 100, 200, 255), new RandomizationDraw { Gamma = 2 }).Image;
        // 255 (100/255)^2 = 39.2, 255 (200/255)^2 = 156.9.
        Assert.Equal(new byte[] { 39, 157, 255 }, result.Pixels[..3]);
    }

    [Fact]
    public void Hue_and_saturation_shift_in_opencv_units()
    {
        // Pure red (H 0, S 255): +30 units = 60 degrees is yellow; saturation 0.5 gives S 128 at V 255.
        RgbImage red = Flat(9, 9, 255, 0, 0);
        RgbImage yellow = Randomizer.Apply(red, new RandomizationDraw { HueShift = 30 }).Image;
        Assert.Equal(new byte[] { 255, 255, 0 }, yellow.Pixels[..3]);
        RgbImage wrapped = Randomizer.Apply(red, new RandomizationDraw { HueShift = -30 }).Image;
        Assert.Equal(new byte[] { 255, 0, 255 }, wrapped.Pixels[..3]);
        RgbImage pale = Randomizer.Apply(red, new RandomizationDraw { Saturation = 0.5 }).Image;
        ColorConversion.RgbToHsv(pale.Pixels[0], pale.Pixels[1], pale.Pixels[2], out byte h, out byte s, out byte v);
        Assert.Equal((0, 128, 255), (h, s, v));
    }

    [Fact]
    public void Noise_has_the_drawn_standard_deviation_on_a_flat_image()
    {
        RgbImage flat = Flat(200, 200, 128, 100, 160);
        RgbImage noisy = Randomizer.Apply(flat, new RandomizationDraw { NoiseSigma = 3, NoiseSeed = 11 }).Image;
        for (int c = 0; c < 3; c++)
        {
            double sum = 0, sumSq = 0;
            int n = 0;
            for (int i = c; i < noisy.Pixels.Length; i += 3, n++)
            {
                double d = noisy.Pixels[i] - flat.Pixels[c];
                sum += d;
                sumSq += d * d;
            }

            double mean = sum / n, sd = Math.Sqrt(sumSq / n - mean * mean);
            // Rounding to bytes adds 1/12 to the variance: √(9 + 1/12) = 3.014.
            Assert.InRange(mean, -0.05, 0.05);
            Assert.InRange(sd, 3.014 - 0.05, 3.014 + 0.05);
        }
    }

    [Fact]
    public void Box_muller_samples_are_standard_normal()
    {
        var z = new double[100_001];
        DomainRandomizer.FillGaussian(new Random(1), z);
        double mean = z.Average(), sd = Math.Sqrt(z.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(sd, 0.99, 1.01);
        Assert.InRange(z.Count(v => Math.Abs(v) > 1.96) / (double)z.Length, 0.045, 0.055);
    }

    [Fact]
    public void Jpeg_lever_is_the_simulation_at_the_drawn_quality()
    {
        RgbImage crop = Crop();
        RgbImage result = Randomizer.Apply(crop, new RandomizationDraw { JpegQuality = 40 }).Image;
        Assert.Equal(JpegArtifacts.Apply(crop, 40).Pixels, result.Pixels);
    }

    [Fact]
    public void Defaults_change_a_real_crop_and_record_what_was_decided()
    {
        RgbImage crop = Crop();
        RandomizationDraw draw = Randomizer.Draw(new Random(5));
        RandomizationResult result = Randomizer.Apply(crop, draw);
        Assert.Same(draw, result.Draw);
        Assert.NotNull(result.Background);
        Assert.Equal(draw.Scale, result.Scale);
        Assert.Equal(Resize.ScaledSize(101, 97, draw.Scale!.Value, draw.Scale.Value), (result.Image.Width, result.Image.Height));
        Assert.Equal(result.Image.Pixels, Randomizer.Randomize(crop, 5).Pixels);
    }

    // Sum of squared differences between horizontal and vertical neighbours, per pixel.
    private static double Energy(RgbImage image)
    {
        double sum = 0;
        int w = image.Width, h = image.Height, stride = w * 3;
        byte[] p = image.Pixels;
        for (int y = 0; y < h - 1; y++)
        {
            for (int x = 0; x < stride - 3; x++)
            {
                int o = y * stride + x;
                double dx = p[o + 3] - p[o], dy = p[o + stride] - p[o];
                sum += dx * dx + dy * dy;
            }
        }

        return sum / (w * h);
    }
}
