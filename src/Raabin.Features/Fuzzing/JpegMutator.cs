using Raabin.Features.Evaluation.Statistics;

namespace Raabin.Features.Fuzzing;

/// <summary>One marker segment of a JPEG file as <see cref="JpegMutator.Segments"/> finds it.</summary>
/// <param name="Marker">The marker's second byte (0xC0 for SOF0, 0xDA for SOS, ...).</param>
/// <param name="Offset">Offset of its 0xFF byte.</param>
/// <param name="Length">Bytes from <paramref name="Offset"/> to the next marker (an SOS segment includes its entropy-coded data).</param>
/// <param name="PayloadOffset">Offset of the first byte after the length field (after the marker for a standalone marker).</param>
/// <param name="PayloadLength">Bytes the length field announces, minus its own two (0 for a standalone marker).</param>
public readonly record struct JpegSegment(byte Marker, int Offset, int Length, int PayloadOffset, int PayloadLength)
{
    /// <summary>True for SOF0..SOF15 (frame headers), which are 0xC0..0xCF except DHT (C4), JPG (C8) and DAC (CC).</summary>
    public bool IsFrameHeader => Marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);
}

/// <summary>
/// JPEG-aware mutations: marker segments duplicated or dropped, and the header fields a decoder trusts corrupted —
/// SOF precision, dimensions, component count, component ids, sampling factors and quantisation-table selectors;
/// DHT table class/id, code counts and symbols; DQT precision/id and values; SOS component count, selectors, table
/// selectors, spectral range and successive approximation; the restart interval (DRI, inserted when absent); any
/// segment's length field; and the entropy-coded data itself (flipped or cut).
/// </summary>
public static class JpegMutator
{
    /// <summary>The kinds, in the order <see cref="Apply"/> knows them.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
    [
        "jpeg.duplicate-segment", "jpeg.drop-segment", "jpeg.segment-length",
        "jpeg.sof-precision", "jpeg.sof-height", "jpeg.sof-width", "jpeg.sof-components", "jpeg.sof-component-id", "jpeg.sof-sampling", "jpeg.sof-quant-selector",
        "jpeg.dht-class-id", "jpeg.dht-counts", "jpeg.dht-symbols",
        "jpeg.dqt-precision-id", "jpeg.dqt-values",
        "jpeg.sos-components", "jpeg.sos-selector", "jpeg.sos-tables", "jpeg.sos-spectral", "jpeg.sos-approximation",
        "jpeg.restart-interval", "jpeg.scan-data", "jpeg.truncate-scan",
    ];

    /// <summary>
    /// The marker segments of a JPEG file after SOI, in file order, up to EOI or the first byte that is not a marker;
    /// an SOS segment's <see cref="JpegSegment.Length"/> runs to the next marker other than RSTn.
    /// </summary>
    public static IReadOnlyList<JpegSegment> Segments(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var segments = new List<JpegSegment>();
        int i = 2;
        while (i + 1 < data.Length && data[i] == 0xFF)
        {
            int start = i;
            while (i + 1 < data.Length && data[i + 1] == 0xFF)
            {
                i++; // fill bytes
            }

            if (i + 1 >= data.Length)
            {
                break;
            }

            byte marker = data[i + 1];
            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7) or 0xD9)
            {
                segments.Add(new JpegSegment(marker, start, i + 2 - start, i + 2, 0));
                if (marker == 0xD9)
                {
                    break;
                }

                i += 2;
                continue;
            }

            if (i + 3 >= data.Length)
            {
                break;
            }

            int length = (data[i + 2] << 8) | data[i + 3];
            int end = Math.Min(data.Length, i + 2 + length);
            if (length < 2)
            {
                break;
            }

            if (marker == 0xDA)
            {
                // Entropy-coded data runs to the next marker that is neither stuffing (FF00) nor RSTn.
                int j = end;
                while (j + 1 < data.Length && !(data[j] == 0xFF && data[j + 1] != 0x00 && data[j + 1] is not (>= 0xD0 and <= 0xD7) && data[j + 1] != 0xFF))
                {
                    j++;
                }

                end = j + 1 < data.Length ? j : data.Length;
            }

            segments.Add(new JpegSegment(marker, start, end - start, i + 4, Math.Min(length - 2, data.Length - (i + 4))));
            i = end;
        }

        return segments;
    }

    /// <summary>Applies a random kind that fits the file, or a byte mutation when none does.</summary>
    public static Mutation Mutate(byte[] seed, SplitMix64 random) => MutationMath.FirstThatFits(seed, random, Kinds, Apply);

    /// <summary>Applies mutation <paramref name="kind"/> to a copy of <paramref name="seed"/>; null when the file has no such field.</summary>
    /// <exception cref="ArgumentException">An unknown kind.</exception>
    public static Mutation? Apply(byte[] seed, string kind, SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(random);
        var segments = Segments(seed);
        var sof = segments.FirstOrDefault(s => s.IsFrameHeader);
        bool hasSof = segments.Any(s => s.IsFrameHeader);
        int sofComponents = hasSof && sof.PayloadLength > 5 ? seed[sof.PayloadOffset + 5] : 0;
        switch (kind)
        {
            case "jpeg.duplicate-segment":
            case "jpeg.drop-segment":
            {
                var candidates = segments.Where(s => s.Marker is not (0xD8 or 0xD9)).ToList();
                if (candidates.Count == 0)
                {
                    return null;
                }

                var s = MutationMath.Pick(random, candidates);
                bool duplicate = kind == "jpeg.duplicate-segment";
                byte[] data = duplicate
                    ? MutationMath.Splice(seed, s.Offset + s.Length, 0, seed.AsSpan(s.Offset, s.Length))
                    : MutationMath.Splice(seed, s.Offset, s.Length, []);
                return new Mutation(kind, FormattableString.Invariant($"{kind}: FF{s.Marker:X2} @0x{s.Offset:X} ({s.Length} bytes)"), data);
            }

            case "jpeg.segment-length":
            {
                var candidates = segments.Where(s => s.PayloadLength > 0).ToList();
                return candidates.Count == 0 ? null : MutationMath.SetField(seed, kind, MutationMath.Pick(random, candidates).Offset + 2, 2, true, random);
            }

            case "jpeg.sof-precision":
                return hasSof ? MutationMath.SetField(seed, kind, sof.PayloadOffset, 1, true, random) : null;
            case "jpeg.sof-height":
                return hasSof ? MutationMath.SetField(seed, kind, sof.PayloadOffset + 1, 2, true, random) : null;
            case "jpeg.sof-width":
                return hasSof ? MutationMath.SetField(seed, kind, sof.PayloadOffset + 3, 2, true, random) : null;
            case "jpeg.sof-components":
                return hasSof ? MutationMath.SetField(seed, kind, sof.PayloadOffset + 5, 1, true, random) : null;
            case "jpeg.sof-component-id":
            case "jpeg.sof-sampling":
            case "jpeg.sof-quant-selector":
            {
                if (sofComponents == 0)
                {
                    return null;
                }

                int field = kind switch { "jpeg.sof-component-id" => 0, "jpeg.sof-sampling" => 1, _ => 2 };
                int at = sof.PayloadOffset + 6 + 3 * random.NextIndex(sofComponents) + field;
                if (at >= sof.PayloadOffset + sof.PayloadLength)
                {
                    return null;
                }

                // A sampling factor is two nibbles; change one of them (or both, sometimes) rather than any byte.
                ulong? value = field == 1 ? SamplingValue(seed[at], random) : null;
                return MutationMath.SetField(seed, kind, at, 1, true, random, value);
            }

            case "jpeg.dht-class-id":
            case "jpeg.dht-counts":
            case "jpeg.dht-symbols":
            {
                var tables = Tables(seed, segments, 0xC4, (data, at) => 17 + Sum(data, at + 1, 16));
                if (tables.Count == 0)
                {
                    return null;
                }

                int t = MutationMath.Pick(random, tables);
                int symbols = Sum(seed, t + 1, 16);
                int at = kind switch
                {
                    "jpeg.dht-class-id" => t,
                    "jpeg.dht-counts" => t + 1 + random.NextIndex(16),
                    _ => symbols == 0 ? -1 : t + 17 + random.NextIndex(symbols),
                };
                return at < 0 ? null : MutationMath.SetField(seed, kind, at, 1, true, random);
            }

            case "jpeg.dqt-precision-id":
            case "jpeg.dqt-values":
            {
                var tables = Tables(seed, segments, 0xDB, (data, at) => 1 + ((data[at] >> 4) == 0 ? 64 : 128));
                if (tables.Count == 0)
                {
                    return null;
                }

                int t = MutationMath.Pick(random, tables);
                if (kind == "jpeg.dqt-precision-id")
                {
                    return MutationMath.SetField(seed, kind, t, 1, true, random);
                }

                bool wide = (seed[t] >> 4) != 0;
                return MutationMath.SetField(seed, kind, t + 1 + (wide ? 2 : 1) * random.NextIndex(64), wide ? 2 : 1, true, random);
            }

            case "jpeg.sos-components":
            case "jpeg.sos-selector":
            case "jpeg.sos-tables":
            case "jpeg.sos-spectral":
            case "jpeg.sos-approximation":
            {
                var scans = segments.Where(s => s.Marker == 0xDA && s.PayloadLength >= 1).ToList();
                if (scans.Count == 0)
                {
                    return null;
                }

                var s = MutationMath.Pick(random, scans);
                int ns = seed[s.PayloadOffset];
                int at = kind switch
                {
                    "jpeg.sos-components" => s.PayloadOffset,
                    "jpeg.sos-selector" => ns == 0 ? -1 : s.PayloadOffset + 1 + 2 * random.NextIndex(ns),
                    "jpeg.sos-tables" => ns == 0 ? -1 : s.PayloadOffset + 2 + 2 * random.NextIndex(ns),
                    "jpeg.sos-spectral" => s.PayloadOffset + 1 + 2 * ns + random.NextIndex(2),
                    _ => s.PayloadOffset + 3 + 2 * ns,
                };
                return at < 0 || at >= s.PayloadOffset + s.PayloadLength ? null : MutationMath.SetField(seed, kind, at, 1, true, random);
            }

            case "jpeg.restart-interval":
            {
                var dri = segments.FirstOrDefault(s => s.Marker == 0xDD && s.PayloadLength >= 2);
                if (dri.Marker == 0xDD)
                {
                    return MutationMath.SetField(seed, kind, dri.PayloadOffset, 2, true, random);
                }

                // No DRI: insert one before the first scan, announcing restart markers the data does not have.
                var sos = segments.FirstOrDefault(s => s.Marker == 0xDA);
                if (sos.Marker != 0xDA)
                {
                    return null;
                }

                int interval = (int)MutationMath.NewValue(random, 0, 2);
                byte[] dri2 = [0xFF, 0xDD, 0x00, 0x04, (byte)(interval >> 8), (byte)interval];
                return new Mutation(kind, FormattableString.Invariant($"{kind}: DRI {interval} inserted @0x{sos.Offset:X}"), MutationMath.Splice(seed, sos.Offset, 0, dri2));
            }

            case "jpeg.scan-data":
            case "jpeg.truncate-scan":
            {
                var scans = segments.Where(s => s.Marker == 0xDA && s.Length > s.PayloadOffset - s.Offset + s.PayloadLength).ToList();
                if (scans.Count == 0)
                {
                    return null;
                }

                var s = MutationMath.Pick(random, scans);
                int dataStart = s.PayloadOffset + s.PayloadLength;
                int dataLength = s.Offset + s.Length - dataStart;
                int at = dataStart + random.NextIndex(dataLength);
                if (kind == "jpeg.truncate-scan")
                {
                    return new Mutation(kind, FormattableString.Invariant($"{kind}: cut @0x{at:X} of {seed.Length}"), seed[..at]);
                }

                byte[] data = (byte[])seed.Clone();
                int count = Math.Min(1 + random.NextIndex(16), s.Offset + s.Length - at);
                for (int k = 0; k < count; k++)
                {
                    data[at + k] = (byte)random.Next();
                }

                return new Mutation(kind, FormattableString.Invariant($"{kind}: {count} random bytes @0x{at:X}"), data);
            }

            default:
                throw new ArgumentException($"unknown JPEG mutation '{kind}' (known: {string.Join(", ", Kinds)})", nameof(kind));
        }
    }

    private static ulong SamplingValue(byte old, SplitMix64 random)
    {
        for (int attempt = 0; attempt < 16; attempt++)
        {
            int h = old >> 4, v = old & 15;
            switch (random.NextIndex(3))
            {
                case 0: h = random.NextIndex(16); break;
                case 1: v = random.NextIndex(16); break;
                default: h = random.NextIndex(16); v = random.NextIndex(16); break;
            }

            int value = (h << 4) | v;
            if (value != old)
            {
                return (ulong)value;
            }
        }

        return (ulong)(old ^ 0x10);
    }

    // Start offsets of the tables packed in every segment with this marker (DHT and DQT hold several).
    private static List<int> Tables(byte[] data, IReadOnlyList<JpegSegment> segments, byte marker, Func<byte[], int, int> tableLength)
    {
        var starts = new List<int>();
        foreach (var s in segments.Where(s => s.Marker == marker))
        {
            int end = s.PayloadOffset + s.PayloadLength;
            int at = s.PayloadOffset;
            while (at + 17 <= end && at + 17 <= data.Length)
            {
                starts.Add(at);
                at += tableLength(data, at);
            }
        }

        return starts;
    }

    private static int Sum(byte[] data, int offset, int count)
    {
        int sum = 0;
        for (int i = offset; i < offset + count && i < data.Length; i++)
        {
            sum += data[i];
        }

        return sum;
    }
}
