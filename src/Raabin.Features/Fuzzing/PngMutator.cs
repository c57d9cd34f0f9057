using System.Text;
using Raabin.Features.Evaluation.Statistics;
using Raabin.Features.Imaging.Png;

namespace Raabin.Features.Fuzzing;

/// <summary>One chunk of a PNG file as <see cref="PngMutator.Chunks"/> finds it.</summary>
/// <param name="Type">The four-letter chunk type.</param>
/// <param name="Offset">Offset of its length field.</param>
/// <param name="DataLength">Data bytes present (the length field's value, cut at the end of the file).</param>
public readonly record struct PngChunk(string Type, int Offset, int DataLength)
{
    /// <summary>Offset of the chunk's data.</summary>
    public int DataOffset => Offset + 8;

    /// <summary>Bytes of the whole chunk: length, type, data and CRC.</summary>
    public int TotalLength => 12 + DataLength;
}

/// <summary>
/// PNG-aware mutations: chunks duplicated or dropped; IHDR width, height, bit depth, colour type and interlace method
/// corrupted; the PLTE palette shortened or lengthened (length field and data together); IDAT bytes corrupted; a
/// chunk's length field changed. Data changes recompute the chunk's CRC three times in four, so the decoder gets past
/// the CRC check to the field itself (the remaining quarter tests the CRC check).
/// </summary>
public static class PngMutator
{
    /// <summary>The kinds, in the order <see cref="Apply"/> knows them.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
    [
        "png.duplicate-chunk", "png.drop-chunk", "png.chunk-length",
        "png.ihdr-width", "png.ihdr-height", "png.ihdr-depth", "png.ihdr-colour-type", "png.ihdr-interlace",
        "png.plte-length", "png.idat-data",
    ];

    /// <summary>The chunks after the 8-byte signature, in file order, up to the end of the file.</summary>
    public static IReadOnlyList<PngChunk> Chunks(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var chunks = new List<PngChunk>();
        int at = 8;
        while (at + 8 <= data.Length)
        {
            long length = (long)MutationMath.Read(data, at, 4, true);
            string type = Encoding.ASCII.GetString(data, at + 4, 4);
            int present = (int)Math.Min(length, data.Length - (at + 8));
            chunks.Add(new PngChunk(type, at, present));
            if (length > present || present + 12 > data.Length - at)
            {
                break;
            }

            at += 12 + present;
        }

        return chunks;
    }

    /// <summary>Applies a random kind that fits the file, or a byte mutation when none does.</summary>
    public static Mutation Mutate(byte[] seed, SplitMix64 random) => MutationMath.FirstThatFits(seed, random, Kinds, Apply);

    /// <summary>Applies mutation <paramref name="kind"/> to a copy of <paramref name="seed"/>; null when the file has no such field.</summary>
    /// <exception cref="ArgumentException">An unknown kind.</exception>
    public static Mutation? Apply(byte[] seed, string kind, SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(random);
        var chunks = Chunks(seed);
        var ihdr = chunks.FirstOrDefault(c => c.Type == "IHDR" && c.DataLength >= 13);
        bool hasIhdr = ihdr.Type == "IHDR";
        Mutation? m;
        switch (kind)
        {
            case "png.duplicate-chunk":
            case "png.drop-chunk":
            {
                if (chunks.Count == 0)
                {
                    return null;
                }

                var c = MutationMath.Pick(random, chunks);
                int length = Math.Min(c.TotalLength, seed.Length - c.Offset);
                byte[] data = kind == "png.duplicate-chunk"
                    ? MutationMath.Splice(seed, c.Offset + length, 0, seed.AsSpan(c.Offset, length))
                    : MutationMath.Splice(seed, c.Offset, length, []);
                return new Mutation(kind, FormattableString.Invariant($"{kind}: {c.Type} @0x{c.Offset:X}"), data);
            }

            case "png.chunk-length":
                return chunks.Count == 0 ? null : MutationMath.SetField(seed, kind, MutationMath.Pick(random, chunks).Offset, 4, true, random);
            case "png.ihdr-width":
                m = hasIhdr ? MutationMath.SetField(seed, kind, ihdr.DataOffset, 4, true, random) : null;
                break;
            case "png.ihdr-height":
                m = hasIhdr ? MutationMath.SetField(seed, kind, ihdr.DataOffset + 4, 4, true, random) : null;
                break;
            case "png.ihdr-depth":
                m = hasIhdr ? MutationMath.SetField(seed, kind, ihdr.DataOffset + 8, 1, true, random, Other(seed[ihdr.DataOffset + 8], [0, 1, 2, 4, 8, 16, 3, 32], random)) : null;
                break;
            case "png.ihdr-colour-type":
                m = hasIhdr ? MutationMath.SetField(seed, kind, ihdr.DataOffset + 9, 1, true, random, Other(seed[ihdr.DataOffset + 9], [0, 2, 3, 4, 6, 1, 5, 7], random)) : null;
                break;
            case "png.ihdr-interlace":
                m = hasIhdr ? MutationMath.SetField(seed, kind, ihdr.DataOffset + 12, 1, true, random, Other(seed[ihdr.DataOffset + 12], [0, 1, 2], random)) : null;
                break;
            case "png.plte-length":
            {
                var plte = chunks.FirstOrDefault(c => c.Type == "PLTE");
                if (plte.Type != "PLTE" || plte.TotalLength > seed.Length - plte.Offset)
                {
                    return null;
                }

                // A palette of another size: drop or add whole entries (sometimes a partial one), keeping the chunk well formed.
                int entries = plte.DataLength / 3;
                int newLength = random.NextIndex(3) switch
                {
                    0 => 3 * random.NextIndex(Math.Max(entries, 1)),
                    1 => 3 * (entries + 1 + random.NextIndex(300)),
                    _ => plte.DataLength + (random.NextIndex(2) == 0 ? 1 : -1),
                };
                newLength = Math.Max(0, newLength);
                if (newLength == plte.DataLength)
                {
                    newLength += 3;
                }

                byte[] body = new byte[newLength];
                seed.AsSpan(plte.DataOffset, Math.Min(newLength, plte.DataLength)).CopyTo(body);
                for (int i = plte.DataLength; i < newLength; i++)
                {
                    body[i] = (byte)random.Next();
                }

                byte[] chunk = Chunk("PLTE", body);
                byte[] data = MutationMath.Splice(seed, plte.Offset, plte.TotalLength, chunk);
                return new Mutation(kind, FormattableString.Invariant($"{kind} @0x{plte.Offset:X}: {plte.DataLength} -> {newLength}"), data);
            }

            case "png.idat-data":
            {
                var idats = chunks.Where(c => c.Type == "IDAT" && c.DataLength > 0).ToList();
                if (idats.Count == 0)
                {
                    return null;
                }

                var c = MutationMath.Pick(random, idats);
                byte[] data = (byte[])seed.Clone();
                int at = c.DataOffset + random.NextIndex(c.DataLength);
                int count = Math.Min(1 + random.NextIndex(8), c.DataOffset + c.DataLength - at);
                for (int i = 0; i < count; i++)
                {
                    data[at + i] ^= (byte)(1 + random.NextIndex(255));
                }

                m = new Mutation(kind, FormattableString.Invariant($"{kind}: {count} bytes @0x{at:X}"), data);
                break;
            }

            default:
                throw new ArgumentException($"unknown PNG mutation '{kind}' (known: {string.Join(", ", Kinds)})", nameof(kind));
        }

        if (m is null || random.NextIndex(4) == 0)
        {
            return m;
        }

        // Fix the CRC of the chunk that changed, so the decoder reaches the corrupted field.
        foreach (var c in Chunks(m.Data))
        {
            if (c.Offset + c.TotalLength <= m.Data.Length)
            {
                uint crc = PngCrc.Compute(m.Data.AsSpan(c.Offset + 4, 4 + c.DataLength));
                MutationMath.Write(m.Data, c.Offset + 8 + c.DataLength, 4, true, crc);
            }
        }

        return m with { Detail = m.Detail + " (CRC fixed)" };
    }

    private static ulong Other(byte old, byte[] values, SplitMix64 random)
    {
        var others = values.Where(v => v != old).ToArray();
        return random.NextIndex(4) == 0 ? MutationMath.NewValue(random, old, 1) : others[random.NextIndex(others.Length)];
    }

    private static byte[] Chunk(string type, byte[] body)
    {
        byte[] chunk = new byte[12 + body.Length];
        MutationMath.Write(chunk, 0, 4, true, (ulong)body.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        body.CopyTo(chunk, 8);
        MutationMath.Write(chunk, 8 + body.Length, 4, true, PngCrc.Compute(chunk.AsSpan(4, 4 + body.Length)));
        return chunk;
    }
}
