using System.Globalization;
using Raabin.Features.Evaluation.Statistics;

namespace Raabin.Features.Fuzzing;

/// <summary>
/// Format-blind mutations of any file: bit flips, overwritten runs, truncation, insertion, deletion and a duplicated
/// range. Each is a pure function of the seed bytes and the generator's state.
/// </summary>
public static class ByteMutator
{
    /// <summary>The kinds, in the order <see cref="Apply"/> knows them.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["bit-flip", "overwrite", "truncate", "insert", "delete", "duplicate-range"];

    /// <summary>Applies a random kind.</summary>
    public static Mutation Mutate(byte[] seed, SplitMix64 random) => Apply(seed, MutationMath.Pick(random, Kinds), random);

    /// <summary>Applies mutation <paramref name="kind"/> (one of <see cref="Kinds"/>) to a copy of <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">An unknown kind.</exception>
    public static Mutation Apply(byte[] seed, string kind, SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(random);
        int n = seed.Length;
        if (n == 0)
        {
            byte[] one = [(byte)random.Next()];
            return new Mutation(kind, kind + ": empty seed, one byte", one);
        }

        switch (kind)
        {
            case "bit-flip":
            {
                byte[] data = (byte[])seed.Clone();
                int flips = 1 << random.NextIndex(4); // 1, 2, 4 or 8 bits
                var where = new List<string>();
                for (int i = 0; i < flips; i++)
                {
                    int at = random.NextIndex(n);
                    int bit = random.NextIndex(8);
                    data[at] ^= (byte)(1 << bit);
                    where.Add(string.Create(CultureInfo.InvariantCulture, $"0x{at:X}.{bit}"));
                }

                return new Mutation(kind, $"{kind}: {string.Join(' ', where)}", data);
            }

            case "overwrite":
            {
                byte[] data = (byte[])seed.Clone();
                int at = random.NextIndex(n);
                int count = Math.Min(n - at, 1 + random.NextIndex(random.NextIndex(4) == 0 ? 64 : 4));
                int style = random.NextIndex(3);
                for (int i = 0; i < count; i++)
                {
                    data[at + i] = style switch { 0 => 0x00, 1 => 0xFF, _ => (byte)random.Next() };
                }

                string what = style switch { 0 => "zeros", 1 => "0xFF", _ => "random" };
                return new Mutation(kind, FormattableString.Invariant($"{kind}: {count} bytes @0x{at:X} with {what}"), data);
            }

            case "truncate":
            {
                int keep = random.NextIndex(n);
                return new Mutation(kind, FormattableString.Invariant($"{kind}: {n} -> {keep} bytes"), seed[..keep]);
            }

            case "insert":
            {
                int at = random.NextIndex(n + 1);
                byte[] insert = new byte[1 + random.NextIndex(random.NextIndex(4) == 0 ? 256 : 8)];
                for (int i = 0; i < insert.Length; i++)
                {
                    insert[i] = (byte)random.Next();
                }

                return new Mutation(kind, FormattableString.Invariant($"{kind}: {insert.Length} random bytes @0x{at:X}"), MutationMath.Splice(seed, at, 0, insert));
            }

            case "delete":
            {
                int at = random.NextIndex(n);
                int count = Math.Min(n - at, 1 + random.NextIndex(random.NextIndex(4) == 0 ? 256 : 8));
                return new Mutation(kind, FormattableString.Invariant($"{kind}: {count} bytes @0x{at:X}"), MutationMath.Splice(seed, at, count, []));
            }

            case "duplicate-range":
            {
                int from = random.NextIndex(n);
                int count = Math.Min(n - from, 1 + random.NextIndex(256));
                int to = random.NextIndex(n + 1);
                byte[] copy = seed[from..(from + count)];
                return new Mutation(kind, FormattableString.Invariant($"{kind}: {count} bytes from 0x{from:X} inserted @0x{to:X}"), MutationMath.Splice(seed, to, 0, copy));
            }

            default:
                throw new ArgumentException($"unknown byte mutation '{kind}' (known: {string.Join(", ", Kinds)})", nameof(kind));
        }
    }
}
