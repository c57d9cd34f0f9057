using System.Text.Json;
using Raabin.Features.Imaging;
using Raabin.Features.Segmentation.Thresholding;
using Raabin.Features.Tests.Segmentation.Geometry;

namespace Raabin.Features.Tests.Segmentation.Thresholding;

public class MultiOtsuTests
{
    private static GrayImage ImageOf(long[] counts, int first)
    {
        long total = 0;
        foreach (long c in counts)
        {
            total += c;
        }

        var image = new GrayImage((int)total, 1);
        int position = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            image.Pixels.AsSpan(position, (int)counts[i]).Fill((byte)(first + i));
            position += (int)counts[i];
        }

        return image;
    }

    [Fact]
    public void Two_well_separated_values_are_split_at_the_lower_one()
    {
        // Two distinct values and two classes: the threshold is the smaller value (skimage's shortcut).
        var image = new GrayImage(4, 1, [10, 10, 200, 200]);
        Assert.Equal([10], MultiOtsu.Thresholds(image, 2));
    }

    [Fact]
    public void Three_clusters_split_between_the_clusters()
    {
        // Values 0,1 | 5,6 | 10,11 with equal counts: each class is one cluster, so the thresholds are 1 and 6
        // (the last value of each lower class).
        long[] counts = [1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1];
        Assert.Equal([1, 6], MultiOtsu.Thresholds(counts, 0, 3));
        Assert.Equal([21, 26], MultiOtsu.Thresholds(counts, 20, 3));
    }

    [Fact]
    public void Two_class_shortcut_equals_the_full_table_search()
    {
        // Seeded histograms of every shape the shortcut must agree on: dense, sparse, spiky, with ties, and tiny.
        var random = new Random(20240601);
        for (int trial = 0; trial < 2000; trial++)
        {
            int bins = trial < 50 ? 2 + trial % 5 : random.Next(2, 257);
            var counts = new long[bins];
            int style = trial % 4;
            for (int i = 0; i < bins; i++)
            {
                counts[i] = style switch
                {
                    0 => random.Next(0, 1000),
                    1 => random.Next(0, 10) == 0 ? random.Next(1, 100_000) : 0,
                    2 => random.Next(0, 3),
                    _ => 1 + (i % 7 == 0 ? 500 : 0),
                };
            }

            bool fast = MultiOtsu.TryThresholds(counts, 0, 2, out int[] expectedOrFast);
            bool table = MultiOtsu.TryThresholdsByTable(counts, 0, 2, out int[] byTable);
            Assert.Equal(table, fast);
            Assert.Equal(byTable, expectedOrFast);
        }
    }

    [Fact]
    public void Constant_image_has_no_threshold()
    {
        var image = new GrayImage(3, 3);
        image.Pixels.AsSpan().Fill(7);
        Assert.False(MultiOtsu.TryThresholds(image, 2, out int[] thresholds));
        Assert.Empty(thresholds);
        var error = Assert.Throws<ArgumentException>(() => MultiOtsu.Thresholds(image, 2));
        Assert.Contains("only 1 different values", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiOtsu.Thresholds(image, 1));
    }

    [Fact]
    public void Empty_bins_at_the_ends_of_a_histogram_are_trimmed()
    {
        long[] counts = [0, 0, 3, 1, 0, 4, 9, 2, 0];
        long[] trimmed = [3, 1, 0, 4, 9, 2];
        Assert.Equal(MultiOtsu.Thresholds(trimmed, 12, 2), MultiOtsu.Thresholds(counts, 10, 2));
    }

    [Fact]
    public void Matches_skimage_threshold_multiotsu_on_golden_histograms_and_images()
    {
        int count = 0;
        foreach (var item in GeometryFixtures.Load("multiotsu.json").EnumerateArray())
        {
            string name = item.GetProperty("name").GetString()!;
            int first = item.GetProperty("first").GetInt32();
            long[] counts = item.GetProperty("counts").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            GrayImage image = ImageOf(counts, first);
            foreach (int classes in new[] { 2, 3 })
            {
                JsonElement golden = item.GetProperty($"classes{classes}");
                bool found = MultiOtsu.TryThresholds(counts, first, classes, out int[] fromHistogram);
                bool foundInImage = MultiOtsu.TryThresholds(image, classes, out int[] fromImage);
                if (golden.ValueKind == JsonValueKind.Null)
                {
                    Assert.False(found, name);
                    Assert.False(foundInImage, name);
                    continue;
                }

                int[] expected = golden.EnumerateArray().Select(e => e.GetInt32()).ToArray();
                Assert.True(found, name);
                Assert.True(expected.SequenceEqual(fromHistogram), $"{name} classes {classes}: got {string.Join(",", fromHistogram)}, skimage {string.Join(",", expected)}");
                Assert.Equal(expected, fromImage);
                count++;
            }
        }

        Assert.True(count > 250, $"only {count} threshold sets checked");
    }
}
