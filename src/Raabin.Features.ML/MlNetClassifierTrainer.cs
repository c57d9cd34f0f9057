using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Raabin.Features.Learning;

namespace Raabin.Features.ML;

/// <summary>
/// ML.NET's multiclass trainers as the classifier of a toolkit model (<c>raabin train/tune/evaluate --trainer NAME</c>):
/// the core normalises the features as for the kernel SVM, and the trainer fits on the normalised rows cast to float32.
/// <list type="table">
/// <item><term><c>lbfgs-maxent</c></term><description>LbfgsMaximumEntropy (multinomial logistic regression); scores are probabilities.</description></item>
/// <item><term><c>sdca-maxent</c></term><description>SdcaMaximumEntropy; scores are probabilities.</description></item>
/// <item><term><c>lightgbm</c></term><description>LightGbm multiclass (softmax); scores are probabilities.</description></item>
/// <item><term><c>fastforest</c></term><description>One-versus-all over FastForest binary forests, Platt-calibrated; scores are probabilities.</description></item>
/// <item><term><c>ova-ldsvm</c></term><description>One-versus-all over LdSvm (local deep SVM), Platt-calibrated; scores are probabilities.</description></item>
/// </list>
/// Settings are text, <c>key=value;…</c> (see <see cref="SettingsOf"/> for each trainer's keys and defaults); every
/// trainer runs on one thread with the given seed, so training is repeatable.
/// </summary>
public sealed class MlNetClassifierTrainer : IExternalClassifierTrainer
{
    /// <summary>The trainer names, in the order the CLI lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["lbfgs-maxent", "sdca-maxent", "lightgbm", "fastforest", "ova-ldsvm"];

    /// <summary>The engine name and version recorded in model files.</summary>
    public static string Engine { get; } = "ML.NET " + (typeof(MLContext).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "(unknown version)");

    // Each trainer's settings: key, default (text; "auto" = ML.NET chooses from the data), description.
    private static readonly Dictionary<string, (string Key, string Default, string Description)[]> Keys = new(StringComparer.Ordinal)
    {
        ["lbfgs-maxent"] = [("l1", "1", "L1 regularisation"), ("l2", "1", "L2 regularisation"), ("tolerance", "1E-07", "optimisation tolerance")],
        ["sdca-maxent"] = [("l1", "auto", "L1 regularisation"), ("l2", "auto", "L2 regularisation"), ("iterations", "auto", "passes over the data")],
        ["lightgbm"] = [("iterations", "100", "boosting rounds"), ("leaves", "auto", "leaves per tree"), ("learning-rate", "auto", "learning rate"), ("min-leaf", "auto", "fewest rows per leaf")],
        ["fastforest"] = [("trees", "100", "trees per class"), ("leaves", "20", "leaves per tree"), ("min-leaf", "10", "fewest rows per leaf")],
        ["ova-ldsvm"] = [("tree-depth", "3", "depth of the local deep SVM's tree"), ("iterations", "15000", "iterations")],
    };

    private readonly Dictionary<string, string> _settings;

    private MlNetClassifierTrainer(string name, Dictionary<string, string> settings, int seed)
    {
        Name = name;
        _settings = settings;
        Seed = seed;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The seed of ML.NET's context (and of the trainer where it takes one).</summary>
    public int Seed { get; }

    /// <inheritdoc />
    public string Settings => string.Join(";", Keys[Name].Select(k => $"{k.Key}={_settings[k.Key]}").Append($"seed={Seed.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>Each key a trainer takes in its settings, with its default and meaning (for help texts).</summary>
    public static IReadOnlyList<(string Key, string Default, string Description)> SettingsOf(string name) =>
        Keys.TryGetValue(name, out var keys) ? keys : throw new ArgumentException(UnknownTrainer(name));

    /// <summary>
    /// The trainer <paramref name="name"/> with <paramref name="settings"/> (<c>key=value;…</c>, unnamed keys at their
    /// defaults; <c>seed=N</c> overrides <paramref name="seed"/>).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown trainer, an unknown key, or a value that is not a positive number (or <c>auto</c> where allowed).</exception>
    public static MlNetClassifierTrainer Create(string name, string? settings = null, int seed = 1)
    {
        if (!Keys.TryGetValue(name, out var keys))
        {
            throw new ArgumentException(UnknownTrainer(name));
        }

        var values = keys.ToDictionary(k => k.Key, k => k.Default, StringComparer.Ordinal);
        foreach (string part in (settings ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            string key = eq > 0 ? part[..eq].Trim() : part;
            string value = eq > 0 ? part[(eq + 1)..].Trim() : string.Empty;
            if (key == "seed")
            {
                seed = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) && s >= 0
                    ? s
                    : throw new ArgumentException($"{name}: seed must be a whole number ≥ 0, got '{value}'");
                continue;
            }

            if (!values.ContainsKey(key))
            {
                throw new ArgumentException($"{name}: unknown setting '{key}' (it takes {string.Join(", ", keys.Select(k => k.Key))}, and seed)");
            }

            string canonical = Canonical(name, key, value, keys.First(k => k.Key == key).Default == "auto");
            values[key] = canonical;
        }

        return new MlNetClassifierTrainer(name, values, seed);
    }

    private static string UnknownTrainer(string name) => $"unknown trainer '{name}' (kernel-svm, {string.Join(", ", Names)})";

    private static string Canonical(string name, string key, string value, bool autoAllowed)
    {
        if (autoAllowed && value.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return "auto";
        }

        bool whole = key is "iterations" or "leaves" or "min-leaf" or "trees" or "tree-depth";
        if (whole)
        {
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 1
                ? n.ToString(CultureInfo.InvariantCulture)
                : throw new ArgumentException($"{name}: {key} must be a whole number ≥ 1{(autoAllowed ? " or auto" : string.Empty)}, got '{value}'");
        }

        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && (v > 0 || (v == 0 && key is "l1" or "l2"))
            ? ((float)v).ToString("R", CultureInfo.InvariantCulture)
            : throw new ArgumentException($"{name}: {key} must be a number > 0{(key is "l1" or "l2" ? " (or 0)" : string.Empty)}{(autoAllowed ? " or auto" : string.Empty)}, got '{value}'");
    }

    /// <inheritdoc />
    public IExternalClassifier Fit(IReadOnlyList<double[]> normalised, IReadOnlyList<int> classIndex, IReadOnlyList<string> classes, IReadOnlyList<string> featureIds, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        int n = featureIds.Count, k = classes.Count;
        if (normalised.Count != classIndex.Count || normalised.Count != weights.Count || normalised.Any(r => r.Length != n))
        {
            throw new ArgumentException("rows, labels and weights must agree, every row with one value per feature");
        }

        var context = MlNetClassifier.CreateContext(Seed);
        var rows = Enumerable.Range(0, normalised.Count).Select(i => new MlNetTrainingRow
        {
            // A key read from a POCO by LoadFromEnumerable is the 0-based class index (ML.NET stores it + 1, 0 being missing).
            Label = (uint)classIndex[i],
            Features = Array.ConvertAll(normalised[i], v => (float)v),
            Weight = (float)weights[i],
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(MlNetTrainingRow));
        schema[nameof(MlNetTrainingRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), k);
        schema[nameof(MlNetTrainingRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, n);
        var data = context.Data.LoadFromEnumerable(rows, schema);
        var transformer = Estimator(context).Fit(data);
        return MlNetClassifier.FromTransformer(context, transformer, data.Schema, Name, Settings, n, k);
    }

    private IEstimator<ITransformer> Estimator(MLContext context)
    {
        const string label = nameof(MlNetTrainingRow.Label), features = nameof(MlNetTrainingRow.Features), weight = nameof(MlNetTrainingRow.Weight);
        var multiclass = context.MulticlassClassification.Trainers;
        switch (Name)
        {
            case "lbfgs-maxent":
                return multiclass.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
                {
                    LabelColumnName = label, FeatureColumnName = features, ExampleWeightColumnName = weight,
                    L1Regularization = Float("l1")!.Value, L2Regularization = Float("l2")!.Value, OptimizationTolerance = Float("tolerance")!.Value,
                    NumberOfThreads = 1,
                });
            case "sdca-maxent":
                return multiclass.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
                {
                    LabelColumnName = label, FeatureColumnName = features, ExampleWeightColumnName = weight,
                    L1Regularization = Float("l1"), L2Regularization = Float("l2"), MaximumNumberOfIterations = Whole("iterations"),
                    NumberOfThreads = 1,
                });
            case "lightgbm":
                return multiclass.LightGbm(new LightGbmMulticlassTrainer.Options
                {
                    LabelColumnName = label, FeatureColumnName = features, ExampleWeightColumnName = weight,
                    NumberOfIterations = Whole("iterations")!.Value, NumberOfLeaves = Whole("leaves"), LearningRate = Float("learning-rate"),
                    MinimumExampleCountPerLeaf = Whole("min-leaf"), NumberOfThreads = 1, Seed = Seed, Deterministic = true, Silent = true,
                });
            case "fastforest":
                return multiclass.OneVersusAll(context.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
                {
                    FeatureColumnName = features, ExampleWeightColumnName = weight,
                    NumberOfTrees = Whole("trees")!.Value, NumberOfLeaves = Whole("leaves")!.Value, MinimumExampleCountPerLeaf = Whole("min-leaf")!.Value,
                    NumberOfThreads = 1, Seed = Seed,
                }), labelColumnName: label, useProbabilities: true);
            case "ova-ldsvm":
                return multiclass.OneVersusAll(context.BinaryClassification.Trainers.LdSvm(new LdSvmTrainer.Options
                {
                    FeatureColumnName = features, ExampleWeightColumnName = weight,
                    TreeDepth = Whole("tree-depth")!.Value, NumberOfIterations = Whole("iterations")!.Value,
                }), labelColumnName: label, useProbabilities: true);
            default:
                throw new ArgumentException(UnknownTrainer(Name));
        }
    }

    private float? Float(string key) => _settings[key] == "auto" ? null : float.Parse(_settings[key], CultureInfo.InvariantCulture);

    private int? Whole(string key) => _settings[key] == "auto" ? null : int.Parse(_settings[key], CultureInfo.InvariantCulture);
}

/// <summary>A training row of <see cref="MlNetClassifierTrainer"/> (sizes set by a schema definition at run time).</summary>
internal sealed class MlNetTrainingRow
{
    public uint Label;

    public float[] Features = [];

    public float Weight;
}
