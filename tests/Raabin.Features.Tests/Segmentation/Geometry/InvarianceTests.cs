using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Raabin.Features.Imaging;
using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Tests.Segmentation.Geometry;

public class InvarianceTests
{
    // Fixed seed: the same 200 masks on every run.
    private static readonly Config Seeded = Config.QuickThrowOnFailure
        .WithMaxTest(200)
        .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(20240611UL, 7UL), FSharpOption<int>.None)));

    private static readonly Arbitrary<GrayImage> Masks = Arb.From(
        from width in Gen.Choose(1, 24)
        from height in Gen.Choose(1, 24)
        from density in Gen.Choose(5, 70)
        from seed in Gen.Choose(0, int.MaxValue)
        select RandomMask(width, height, density, seed));

    private static GrayImage RandomMask(int width, int height, int densityPercent, int seed)
    {
        // Blocky blobs: a coarse random grid upsampled by 2, then a sprinkle of single pixels.
        var random = new Random(seed);
        var mask = new GrayImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var cell = new Random(HashCode.Combine(seed, x / 2, y / 2));
                bool on = cell.Next(100) < densityPercent || random.Next(100) < 3;
                mask[x, y] = on ? (byte)255 : (byte)0;
            }
        }

        return mask;
    }

    // Clockwise quarter turn: (x, y) -> (height - 1 - y, x).
    private static GrayImage Rotate(GrayImage mask)
    {
        var rotated = new GrayImage(mask.Height, mask.Width);
        for (int y = 0; y < mask.Height; y++)
        {
            for (int x = 0; x < mask.Width; x++)
            {
                rotated[mask.Height - 1 - y, x] = mask[x, y];
            }
        }

        return rotated;
    }

    private static (int Count, double Area, double Length) Measure(GrayImage mask)
    {
        IReadOnlyList<Contour> contours = ContourTracer.FindExternalContours(mask);
        double area = 0, length = 0;
        foreach (Contour contour in contours)
        {
            area += contour.Area;
            length += contour.Perimeter;
        }

        return (contours.Count, area, length);
    }

    private static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-12 * Math.Max(1.0, Math.Abs(a));

    [Fact]
    public void Quarter_turn_keeps_contour_count_area_and_length()
    {
        Prop.ForAll(Masks, mask =>
        {
            var before = Measure(mask);
            var after = Measure(Rotate(mask));
            return before.Count == after.Count && before.Area == after.Area && Close(before.Length, after.Length);
        }).Check(Seeded);
    }

    [Fact]
    public void Quarter_turn_keeps_hull_area_and_perimeter()
    {
        Prop.ForAll(Masks, mask =>
        {
            if (!mask.Pixels.AsSpan().ContainsAnyExcept((byte)0))
            {
                return true;
            }

            ConvexHull before = ConvexHull.OfMask(mask);
            ConvexHull after = ConvexHull.OfMask(Rotate(mask));
            return before.Area == after.Area && Close(before.Perimeter, after.Perimeter)
                && before.Vertices.Count == after.Vertices.Count;
        }).Check(Seeded);
    }

    [Fact]
    public void Hull_of_a_mask_equals_hull_of_all_its_pixels()
    {
        Prop.ForAll(Masks, mask =>
        {
            var pixels = new List<Point>();
            for (int y = 0; y < mask.Height; y++)
            {
                for (int x = 0; x < mask.Width; x++)
                {
                    if (mask[x, y] != 0)
                    {
                        pixels.Add(new Point(x, y));
                    }
                }
            }

            if (pixels.Count == 0)
            {
                return true;
            }

            return ConvexHull.OfMask(mask).Vertices.SequenceEqual(ConvexHull.Of(pixels).Vertices);
        }).Check(Seeded);
    }

    [Fact]
    public void Filling_each_external_contour_covers_the_mask()
    {
        // The fill paints the traced outline and its interior, so every foreground pixel is painted (holes are
        // filled too, since only outer contours are traced).
        Prop.ForAll(Masks, mask =>
        {
            var filled = new GrayImage(mask.Width, mask.Height);
            foreach (Contour contour in ContourTracer.FindExternalContours(mask))
            {
                PolygonFill.Fill(filled, contour, 255);
            }

            for (int i = 0; i < mask.Pixels.Length; i++)
            {
                if (mask.Pixels[i] != 0 && filled.Pixels[i] == 0)
                {
                    return false;
                }
            }

            return true;
        }).Check(Seeded);
    }
}
