namespace Raabin.Features.Measurement;

/// <summary>
/// A feature extractor by name and version: what a model file and a feature table record. The version changes whenever
/// an extractor's numbers or feature list change, so a model never silently reads features measured another way. Text
/// form: <c>name@version</c> (e.g. <c>reference-51@1</c>).
/// </summary>
/// <param name="Name">The extractor's stable name (<see cref="IFeatureExtractor.Name"/>).</param>
/// <param name="Version">Its version (<see cref="IFeatureExtractor.Version"/>).</param>
public sealed record ExtractorSpec(string Name, int Version)
{
    /// <summary>The published method's 51 features.</summary>
    public static ExtractorSpec Reference { get; } = new(ReferenceFeatureExtractor.ExtractorName, ReferenceFeatureExtractor.ExtractorVersion);

    /// <summary>The extractors this build can create, as specs.</summary>
    public static IReadOnlyList<ExtractorSpec> Known { get; } = [Reference];

    /// <summary>The spec of an extractor instance.</summary>
    public static ExtractorSpec Of(IFeatureExtractor extractor) => new(extractor.Name, extractor.Version);

    /// <summary>Parses <c>name@version</c>, or a bare name meaning the version this build has.</summary>
    /// <exception cref="ArgumentException">Malformed text, or an extractor this build does not know.</exception>
    public static ExtractorSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string s = text.Trim();
        int at = s.LastIndexOf('@');
        if (at < 0)
        {
            return Known.FirstOrDefault(k => k.Name == s)
                ?? throw new ArgumentException($"unknown feature extractor '{s}' (this build knows {string.Join(", ", Known)})");
        }

        if (!int.TryParse(s[(at + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int version))
        {
            throw new ArgumentException($"feature extractor '{text}': expected name@version");
        }

        return new ExtractorSpec(s[..at], version);
    }

    /// <summary>Creates the extractor.</summary>
    /// <exception cref="ArgumentException">This build has no extractor of that name and version (message names both).</exception>
    public IFeatureExtractor Create()
    {
        if (this == Reference)
        {
            return new ReferenceFeatureExtractor();
        }

        var sameName = Known.FirstOrDefault(k => k.Name == Name);
        throw new ArgumentException(sameName is null
            ? $"unknown feature extractor '{this}' (this build knows {string.Join(", ", Known)})"
            : $"feature extractor '{this}' is not the version this build has ({sameName}); its features were measured another way");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}@{Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
