using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Raabin.Features.Imaging;

namespace Raabin.Features.Tests.Imaging.Morphology;

/// <summary>Reads the golden files of Fixtures/Morphology (formats: see make_golden.py there).</summary>
internal static class MorphologyFixtures
{
    private static readonly Dictionary<string, JsonElement> Cache = [];

    public static JsonElement Load(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out JsonElement root))
            {
                using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(TestPaths.Fixture("Morphology", name)));
                root = document.RootElement.Clone();
                Cache[name] = root;
            }

            return root;
        }
    }

    public static IEnumerable<JsonElement> Cases(string name) => Load(name).GetProperty("cases").EnumerateArray();

    public static JsonElement Case(string file, string name)
    {
        foreach (JsonElement c in Cases(file))
        {
            if (c.GetProperty("name").GetString() == name)
            {
                return c;
            }
        }

        throw new KeyNotFoundException(name);
    }

    public static TheoryData<string> CaseNames(string file)
    {
        var data = new TheoryData<string>();
        foreach (JsonElement c in Cases(file))
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    /// <summary>Decodes [width, height, background run, foreground run, ...] into a mask with the given foreground.</summary>
    public static GrayImage DecodeMask(JsonElement runs, byte foreground = 255)
    {
        int width = runs[0].GetInt32();
        int height = runs[1].GetInt32();
        var mask = new GrayImage(width, height);
        int position = 0;
        bool isForeground = false;
        for (int i = 2; i < runs.GetArrayLength(); i++)
        {
            int length = runs[i].GetInt32();
            if (isForeground)
            {
                mask.Pixels.AsSpan(position, length).Fill(foreground);
            }

            position += length;
            isForeground = !isForeground;
        }

        Assert.Equal(width * height, position);
        return mask;
    }

    public static GrayImage DecodeImage(JsonElement image) =>
        new(image.GetProperty("width").GetInt32(), image.GetProperty("height").GetInt32(),
            Convert.FromBase64String(image.GetProperty("base64").GetString()!));

    public static StructuringElement Element(JsonElement spec)
    {
        int w = spec[1].GetInt32(), h = spec[2].GetInt32();
        return spec[0].GetString() switch
        {
            "ellipse" => StructuringElement.Ellipse(w, h),
            "rect" => StructuringElement.Rectangle(w, h),
            "cross" => StructuringElement.Cross(w, h),
            var other => throw new InvalidDataException(other),
        };
    }

    /// <summary>The digest format of make_golden.py: 16 hex characters of sha256 of the bytes, a colon, the nonzero count.</summary>
    public static string Digest<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IEquatable<T>
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(values)))[..16];
        int nonzero = 0;
        foreach (T value in values)
        {
            if (!value.Equals(default))
            {
                nonzero++;
            }
        }

        return $"{hash}:{nonzero}";
    }

    public static string Digest(GrayImage image) => Digest<byte>(image.Pixels);
}
