using System.Text.Json;
using Raabin.Features.Imaging;
using Raabin.Features.Segmentation.Geometry;
using Raabin.Features.Tests.Imaging;

namespace Raabin.Features.Tests.Segmentation.Geometry;

/// <summary>cv2.moments, cv2.convexHull(returnPoints=False) and cv2.convexityDefects against Fixtures/Resample/shapes.json.</summary>
public class ShapeGoldenTests
{
    private static readonly string[] Spatial = ["m00", "m10", "m01", "m20", "m11", "m02", "m30", "m21", "m12", "m03"];

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        int n = ResampleFixtures.Root("shapes.json").GetProperty("cases").GetArrayLength();
        for (int i = 0; i < n; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static GrayImage Mask(JsonElement c)
    {
        if (c.TryGetProperty("mask", out JsonElement runs))
        {
            return GeometryFixtures.DecodeMask(runs);
        }

        string[] path = c.GetProperty("path").GetString()!.Split('/');
        if (c.TryGetProperty("atLeast", out JsonElement atLeast))
        {
            GrayImage truth = ImageDecoder.LoadGray(TestPaths.Sample(path));
            return Threshold(truth, v => v >= atLeast.GetInt32());
        }

        GrayImage green = ResampleFixtures.Channel(ImageDecoder.Load(TestPaths.Sample(path)), 1);
        int t = c.GetProperty("greenAtMost").GetInt32();
        return Threshold(green, v => v <= t);
    }

    private static GrayImage Threshold(GrayImage g, Func<int, bool> inside)
    {
        var m = new GrayImage(g.Width, g.Height);
        for (int i = 0; i < m.Pixels.Length; i++)
        {
            m.Pixels[i] = inside(g.Pixels[i]) ? (byte)255 : (byte)0;
        }

        return m;
    }

    private static void AssertMoments(JsonElement expected, ImageMoments m, string what)
    {
        double[] actual =
        [
            m.M00, m.M10, m.M01, m.M20, m.M11, m.M02, m.M30, m.M21, m.M12, m.M03,
            m.Mu20, m.Mu11, m.Mu02, m.Mu30, m.Mu21, m.Mu12, m.Mu03,
            m.Nu20, m.Nu11, m.Nu02, m.Nu30, m.Nu21, m.Nu12, m.Nu03,
        ];
        string[] names = [.. Spatial, "mu20", "mu11", "mu02", "mu30", "mu21", "mu12", "mu03", "nu20", "nu11", "nu02", "nu30", "nu21", "nu12", "nu03"];
        for (int i = 0; i < names.Length; i++)
        {
            // Spatial, central and normalised moments: bit-identical.
            Assert.True(expected.GetProperty(names[i]).GetDouble() == actual[i],
                $"{what} {names[i]}: cv2 {expected.GetProperty(names[i]).GetDouble():R}, ours {actual[i]:R}");
        }

        double[] hu = m.HuMoments();
        int k = 0;
        foreach (JsonElement e in expected.GetProperty("hu").EnumerateArray())
        {
            // Hu: 1e-12 relative to the largest magnitude involved (h1 bounds the scale of the others).
            double tolerance = 1e-12 * Math.Max(Math.Abs(e.GetDouble()), Math.Abs(hu[0]) * Math.Abs(hu[0]) * Math.Abs(hu[0]) + 1e-300);
            Assert.True(Math.Abs(e.GetDouble() - hu[k]) <= Math.Max(tolerance, 1e-12 * Math.Abs(e.GetDouble())) || e.GetDouble() == hu[k],
                $"{what} hu[{k}]: cv2 {e.GetDouble():R}, ours {hu[k]:R}");
            k++;
        }
    }

    private static void AssertContour(JsonElement e, IReadOnlyList<Point> contour, string what)
    {
        Assert.Equal(e.GetProperty("n").GetInt32(), contour.Count);
        if (!e.TryGetProperty("moments", out JsonElement moments))
        {
            return; // a small contour of a thresholded image: listed, not measured
        }

        AssertMoments(moments, ImageMoments.Of(contour), what + " contour");
        int[] hull = ConvexityDefects.HullIndices(contour);
        Assert.Equal(e.GetProperty("hull").EnumerateArray().Select(v => v.GetInt32()).ToArray(), hull);
        JsonElement expected = e.GetProperty("defects");
        if (expected.ValueKind == JsonValueKind.Null)
        {
            Assert.Throws<ArgumentException>(() => ConvexityDefects.Find(contour, hull));
            return;
        }

        IReadOnlyList<ConvexityDefect> defects = ConvexityDefects.Find(contour, hull);
        var flat = new List<int>();
        foreach (ConvexityDefect d in defects)
        {
            flat.AddRange([d.StartIndex, d.EndIndex, d.FarthestIndex, d.FixedPointDepth]);
            Assert.True(Math.Abs(d.Depth * 256 - d.FixedPointDepth) <= 0.5);
        }

        Assert.Equal(expected.EnumerateArray().Select(v => v.GetInt32()).ToArray(), flat.ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_cv2(int index)
    {
        JsonElement c = ResampleFixtures.Root("shapes.json").GetProperty("cases")[index];
        string name = c.GetProperty("name").GetString()!;
        GrayImage mask = Mask(c);
        AssertMoments(c.GetProperty("moments"), ImageMoments.Of(mask), name);

        IReadOnlyList<Contour> contours = ContourTracer.FindExternalContours(mask);
        JsonElement simple = c.GetProperty("simple");
        Assert.Equal(simple.GetArrayLength(), contours.Count);
        for (int i = 0; i < contours.Count; i++)
        {
            AssertContour(simple[i], contours[i], $"{name} simple[{i}]");
        }

        if (c.TryGetProperty("none", out JsonElement none))
        {
            int i = 0;
            foreach (JsonElement e in none.EnumerateArray())
            {
                AssertContour(e, GeometryFixtures.Points(e.GetProperty("points")), $"{name} none[{i++}]");
            }
        }
    }
}
