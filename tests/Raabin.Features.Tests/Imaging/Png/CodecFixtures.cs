using System.Globalization;
using System.Security.Cryptography;

namespace Raabin.Features.Tests.Imaging.Png;

/// <summary>Reads codec fixtures and their golden.csv (file,width,height,color_sha256[,gray_sha256]).</summary>
internal static class CodecFixtures
{
    public static string Folder(string format) => Path.Combine(AppContext.BaseDirectory, "Fixtures", format);

    public static byte[] Read(string format, string file) => File.ReadAllBytes(Path.Combine(Folder(format), file));

    public static IReadOnlyList<string[]> Golden(string format)
    {
        var rows = new List<string[]>();
        foreach (string line in File.ReadAllLines(Path.Combine(Folder(format), "golden.csv")).Skip(1))
        {
            if (line.Length > 0)
            {
                rows.Add(line.Split(','));
            }
        }

        return rows;
    }

    public static TheoryData<string> GoldenFiles(string format)
    {
        var data = new TheoryData<string>();
        foreach (string[] row in Golden(format))
        {
            data.Add(row[0]);
        }

        return data;
    }

    public static string[] GoldenRow(string format, string file) => Golden(format).Single(r => r[0] == file);

    public static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
