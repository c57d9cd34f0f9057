using System.Security.Cryptography;
using System.Text.Json;
using Raabin.Features.Imaging;
using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Tests.Segmentation.Geometry;

/// <summary>Reads the golden files of Fixtures/Geometry (formats: see make_golden.py there).</summary>
internal static class GeometryFixtures
{
    public static JsonElement Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Geometry", name);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.GetProperty("cases").Clone();
    }

    /// <summary>Decodes [width, height, background run, foreground run, ...] into a 0/255 mask.</summary>
    public static GrayImage DecodeMask(JsonElement runs)
    {
        int width = runs[0].GetInt32();
        int height = runs[1].GetInt32();
        var mask = new GrayImage(width, height);
        int position = 0;
        bool foreground = false;
        for (int i = 2; i < runs.GetArrayLength(); i++)
        {
            int length = runs[i].GetInt32();
            if (foreground)
            {
                mask.Pixels.AsSpan(position, length).Fill(255);
            }

            position += length;
            foreground = !foreground;
        }

        Assert.Equal(width * height, position);
        return mask;
    }

    public static Point[] Points(JsonElement flat)
    {
        var points = new Point[flat.GetArrayLength() / 2];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = new Point(flat[2 * i].GetInt32(), flat[2 * i + 1].GetInt32());
        }

        return points;
    }

    /// <summary>The digest format of make_golden.py: 16 hex characters of sha256, a colon, the painted count.</summary>
    public static string Digest(GrayImage canvas)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(canvas.Pixels))[..16];
        int painted = 0;
        foreach (byte value in canvas.Pixels)
        {
            if (value != 0)
            {
                painted++;
            }
        }

        return $"{hash}:{painted}";
    }

    public static void AssertClose(double expected, double actual, double relative, string what)
    {
        double tolerance = relative * Math.Max(Math.Abs(expected), 1.0);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }
}
