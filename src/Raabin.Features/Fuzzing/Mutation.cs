using Raabin.Features.Evaluation.Statistics;

namespace Raabin.Features.Fuzzing;

/// <summary>One mutated input: its bytes and what was done to the seed to get them.</summary>
/// <param name="Kind">
/// The mutation's stable name, e.g. <c>bit-flip</c> or <c>jpeg.sof-height</c>; a format-aware kind starts with the
/// format's name. When several mutations are stacked this is the first one's (see <see cref="Detail"/> for all).
/// </param>
/// <param name="Detail">What changed, with offsets and old → new values (e.g. <c>sof-height @0x9E: 369 -> 0</c>).</param>
/// <param name="Data">The mutated bytes.</param>
public sealed record Mutation(string Kind, string Detail, byte[] Data);

/// <summary>Small helpers shared by the mutators: random choices and big/little-endian field access.</summary>
internal static class MutationMath
{
    /// <summary>Integers that tend to break parsers: zero, one, all-ones and the sign boundaries of each width.</summary>
    private static readonly ulong[] Interesting = [0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 32, 63, 64, 127, 128, 255, 256, 1023, 1024, 4095, 4096, 32767, 32768, 65535, 65536, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF];

    /// <summary>A uniform integer in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static int Between(SplitMix64 random, int low, int high) => high <= low ? low : low + random.NextIndex(high - low);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public static bool Chance(SplitMix64 random, double p) => (random.Next() >> 11) * (1.0 / (1UL << 53)) < p;

    /// <summary>A random element.</summary>
    public static T Pick<T>(SplitMix64 random, IReadOnlyList<T> items) => items[random.NextIndex(items.Count)];

    /// <summary>
    /// A format-aware mutation of a random kind that fits the file (up to 8 draws of <paramref name="kinds"/>), or a byte
    /// mutation when none does: every format mutator's <c>Mutate</c>.
    /// </summary>
    public static Mutation FirstThatFits(byte[] seed, SplitMix64 random, IReadOnlyList<string> kinds, Func<byte[], string, SplitMix64, Mutation?> apply)
    {
        for (int attempt = 0; attempt < 8; attempt++)
        {
            if (apply(seed, Pick(random, kinds), random) is { } m)
            {
                return m;
            }
        }

        return ByteMutator.Mutate(seed, random);
    }

    /// <summary>
    /// A new value for a field of <paramref name="bytes"/> bytes that differs from <paramref name="old"/>: an interesting
    /// constant, old ± a little, old × 2, old / 2 or random bits, masked to the field's width.
    /// </summary>
    public static ulong NewValue(SplitMix64 random, ulong old, int bytes)
    {
        ulong mask = bytes >= 8 ? ulong.MaxValue : (1UL << (8 * bytes)) - 1;
        for (int attempt = 0; attempt < 16; attempt++)
        {
            ulong v = random.NextIndex(6) switch
            {
                0 or 1 => Interesting[random.NextIndex(Interesting.Length)],
                2 => unchecked(old + (ulong)Between(random, 1, 5)),
                3 => unchecked(old - (ulong)Between(random, 1, 5)),
                4 => random.NextIndex(2) == 0 ? old << 1 : old >> 1,
                _ => random.Next(),
            };
            v &= mask;
            if (v != (old & mask))
            {
                return v;
            }
        }

        return (old ^ 1) & mask;
    }

    /// <summary>Reads an unsigned big- or little-endian field.</summary>
    public static ulong Read(byte[] data, int offset, int bytes, bool bigEndian)
    {
        ulong v = 0;
        for (int i = 0; i < bytes; i++)
        {
            int b = data[offset + (bigEndian ? i : bytes - 1 - i)];
            v = (v << 8) | (uint)b;
        }

        return v;
    }

    /// <summary>Writes an unsigned big- or little-endian field (truncated to its width).</summary>
    public static void Write(byte[] data, int offset, int bytes, bool bigEndian, ulong value)
    {
        for (int i = 0; i < bytes; i++)
        {
            data[offset + (bigEndian ? bytes - 1 - i : i)] = (byte)(value >> (8 * i));
        }
    }

    /// <summary>
    /// Changes the field at <paramref name="offset"/> to a new value (see <see cref="NewValue"/>) in a copy of
    /// <paramref name="seed"/>, or returns null when the field lies outside the data.
    /// </summary>
    public static Mutation? SetField(byte[] seed, string kind, int offset, int bytes, bool bigEndian, SplitMix64 random, ulong? value = null)
    {
        if (offset < 0 || offset + bytes > seed.Length)
        {
            return null;
        }

        byte[] data = (byte[])seed.Clone();
        ulong old = Read(data, offset, bytes, bigEndian);
        ulong mask = bytes >= 8 ? ulong.MaxValue : (1UL << (8 * bytes)) - 1;
        ulong v = value is { } given && (given & mask) != old ? given & mask : NewValue(random, old, bytes);
        Write(data, offset, bytes, bigEndian, v);
        return new Mutation(kind, FormattableString.Invariant($"{kind} @0x{offset:X}: {old} -> {v}"), data);
    }

    /// <summary>A copy of <paramref name="seed"/> with <paramref name="count"/> bytes at <paramref name="offset"/> replaced by <paramref name="insert"/>.</summary>
    public static byte[] Splice(byte[] seed, int offset, int count, ReadOnlySpan<byte> insert)
    {
        byte[] data = new byte[seed.Length - count + insert.Length];
        seed.AsSpan(0, offset).CopyTo(data);
        insert.CopyTo(data.AsSpan(offset));
        seed.AsSpan(offset + count).CopyTo(data.AsSpan(offset + insert.Length));
        return data;
    }
}
