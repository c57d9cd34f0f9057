namespace Raabin.Features.Evaluation.Statistics;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit state advanced by the golden-ratio increment
/// 0x9E3779B97F4A7C15 and finalised by two xor-shift-multiply rounds. Chosen for the bootstrap because it is a few
/// lines in any language, so intervals can be reproduced exactly outside .NET (see Fixtures/Evaluation/bootstrap_golden.py).
/// </summary>
public sealed class SplitMix64
{
    /// <summary>The state increment (2⁶⁴ / golden ratio, odd).</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    private ulong state;

    /// <summary>A generator whose state starts at <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed)
    {
        state = seed;
    }

    /// <summary>
    /// The generator of independent stream <paramref name="stream"/> (≥ 0) derived from <paramref name="seed"/>: its
    /// state starts at output number <paramref name="stream"/> (0-based) of <c>new SplitMix64(seed)</c>, i.e.
    /// <c>Mix(seed + (stream + 1)·Gamma)</c>. The bootstrap gives replicate r stream r, so replicates can run in any
    /// order or in parallel and still give the same numbers.
    /// </summary>
    public static SplitMix64 ForStream(ulong seed, long stream)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stream);
        return new SplitMix64(Mix(unchecked(seed + ((ulong)stream + 1) * Gamma)));
    }

    /// <summary>The SplitMix64 output function (a bijection of 64-bit words).</summary>
    public static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Next 64-bit output: state += Gamma, return Mix(state).</summary>
    public ulong Next()
    {
        state = unchecked(state + Gamma);
        return Mix(state);
    }

    /// <summary>
    /// An index in [0, <paramref name="count"/>): the high 64 bits of Next()·count (Lemire's multiply-shift, no
    /// rejection; the bias is below count/2⁶⁴, negligible for any sample size).
    /// </summary>
    public int NextIndex(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return (int)Math.BigMul(Next(), (ulong)count, out _);
    }
}
