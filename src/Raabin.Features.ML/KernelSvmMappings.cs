using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Raabin.Features.ML;

/// <summary>Names of the columns the kernel-SVM chain uses internally (all dropped from its output).</summary>
public static class KernelSvmColumns
{
    /// <summary>A copy of the feature column under a fixed name (a CustomMapping's input names are fixed at compile time).</summary>
    public const string Features = "__KernelSvm_Features";

    /// <summary>The constant key the model text is looked up by.</summary>
    public const string ModelKey = "__KernelSvm_ModelKey";

    /// <summary>The model text (one shared value, from the ValueMapping).</summary>
    public const string ModelText = "__KernelSvm_ModelText";

    /// <summary>The chosen class's name, before it becomes the <c>PredictedLabel</c> key.</summary>
    public const string PredictedName = "__KernelSvm_PredictedName";

    /// <summary>Prefix of the scalar score-slot columns ("00" … "63").</summary>
    public const string ScoreSlotPrefix = "__KernelSvm_Score";
}

/// <summary>Input row of the model-key mapping: it reads nothing.</summary>
public sealed class KernelSvmNoInput
{
}

/// <summary>Output row of the model-key mapping.</summary>
public sealed class KernelSvmModelKeyOutput
{
    /// <summary>The constant lookup key of the model text.</summary>
    [ColumnName(KernelSvmColumns.ModelKey)]
    public string ModelKey = string.Empty;
}

/// <summary>Input row of the scoring mapping.</summary>
public sealed class KernelSvmScoringInput
{
    /// <summary>The features, float32.</summary>
    [ColumnName(KernelSvmColumns.Features)]
    public float[] Features = [];

    /// <summary>The model text (read as memory: the shared text is never copied per row).</summary>
    [ColumnName(KernelSvmColumns.ModelText)]
    public ReadOnlyMemory<char> ModelText;
}

/// <summary>
/// The stateless mapping that gives every row the model's lookup key, registered under its contract name so that
/// <c>MLContext.Model.Load</c> finds it again (ML.NET looks the name up among the assemblies registered with
/// <c>ComponentCatalog.RegisterAssembly</c>, which <see cref="KernelSvmCatalog"/> does).
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class KernelSvmModelKeyMapping : CustomMappingFactory<KernelSvmNoInput, KernelSvmModelKeyOutput>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "Raabin.Features.ML.KernelSvm.ModelKey.v1";

    /// <summary>The one lookup key (each chain has its own one-row lookup table).</summary>
    public const string Key = "model";

    /// <summary>Sets the key.</summary>
    public static void Map(KernelSvmNoInput input, KernelSvmModelKeyOutput output) => output.ModelKey = Key;

    /// <inheritdoc />
    public override Action<KernelSvmNoInput, KernelSvmModelKeyOutput> GetMapping() => Map;
}

/// <summary>The stateless mapping that scores a row with the model its text column holds (parsed once per model).</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class KernelSvmScoringMapping : CustomMappingFactory<KernelSvmScoringInput, KernelSvmScoringOutput>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "Raabin.Features.ML.KernelSvm.Score.v1";

    /// <summary>Scores one row.</summary>
    public static void Map(KernelSvmScoringInput input, KernelSvmScoringOutput output) =>
        KernelSvmModelText.Scorer(input.ModelText).Score(input.Features, output);

    /// <inheritdoc />
    public override Action<KernelSvmScoringInput, KernelSvmScoringOutput> GetMapping() => Map;
}
