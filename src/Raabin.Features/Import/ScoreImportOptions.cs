namespace Raabin.Features.Import;

/// <summary>What the numbers in an imported score file are.</summary>
public enum ScoreValueKind
{
    /// <summary>Probabilities: each in [0, 1], summing to 1 per image (within <see cref="ScoreImportOptions.SumTolerance"/>).</summary>
    Probabilities,

    /// <summary>Raw network outputs (logits): converted with a numerically stable softmax.</summary>
    Logits,
}

/// <summary>How to treat the classes a top-k file (k smaller than the class count) does not list.</summary>
public enum MissingMassPolicy
{
    /// <summary>Refuse the file: the probabilities of the unlisted classes are unknown.</summary>
    Refuse,

    /// <summary>Give the unlisted classes equal shares of 1 − (sum of the listed probabilities).</summary>
    SpreadUniform,

    /// <summary>Keep only the top-1 prediction; the imported rows carry no probabilities.</summary>
    Top1Only,
}

/// <summary>
/// Options of <see cref="ScoreImporter"/>. Everything the importer cannot read from the file is given here, never
/// guessed; what it does decide is written to <see cref="ImportedScores.Assumptions"/>.
/// </summary>
public sealed record ScoreImportOptions
{
    /// <summary>The default of <see cref="SumTolerance"/>: 1e-3 (6-decimal CSVs sum to 1 ± ~3e-6).</summary>
    public const double DefaultSumTolerance = 1e-3;

    /// <summary>Whether the values are probabilities (default) or logits. Never auto-detected.</summary>
    public ScoreValueKind Values { get; init; } = ScoreValueKind.Probabilities;

    /// <summary>
    /// Largest allowed |sum − 1| of one image's probabilities, and the slack allowed below 0 and above 1 for a
    /// single value (rounding). Default <see cref="DefaultSumTolerance"/>.
    /// </summary>
    public double SumTolerance { get; init; } = DefaultSumTolerance;

    /// <summary>
    /// The class order: required for bare class-name columns and for timm top-k output (indices); optional for
    /// <c>p_&lt;class&gt;</c> columns, where it fixes the order and every class must have a column.
    /// </summary>
    public ClassMap? ClassMap { get; init; }

    /// <summary>What to do with top-k output whose k is smaller than the class count. Default: refuse.</summary>
    public MissingMassPolicy MissingMass { get; init; } = MissingMassPolicy.Refuse;

    /// <summary>The image key column; null looks for <c>path</c>, then <c>filename</c>, then <c>image</c>.</summary>
    public string? KeyColumn { get; init; }

    /// <summary>Model name for files without a <c>model</c> column; null uses the file name without extension.</summary>
    public string? ModelName { get; init; }

    /// <summary>The command-line spelling of each <see cref="MissingMassPolicy"/>: refuse, spread-uniform, top1-only.</summary>
    public static string Name(MissingMassPolicy policy) => policy switch
    {
        MissingMassPolicy.Refuse => "refuse",
        MissingMassPolicy.SpreadUniform => "spread-uniform",
        MissingMassPolicy.Top1Only => "top1-only",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown missing-mass policy"),
    };

    /// <summary>Parses a command-line policy name (refuse, spread-uniform, top1-only; ordinal, case-sensitive).</summary>
    /// <exception cref="ArgumentException">Any other name; the message lists the valid ones.</exception>
    public static MissingMassPolicy ParseMissingMass(string name) => name switch
    {
        "refuse" => MissingMassPolicy.Refuse,
        "spread-uniform" => MissingMassPolicy.SpreadUniform,
        "top1-only" => MissingMassPolicy.Top1Only,
        _ => throw new ArgumentException($"unknown missing-mass policy '{name}' (expected refuse, spread-uniform or top1-only)", nameof(name)),
    };
}
