using Raabin.Features.Imaging;
using static Raabin.Features.Tests.Imaging.Morphology.MorphologyTestImages;

namespace Raabin.Features.Tests.Imaging.Morphology;

public class DistanceTransformTests
{
    [Fact]
    public void A_single_background_pixel_gives_the_Euclidean_distance_to_it()
    {
        var mask = new GrayImage(9, 6);
        mask.Pixels.AsSpan().Fill(255);
        mask[2, 4] = 0;
        DoubleImage d = DistanceTransform.Euclidean(mask);
        for (int y = 0; y < 6; y++)
        {
            for (int x = 0; x < 9; x++)
            {
                Assert.Equal(Math.Sqrt(((x - 2) * (x - 2)) + ((y - 4) * (y - 4))), d[x, y]);
            }
        }
    }

    [Fact]
    public void Background_is_zero_and_a_mask_without_background_is_infinite()
    {
        GrayImage mask = Mask(
            "#.#",
            "###",
            "+##");
        Assert.Equal([1, 0, 1, Math.Sqrt(2), 1, Math.Sqrt(2), Math.Sqrt(5), 2, Math.Sqrt(5)], DistanceTransform.Euclidean(mask).Pixels);
        Assert.Equal([double.PositiveInfinity], DistanceTransform.Euclidean(Mask("#")).Pixels);
        Assert.Equal([0.0], DistanceTransform.Euclidean(Mask(".")).Pixels);
    }

    [Fact]
    public void Equals_exhaustive_search_on_random_masks()
    {
        var random = new Random(17);
        for (int trial = 0; trial < 200; trial++)
        {
            int w = random.Next(1, 30), h = random.Next(1, 30);
            GrayImage mask = RandomMask(random, w, h, 0.5 + (0.5 * random.NextDouble()));
            if (mask.Pixels.AsSpan().IndexOf((byte)0) < 0)
            {
                continue;
            }

            DoubleImage d = DistanceTransform.Euclidean(mask);
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    Assert.Equal(Math.Sqrt(BruteForceSquaredDistance(mask, x, y)), d[x, y]);
                }
            }
        }
    }
}
