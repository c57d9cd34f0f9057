using System.Text.Json;
using Raabin.Features.Imaging;

namespace Raabin.Features.Tests.Imaging.Morphology;

/// <summary>
/// Golden tests against OpenCV 4.6 (cv2.getStructuringElement, erode, dilate, morphologyEx,
/// connectedComponentsWithStats, distanceTransform) and SciPy 1.10 (binary_fill_holes, distance_transform_edt), made
/// once by Fixtures/Morphology/make_golden.py. Every comparison is bit-exact.
/// </summary>
public class MorphologyGoldenTests
{
    public static TheoryData<string> MaskCases() => MorphologyFixtures.CaseNames("masks.json");

    public static TheoryData<string> GrayCases() => MorphologyFixtures.CaseNames("gray.json");

    [Fact]
    public void Ellipse_elements_1_to_41_match_getStructuringElement()
    {
        JsonElement root = MorphologyFixtures.Load("elements.json");
        int checkedCount = 0;
        foreach (JsonProperty entry in root.GetProperty("digests").EnumerateObject())
        {
            string[] size = entry.Name.Split(',');
            var element = StructuringElement.Ellipse(int.Parse(size[0]), int.Parse(size[1]));
            Assert.True(entry.Value.GetString() == MorphologyFixtures.Digest<byte>(element.ToBytes()), $"ellipse {entry.Name}");
            checkedCount++;
        }

        Assert.Equal(41 * 41, checkedCount);
        foreach (JsonProperty entry in root.GetProperty("full").EnumerateObject())
        {
            string[] size = entry.Name.Split(',');
            var element = StructuringElement.Ellipse(int.Parse(size[0]), int.Parse(size[1]));
            int y = 0;
            foreach (JsonElement row in entry.Value.EnumerateArray())
            {
                int x = 0;
                foreach (JsonElement cell in row.EnumerateArray())
                {
                    Assert.True((cell.GetInt32() != 0) == element[x, y], $"ellipse {entry.Name} cell ({x}, {y})");
                    x++;
                }

                y++;
            }
        }
    }

    [Theory]
    [MemberData(nameof(MaskCases))]
    public void Mask_morphology_matches_cv2(string name)
    {
        JsonElement c = MorphologyFixtures.Case("masks.json", name);
        // Any nonzero value is foreground on input; cv2 saw 255, so only the 255 mask can be compared byte for byte.
        AssertMorph(MorphologyFixtures.DecodeMask(c.GetProperty("mask")), c.GetProperty("morph"), name);
    }

    [Theory]
    [MemberData(nameof(GrayCases))]
    public void Grey_morphology_matches_cv2(string name)
    {
        JsonElement c = MorphologyFixtures.Case("gray.json", name);
        AssertMorph(MorphologyFixtures.DecodeImage(c.GetProperty("image")), c.GetProperty("morph"), name);
    }

    [Theory]
    [MemberData(nameof(MaskCases))]
    public void Fill_holes_matches_scipy(string name)
    {
        JsonElement c = MorphologyFixtures.Case("masks.json", name);
        string expected = c.GetProperty("fillHoles").GetString()!;
        Assert.Equal(expected, MorphologyFixtures.Digest(MaskOps.FillHoles(MorphologyFixtures.DecodeMask(c.GetProperty("mask")))));
        Assert.Equal(expected, MorphologyFixtures.Digest(MaskOps.FillHoles(MorphologyFixtures.DecodeMask(c.GetProperty("mask"), 1))));
    }

    [Theory]
    [MemberData(nameof(MaskCases))]
    public void Euclidean_distance_matches_scipy_and_cv2_float32(string name)
    {
        JsonElement c = MorphologyFixtures.Case("masks.json", name);
        DoubleImage edt = DistanceTransform.Euclidean(MorphologyFixtures.DecodeMask(c.GetProperty("mask"), 7));
        if (c.GetProperty("edt").ValueKind == JsonValueKind.Null)
        {
            Assert.All(edt.Pixels, d => Assert.Equal(double.PositiveInfinity, d));
            return;
        }

        Assert.Equal(c.GetProperty("edt").GetString(), MorphologyFixtures.Digest<double>(edt.Pixels));
        var single = new float[edt.Pixels.Length];
        for (int i = 0; i < single.Length; i++)
        {
            single[i] = (float)edt.Pixels[i];
        }

        Assert.Equal(c.GetProperty("edtCv").GetString(), MorphologyFixtures.Digest<float>(single));
    }

    [Theory]
    [MemberData(nameof(MaskCases))]
    public void Components_match_cv2_with_8_connectivity(string name) => AssertComponents(name, 8);

    [Theory]
    [MemberData(nameof(MaskCases))]
    public void Components_match_cv2_with_4_connectivity(string name) => AssertComponents(name, 4);

    private static void AssertComponents(string name, int connectivity)
    {
        JsonElement c = MorphologyFixtures.Case("masks.json", name);
        JsonElement expected = c.GetProperty(connectivity == 8 ? "cc8" : "cc4");
        ComponentLabeling result = ConnectedComponents.Label(MorphologyFixtures.DecodeMask(c.GetProperty("mask"), 1), connectivity);
        Assert.Equal(expected.GetProperty("count").GetInt32(), result.LabelCount);
        Assert.Equal(expected.GetProperty("labels").GetString(), MorphologyFixtures.Digest<int>(result.Labels));

        int n = result.ComponentCount;
        var stats = new int[n * 5];
        var centroids = new double[n * 2];
        for (int i = 0; i < n; i++)
        {
            ComponentStats s = result.Components[i + 1];
            stats[(5 * i) + 0] = s.Left;
            stats[(5 * i) + 1] = s.Top;
            stats[(5 * i) + 2] = s.Width;
            stats[(5 * i) + 3] = s.Height;
            stats[(5 * i) + 4] = s.Area;
            centroids[2 * i] = s.CentroidX;
            centroids[(2 * i) + 1] = s.CentroidY;
        }

        Assert.Equal(expected.GetProperty("stats").GetString(), MorphologyFixtures.Digest<int>(stats));
        Assert.Equal(expected.GetProperty("centroids").GetString(), MorphologyFixtures.Digest<double>(centroids));

        ComponentStats background = result.Components[0];
        JsonElement row0 = expected.GetProperty("background");
        if (row0.ValueKind == JsonValueKind.Null)
        {
            Assert.Equal(new ComponentStats(0, 0, 0, 0, 0, double.NaN, double.NaN), background);
        }
        else
        {
            AssertRow(row0, background, $"{name} background");
        }

        JsonElement small = expected.GetProperty("small");
        if (small.ValueKind != JsonValueKind.Null)
        {
            Assert.Equal(n, small.GetArrayLength());
            for (int i = 0; i < n; i++)
            {
                AssertRow(small[i], result.Components[i + 1], $"{name} label {i + 1}");
            }
        }
    }

    private static void AssertRow(JsonElement row, ComponentStats actual, string what)
    {
        var expected = new ComponentStats(
            row[0].GetInt32(), row[1].GetInt32(), row[2].GetInt32(), row[3].GetInt32(), row[4].GetInt32(),
            row[5].GetDouble(), row[6].GetDouble());
        Assert.True(expected == actual, $"{what}: expected {expected}, got {actual}");
    }

    private static void AssertMorph(GrayImage image, JsonElement entries, string name)
    {
        byte[] before = (byte[])image.Pixels.Clone();
        foreach (JsonElement e in entries.EnumerateArray())
        {
            StructuringElement element = MorphologyFixtures.Element(e.GetProperty("element"));
            int iterations = e.GetProperty("iterations").GetInt32();
            string what = $"{name} {e.GetProperty("element")} x{iterations}";
            Assert.True(e.GetProperty("erode").GetString() == MorphologyFixtures.Digest(Raabin.Features.Imaging.Morphology.Erode(image, element, iterations)), $"{what} erode");
            Assert.True(e.GetProperty("dilate").GetString() == MorphologyFixtures.Digest(Raabin.Features.Imaging.Morphology.Dilate(image, element, iterations)), $"{what} dilate");
            Assert.True(e.GetProperty("open").GetString() == MorphologyFixtures.Digest(Raabin.Features.Imaging.Morphology.Open(image, element, iterations)), $"{what} open");
            Assert.True(e.GetProperty("close").GetString() == MorphologyFixtures.Digest(Raabin.Features.Imaging.Morphology.Close(image, element, iterations)), $"{what} close");
        }

        Assert.Equal(before, image.Pixels);
    }
}
