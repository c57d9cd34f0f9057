using System.Globalization;
using System.Security.Cryptography;

namespace Raabin.Features.Tests.Imaging.Jpeg;

/// <summary>Access to Fixtures/Jpeg and its golden CSV files (made by make_golden.py with OpenCV 4.6).</summary>
internal static class JpegFixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Jpeg");

    public static byte[] Read(string name) => File.ReadAllBytes(Path.Combine(Directory, name));

    public static string Sha256(byte[] pixels) => Convert.ToHexStringLower(SHA256.HashData(pixels));

    /// <summary>Rows of a golden CSV without its header, split on commas.</summary>
    public static IEnumerable<string[]> Csv(string name)
    {
        foreach (string line in File.ReadLines(Path.Combine(Directory, name)).Skip(1))
        {
            if (line.Length > 0)
            {
                yield return line.Split(',');
            }
        }
    }

    /// <summary>Applies a damage recipe from damaged.csv: "cut:N" or "set:OFFSET=VALUE;...".</summary>
    public static byte[] Damage(byte[] data, string recipe)
    {
        string[] parts = recipe.Split(':', 2);
        if (parts[0] == "cut")
        {
            return data[..int.Parse(parts[1], CultureInfo.InvariantCulture)];
        }

        byte[] copy = (byte[])data.Clone();
        foreach (string item in parts[1].Split(';'))
        {
            string[] pair = item.Split('=');
            copy[int.Parse(pair[0], CultureInfo.InvariantCulture)] = byte.Parse(pair[1], CultureInfo.InvariantCulture);
        }

        return copy;
    }
}
