using Raabin.Features.Evaluation.Statistics;

namespace Raabin.Features.Fuzzing;

/// <summary>One entry of a TIFF image file directory as <see cref="TiffMutator.Entries"/> finds it.</summary>
/// <param name="Offset">Offset of the entry's 12 bytes.</param>
/// <param name="Tag">The tag (256 ImageWidth, 273 StripOffsets, ...).</param>
/// <param name="Type">The field type (3 SHORT, 4 LONG, ...).</param>
/// <param name="Count">The number of values.</param>
/// <param name="ValueOffset">Where the first value is: inside the entry when the values fit in four bytes, else the offset the entry gives.</param>
public readonly record struct TiffEntry(int Offset, int Tag, int Type, long Count, long ValueOffset)
{
    /// <summary>Bytes of one value of this entry's type (1 for unknown types).</summary>
    public int ValueSize => TiffMutator.TypeSize(Type);
}

/// <summary>
/// TIFF-aware mutations of the first image file directory: its offset and entry count; any entry's type, count or
/// value; the fields a decoder trusts by name — ImageWidth, ImageLength, BitsPerSample, Compression, Photometric,
/// StripOffsets, SamplesPerPixel, RowsPerStrip, StripByteCounts, PlanarConfiguration, Predictor, ColorMap and
/// ExtraSamples; an entry dropped (the directory kept well formed); and the strip data itself.
/// </summary>
public static class TiffMutator
{
    private static readonly Dictionary<string, int> NamedTags = new(StringComparer.Ordinal)
    {
        ["tiff.width"] = 256, ["tiff.height"] = 257, ["tiff.bits-per-sample"] = 258, ["tiff.compression"] = 259,
        ["tiff.photometric"] = 262, ["tiff.strip-offsets"] = 273, ["tiff.samples-per-pixel"] = 277, ["tiff.rows-per-strip"] = 278,
        ["tiff.strip-byte-counts"] = 279, ["tiff.planar"] = 284, ["tiff.predictor"] = 317, ["tiff.colour-map"] = 320,
        ["tiff.extra-samples"] = 338,
    };

    // Values a decoder branches on, tried more often than random ones.
    private static readonly Dictionary<int, ulong[]> TagValues = new()
    {
        [258] = [0, 1, 2, 4, 8, 12, 16, 32, 64],
        [259] = [1, 2, 3, 4, 5, 6, 7, 8, 32773, 32946, 34712, 0],
        [262] = [0, 1, 2, 3, 4, 5, 6, 8, 32844],
        [277] = [0, 1, 2, 3, 4, 5, 8],
        [284] = [0, 1, 2, 3],
        [317] = [0, 1, 2, 3, 4],
        [338] = [0, 1, 2, 3],
    };

    /// <summary>The kinds, in the order <see cref="Apply"/> knows them.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
    [
        "tiff.ifd-offset", "tiff.entry-count", "tiff.entry-type", "tiff.entry-count-field", "tiff.entry-value", "tiff.drop-entry",
        .. NamedTags.Keys, "tiff.strip-data",
    ];

    /// <summary>Bytes of one value of TIFF field type <paramref name="type"/> (1 for unknown types).</summary>
    public static int TypeSize(int type) => type switch
    {
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 or 16 or 17 or 18 => 8,
        _ => 1,
    };

    /// <summary>Whether the file is big-endian ("MM"); false for "II" and anything else.</summary>
    public static bool IsBigEndian(byte[] data) => data.Length >= 2 && data[0] == (byte)'M' && data[1] == (byte)'M';

    /// <summary>The offset of the first image file directory (from the header), or -1 when the file is too short.</summary>
    public static long FirstIfdOffset(byte[] data) => data.Length < 8 ? -1 : (long)MutationMath.Read(data, 4, 4, IsBigEndian(data));

    /// <summary>The entries of the first image file directory that lie inside the file.</summary>
    public static IReadOnlyList<TiffEntry> Entries(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var entries = new List<TiffEntry>();
        long ifd = FirstIfdOffset(data);
        if (ifd < 8 || ifd + 2 > data.Length)
        {
            return entries;
        }

        bool be = IsBigEndian(data);
        int count = (int)MutationMath.Read(data, (int)ifd, 2, be);
        for (int i = 0; i < count; i++)
        {
            int at = (int)ifd + 2 + 12 * i;
            if (at + 12 > data.Length)
            {
                break;
            }

            int tag = (int)MutationMath.Read(data, at, 2, be);
            int type = (int)MutationMath.Read(data, at + 2, 2, be);
            long n = (long)MutationMath.Read(data, at + 4, 4, be);
            long valueOffset = n * TypeSize(type) <= 4 ? at + 8 : (long)MutationMath.Read(data, at + 8, 4, be);
            entries.Add(new TiffEntry(at, tag, type, n, valueOffset));
        }

        return entries;
    }

    /// <summary>Applies a random kind that fits the file, or a byte mutation when none does.</summary>
    public static Mutation Mutate(byte[] seed, SplitMix64 random) => MutationMath.FirstThatFits(seed, random, Kinds, Apply);

    /// <summary>Applies mutation <paramref name="kind"/> to a copy of <paramref name="seed"/>; null when the file has no such field.</summary>
    /// <exception cref="ArgumentException">An unknown kind.</exception>
    public static Mutation? Apply(byte[] seed, string kind, SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(random);
        if (!Kinds.Contains(kind))
        {
            throw new ArgumentException($"unknown TIFF mutation '{kind}' (known: {string.Join(", ", Kinds)})", nameof(kind));
        }

        bool be = IsBigEndian(seed);
        var entries = Entries(seed);
        long ifd = FirstIfdOffset(seed);
        if (kind == "tiff.ifd-offset")
        {
            return MutationMath.SetField(seed, kind, 4, 4, be, random);
        }

        if (entries.Count == 0)
        {
            return null;
        }

        switch (kind)
        {
            case "tiff.entry-count":
                return MutationMath.SetField(seed, kind, (int)ifd, 2, be, random);
            case "tiff.entry-type":
                return MutationMath.SetField(seed, kind, MutationMath.Pick(random, entries).Offset + 2, 2, be, random,
                    random.NextIndex(3) == 0 ? null : (ulong)(1 + random.NextIndex(18)));
            case "tiff.entry-count-field":
                return MutationMath.SetField(seed, kind, MutationMath.Pick(random, entries).Offset + 4, 4, be, random);
            case "tiff.entry-value":
                return SetValue(seed, kind, MutationMath.Pick(random, entries), be, random);
            case "tiff.drop-entry":
            {
                var e = MutationMath.Pick(random, entries);
                byte[] data = MutationMath.Splice(seed, e.Offset, 12, new byte[0]);
                // Keep the file length (offsets behind the directory stay valid): pad the directory's end with zeros.
                data = MutationMath.Splice(data, (int)ifd + 2 + 12 * (entries.Count - 1), 0, new byte[12]);
                MutationMath.Write(data, (int)ifd, 2, be, (ulong)(entries.Count - 1));
                return new Mutation(kind, FormattableString.Invariant($"{kind}: tag {e.Tag} @0x{e.Offset:X}"), data);
            }

            case "tiff.strip-data":
            {
                var offsets = entries.FirstOrDefault(e => e.Tag == 273);
                if (offsets.Tag != 273 || offsets.ValueOffset + offsets.ValueSize > seed.Length)
                {
                    return null;
                }

                long start = (long)MutationMath.Read(seed, (int)offsets.ValueOffset, offsets.ValueSize, be);
                if (start >= seed.Length)
                {
                    return null;
                }

                byte[] data = (byte[])seed.Clone();
                int at = (int)start + random.NextIndex((int)(seed.Length - start));
                int count = Math.Min(1 + random.NextIndex(8), seed.Length - at);
                for (int i = 0; i < count; i++)
                {
                    data[at + i] = (byte)random.Next();
                }

                return new Mutation(kind, FormattableString.Invariant($"{kind}: {count} random bytes @0x{at:X}"), data);
            }

            default:
            {
                int tag = NamedTags[kind];
                var entry = entries.FirstOrDefault(e => e.Tag == tag);
                return entry.Tag == tag ? SetValue(seed, kind, entry, be, random) : null;
            }
        }
    }

    // Changes one value of the entry (a random element of an array), using values the decoder branches on when known.
    private static Mutation? SetValue(byte[] seed, string kind, TiffEntry entry, bool be, SplitMix64 random)
    {
        int size = Math.Min(entry.ValueSize, 4);
        long count = Math.Max(1, Math.Min(entry.Count, 1 << 20));
        long at = entry.ValueOffset + entry.ValueSize * random.NextIndex((int)count);
        if (at < 0 || at + size > seed.Length)
        {
            at = entry.ValueOffset;
            if (at < 0 || at + size > seed.Length)
            {
                return null;
            }
        }

        ulong? value = null;
        if (TagValues.TryGetValue(entry.Tag, out var values) && random.NextIndex(3) != 0)
        {
            ulong old = MutationMath.Read(seed, (int)at, size, be);
            var others = values.Where(v => v != old).ToArray();
            value = others[random.NextIndex(others.Length)];
        }

        return MutationMath.SetField(seed, kind, (int)at, size, be, random, value);
    }
}
