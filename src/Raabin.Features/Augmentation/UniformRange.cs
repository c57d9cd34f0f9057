using System.Globalization;

namespace Raabin.Features.Augmentation;

/// <summary>A closed interval [<see cref="Low"/>, <see cref="High"/>] that a value is drawn from uniformly.</summary>
/// <param name="Low">Smallest value.</param>
/// <param name="High">Largest value, at least <paramref name="Low"/>.</param>
public readonly record struct UniformRange(double Low, double High)
{
    /// <summary>The value at fraction <paramref name="u"/> (0..1) of the interval: <c>Low + (High − Low) u</c>.</summary>
    public double At(double u) => Low + (High - Low) * u;

    /// <summary>One draw: <see cref="At"/> of <see cref="Random.NextDouble"/>.</summary>
    public double Draw(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return At(rng.NextDouble());
    }

    /// <summary>The text form <c>low..high</c>, numbers in the invariant culture with round-trip precision.</summary>
    public override string ToString() => $"{Format(Low)}..{Format(High)}";

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
