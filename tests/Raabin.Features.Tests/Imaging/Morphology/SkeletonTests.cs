using System.Text.Json;
using Raabin.Features.Imaging;

namespace Raabin.Features.Tests.Imaging.Morphology;

public class SkeletonTests
{
    private static readonly Lazy<JsonElement> Golden = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(TestPaths.Fixture("Skeleton", "skeleton.json")));
        return document.RootElement.Clone();
    });

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in Golden.Value.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Zhang_suen_equals_scikit_image(string name)
    {
        // Golden skeletons from skimage 0.19.3 skeletonize (Fixtures/Skeleton/make_golden.py): every pixel equal.
        var c = Golden.Value.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var mask = MorphologyFixtures.DecodeMask(c.GetProperty("mask"));
        var expected = MorphologyFixtures.DecodeMask(c.GetProperty("skeleton"));
        var skeleton = Skeleton.ZhangSuen(mask);
        int differ = 0;
        for (int i = 0; i < mask.Pixels.Length; i++)
        {
            differ += skeleton.Pixels[i] != expected.Pixels[i] ? 1 : 0;
        }

        Assert.True(differ == 0, $"{name}: {differ} of {mask.Pixels.Length} pixels differ ({MaskOps.Count(expected)} skeleton px expected)");
    }

    [Fact]
    public void The_golden_file_has_every_kind_of_case()
    {
        Assert.Equal(48, Golden.Value.GetProperty("cases").GetArrayLength());
        Assert.Equal("0.19.3", Golden.Value.GetProperty("skimage").GetString());
    }

    [Fact]
    public void A_skeleton_is_thin_and_inside_the_mask_and_counts_neighbours()
    {
        var bar = new GrayImage(30, 11);
        for (int y = 3; y < 8; y++)
        {
            bar.Row(y).Slice(2, 25).Fill(255);
        }

        var s = Skeleton.ZhangSuen(bar);
        Assert.True(MaskOps.Count(s) > 10);
        for (int i = 0; i < s.Pixels.Length; i++)
        {
            Assert.True(s.Pixels[i] == 0 || bar.Pixels[i] != 0);
        }

        // A horizontal bar thins to a line along its middle row: interior pixels have 2 neighbours.
        Assert.Equal(2, Skeleton.Neighbours(s, 15, 5));
        Assert.Equal(0, MaskOps.Count(Skeleton.ZhangSuen(new GrayImage(4, 4))));
    }
}
