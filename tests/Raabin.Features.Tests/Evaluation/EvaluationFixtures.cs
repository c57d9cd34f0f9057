using System.Text.Json;

namespace Raabin.Features.Tests.Evaluation;

/// <summary>Reads the golden files of Fixtures/Evaluation (made by make_golden.py and bootstrap_golden.py there).</summary>
internal static class EvaluationFixtures
{
    public static JsonElement Load(string name)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(TestPaths.Fixture("Evaluation", name)));
        return document.RootElement.Clone();
    }

    /// <summary>A number of the golden files; null stands for NaN.</summary>
    public static double Number(JsonElement element) => element.ValueKind == JsonValueKind.Null ? double.NaN : element.GetDouble();

    public static int[] Ints(JsonElement array)
    {
        var values = new int[array.GetArrayLength()];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = array[i].GetInt32();
        }

        return values;
    }

    public static double[] Doubles(JsonElement array)
    {
        var values = new double[array.GetArrayLength()];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Number(array[i]);
        }

        return values;
    }

    public static string[] Strings(JsonElement array)
    {
        var values = new string[array.GetArrayLength()];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = array[i].GetString()!;
        }

        return values;
    }

    /// <summary>|expected − actual| ≤ relative·max(|expected|, floor); NaN only matches NaN.</summary>
    public static void AssertClose(double expected, double actual, double relative, string what, double floor = 1.0)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            Assert.True(double.IsNaN(expected) && double.IsNaN(actual), $"{what}: expected {expected:R}, got {actual:R}");
            return;
        }

        double tolerance = relative * Math.Max(Math.Abs(expected), floor);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }
}
