using Raabin.Features.Imaging;
using static Raabin.Features.Tests.Imaging.Morphology.MorphologyTestImages;

namespace Raabin.Features.Tests.Imaging.Morphology;

public class ConnectedComponentsTests
{
    [Fact]
    public void Eight_connectivity_numbers_by_first_2x2_block_four_by_first_pixel()
    {
        // A starts at (x 0, y 1), B at (x 5, y 0): A's block (0, 0) comes before B's block (4, 0) in block order.
        GrayImage mask = Mask(
            ".....#",
            "#.....",
            "......");
        ComponentLabeling eight = ConnectedComponents.Label(mask);
        Assert.Equal(1, eight[0, 1]);
        Assert.Equal(2, eight[5, 0]);
        ComponentLabeling four = ConnectedComponents.Label(mask, 4);
        Assert.Equal(2, four[0, 1]);
        Assert.Equal(1, four[5, 0]);
    }

    [Fact]
    public void Diagonal_neighbours_join_only_with_8_connectivity_and_stats_are_cv2s()
    {
        GrayImage mask = Mask(
            "##...",
            "..#..",
            "..+.#");
        ComponentLabeling eight = ConnectedComponents.Label(mask);
        Assert.Equal(3, eight.LabelCount);
        Assert.Equal(2, eight.ComponentCount);
        Assert.Equal(new ComponentStats(0, 0, 3, 3, 4, 5.0 / 4, 3.0 / 4), eight.Components[1]);
        Assert.Equal(new ComponentStats(4, 2, 1, 1, 1, 4, 2), eight.Components[2]);
        // Background: 10 pixels, sum x = 2+3+4+0+1+3+4+0+1+3 = 21, sum y = 0*3 + 1*4 + 2*3 = 10.
        Assert.Equal(new ComponentStats(0, 0, 5, 3, 10, 2.1, 1.0), eight.Components[0]);

        ComponentLabeling four = ConnectedComponents.Label(mask, 4);
        Assert.Equal(3, four.ComponentCount);
        Assert.Equal([1, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 3], four.Labels);
    }

    [Fact]
    public void Empty_and_full_masks()
    {
        ComponentLabeling empty = ConnectedComponents.Label(new GrayImage(4, 3));
        Assert.Equal(0, empty.ComponentCount);
        Assert.Equal(new ComponentStats(0, 0, 4, 3, 12, 1.5, 1.0), empty.Components[0]);

        var fullMask = new GrayImage(4, 3);
        fullMask.Pixels.AsSpan().Fill(9);
        ComponentLabeling full = ConnectedComponents.Label(fullMask, 4);
        Assert.Equal(1, full.ComponentCount);
        Assert.Equal(new ComponentStats(0, 0, 0, 0, 0, double.NaN, double.NaN), full.Components[0]);
        Assert.Equal(new ComponentStats(0, 0, 4, 3, 12, 1.5, 1.0), full.Components[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ConnectedComponents.Label(fullMask, 6));
    }

    [Fact]
    public void Labels_partition_the_foreground_and_areas_add_up_on_random_masks()
    {
        var random = new Random(3);
        for (int trial = 0; trial < 50; trial++)
        {
            GrayImage mask = RandomMask(random, random.Next(1, 60), random.Next(1, 60), random.NextDouble());
            foreach (int connectivity in new[] { 4, 8 })
            {
                ComponentLabeling result = ConnectedComponents.Label(mask, connectivity);
                long total = 0;
                foreach (ComponentStats s in result.Components)
                {
                    total += s.Area;
                }

                Assert.Equal(mask.Pixels.Length, total);
                for (int i = 0; i < mask.Pixels.Length; i++)
                {
                    Assert.Equal(mask.Pixels[i] != 0, result.Labels[i] != 0);
                }

                // Neighbouring foreground pixels share a label.
                for (int y = 0; y < mask.Height; y++)
                {
                    for (int x = 0; x + 1 < mask.Width; x++)
                    {
                        if (mask[x, y] != 0 && mask[x + 1, y] != 0)
                        {
                            Assert.Equal(result[x, y], result[x + 1, y]);
                        }
                    }
                }
            }
        }
    }
}
