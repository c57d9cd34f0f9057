using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Raabin.Features.Imaging.Jpeg;

/// <summary>
/// Reads entropy-coded bits MSB first from a JPEG scan, removing stuffed zero bytes (<c>FF 00</c>) and stopping at the
/// first marker. Past a marker (or the end of the data) it supplies zero bits, as libjpeg-turbo does, and remembers
/// whether any of those padding bits was actually consumed: that is libjpeg's "insufficient data" state, after which
/// the rest of the restart interval is left as zero coefficients (uniform grey).
/// </summary>
internal ref struct JpegBitReader
{
    private readonly ReadOnlySpan<byte> _data;

    /// <summary>Valid bits, left-aligned (the next bit is bit 63).</summary>
    private ulong _buffer;

    /// <summary>Number of valid bits in <see cref="_buffer"/>, real and padding.</summary>
    private int _count;

    /// <summary>How many of the lowest valid bits are zero padding added after the marker.</summary>
    private int _paddingBits;

    /// <summary>Creates a reader positioned at <paramref name="position"/> (the first byte after an SOS header).</summary>
    internal JpegBitReader(ReadOnlySpan<byte> data, int position)
    {
        _data = data;
        Position = position;
    }

    /// <summary>Index of the next unread byte; when <see cref="MarkerReached"/>, the <c>FF</c> that starts the marker (or the data length).</summary>
    internal int Position { get; private set; }

    /// <summary>True once the reader has run into a marker or the end of the data.</summary>
    internal bool MarkerReached { get; private set; }

    /// <summary>
    /// How many codes were not in their Huffman table (decoded as symbol 0) or were otherwise impossible, like a
    /// refinement coefficient of size other than 1: libjpeg's "Corrupt JPEG data: bad Huffman code" warnings.
    /// </summary>
    internal int BadCodes;

    /// <summary>True when more bits were consumed than the segment holds (zero padding was decoded).</summary>
    internal readonly bool ConsumedPadding => _count < _paddingBits;

    /// <summary>
    /// Whole bytes of real data buffered but not consumed: at the end of a scan or restart interval libjpeg counts them
    /// among the bytes discarded before the next marker ("extraneous bytes"), since a valid stream leaves fewer than 8
    /// padding bits unused.
    /// </summary>
    internal readonly int UnusedBytes => Math.Max(0, _count - _paddingBits) >> 3;

    /// <summary>Drops buffered bits and the marker state before a restart marker is read (libjpeg discards them too).</summary>
    internal void ResetAt(int position, bool markerReached)
    {
        _buffer = 0;
        _count = 0;
        _paddingBits = 0;
        Position = position;
        MarkerReached = markerReached;
    }

    /// <summary>Tops the buffer up to at least 57 bits, padding with zeros past a marker.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void EnsureBits(int needed)
    {
        if (_count < needed)
        {
            Fill();
        }
    }

    private void Fill()
    {
        ReadOnlySpan<byte> data = _data;
        int position = Position;

        // Fast path: eight bytes without an FF can be appended as a block.
        if (!MarkerReached && position + 8 <= data.Length)
        {
            ulong word = BinaryPrimitives.ReadUInt64BigEndian(data.Slice(position, 8));
            if (!HasFFByte(word))
            {
                int bytes = (64 - _count) >> 3;
                _buffer |= word >> _count;
                _count += bytes << 3;
                Position = position + bytes;

                // Clear the bits of the partially taken byte so that padding after them stays zero.
                _buffer &= _count == 64 ? ulong.MaxValue : ~(ulong.MaxValue >> _count);
                return;
            }
        }

        while (_count <= 56)
        {
            if (MarkerReached)
            {
                _paddingBits += 64 - _count;
                _count = 64;
                break;
            }

            if (position >= data.Length)
            {
                MarkerReached = true;
                continue;
            }

            int value = data[position];
            if (value == 0xFF)
            {
                // Fill bytes (FF FF ...) may precede either a stuffed zero or a marker code.
                int next = position + 1;
                while (next < data.Length && data[next] == 0xFF)
                {
                    next++;
                }

                if (next < data.Length && data[next] == 0)
                {
                    position = next + 1;
                }
                else
                {
                    position = next >= data.Length ? data.Length : next - 1;
                    MarkerReached = true;
                    continue;
                }
            }
            else
            {
                position++;
            }

            _buffer |= (ulong)value << (56 - _count);
            _count += 8;
        }

        Position = position;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasFFByte(ulong word)
    {
        // A byte is FF exactly when its complement is zero: the classic "has zero byte" test on ~word.
        ulong inverted = ~word;
        return ((inverted - 0x0101010101010101UL) & ~inverted & 0x8080808080808080UL) != 0;
    }

    /// <summary>Reads <paramref name="bits"/> (1..16) bits as an unsigned value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int ReadBits(int bits)
    {
        EnsureBits(bits);
        int value = (int)(_buffer >> (64 - bits));
        _buffer <<= bits;
        _count -= bits;
        return value;
    }

    /// <summary>Reads one bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int ReadBit()
    {
        EnsureBits(1);
        int value = (int)(_buffer >> 63);
        _buffer <<= 1;
        _count--;
        return value;
    }

    /// <summary>
    /// Reads <paramref name="bits"/> (0..15) bits and sign-extends them as a JPEG magnitude category value
    /// (ITU T.81 F.2.2.1 EXTEND). The caller has ensured enough bits are buffered.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int ReceiveExtendBuffered(int bits)
    {
        if (bits == 0)
        {
            return 0;
        }

        int value = (int)(_buffer >> (64 - bits));
        _buffer <<= bits;
        _count -= bits;

        // Values whose top bit is clear are negative: value - (2^bits - 1).
        int negative = ((value >> (bits - 1)) & 1) - 1;
        return value + (negative & ((-1 << bits) + 1));
    }

    /// <summary>
    /// Decodes one sequential-mode block (ITU T.81 F.2.2: DC difference, then AC run/size codes) into
    /// <paramref name="block"/> (natural order; zero on entry). The bit buffer lives in locals for the whole block so
    /// the JIT keeps it in registers; this is the decoder's hottest loop.
    /// </summary>
    internal void DecodeBaselineBlock(ref short block, JpegHuffmanTable dc, JpegHuffmanTable ac, ref int predictor)
    {
        ulong buffer = _buffer;
        int count = _count;
        ref byte natural = ref MemoryMarshal.GetArrayDataReference(JpegDecodeSession.NaturalOrder);
        ref ushort dcLookahead = ref MemoryMarshal.GetArrayDataReference(dc.Lookahead);
        ref ushort acLookahead = ref MemoryMarshal.GetArrayDataReference(ac.Lookahead);

        if (count < 32)
        {
            _buffer = buffer;
            _count = count;
            Fill();
            buffer = _buffer;
            count = _count;
        }

        int symbol;
        int entry = Unsafe.Add(ref dcLookahead, (int)(buffer >> (64 - JpegHuffmanTable.LookaheadBits)));
        if (entry != 0)
        {
            int length = entry >> 8;
            buffer <<= length;
            count -= length;
            symbol = entry & 0xFF;
        }
        else
        {
            _buffer = buffer;
            _count = count;
            symbol = DecodeLongCode(dc);
            buffer = _buffer;
            count = _count;
        }

        if (symbol != 0)
        {
            int value = (int)(buffer >> (64 - symbol));
            buffer <<= symbol;
            count -= symbol;
            int negative = ((value >> (symbol - 1)) & 1) - 1;
            predictor += value + (negative & ((-1 << symbol) + 1));
        }

        block = (short)predictor;
        for (int k = 1; k < 64; k++)
        {
            if (count < 32)
            {
                _buffer = buffer;
                _count = count;
                Fill();
                buffer = _buffer;
                count = _count;
            }

            entry = Unsafe.Add(ref acLookahead, (int)(buffer >> (64 - JpegHuffmanTable.LookaheadBits)));
            if (entry != 0)
            {
                int length = entry >> 8;
                buffer <<= length;
                count -= length;
                symbol = entry & 0xFF;
            }
            else
            {
                _buffer = buffer;
                _count = count;
                symbol = DecodeLongCode(ac);
                buffer = _buffer;
                count = _count;
            }

            int run = symbol >> 4;
            int size = symbol & 15;
            if (size != 0)
            {
                k += run;
                int value = (int)(buffer >> (64 - size));
                buffer <<= size;
                count -= size;
                int negative = ((value >> (size - 1)) & 1) - 1;
                Unsafe.Add(ref block, Unsafe.Add(ref natural, k)) = (short)(value + (negative & ((-1 << size) + 1)));
            }
            else
            {
                if (run != 15)
                {
                    break;
                }

                k += 15;
            }
        }

        _buffer = buffer;
        _count = count;
    }

    /// <summary>
    /// Decodes one Huffman symbol. Codes that are not in the table decode as symbol 0 after 17 bits, like libjpeg
    /// ("Corrupt JPEG data: bad Huffman code" is only a warning there).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int DecodeHuffman(JpegHuffmanTable table)
    {
        EnsureBits(32);
        int entry = table.Lookahead[(int)(_buffer >> (64 - JpegHuffmanTable.LookaheadBits))];
        if (entry != 0)
        {
            int length = entry >> 8;
            _buffer <<= length;
            _count -= length;
            return entry & 0xFF;
        }

        return DecodeLongCode(table);
    }

    private int DecodeLongCode(JpegHuffmanTable table)
    {
        int window = (int)(_buffer >> 48);
        for (int length = JpegHuffmanTable.LookaheadBits + 1; length <= 16; length++)
        {
            int code = window >> (16 - length);
            if (code <= table.MaxCode[length])
            {
                _buffer <<= length;
                _count -= length;
                return table.Symbols[(code + table.ValueOffset[length]) & 0xFF];
            }
        }

        _buffer <<= 17;
        _count -= 17;
        BadCodes++;
        return 0;
    }
}
