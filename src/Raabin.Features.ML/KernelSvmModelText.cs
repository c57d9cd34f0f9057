using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Raabin.Features.Learning;
using Raabin.Features.Learning.Svm;

namespace Raabin.Features.ML;

/// <summary>
/// The trained model as the text an ML.NET <c>ValueMapping</c> holds: a header line <c>raabin-kernel-svm 1 &lt;id&gt;</c>
/// (id = SHA-256 of the rest, so equal text means equal model) and a JSON body with the classifier (normaliser, kernel,
/// support vectors, coefficients, ρ, Platt A/B, class names, decision rule) and the label key's class names in key order.
/// Doubles are written shortest-round-trip, so the text reproduces every double exactly.
/// </summary>
public static class KernelSvmModelText
{
    private const string Magic = "raabin-kernel-svm";
    private const int Version = 1;
    private const int CacheLimit = 32;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    // Parsed models by id: the scoring mapping is stateless and sees the text on every row, so it parses each model once.
    private static readonly ConcurrentDictionary<string, KernelSvmScorer> Cache = new(StringComparer.Ordinal);

    /// <summary>Writes <paramref name="model"/> and the label key's class names (key order) as text.</summary>
    public static string Write(ClassifierModel model, IReadOnlyList<string> keyClasses)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(keyClasses);
        var svm = model.Svm;
        var body = new Body
        {
            KeyClasses = [.. keyClasses],
            FeatureIds = [.. model.FeatureIds],
            Classes = [.. model.Classes],
            DecisionRule = model.DecisionRule,
            NormalizerKind = model.Normalizer.Kind,
            Scale = [.. model.Normalizer.Scale],
            Offset = [.. model.Normalizer.Offset],
            Kernel = model.Settings.Kernel,
            GammaSpec = model.Settings.Gamma.ToString(),
            Gamma = model.Gamma,
            Coef0 = model.Settings.Coef0,
            Degree = model.Settings.Degree,
            C = model.Settings.C,
            ClassWeights = new SortedDictionary<string, double>(model.Settings.ClassWeights.ToDictionary(), StringComparer.Ordinal),
            Tolerance = model.Settings.Tolerance,
            Probability = model.Settings.Probability,
            Seed = model.Settings.Seed,
            SupportVectorCounts = [.. svm.SupportVectorCounts],
            Rho = [.. svm.Rho],
            ProbabilityA = svm.ProbabilityA?.ToList(),
            ProbabilityB = svm.ProbabilityB?.ToList(),
            Coefficients = Enumerable.Range(0, svm.ClassCount - 1).Select(r => svm.Coefficients(r).ToArray()).ToList(),
            SupportVectors = Enumerable.Range(0, svm.SupportVectorCount).Select(s => svm.SupportVector(s).ToArray()).ToList(),
        };
        string json = JsonSerializer.Serialize(body, Json);
        return $"{Magic} {Version} {Id(json)}\n{json}";
    }

    /// <summary>Reads text written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">Not such a text, another version, or inconsistent contents.</exception>
    public static (ClassifierModel Model, IReadOnlyList<string> KeyClasses) Read(string text)
    {
        var (id, json) = SplitHeader(text.AsSpan());
        if (!string.Equals(id, Id(json), StringComparison.Ordinal))
        {
            throw new InvalidDataException("The kernel-SVM model text is damaged (its id does not match its contents).");
        }

        try
        {
            var b = JsonSerializer.Deserialize<Body>(json, Json) ?? throw new InvalidDataException("The kernel-SVM model text is empty.");
            var settings = new SvmClassifierOptions
            {
                Normalizer = b.NormalizerKind,
                Kernel = b.Kernel,
                Degree = b.Degree,
                Gamma = GammaSpec.Parse(b.GammaSpec),
                Coef0 = b.Coef0,
                C = b.C,
                ClassWeights = new Dictionary<string, double>(b.ClassWeights, StringComparer.Ordinal),
                Tolerance = b.Tolerance,
                Probability = b.Probability,
                Seed = b.Seed,
                DecisionRule = b.DecisionRule,
            };
            var svm = new SvmModel(b.Classes.Count, SvmClassifierTrainer.CreateKernel(settings, b.Gamma), b.SupportVectors, b.SupportVectorCounts,
                b.Coefficients, b.Rho, b.ProbabilityA, b.ProbabilityB);
            var normalizer = new FeatureNormalizer(b.NormalizerKind, b.Scale, b.Offset);
            var training = new TrainingSummary(string.Empty, string.Empty, 0, 0, new Dictionary<string, int>(), []);
            return (new ClassifierModel(b.FeatureIds, b.Classes, normalizer, svm, settings, b.Gamma, training, b.DecisionRule), b.KeyClasses);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
        {
            throw new InvalidDataException($"The kernel-SVM model text is inconsistent: {e.Message}", e);
        }
    }

    /// <summary>The scorer for a model text, parsed once per id.</summary>
    internal static KernelSvmScorer Scorer(ReadOnlyMemory<char> text)
    {
        var span = text.Span;
        int newline = span.IndexOf('\n');
        var header = newline < 0 ? span : span[..newline];
        string id = header.Length > Magic.Length + 3 ? header[(header.LastIndexOf(' ') + 1)..].ToString() : string.Empty;
        if (Cache.TryGetValue(id, out var scorer))
        {
            return scorer;
        }

        var (model, keyClasses) = Read(text.ToString());
        scorer = new KernelSvmScorer(model, keyClasses);
        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }

        Cache[id] = scorer;
        return scorer;
    }

    private static (string Id, string Json) SplitHeader(ReadOnlySpan<char> text)
    {
        int newline = text.IndexOf('\n');
        string[] header = newline < 0 ? [] : text[..newline].ToString().Split(' ');
        if (header.Length != 3 || header[0] != Magic)
        {
            throw new InvalidDataException($"Not a kernel-SVM model text (it should start with '{Magic}').");
        }

        if (header[1] != Version.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            throw new InvalidDataException($"Kernel-SVM model text version {header[1]} is not supported (this build reads version {Version}).");
        }

        return (header[2], text[(newline + 1)..].ToString());
    }

    private static string Id(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    private sealed class Body
    {
        public List<string> KeyClasses { get; set; } = [];

        public List<string> FeatureIds { get; set; } = [];

        public List<string> Classes { get; set; } = [];

        public DecisionRule DecisionRule { get; set; }

        public NormalizerKind NormalizerKind { get; set; }

        public List<double> Scale { get; set; } = [];

        public List<double> Offset { get; set; } = [];

        public KernelKind Kernel { get; set; }

        public string GammaSpec { get; set; } = "scale";

        public double Gamma { get; set; }

        public double Coef0 { get; set; }

        public int Degree { get; set; }

        public double C { get; set; }

        public SortedDictionary<string, double> ClassWeights { get; set; } = new(StringComparer.Ordinal);

        public double Tolerance { get; set; }

        public bool Probability { get; set; }

        public int Seed { get; set; }

        public List<int> SupportVectorCounts { get; set; } = [];

        public List<double> Rho { get; set; } = [];

        public List<double>? ProbabilityA { get; set; }

        public List<double>? ProbabilityB { get; set; }

        public List<double[]> Coefficients { get; set; } = [];

        public List<double[]> SupportVectors { get; set; } = [];
    }
}
