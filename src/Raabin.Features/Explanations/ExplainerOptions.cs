namespace Raabin.Features.Explanations;

/// <summary>Settings of <see cref="CellExplainer"/>. The defaults live here; the CLI and the docs read them from here.</summary>
public sealed record ExplainerOptions
{
    /// <summary>Default number of nearest training cells listed per class.</summary>
    public const int DefaultNearestCells = 5;

    /// <summary>Default number of grid steps over a feature's observed range in the counterfactual search.</summary>
    public const int DefaultCounterfactualGridSteps = 48;

    /// <summary>Default number of bisection steps refining a flip found on the grid.</summary>
    public const int DefaultCounterfactualBisections = 30;

    /// <summary>Default half-width of each class's observed range, in that class's standard deviations.</summary>
    public const double DefaultRangeStandardDeviations = 3.0;

    /// <summary>The defaults.</summary>
    public static ExplainerOptions Default { get; } = new();

    /// <summary>
    /// Whether to search the counterfactual (default true). It is nearly all of an explanation's cost (about 0.3 s per
    /// cell with 54 features and 2,500 support vectors); without it an explanation takes milliseconds.
    /// </summary>
    public bool SearchCounterfactual { get; init; } = true;

    /// <summary>Nearest training cells listed for the predicted and for the runner-up class (≥ 0).</summary>
    public int NearestCells { get; init; } = DefaultNearestCells;

    /// <summary>
    /// Grid steps over a feature's whole observed range (≥ 2): the search walks away from the cell's value in steps of
    /// range / this, so a region of another label narrower than one step can be missed.
    /// </summary>
    public int CounterfactualGridSteps { get; init; } = DefaultCounterfactualGridSteps;

    /// <summary>Bisection steps between the last grid value of the same label and the first of another (≥ 0).</summary>
    public int CounterfactualBisections { get; init; } = DefaultCounterfactualBisections;

    /// <summary>
    /// The observed range of a feature is [min over classes of mean − this·SD, max over classes of mean + this·SD] of the
    /// training statistics (classes with at least one training row); counterfactual values stay inside it.
    /// </summary>
    public double RangeStandardDeviations { get; init; } = DefaultRangeStandardDeviations;

    internal void Validate()
    {
        if (NearestCells < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(NearestCells), NearestCells, "The number of nearest cells cannot be negative.");
        }

        if (CounterfactualGridSteps < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(CounterfactualGridSteps), CounterfactualGridSteps, "The counterfactual grid needs at least 2 steps.");
        }

        if (CounterfactualBisections < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CounterfactualBisections), CounterfactualBisections, "The number of bisections cannot be negative.");
        }

        if (!(RangeStandardDeviations > 0) || !double.IsFinite(RangeStandardDeviations))
        {
            throw new ArgumentOutOfRangeException(nameof(RangeStandardDeviations), RangeStandardDeviations, "The range must be a positive number of SDs.");
        }
    }
}
