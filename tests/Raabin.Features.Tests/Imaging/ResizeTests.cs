using System.Text.Json;
using Raabin.Features.Imaging;

namespace Raabin.Features.Tests.Imaging;

public class ResizeTests
{
    public static TheoryData<int> GoldenCases()
    {
        var data = new TheoryData<int>();
        int n = ResampleFixtures.Root("resize.json").GetProperty("cases").GetArrayLength();
        for (int i = 0; i < n; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Matches_cv2_resize_bit_for_bit(int index)
    {
        JsonElement root = ResampleFixtures.Root("resize.json");
        JsonElement c = root.GetProperty("cases")[index];
        JsonElement input = root.GetProperty("inputs").GetProperty(c.GetProperty("input").GetString()!);
        (GrayImage gray, RgbImage? rgb) = ResampleFixtures.Input(input);
        var interpolation = c.GetProperty("interp").GetString() == "area" ? ResizeInterpolation.Area : ResizeInterpolation.Linear;
        bool bySize = c.TryGetProperty("size", out JsonElement size);
        int w = bySize ? size[0].GetInt32() : 0, h = bySize ? size[1].GetInt32() : 0;
        double fx = bySize ? 0 : c.GetProperty("scale")[0].GetDouble(), fy = bySize ? 0 : c.GetProperty("scale")[1].GetDouble();
        int ow = c.GetProperty("out")[0].GetInt32(), oh = c.GetProperty("out")[1].GetInt32();
        string expected = c.GetProperty("sha256").GetString()!;
        string what = c.GetRawText();
        switch (c.GetProperty("type").GetString())
        {
            case "u8":
                GrayImage g = bySize ? Resize.Apply(gray, w, h, interpolation) : Resize.Scale(gray, fx, fy, interpolation);
                Assert.Equal((ow, oh), (g.Width, g.Height));
                if (c.TryGetProperty("values", out JsonElement gv))
                {
                    Assert.Equal(gv.EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray(), g.Pixels);
                }

                Assert.True(expected == ResampleFixtures.Sha256(g.Pixels), what);
                break;
            case "f64":
                DoubleImage src = ResampleFixtures.AsDouble(input, gray);
                DoubleImage d = bySize ? Resize.Apply(src, w, h, interpolation) : Resize.Scale(src, fx, fy, interpolation);
                Assert.Equal((ow, oh), (d.Width, d.Height));
                if (c.TryGetProperty("values", out JsonElement dv))
                {
                    Assert.Equal(dv.EnumerateArray().Select(v => v.GetDouble()).ToArray(), d.Pixels);
                }

                Assert.True(expected == ResampleFixtures.Sha256(d.Pixels), what);
                break;
            default:
                RgbImage r = bySize ? Resize.Apply(rgb!, w, h, interpolation) : Resize.Scale(rgb!, fx, fy, interpolation);
                Assert.Equal((ow, oh), (r.Width, r.Height));
                Assert.True(expected == ResampleFixtures.Sha256(r.Pixels), what);
                break;
        }
    }

    [Fact]
    public void Same_size_is_a_copy()
    {
        var g = new GrayImage(3, 2, [1, 2, 3, 4, 5, 6]);
        GrayImage r = Resize.Apply(g, 3, 2, ResizeInterpolation.Linear);
        Assert.Equal(g.Pixels, r.Pixels);
        Assert.NotSame(g.Pixels, r.Pixels);
        var d = new DoubleImage(2, 1, [0.1, -7.5]);
        Assert.Equal(d.Pixels, Resize.Scale(d, 1.0, 1.0, ResizeInterpolation.Area).Pixels);
        Assert.Equal(d.Pixels, Resize.Scale(d, 1.2, 1.2, ResizeInterpolation.Linear).Pixels); // 2.4 -> 2, 1.2 -> 1
    }

    [Fact]
    public void Scaled_size_rounds_half_to_even()
    {
        Assert.Equal((2, 4), Resize.ScaledSize(5, 7, 0.5, 0.5));   // 2.5 -> 2, 3.5 -> 4
        Assert.Equal((1, 37), Resize.ScaledSize(3, 10, 0.17, 3.7));  // 0.51 -> 1
        Assert.Throws<ArgumentException>(() => Resize.ScaledSize(2, 2, 0.2, 1));
    }

    [Fact]
    public void Halving_averages_two_by_two_blocks_rounding_half_up()
    {
        // OpenCV takes the 2x2 block path for INTER_LINEAR too: (sum + 2) >> 2.
        var g = new GrayImage(4, 2, [0, 1, 1, 1, 0, 1, 1, 0]);
        foreach (ResizeInterpolation i in new[] { ResizeInterpolation.Linear, ResizeInterpolation.Area })
        {
            Assert.Equal(new byte[] { 1, 1 }, Resize.Apply(g, 2, 1, i).Pixels);
        }
    }

    [Fact]
    public void Constant_images_stay_constant()
    {
        var g = new GrayImage(13, 7);
        g.Pixels.AsSpan().Fill(201);
        var d = new DoubleImage(13, 7);
        d.Pixels.AsSpan().Fill(0.375);
        foreach (ResizeInterpolation i in new[] { ResizeInterpolation.Linear, ResizeInterpolation.Area })
        {
            foreach ((int w, int h) in new[] { (5, 3), (31, 2), (1, 1), (26, 14), (4, 20) })
            {
                Assert.All(Resize.Apply(g, w, h, i).Pixels, p => Assert.Equal(201, p));
                // OpenCV's weights are floats, so a constant comes back only to float precision.
                Assert.All(Resize.Apply(d, w, h, i).Pixels, p => Assert.Equal(0.375, p, 1e-6));
            }
        }
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        var g = new GrayImage(4, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => Resize.Apply(g, 0, 3, ResizeInterpolation.Linear));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resize.Scale(g, -1, 1, ResizeInterpolation.Linear));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resize.Apply(g, 2, 2, (ResizeInterpolation)7));
    }

    [Theory]
    [InlineData(5, 37, 29, 0.61)]
    [InlineData(5, 160, 158, 0.4)]
    [InlineData(2, 9, 11, 0.35)]
    public void Area_reduction_of_several_planes_equals_each_plane_resized(int planes, int width, int height, double factor)
    {
        var random = new Random(7);
        var sources = new DoubleImage[planes];
        for (int p = 0; p < planes; p++)
        {
            sources[p] = new DoubleImage(width, height);
            for (int i = 0; i < sources[p].Pixels.Length; i++)
            {
                sources[p].Pixels[i] = p % 2 == 0 ? (random.NextDouble() * 3) - 0.2 : random.Next(2);
            }
        }

        DoubleImage[] together = Resize.AreaGeneralMany(width, height, factor, factor, new Interleaved(sources))!;
        Assert.NotNull(together);
        for (int p = 0; p < planes; p++)
        {
            DoubleImage alone = Resize.Scale(sources[p], factor, factor, ResizeInterpolation.Area);
            Assert.Equal(alone.Width, together[p].Width);
            Assert.Equal(alone.Height, together[p].Height);
            Assert.Equal(alone.Pixels, together[p].Pixels);
        }
    }

    private readonly struct Interleaved(DoubleImage[] planes) : Resize.IRowSource
    {
        public int PlaneCount => planes.Length;

        public void Fill(int y, Span<double> row)
        {
            for (int p = 0; p < planes.Length; p++)
            {
                Span<double> source = planes[p].Row(y);
                for (int x = 0; x < source.Length; x++)
                {
                    row[(x * planes.Length) + p] = source[x];
                }
            }
        }
    }
}
