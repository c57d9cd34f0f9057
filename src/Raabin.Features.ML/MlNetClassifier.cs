using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Raabin.Features.Learning;

namespace Raabin.Features.ML;

/// <summary>
/// A trained ML.NET multiclass model as the classifier of a toolkit model (see <see cref="MlNetClassifierTrainer"/>). It
/// holds the zip <c>MLContext.Model.Save</c> writes (stored in the model file) and scores through a prediction engine
/// (one at a time: ML.NET's engines are not thread-safe).
/// </summary>
public sealed class MlNetClassifier : IExternalClassifier
{
    private readonly byte[] _zip;
    private readonly PredictionEngine<ScoringRow, ScoredRow> _engine;
    private readonly ScoringRow _row;
    private ScoredRow _scored = new();
    private readonly Lock _gate = new();

    private MlNetClassifier(MLContext context, ITransformer model, byte[] zip, string trainer, string settings, int featureCount, int classCount)
    {
        _zip = zip;
        Trainer = trainer;
        Settings = settings;
        FeatureCount = featureCount;
        ClassCount = classCount;
        var input = SchemaDefinition.Create(typeof(ScoringRow));
        input[nameof(ScoringRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        _engine = context.Model.CreatePredictionEngine<ScoringRow, ScoredRow>(model, ignoreMissingColumns: true, inputSchemaDefinition: input);
        _row = new ScoringRow { Features = new float[featureCount] };
    }

    /// <inheritdoc />
    public string Engine => MlNetClassifierTrainer.Engine;

    /// <inheritdoc />
    public string Trainer { get; }

    /// <inheritdoc />
    public string Settings { get; }

    /// <inheritdoc />
    public int ClassCount { get; }

    /// <inheritdoc />
    public int FeatureCount { get; }

    /// <summary>Every trainer of <see cref="MlNetClassifierTrainer"/> gives probabilities (softmax, or Platt-calibrated one-versus-all).</summary>
    public bool ScoresAreProbabilities => true;

    /// <inheritdoc />
    public byte[] Save() => [.. _zip];

    /// <inheritdoc />
    public void Score(ReadOnlySpan<double> normalised, Span<double> scores)
    {
        if (normalised.Length != FeatureCount || scores.Length != ClassCount)
        {
            throw new ArgumentException($"{Trainer} reads {FeatureCount} features and scores {ClassCount} classes; got {normalised.Length} and room for {scores.Length}");
        }

        lock (_gate)
        {
            for (int f = 0; f < normalised.Length; f++)
            {
                _row.Features[f] = (float)normalised[f];
            }

            _engine.Predict(_row, ref _scored);
            for (int c = 0; c < ClassCount; c++)
            {
                scores[c] = _scored.Score[c];
            }
        }
    }

    /// <summary>An ML.NET context that can load the models of every trainer here (their assemblies registered).</summary>
    internal static MLContext CreateContext(int seed)
    {
        var context = new MLContext(seed);
        context.ComponentCatalog.RegisterAssembly(typeof(LightGbmMulticlassTrainer).Assembly);
        context.ComponentCatalog.RegisterAssembly(typeof(FastForestBinaryTrainer).Assembly);
        return context;
    }

    internal static MlNetClassifier FromTransformer(MLContext context, ITransformer model, DataViewSchema inputSchema, string trainer, string settings, int featureCount, int classCount)
    {
        using var zip = new MemoryStream();
        context.Model.Save(model, inputSchema, zip);
        return new MlNetClassifier(context, model, zip.ToArray(), trainer, settings, featureCount, classCount);
    }

    /// <summary>Restores a classifier from its zip; checks its columns against the recorded feature and class counts.</summary>
    /// <exception cref="InvalidDataException">Not an ML.NET model, or one of another shape.</exception>
    internal static MlNetClassifier Load(string trainer, string settings, byte[] zip, int featureCount, int classCount)
    {
        var context = CreateContext(0);
        ITransformer model;
        DataViewSchema input;
        try
        {
            using var stream = new MemoryStream(zip, writable: false);
            model = context.Model.Load(stream, out input);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or ArgumentException or IOException)
        {
            throw new InvalidDataException($"the {trainer} classifier is not a readable ML.NET model: {e.Message}", e);
        }

        if (input.GetColumnOrNull(nameof(ScoringRow.Features)) is not { Type: VectorDataViewType { Size: var n } } || n != featureCount)
        {
            throw new InvalidDataException($"the {trainer} classifier does not read a vector of {featureCount} features");
        }

        var output = model.GetOutputSchema(input);
        if (output.GetColumnOrNull(nameof(ScoredRow.Score)) is not { Type: VectorDataViewType { Size: var k } } || k != classCount)
        {
            throw new InvalidDataException($"the {trainer} classifier does not score {classCount} classes");
        }

        return new MlNetClassifier(context, model, zip, trainer, settings, featureCount, classCount);
    }

    private sealed class ScoringRow
    {
        public float[] Features = [];
    }

    private sealed class ScoredRow
    {
        public float[] Score = [];
    }
}

/// <summary>Reads ML.NET classifiers back from toolkit model files: <c>PipelineModel.Load(path, MlNetClassifiers.Loader)</c>.</summary>
public static class MlNetClassifiers
{
    /// <summary>The loader to pass to <c>PipelineModel.Load</c>.</summary>
    public static IExternalClassifierLoader Loader { get; } = new MlNetClassifierLoader();

    private sealed class MlNetClassifierLoader : IExternalClassifierLoader
    {
        public bool Reads(string engine) => engine.StartsWith("ML.NET ", StringComparison.Ordinal);

        public IExternalClassifier Load(string engine, string trainer, string settings, byte[] payload, int featureCount, int classCount)
        {
            if (!MlNetClassifierTrainer.Names.Contains(trainer))
            {
                throw new InvalidDataException($"unknown ML.NET trainer '{trainer}' ({string.Join(", ", MlNetClassifierTrainer.Names)})");
            }

            return MlNetClassifier.Load(trainer, settings, payload, featureCount, classCount);
        }
    }
}
