namespace Raabin.Features.Pipeline;

/// <summary>
/// What a model did about the shift between microscopes, recorded in its file (<c>pipeline.domain</c>) so a reader sees
/// how it was made: training-time randomisation, per-domain standardisation, adaptation with a few labelled cells.
/// A model without any of them has <see cref="None"/>, which is not written.
/// </summary>
public sealed record DomainSteps
{
    /// <summary>No domain step.</summary>
    public static DomainSteps None { get; } = new();

    /// <summary>
    /// The training-time randomisation: copies per image, seed and every distribution (the text form of
    /// <c>Raabin.Features.Augmentation.DomainRandomizationOptions</c>), or null when the training images were used as they are.
    /// </summary>
    public string? Randomization { get; init; }

    /// <summary>
    /// Whether the classifier was trained on features standardised per training domain (each domain z-scored with its own
    /// mean and SD, randomised copies as a domain of their own). Such a model is meant to be used with transductive
    /// standardisation of each test domain; without it the normaliser standardises with the real training images' statistics.
    /// </summary>
    public bool PerDomainStandardization { get; init; }

    /// <summary>The adaptation to a new microscope with a few labelled cells, or null.</summary>
    public FewShotRecord? Adaptation { get; init; }

    /// <summary>Whether no step is recorded.</summary>
    public bool IsNone => Randomization is null && !PerDomainStandardization && Adaptation is null;

    /// <summary>One line for people.</summary>
    public override string ToString() => IsNone
        ? "none"
        : string.Join("; ", new[]
        {
            Randomization is { } r ? $"randomised training copies ({r})" : null,
            PerDomainStandardization ? "trained on per-domain standardised features" : null,
            Adaptation is { } a ? $"adapted to {a.Domain} with {a.LabelledPerClass.Values.Sum()} labelled cells by {a.Method} ({(a.CrossValidatedMacroF1 is { } f ? $"cross-validated macro-F1 {f:F3}" : "not cross-validated")})" : null,
        }.Where(s => s is not null));
}

/// <summary>What an adaptation with a few labelled cells did (see <c>Raabin.Features.Adaptation.FewShotAdapter</c>).</summary>
/// <param name="Method">The method chosen (e.g. <c>affine-map</c>).</param>
/// <param name="Domain">The new microscope's name, as given.</param>
/// <param name="LabelledPerClass">Labelled cells per class used.</param>
/// <param name="UnlabelledCells">Unlabelled cells of the new microscope used for its statistics (0 when none).</param>
/// <param name="Folds">Cross-validation folds over the labelled cells (0 when there were too few to cross-validate).</param>
/// <param name="CrossValidatedMacroF1">The chosen method's cross-validated macro-F1 on the labelled cells (null without folds).</param>
/// <param name="CrossValidatedAccuracy">Its cross-validated accuracy (null without folds).</param>
/// <param name="Candidates">Every method tried, with its cross-validated scores.</param>
/// <param name="Seed">Seed of the fold assignment.</param>
public sealed record FewShotRecord(
    string Method, string Domain, IReadOnlyDictionary<string, int> LabelledPerClass, int UnlabelledCells, int Folds,
    double? CrossValidatedMacroF1, double? CrossValidatedAccuracy, IReadOnlyList<FewShotCandidate> Candidates, int Seed)
{
    /// <summary>Why <see cref="Method"/> was used (the best cross-validated score, or the rule for few cells).</summary>
    public string Choice { get; init; } = string.Empty;
}

/// <summary>One candidate method's cross-validated scores on the labelled cells.</summary>
/// <param name="Method">The method.</param>
/// <param name="MacroF1">Cross-validated macro-F1 over the labelled classes.</param>
/// <param name="Accuracy">Cross-validated accuracy.</param>
public sealed record FewShotCandidate(string Method, double MacroF1, double Accuracy);
