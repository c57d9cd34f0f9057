namespace Raabin.Features.Tests;

/// <summary>Where the committed fixtures and the shipped sample are, as copied next to the test assembly.</summary>
internal static class TestPaths
{
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string Fixture(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    public static string Samples => Path.Combine(AppContext.BaseDirectory, "samples");

    public static string Sample(params string[] parts) => Path.Combine([Samples, .. parts]);

    /// <summary>A fresh empty temporary folder, removed by the caller's using.</summary>
    public static TempFolder NewTempFolder() => new();

    internal sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "raabin-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // Leaving a temp folder behind is harmless.
            }
        }
    }
}
