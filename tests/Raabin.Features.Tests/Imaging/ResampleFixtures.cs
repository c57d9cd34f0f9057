using System.Security.Cryptography;
using System.Text.Json;
using Raabin.Features.Imaging;

namespace Raabin.Features.Tests.Imaging;

/// <summary>Reads the golden files of Fixtures/Resample (formats: see make_golden.py there).</summary>
internal static class ResampleFixtures
{
    private static readonly Dictionary<string, JsonElement> Roots = new();

    public static JsonElement Root(string name)
    {
        lock (Roots)
        {
            if (!Roots.TryGetValue(name, out JsonElement root))
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(TestPaths.Fixture("Resample", name)));
                root = document.RootElement.Clone();
                Roots[name] = root;
            }

            return root;
        }
    }

    /// <summary>The input as RGB (random RGB inputs, sample crops) or null for grey-only random inputs.</summary>
    public static (GrayImage Gray, RgbImage? Rgb) Input(JsonElement input)
    {
        int w = input.GetProperty("w").GetInt32(), h = input.GetProperty("h").GetInt32();
        if (input.TryGetProperty("data", out JsonElement data))
        {
            byte[] bytes = Convert.FromBase64String(data.GetString()!);
            if (input.TryGetProperty("rgb", out _))
            {
                var rgb = new RgbImage(w, h, bytes);
                return (Channel(rgb, 1), rgb);
            }

            return (new GrayImage(w, h, bytes), null);
        }

        RgbImage whole = ImageDecoder.Load(TestPaths.Sample(input.GetProperty("path").GetString()!.Split('/')));
        int x0 = input.GetProperty("x").GetInt32(), y0 = input.GetProperty("y").GetInt32();
        var crop = new RgbImage(w, h);
        for (int y = 0; y < h; y++)
        {
            whole.Pixels.AsSpan(((y0 + y) * whole.Width + x0) * 3, w * 3).CopyTo(crop.Row(y));
        }

        return (Channel(crop, 1), crop);
    }

    public static GrayImage Channel(RgbImage rgb, int c)
    {
        var g = new GrayImage(rgb.Width, rgb.Height);
        for (int i = 0; i < g.Pixels.Length; i++)
        {
            g.Pixels[i] = rgb.Pixels[3 * i + c];
        }

        return g;
    }

    /// <summary>Random inputs: (b - 100) / 7; sample inputs: green / 255.</summary>
    public static DoubleImage AsDouble(JsonElement input, GrayImage gray)
    {
        bool random = input.TryGetProperty("data", out _);
        var d = new DoubleImage(gray.Width, gray.Height);
        for (int i = 0; i < d.Pixels.Length; i++)
        {
            d.Pixels[i] = random ? (gray.Pixels[i] - 100.0) / 7.0 : gray.Pixels[i] / 255.0;
        }

        return d;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string Sha256(double[] values)
    {
        var bytes = new byte[values.Length * 8];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return Sha256(bytes);
    }
}
