namespace Raabin.Features.Imaging.Jpeg;

/// <summary>
/// A Huffman table from a DHT segment, expanded for decoding: a 9-bit lookahead table resolves the short codes
/// in one step and a canonical <c>maxcode</c>/<c>valoffset</c> walk (ITU T.81 F.2.2.3) resolves the rest.
/// </summary>
internal sealed class JpegHuffmanTable
{
    /// <summary>Bits resolved by one lookahead step.</summary>
    internal const int LookaheadBits = 9;

    /// <summary>
    /// Indexed by the next <see cref="LookaheadBits"/> bits of the stream: <c>(codeLength &lt;&lt; 8) | symbol</c>,
    /// or 0 when the code is longer than the lookahead.
    /// </summary>
    internal readonly ushort[] Lookahead = new ushort[1 << LookaheadBits];

    /// <summary>Largest code of each length 1..16 (index = length), -1 when there is none; index 17 ends the walk.</summary>
    internal readonly int[] MaxCode = new int[18];

    /// <summary>Added to a code of a given length to get its index into <see cref="Symbols"/>.</summary>
    internal readonly int[] ValueOffset = new int[18];

    /// <summary>Symbols in code order; unused entries stay 0 so a corrupt code can never index past the table.</summary>
    internal readonly byte[] Symbols = new byte[256 + 17];

    private JpegHuffmanTable()
    {
    }

    /// <summary>
    /// Builds the table and checks it the way libjpeg does (more than 256 symbols, an over-full code space, or a DC
    /// symbol above 15 is an error).
    /// </summary>
    /// <param name="codeCounts">Number of codes of each length 1..16 (16 entries).</param>
    /// <param name="symbols">The symbols, in code order.</param>
    /// <param name="isDc">True for a DC table (symbols are bit counts 0..15).</param>
    /// <param name="problem">Why the table is unusable, or null.</param>
    internal static JpegHuffmanTable? TryCreate(ReadOnlySpan<byte> codeCounts, ReadOnlySpan<byte> symbols, bool isDc, out string? problem)
    {
        var table = new JpegHuffmanTable();
        Span<int> codeLengths = stackalloc int[257];
        int total = 0;
        for (int length = 1; length <= 16; length++)
        {
            int count = codeCounts[length - 1];
            if (total + count > 256)
            {
                problem = "invalid Huffman table: more than 256 codes";
                return null;
            }

            for (int i = 0; i < count; i++)
            {
                codeLengths[total++] = length;
            }
        }

        if (symbols.Length < total)
        {
            problem = "invalid Huffman table: fewer symbols than codes";
            return null;
        }

        codeLengths[total] = 0;
        Span<int> codes = stackalloc int[257];
        int code = 0;
        int p = 0;
        int size = codeLengths[0];
        while (codeLengths[p] != 0)
        {
            while (codeLengths[p] == size)
            {
                codes[p++] = code++;
            }

            // A code that needs more bits than its length means the counts describe an impossible code space.
            if (code >= 1 << size)
            {
                problem = "invalid Huffman table: code lengths overflow the code space";
                return null;
            }

            code <<= 1;
            size++;
        }

        p = 0;
        for (int length = 1; length <= 16; length++)
        {
            int count = codeCounts[length - 1];
            if (count != 0)
            {
                table.ValueOffset[length] = p - codes[p];
                p += count;
                table.MaxCode[length] = codes[p - 1];
            }
            else
            {
                table.MaxCode[length] = -1;
            }
        }

        table.MaxCode[17] = int.MaxValue;
        symbols[..total].CopyTo(table.Symbols);

        p = 0;
        for (int length = 1; length <= LookaheadBits; length++)
        {
            int count = codeCounts[length - 1];
            for (int i = 0; i < count; i++, p++)
            {
                int first = codes[p] << (LookaheadBits - length);
                int entry = (length << 8) | symbols[p];
                for (int fill = 0; fill < 1 << (LookaheadBits - length); fill++)
                {
                    table.Lookahead[first + fill] = (ushort)entry;
                }
            }
        }

        if (isDc)
        {
            for (int i = 0; i < total; i++)
            {
                if (symbols[i] > 15)
                {
                    problem = "invalid Huffman table: DC symbol above 15";
                    return null;
                }
            }
        }

        problem = null;
        return table;
    }

    /// <summary>
    /// The tables of ITU T.81 Annex K.3, which libjpeg-turbo installs in slots 0 and 1 when a stream (typically
    /// Motion-JPEG) defines none there.
    /// </summary>
    internal static JpegHuffmanTable StandardTable(bool isDc, int slot)
    {
        ReadOnlySpan<byte> counts;
        ReadOnlySpan<byte> symbols;
        if (isDc)
        {
            counts = slot == 0 ? StandardDcLuminanceCounts : StandardDcChrominanceCounts;
            symbols = slot == 0 ? StandardDcLuminanceSymbols : StandardDcChrominanceSymbols;
        }
        else
        {
            counts = slot == 0 ? StandardAcLuminanceCounts : StandardAcChrominanceCounts;
            symbols = slot == 0 ? StandardAcLuminanceSymbols : StandardAcChrominanceSymbols;
        }

        return TryCreate(counts, symbols, isDc, out _)!;
    }

    private static ReadOnlySpan<byte> StandardDcLuminanceCounts => [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];

    private static ReadOnlySpan<byte> StandardDcLuminanceSymbols => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    private static ReadOnlySpan<byte> StandardDcChrominanceCounts => [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];

    private static ReadOnlySpan<byte> StandardDcChrominanceSymbols => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    private static ReadOnlySpan<byte> StandardAcLuminanceCounts => [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];

    private static ReadOnlySpan<byte> StandardAcLuminanceSymbols =>
    [
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
        0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
        0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
        0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa,
    ];

    private static ReadOnlySpan<byte> StandardAcChrominanceCounts => [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];

    private static ReadOnlySpan<byte> StandardAcChrominanceSymbols =>
    [
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
        0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
        0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
        0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
        0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
        0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
        0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa,
    ];
}
