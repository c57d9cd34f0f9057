using Raabin.Features.Evaluation.Statistics;

namespace Raabin.Features.Fuzzing;

/// <summary>
/// BMP-aware mutations of the BITMAPFILEHEADER and BITMAPINFOHEADER fields a decoder trusts — file size, pixel-data
/// offset, header size, width, height (including its sign, which flips top-down/bottom-up), planes, bit count,
/// compression, image size, colours used — and of the bitfield masks, the palette and the pixel (or RLE) data.
/// </summary>
public static class BmpMutator
{
    /// <summary>Offset of <c>biWidth</c> (the info header starts at 14).</summary>
    public const int WidthOffset = 18;

    /// <summary>Offset of <c>biHeight</c>.</summary>
    public const int HeightOffset = 22;

    /// <summary>Offset of <c>biBitCount</c>.</summary>
    public const int BitCountOffset = 28;

    /// <summary>Offset of <c>biCompression</c>.</summary>
    public const int CompressionOffset = 30;

    /// <summary>Offset of <c>biClrUsed</c>.</summary>
    public const int ColoursUsedOffset = 46;

    /// <summary>Offset of <c>bfOffBits</c> (where the pixel data starts).</summary>
    public const int DataOffsetOffset = 10;

    /// <summary>Offset of <c>biSize</c>.</summary>
    public const int HeaderSizeOffset = 14;

    /// <summary>The kinds, in the order <see cref="Apply"/> knows them.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
    [
        "bmp.file-size", "bmp.data-offset", "bmp.header-size", "bmp.width", "bmp.height", "bmp.height-sign", "bmp.planes",
        "bmp.bit-count", "bmp.compression", "bmp.image-size", "bmp.colours-used", "bmp.bitfield-masks", "bmp.palette",
        "bmp.pixel-data", "bmp.truncate-pixels",
    ];

    /// <summary>Applies a random kind that fits the file, or a byte mutation when none does.</summary>
    public static Mutation Mutate(byte[] seed, SplitMix64 random) => MutationMath.FirstThatFits(seed, random, Kinds, Apply);

    /// <summary>Applies mutation <paramref name="kind"/> to a copy of <paramref name="seed"/>; null when the file has no such field.</summary>
    /// <exception cref="ArgumentException">An unknown kind.</exception>
    public static Mutation? Apply(byte[] seed, string kind, SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(random);
        if (seed.Length < 54)
        {
            return kind.StartsWith("bmp.", StringComparison.Ordinal) && Kinds.Contains(kind) ? null : throw Unknown(kind);
        }

        int headerSize = (int)Math.Min(MutationMath.Read(seed, HeaderSizeOffset, 4, false), 1024);
        int dataOffset = (int)Math.Min(MutationMath.Read(seed, DataOffsetOffset, 4, false), int.MaxValue);
        int bitCount = (int)MutationMath.Read(seed, BitCountOffset, 2, false);
        int compression = (int)MutationMath.Read(seed, CompressionOffset, 4, false);
        int paletteStart = 14 + headerSize + (compression == 3 && headerSize == 40 ? 12 : 0);
        switch (kind)
        {
            case "bmp.file-size":
                return MutationMath.SetField(seed, kind, 2, 4, false, random);
            case "bmp.data-offset":
                return MutationMath.SetField(seed, kind, DataOffsetOffset, 4, false, random);
            case "bmp.header-size":
                return MutationMath.SetField(seed, kind, HeaderSizeOffset, 4, false, random,
                    random.NextIndex(2) == 0 ? Other((ulong)headerSize, [12, 16, 40, 52, 56, 64, 108, 124, 0, 4096], random) : null);
            case "bmp.width":
                return MutationMath.SetField(seed, kind, WidthOffset, 4, false, random);
            case "bmp.height":
                return MutationMath.SetField(seed, kind, HeightOffset, 4, false, random);
            case "bmp.height-sign":
            {
                int height = (int)MutationMath.Read(seed, HeightOffset, 4, false);
                return MutationMath.SetField(seed, kind, HeightOffset, 4, false, random, unchecked((uint)-height));
            }

            case "bmp.planes":
                return MutationMath.SetField(seed, kind, 26, 2, false, random);
            case "bmp.bit-count":
                return MutationMath.SetField(seed, kind, BitCountOffset, 2, false, random,
                    random.NextIndex(4) == 0 ? null : Other((ulong)bitCount, [0, 1, 2, 4, 8, 16, 24, 32, 3, 64], random));
            case "bmp.compression":
                return MutationMath.SetField(seed, kind, CompressionOffset, 4, false, random,
                    random.NextIndex(4) == 0 ? null : Other((ulong)compression, [0, 1, 2, 3, 4, 5, 6], random));
            case "bmp.image-size":
                return MutationMath.SetField(seed, kind, 34, 4, false, random);
            case "bmp.colours-used":
                return MutationMath.SetField(seed, kind, ColoursUsedOffset, 4, false, random);
            case "bmp.bitfield-masks":
                return compression is 3 or 6 && seed.Length >= 66
                    ? MutationMath.SetField(seed, kind, 54 + 4 * random.NextIndex(compression == 6 || headerSize >= 56 ? 4 : 3), 4, false, random)
                    : null;
            case "bmp.palette":
            {
                int end = Math.Min(dataOffset, seed.Length);
                return bitCount <= 8 && end - paletteStart >= 4
                    ? MutationMath.SetField(seed, kind, paletteStart + 4 * random.NextIndex((end - paletteStart) / 4), 4, false, random)
                    : null;
            }

            case "bmp.pixel-data":
            {
                if (dataOffset >= seed.Length)
                {
                    return null;
                }

                byte[] data = (byte[])seed.Clone();
                int at = dataOffset + random.NextIndex(seed.Length - dataOffset);
                int count = Math.Min(1 + random.NextIndex(8), seed.Length - at);
                for (int i = 0; i < count; i++)
                {
                    data[at + i] = (byte)random.Next();
                }

                return new Mutation(kind, FormattableString.Invariant($"{kind}: {count} random bytes @0x{at:X}"), data);
            }

            case "bmp.truncate-pixels":
            {
                if (dataOffset >= seed.Length)
                {
                    return null;
                }

                int keep = dataOffset + random.NextIndex(seed.Length - dataOffset);
                return new Mutation(kind, FormattableString.Invariant($"{kind}: {seed.Length} -> {keep} bytes"), seed[..keep]);
            }

            default:
                throw Unknown(kind);
        }
    }

    private static ArgumentException Unknown(string kind) =>
        new($"unknown BMP mutation '{kind}' (known: {string.Join(", ", Kinds)})", nameof(kind));

    private static ulong Other(ulong old, ulong[] values, SplitMix64 random)
    {
        var others = values.Where(v => v != old).ToArray();
        return others[random.NextIndex(others.Length)];
    }
}
