using System.Collections.ObjectModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Raabin.Features.Learning.Svm;

namespace Raabin.Features.Learning;

/// <summary>What a <see cref="ClassifierModel"/> decided for one cell.</summary>
/// <param name="Label">The predicted class name.</param>
/// <param name="ClassIndex">Its index in <see cref="ClassifierModel.Classes"/>.</param>
/// <param name="Probabilities">Per-class probabilities (Platt + pairwise coupling), or null when the model has none.</param>
/// <param name="DecisionValues">One-vs-one decision values, pair order (0,1), (0,2), …, (1,2), …</param>
/// <param name="Votes">One-vs-one votes per class.</param>
public sealed record ClassifierPrediction(
    string Label, int ClassIndex, IReadOnlyList<double>? Probabilities, IReadOnlyList<double> DecisionValues, IReadOnlyList<int> Votes);

/// <summary>Where a model's training data came from (stored in the model file).</summary>
/// <param name="Source">Dataset folder or feature file name.</param>
/// <param name="Split">Split used, or empty for all rows.</param>
/// <param name="Rows">Rows trained on.</param>
/// <param name="SkippedRows">Rows left out (no features, unknown status).</param>
/// <param name="RowsPerClass">Training rows per class.</param>
/// <param name="Domains">Acquisition domains present.</param>
public sealed record TrainingSummary(
    string Source, string Split, int Rows, int SkippedRows, IReadOnlyDictionary<string, int> RowsPerClass, IReadOnlyList<string> Domains);

/// <summary>
/// A trained classifier: every step from a feature vector to a label (feature ids, normaliser, SVM, class names) plus
/// what produced its features (segmenter and extractor names) and where its training data came from. Immutable; saved
/// as a versioned, self-describing JSON file.
/// </summary>
public sealed class ClassifierModel
{
    /// <summary>The <c>format</c> field of every model file.</summary>
    public const string FormatName = "raabin-features-model";

    /// <summary>The model file version written by this code; files of other versions are refused.</summary>
    public const int FormatVersion = 1;

    /// <summary>Creates a model from its parts (see <see cref="SvmClassifierTrainer"/>).</summary>
    public ClassifierModel(
        IReadOnlyList<string> featureIds, IReadOnlyList<string> classes, FeatureNormalizer normalizer, SvmModel svm,
        SvmClassifierOptions settings, double gamma, TrainingSummary training, string segmenter, string featureExtractor)
    {
        if (featureIds.Count != normalizer.FeatureCount || featureIds.Count != svm.FeatureCount && svm.SupportVectorCount > 0)
        {
            throw new ArgumentException($"Feature count mismatch: {featureIds.Count} ids, normaliser {normalizer.FeatureCount}, SVM {svm.FeatureCount}.");
        }

        if (classes.Count != svm.ClassCount)
        {
            throw new ArgumentException($"{classes.Count} class names for an SVM with {svm.ClassCount} classes.");
        }

        FeatureIds = new ReadOnlyCollection<string>([.. featureIds]);
        Classes = new ReadOnlyCollection<string>([.. classes]);
        Normalizer = normalizer;
        Svm = svm;
        Settings = settings;
        Gamma = gamma;
        Training = training;
        Segmenter = segmenter;
        FeatureExtractor = featureExtractor;
    }

    /// <summary>Feature ids in the order the model reads them.</summary>
    public IReadOnlyList<string> FeatureIds { get; }

    /// <summary>Class names, index order (ordinal sorted at training).</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The fitted normaliser.</summary>
    public FeatureNormalizer Normalizer { get; }

    /// <summary>The trained SVM.</summary>
    public SvmModel Svm { get; }

    /// <summary>The settings it was trained with.</summary>
    public SvmClassifierOptions Settings { get; }

    /// <summary>The resolved γ.</summary>
    public double Gamma { get; }

    /// <summary>Training data summary.</summary>
    public TrainingSummary Training { get; }

    /// <summary>Name of the segmenter whose features the model expects (e.g. "reference").</summary>
    public string Segmenter { get; }

    /// <summary>Name of the feature extractor (e.g. "reference-51").</summary>
    public string FeatureExtractor { get; }

    /// <summary>
    /// Predicts one cell from its raw (unnormalised) features in <see cref="FeatureIds"/> order. The label is the
    /// one-vs-one vote winner (ties to the lowest class index), as scikit-learn's <c>SVC.predict</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong length or a non-finite value.</exception>
    public ClassifierPrediction Predict(ReadOnlySpan<double> features)
    {
        if (features.Length != FeatureIds.Count)
        {
            throw new ArgumentException($"The model reads {FeatureIds.Count} features, got {features.Length}.", nameof(features));
        }

        for (int f = 0; f < features.Length; f++)
        {
            if (!double.IsFinite(features[f]))
            {
                throw new ArgumentException($"Feature '{FeatureIds[f]}' is {features[f]}; the model needs finite values.", nameof(features));
            }
        }

        Span<double> x = features.Length <= 256 ? stackalloc double[features.Length] : new double[features.Length];
        Normalizer.Transform(features, x);
        SvmPrediction p = Svm.PredictDetailed(x);

        // The label is the one-vs-one vote winner, as scikit-learn's SVC.predict (the reference) decides it even when
        // probabilities are fitted; the probabilities are reported beside it and can, rarely, favour another class.
        return new ClassifierPrediction(Classes[p.ClassIndex], p.ClassIndex, p.Probabilities, p.DecisionValues, p.Votes);
    }

    /// <summary>Writes the model as indented JSON, atomically (the file appears only when complete).</summary>
    public void Save(string path)
    {
        IO.AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, ModelFile.From(this), ModelFile.JsonOptions));
    }

    /// <summary>Reads a model file.</summary>
    /// <exception cref="InvalidDataException">Not a model file, another format version, or inconsistent contents (message names the file).</exception>
    public static ClassifierModel Load(string path)
    {
        ModelFile? file;
        try
        {
            using var stream = File.OpenRead(path);
            file = JsonSerializer.Deserialize<ModelFile>(stream, ModelFile.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid model file: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new InvalidDataException($"{path}: cannot read the model: {e.Message}", e);
        }

        if (file is null || file.Format != FormatName)
        {
            throw new InvalidDataException($"{path}: not a Raabin.Features model (format is '{file?.Format}', expected '{FormatName}')");
        }

        if (file.FormatVersion != FormatVersion)
        {
            throw new InvalidDataException($"{path}: model format version {file.FormatVersion} is not supported (this build reads version {FormatVersion})");
        }

        try
        {
            return file.ToModel();
        }
        catch (Exception e) when (e is ArgumentException or NullReferenceException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: inconsistent model file: {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks that a feature table provides this model's features; returns the problem in words, or null when it fits.
    /// </summary>
    public string? DescribeMismatch(IReadOnlyList<string> availableFeatureIds)
    {
        var available = new HashSet<string>(availableFeatureIds, StringComparer.Ordinal);
        var missing = FeatureIds.Where(id => !available.Contains(id)).ToList();
        return missing.Count == 0
            ? null
            : $"the model was trained on {FeatureIds.Count} features ({Segmenter} segmenter, {FeatureExtractor}); " +
              $"{missing.Count} are missing here: {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", ..." : string.Empty)}";
    }

    /// <summary>The JSON shape of a model file (kept separate so the format is explicit and versioned).</summary>
    internal sealed class ModelFile
    {
        public static readonly JsonSerializerOptions JsonOptions = new()
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new JsonStringEnumConverter() },
        };

        public string Format { get; set; } = FormatName;

        public int FormatVersion { get; set; }

        public string? CreatedBy { get; set; }

        public PipelinePart Pipeline { get; set; } = new();

        public List<string> FeatureIds { get; set; } = [];

        public List<string> Classes { get; set; } = [];

        public NormalizerPart Normalizer { get; set; } = new();

        public SettingsPart Settings { get; set; } = new();

        public SvmPart Svm { get; set; } = new();

        public TrainingSummary? Training { get; set; }

        public static ModelFile From(ClassifierModel m)
        {
            var svm = m.Svm;
            var file = new ModelFile
            {
                FormatVersion = ClassifierModel.FormatVersion,
                CreatedBy = "Raabin.Features " + typeof(ClassifierModel).Assembly.GetName().Version,
                Pipeline = new PipelinePart { Segmenter = m.Segmenter, FeatureExtractor = m.FeatureExtractor },
                FeatureIds = [.. m.FeatureIds],
                Classes = [.. m.Classes],
                Normalizer = new NormalizerPart { Kind = m.Normalizer.Kind, Scale = [.. m.Normalizer.Scale], Offset = [.. m.Normalizer.Offset] },
                Settings = new SettingsPart
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
                Svm = new SvmPart
                {
                    SupportVectorCounts = [.. svm.SupportVectorCounts],
                    Rho = [.. svm.Rho],
                    ProbabilityA = svm.ProbabilityA?.ToList(),
                    ProbabilityB = svm.ProbabilityB?.ToList(),
                    Coefficients = Enumerable.Range(0, svm.ClassCount - 1).Select(r => svm.Coefficients(r).ToArray()).ToList(),
                    SupportVectors = Enumerable.Range(0, svm.SupportVectorCount).Select(s => svm.SupportVector(s).ToArray()).ToList(),
                },
                Training = m.Training,
            };
            return file;
        }

        public ClassifierModel ToModel()
        {
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
            };
            var kernel = SvmClassifierTrainer.CreateKernel(settings, Settings.GammaValue);
            var svm = new SvmModel(Classes.Count, kernel, Svm.SupportVectors, Svm.SupportVectorCounts, Svm.Coefficients, Svm.Rho,
                Svm.ProbabilityA, Svm.ProbabilityB);
            var normalizer = new FeatureNormalizer(Normalizer.Kind, Normalizer.Scale, Normalizer.Offset);
            var training = Training ?? new TrainingSummary(string.Empty, string.Empty, 0, 0, new Dictionary<string, int>(), []);
            return new ClassifierModel(FeatureIds, Classes, normalizer, svm, settings, Settings.GammaValue, training,
                Pipeline.Segmenter ?? "reference", Pipeline.FeatureExtractor ?? "reference-51");
        }

        internal sealed class PipelinePart
        {
            public string? Segmenter { get; set; }

            public string? FeatureExtractor { get; set; }
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
}
