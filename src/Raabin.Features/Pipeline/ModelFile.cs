using System.Text.Json;
using System.Text.Json.Serialization;
using Raabin.Features.Imaging;
using Raabin.Features.Learning;
using Raabin.Features.Learning.Svm;
using Raabin.Features.Measurement;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Pipeline;

/// <summary>
/// The JSON shape of a model file, kept apart from <see cref="PipelineModel"/> so the format is explicit and versioned.
/// Version 2 (written now) records every step in <c>pipeline</c>: <c>decoder</c>, <c>segmenter</c> (name and every
/// option), <c>extractor</c> (name and version), <c>decisionRule</c>. Version 1 (read only) recorded the segmenter and
/// extractor by name alone and always voted. The extractor's <c>options</c> (e.g. <c>{"groups": "shape+colour"}</c>)
/// appear only for extractors that have options. Version 3 is version 2 with the classifier trained by another engine
/// (<c>external</c>: engine, trainer, settings and the engine's own serialised model in base64, e.g. the zip ML.NET saves)
/// in place of <c>settings</c>' kernel and <c>svm</c>; models of the kernel SVM are still written as version 2.
/// </summary>
internal sealed class ModelFile
{
    /// <summary>The <c>format</c> field of every model file.</summary>
    public const string FormatName = "raabin-features-model";

    /// <summary>The newest version written (3 only for a classifier of another engine; the kernel SVM's files are version 2).</summary>
    public const int CurrentVersion = 3;

    /// <summary>The version of kernel-SVM model files.</summary>
    public const int KernelSvmVersion = 2;

    /// <summary>The oldest version read.</summary>
    public const int OldestVersion = 1;

    // The steps a version-2 "pipeline" object may hold; any other is a step this build does not know.
    private static readonly string[] KnownSteps = ["decoder", "segmenter", "extractor", "decisionRule", "domain", "reject", "rejectOutside"];

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },

        // A model file is data, never embedded in HTML: write '+' of a group list (and any non-ASCII name) as itself.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions RuleJson = new() { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    public string Format { get; set; } = FormatName;

    public int FormatVersion { get; set; }

    public string? CreatedBy { get; set; }

    public JsonElement Pipeline { get; set; }

    public List<string> FeatureIds { get; set; } = [];

    public List<string> Classes { get; set; } = [];

    public NormalizerPart Normalizer { get; set; } = new();

    public SettingsPart Settings { get; set; } = new();

    // Absent (null) for a classifier of another engine.
    public SvmPart? Svm { get; set; }

    // Only for a classifier of another engine (version 3).
    public ExternalPart? External { get; set; }

    public TrainingSummary? Training { get; set; }

    // Absent in files written before class statistics were recorded.
    public StatisticsPart? ClassStatistics { get; set; }

    public static ModelFile From(PipelineModel model)
    {
        var m = model.Classifier;
        var pipeline = new Dictionary<string, object>
        {
            ["decoder"] = new DecoderPart { MaxPixels = model.Decoder.MaxPixels },
            ["segmenter"] = new SegmenterPart { Name = model.Segmenter.Name, Options = model.Segmenter.OptionsToJson() },
            ["extractor"] = new ExtractorPart { Name = model.Extractor.Name, Version = model.Extractor.Version, Options = model.Extractor.OptionsToJson() is { } options ? JsonSerializer.SerializeToElement(options, JsonOptions) : null },
            ["decisionRule"] = JsonNamingPolicy.CamelCase.ConvertName(m.DecisionRule.ToString()),
        };
        if (!model.Domain.IsNone)
        {
            pipeline["domain"] = model.Domain;
        }

        if (model.RejectBelow is { } threshold)
        {
            pipeline["reject"] = new RejectPart { MinimumProbability = threshold };
        }

        // A step of its own, so a build that does not know it refuses the file instead of labelling every cell.
        if (model.RejectOutside is { } outside)
        {
            pipeline["rejectOutside"] = outside;
        }

        var external = m.External;
        return new ModelFile
        {
            FormatVersion = external is null ? KernelSvmVersion : CurrentVersion,
            CreatedBy = model.CreatedBy,
            Pipeline = JsonSerializer.SerializeToElement(pipeline, JsonOptions),
            FeatureIds = [.. m.FeatureIds],
            Classes = [.. m.Classes],
            Normalizer = new NormalizerPart { Kind = m.Normalizer.Kind, Scale = [.. m.Normalizer.Scale], Offset = [.. m.Normalizer.Offset] },
            Settings = external is not null
                ? new SettingsPart { ClassWeights = new SortedDictionary<string, double>(m.Settings.ClassWeights.ToDictionary(), StringComparer.Ordinal), Probability = m.HasProbabilities }
                : new SettingsPart
            {
                Kernel = m.Settings.Kernel,
                Degree = m.Settings.Degree,
                Gamma = m.Settings.Gamma.ToString(),
                GammaValue = m.Gamma,
                Coef0 = m.Settings.Coef0,
                C = m.Settings.C,
                ClassWeights = new SortedDictionary<string, double>(m.Settings.ClassWeights.ToDictionary(), StringComparer.Ordinal),
                Tolerance = m.Settings.Tolerance,
                Probability = m.Settings.Probability,
                Seed = m.Settings.Seed,
            },
            Svm = external is not null ? null : ToPart(m.Svm),
            External = external is null ? null : new ExternalPart
            {
                Engine = external.Engine,
                Trainer = external.Trainer,
                Settings = external.Settings,
                Scores = external.ScoresAreProbabilities ? "probabilities" : "scores",
                Model = Convert.ToBase64String(external.Save()),
            },
            Training = m.Training,
            ClassStatistics = model.Statistics is { } st
                ? new StatisticsPart { Counts = [.. st.Counts], Means = st.Means.Select(v => v.ToArray()).ToList(), StandardDeviations = st.StandardDeviations.Select(v => v.ToArray()).ToList() }
                : null,
        };
    }

    private static SvmPart ToPart(SvmModel svm) => new()
    {
        SupportVectorCounts = [.. svm.SupportVectorCounts],
        Rho = [.. svm.Rho],
        ProbabilityA = svm.ProbabilityA?.ToList(),
        ProbabilityB = svm.ProbabilityB?.ToList(),
        Coefficients = Enumerable.Range(0, svm.ClassCount - 1).Select(r => svm.Coefficients(r).ToArray()).ToList(),
        SupportVectors = Enumerable.Range(0, svm.SupportVectorCount).Select(s => svm.SupportVector(s).ToArray()).ToList(),
    };

    /// <summary>Builds the model; <paramref name="source"/> names the file in every message.</summary>
    /// <exception cref="InvalidDataException">Another format, an unsupported version, a step this build does not know, or inconsistent contents.</exception>
    public PipelineModel ToModel(string source, IExternalClassifierLoader? externalLoader = null)
    {
        if (Format != FormatName)
        {
            throw new InvalidDataException($"{source}: not a Raabin.Features model (format is '{Format}', expected '{FormatName}')");
        }

        if (FormatVersion is < OldestVersion or > CurrentVersion)
        {
            throw new InvalidDataException(
                $"{source}: model format version {FormatVersion} is not supported (this build reads versions {OldestVersion} to {CurrentVersion})");
        }

        var warnings = new List<string>();
        var (decoder, segmenter, extractor, rule) = FormatVersion == 1 ? ReadVersion1(source, warnings) : ReadSteps(source);
        DomainSteps domain;
        try
        {
            domain = FormatVersion >= 2 && Pipeline.TryGetProperty("domain", out var d) ? d.Deserialize<DomainSteps>(JsonOptions) ?? DomainSteps.None : DomainSteps.None;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the pipeline's domain step is not readable: {e.Message}", e);
        }

        try
        {
            var classifier = External is not null ? ToExternalClassifier(source, externalLoader) : ToClassifier(rule, source);
            var statistics = ClassStatistics is { } st
                ? new ClassFeatureStatistics(FeatureIds, Classes, st.Counts, st.Means.Select(v => (IReadOnlyList<double>)v).ToList(), st.StandardDeviations.Select(v => (IReadOnlyList<double>)v).ToList())
                : null;
            double? reject = FormatVersion >= 2 && Pipeline.TryGetProperty("reject", out var r) ? r.Deserialize<RejectPart>(JsonOptions)?.MinimumProbability : null;
            var outside = FormatVersion >= 2 && Pipeline.TryGetProperty("rejectOutside", out var o) ? o.Deserialize<OutOfDistributionRule>(JsonOptions) : null;
            if (outside is not null && !(outside.Quantile > 0 && outside.Quantile <= 1 && outside.MaximumDistance >= 0))
            {
                throw new InvalidDataException($"{source}: the out-of-distribution rule needs a quantile in (0, 1] and a distance ≥ 0");
            }

            return new PipelineModel(decoder, segmenter, extractor, classifier, CreatedBy ?? string.Empty, source, warnings, domain, statistics, reject, outside);
        }
        catch (Exception e) when (e is ArgumentException or NullReferenceException or FormatException or InvalidOperationException or JsonException)
        {
            throw new InvalidDataException($"{source}: inconsistent model file: {e.Message}", e);
        }
    }

    private (DecoderOptions, SegmenterSpec, ExtractorSpec, DecisionRule) ReadVersion1(string source, List<string> warnings)
    {
        string segmenter = Pipeline.ValueKind == JsonValueKind.Object && Pipeline.TryGetProperty("segmenter", out var s) && s.ValueKind == JsonValueKind.String
            ? s.GetString()!
            : SegmenterSpec.Reference.Name;
        string extractor = Pipeline.ValueKind == JsonValueKind.Object && Pipeline.TryGetProperty("featureExtractor", out var x) && x.ValueKind == JsonValueKind.String
            ? x.GetString()!
            : ExtractorSpec.Reference.Name;
        try
        {
            var spec = SegmenterSpec.Of(segmenter);
            if (spec != SegmenterSpec.Reference)
            {
                warnings.Add($"{source}: format 1 did not record the options of segmenter '{segmenter}'; assuming its defaults {spec}");
            }

            // Format 1 had one extractor, and voted.
            return (DecoderOptions.Default, spec, ExtractorSpec.Parse(extractor), DecisionRule.Vote);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    private (DecoderOptions, SegmenterSpec, ExtractorSpec, DecisionRule) ReadSteps(string source)
    {
        if (Pipeline.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{source}: the model has no 'pipeline' object");
        }

        foreach (var step in Pipeline.EnumerateObject())
        {
            if (!KnownSteps.Contains(step.Name))
            {
                throw new InvalidDataException(
                    $"{source}: pipeline step '{step.Name}' is not known to this build (it knows {string.Join(", ", KnownSteps)}); the model needs a newer Raabin.Features");
            }
        }

        try
        {
            var decoder = Pipeline.TryGetProperty("decoder", out var d) ? d.Deserialize<DecoderPart>(JsonOptions) ?? new DecoderPart() : new DecoderPart();
            var segmenterPart = Pipeline.TryGetProperty("segmenter", out var s) ? s.Deserialize<SegmenterPart>(JsonOptions) : null;
            var extractorPart = Pipeline.TryGetProperty("extractor", out var x) ? x.Deserialize<ExtractorPart>(JsonOptions) : null;
            if (segmenterPart?.Name is null || extractorPart?.Name is null)
            {
                throw new InvalidDataException($"{source}: the pipeline lacks its segmenter or extractor");
            }

            var rule = Pipeline.TryGetProperty("decisionRule", out var r) ? r.Deserialize<DecisionRule>(RuleJson) : DecisionRule.Vote;
            var segmenter = SegmenterSpec.FromJson(segmenterPart.Name, segmenterPart.Options, "segmenter");
            var extractor = ExtractorSpec.FromJson(extractorPart.Name, extractorPart.Version, extractorPart.Options);
            _ = extractor.Create(); // refuses an extractor (or version, or options) this build does not have
            if (decoder.MaxPixels <= 0)
            {
                throw new InvalidDataException($"{source}: decoder maxPixels must be positive, got {decoder.MaxPixels}");
            }

            return (new DecoderOptions { MaxPixels = decoder.MaxPixels }, segmenter, extractor, rule);
        }
        catch (Exception e) when (e is ArgumentException or JsonException)
        {
            throw new InvalidDataException($"{source}: {e.Message}", e);
        }
    }

    private ClassifierModel ToExternalClassifier(string source, IExternalClassifierLoader? loader)
    {
        var part = External!;
        if (FormatVersion < 3)
        {
            throw new InvalidDataException($"{source}: an 'external' classifier needs format version 3, the file says {FormatVersion}");
        }

        if (part.Engine is null || part.Trainer is null || part.Model is null)
        {
            throw new InvalidDataException($"{source}: the external classifier lacks its engine, trainer or model");
        }

        if (loader is null || !loader.Reads(part.Engine))
        {
            throw new InvalidDataException(
                $"{source}: the classifier was trained with {part.Engine} ({part.Trainer}); load it with that engine's loader " +
                "(for ML.NET: Raabin.Features.ML's MlNetClassifiers.Loader, which the raabin command uses)");
        }

        byte[] payload;
        try
        {
            payload = Convert.FromBase64String(part.Model);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{source}: the external classifier's model is not base64: {e.Message}", e);
        }

        var external = loader.Load(part.Engine, part.Trainer, part.Settings ?? string.Empty, payload, FeatureIds.Count, Classes.Count);
        if (external.ScoresAreProbabilities != (part.Scores == "probabilities"))
        {
            throw new InvalidDataException($"{source}: the file says the classifier's scores are {part.Scores}, the loaded {part.Trainer} says otherwise");
        }

        var settings = new SvmClassifierOptions
        {
            Normalizer = Normalizer.Kind,
            ClassWeights = new Dictionary<string, double>(Settings.ClassWeights ?? new(), StringComparer.Ordinal),
        };
        var normalizer = new FeatureNormalizer(Normalizer.Kind, Normalizer.Scale, Normalizer.Offset);
        var training = Training ?? new TrainingSummary(string.Empty, string.Empty, 0, 0, new Dictionary<string, int>(), []);
        return new ClassifierModel(FeatureIds, Classes, normalizer, external, settings, training);
    }

    private ClassifierModel ToClassifier(DecisionRule rule, string source)
    {
        var svmPart = Svm ?? throw new InvalidDataException($"{source}: the model has neither an 'svm' nor an 'external' classifier");
        var settings = new SvmClassifierOptions
        {
            Normalizer = Normalizer.Kind,
            Kernel = Settings.Kernel,
            Degree = Settings.Degree,
            Gamma = GammaSpec.Parse(Settings.Gamma ?? "scale"),
            Coef0 = Settings.Coef0,
            C = Settings.C,
            ClassWeights = new Dictionary<string, double>(Settings.ClassWeights ?? new(), StringComparer.Ordinal),
            Tolerance = Settings.Tolerance,
            Probability = Settings.Probability,
            Seed = Settings.Seed,
            DecisionRule = rule,
        };
        var kernel = SvmClassifierTrainer.CreateKernel(settings, Settings.GammaValue);
        var svm = new SvmModel(Classes.Count, kernel, svmPart.SupportVectors, svmPart.SupportVectorCounts, svmPart.Coefficients, svmPart.Rho,
            svmPart.ProbabilityA, svmPart.ProbabilityB);
        var normalizer = new FeatureNormalizer(Normalizer.Kind, Normalizer.Scale, Normalizer.Offset);
        var training = Training ?? new TrainingSummary(string.Empty, string.Empty, 0, 0, new Dictionary<string, int>(), []);
        return new ClassifierModel(FeatureIds, Classes, normalizer, svm, settings, Settings.GammaValue, training, rule);
    }

    internal sealed class ExternalPart
    {
        public string? Engine { get; set; }

        public string? Trainer { get; set; }

        public string? Settings { get; set; }

        // "probabilities" or "scores".
        public string? Scores { get; set; }

        // The engine's serialised model, base64.
        public string? Model { get; set; }
    }

    internal sealed class DecoderPart
    {
        public long MaxPixels { get; set; } = DecoderOptions.DefaultMaxPixels;
    }

    internal sealed class SegmenterPart
    {
        public string? Name { get; set; }

        public JsonElement? Options { get; set; }
    }

    internal sealed class ExtractorPart
    {
        public string? Name { get; set; }

        public int Version { get; set; }

        // Absent for extractors without options (reference-51), so such files read and write as before.
        public JsonElement? Options { get; set; }
    }

    internal sealed class NormalizerPart
    {
        public NormalizerKind Kind { get; set; }

        public List<double> Scale { get; set; } = [];

        public List<double> Offset { get; set; } = [];
    }

    internal sealed class SettingsPart
    {
        public KernelKind Kernel { get; set; }

        public int Degree { get; set; }

        public string? Gamma { get; set; }

        public double GammaValue { get; set; }

        public double Coef0 { get; set; }

        public double C { get; set; }

        public SortedDictionary<string, double>? ClassWeights { get; set; }

        public double Tolerance { get; set; }

        public bool Probability { get; set; }

        public int Seed { get; set; }
    }

    internal sealed class RejectPart
    {
        public double MinimumProbability { get; set; }
    }

    internal sealed class StatisticsPart
    {
        public List<int> Counts { get; set; } = [];

        public List<double[]> Means { get; set; } = [];

        public List<double[]> StandardDeviations { get; set; } = [];
    }

    internal sealed class SvmPart
    {
        public List<int> SupportVectorCounts { get; set; } = [];

        public List<double> Rho { get; set; } = [];

        public List<double>? ProbabilityA { get; set; }

        public List<double>? ProbabilityB { get; set; }

        public List<double[]> Coefficients { get; set; } = [];

        public List<double[]> SupportVectors { get; set; } = [];
    }
}
