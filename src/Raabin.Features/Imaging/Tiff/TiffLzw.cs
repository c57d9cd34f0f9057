namespace Raabin.Features.Imaging.Tiff;

/// <summary>
/// TIFF LZW (compression 5) strip decoder that behaves as libtiff 4.5's, the one OpenCV 4.6 reads TIFF with,
/// including on damaged data: it writes into the output what it decoded before a failure and reports the failure,
/// and libtiff's caller keeps those bytes (the rest of the strip stays zero).
/// </summary>
/// <remarks>
/// Two bit layouts are read. The TIFF 6.0 layout packs codes most significant bit first and widens codes one code
/// early: from 9 to 10 bits once table entry 510 is made, and so on up to 12 bits. The pre-6.0 "old-style" layout,
/// which libtiff recognises by a strip starting with a zero byte followed by a byte with its low bit set, packs
/// codes least significant bit first and widens only after entry 511. Once a file has shown an old-style strip,
/// libtiff keeps decoding all its later strips old-style; <see cref="OldStyleSeen"/> carries that across strips.
/// Both layouts: every strip must begin with Clear (256); End of Information (257) ends it; the table holds
/// 4095 + 1024 entries, as libtiff's does, and a full table accepts only Clear or End of Information.
/// The output is full when the strip's rows are decoded; data after that is ignored, so a missing End of
/// Information code is fine when the strip is complete.
/// </remarks>
internal sealed class TiffLzw
{
    private const int Clear = 256;
    private const int EndOfInformation = 257;
    private const int FirstFree = 258;
    private const int TableSize = 4095 + 1024;

    private readonly int[] _prefix = new int[TableSize];
    private readonly ushort[] _length = new ushort[TableSize];
    private readonly byte[] _value = new byte[TableSize];
    private readonly byte[] _first = new byte[TableSize];

    /// <summary>Creates a decoder for one file; reuse it for all of the file's strips.</summary>
    public TiffLzw()
    {
        for (int c = 0; c < 256; c++)
        {
            _prefix[c] = -1;
            _length[c] = 1;
            _value[c] = (byte)c;
            _first[c] = (byte)c;
        }
    }

    /// <summary>True once a strip of this file was old-style (pre-TIFF 6.0) LZW.</summary>
    public bool OldStyleSeen { get; private set; }

    /// <summary>
    /// Decodes one strip into <paramref name="output"/> (which the caller has zeroed). Returns null when the output
    /// was filled, else what went wrong; the bytes decoded before the problem are left in the output.
    /// </summary>
    public string? Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length >= 2 && input[0] == 0 && (input[1] & 1) != 0)
        {
            OldStyleSeen = true;
        }

        return OldStyleSeen ? DecodeOldStyle(input, output) : DecodeNewStyle(input, output);
    }

    private string? DecodeNewStyle(ReadOnlySpan<byte> input, Span<byte> output)
    {
        long bitsLeft = input.Length * 8L;
        int bytePos = 0;
        ulong buffer = 0;
        int buffered = 0;
        int width = 9;
        int free = -1;              // no Clear yet: every code but Clear is an error
        int old = 0;
        int written = 0;
        while (written < output.Length)
        {
            if (bitsLeft < width)
            {
                return $"LZW strip not terminated with an End of Information code ({written} of {output.Length} bytes decoded)";
            }

            while (buffered < width)
            {
                buffer = (buffer << 8) | input[bytePos++];
                buffered += 8;
            }

            buffered -= width;
            bitsLeft -= width;
            int code = (int)(buffer >> buffered) & ((1 << width) - 1);
            buffer &= (1UL << buffered) - 1;

            if (code == EndOfInformation)
            {
                break;
            }

            if (code == Clear)
            {
                free = FirstFree;
                width = 9;
                old = -1;
                continue;
            }

            if (old == -1)
            {
                // The code after Clear makes no table entry and must be a byte.
                if (code > EndOfInformation)
                {
                    return $"LZW code {code} right after Clear ({written} of {output.Length} bytes decoded)";
                }

                output[written++] = (byte)code;
                old = code;
                continue;
            }

            if (free < 0 || code > free)
            {
                return $"LZW code {code} not yet in the table ({written} of {output.Length} bytes decoded)";
            }

            byte appended = code == free ? _first[old] : _first[code];
            _prefix[free] = old;
            _first[free] = _first[old];
            _length[free] = (ushort)(_length[old] + 1);
            _value[free] = appended;
            free++;
            if (free > (1 << width) - 2)
            {
                width = Math.Min(width + 1, 12);
                if (free >= TableSize)
                {
                    free = -1;
                }
            }

            old = code;
            written += Emit(code, output[written..]);
        }

        return written < output.Length ? $"LZW data ends after {written} of {output.Length} bytes" : null;
    }

    private string? DecodeOldStyle(ReadOnlySpan<byte> input, Span<byte> output)
    {
        long bitsLeft = input.Length * 8L;
        int bytePos = 0;
        uint buffer = 0;
        int buffered = 0;
        int width = 9;
        int free = -1;
        int old = 0;
        int written = 0;
        while (written < output.Length)
        {
            int code;
            if (bitsLeft < width)
            {
                code = EndOfInformation; // libtiff only warns here and ends the strip
            }
            else
            {
                while (buffered < width)
                {
                    buffer |= (uint)input[bytePos++] << buffered;
                    buffered += 8;
                }

                code = (int)(buffer & ((1u << width) - 1));
                buffer >>= width;
                buffered -= width;
                bitsLeft -= width;
            }

            if (code == EndOfInformation)
            {
                break;
            }

            if (code == Clear)
            {
                free = FirstFree;
                width = 9;
                Array.Clear(_length, FirstFree, TableSize - FirstFree);
                old = -1;
                continue;
            }

            if (old == -1)
            {
                if (code > Clear)
                {
                    return $"corrupted old-style LZW table: code {code} right after Clear ({written} of {output.Length} bytes decoded)";
                }

                output[written++] = (byte)code;
                old = code;
                continue;
            }

            if (free < 0 || free >= TableSize)
            {
                return $"corrupted old-style LZW table ({written} of {output.Length} bytes decoded)";
            }

            _prefix[free] = old;
            _first[free] = _first[old];
            _length[free] = (ushort)(_length[old] + 1);
            _value[free] = code < free ? _first[code] : _first[free];
            free++;
            if (free > (1 << width) - 1)
            {
                width = Math.Min(width + 1, 12);
            }

            old = code;
            if (code >= 256 && _length[code] == 0)
            {
                return $"old-style LZW code {code} not yet in the table ({written} of {output.Length} bytes decoded)";
            }

            written += Emit(code, output[written..]);
        }

        return written < output.Length ? $"LZW data ends after {written} of {output.Length} bytes" : null;
    }

    /// <summary>Writes the string of <paramref name="code"/>, or as much of its start as fits; returns the count written.</summary>
    private int Emit(int code, Span<byte> output)
    {
        int length = _length[code];
        while (length > output.Length)
        {
            code = _prefix[code];
            length--;
        }

        for (int i = length - 1; i >= 0; i--)
        {
            output[i] = _value[code];
            code = _prefix[code];
        }

        return length;
    }
}
