using Raabin.Features.IO;
using Raabin.Features.Learning;

namespace Raabin.Features.Pipeline;

/// <summary>
/// The columns every per-cell prediction output shares, after its own leading columns:
/// <c>pred,status,probability,rule,other_rule_pred,p_&lt;class&gt;...,error</c>. <c>pred</c> is the label by the model's
/// decision rule (<c>rule</c>), <c>probability</c> the probability of that label, and <c>other_rule_pred</c> the label the
/// other rule would give when it differs (empty when the rules agree or the model has no probabilities).
/// </summary>
public static class PredictionColumns
{
    /// <summary>The shared columns for a model's classes.</summary>
    public static IEnumerable<string> Header(IReadOnlyList<string> classes) =>
        new[] { "pred", "status", "probability", "rule", "other_rule_pred" }.Concat(classes.Select(c => "p_" + c)).Append("error");

    /// <summary>Writes the shared fields of one cell and ends the row.</summary>
    /// <param name="writer">The CSV, positioned after the row's leading fields.</param>
    /// <param name="status">The cell's status.</param>
    /// <param name="prediction">The decision, or null when the cell was not classified.</param>
    /// <param name="classCount">Number of classes (p_ columns).</param>
    /// <param name="error">Why there is no prediction, or a warning.</param>
    public static void Write(CsvWriter writer, string status, ClassifierPrediction? prediction, int classCount, string? error)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Field(prediction?.Label ?? string.Empty).Field(status).Field(prediction?.Probability ?? double.NaN)
            .Field(prediction is null ? string.Empty : RuleName(prediction.Rule)).Field(prediction?.OtherRuleLabel ?? string.Empty);
        for (int c = 0; c < classCount; c++)
        {
            writer.Field(prediction?.Probabilities is { } p ? p[c] : double.NaN);
        }

        writer.Field(error).EndRow();
    }

    /// <summary>The rule's name as written and parsed (<c>vote</c>, <c>probability</c>).</summary>
    public static string RuleName(DecisionRule rule) => rule == DecisionRule.Probability ? "probability" : "vote";

    /// <summary>Parses <c>vote</c> or <c>probability</c>.</summary>
    /// <exception cref="ArgumentException">Any other word.</exception>
    public static DecisionRule ParseRule(string text) => text.Trim().ToLowerInvariant() switch
    {
        "vote" => DecisionRule.Vote,
        "probability" => DecisionRule.Probability,
        _ => throw new ArgumentException($"decision rule '{text}': choose vote or probability"),
    };
}
