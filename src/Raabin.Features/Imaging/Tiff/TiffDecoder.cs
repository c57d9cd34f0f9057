using System.Buffers.Binary;

namespace Raabin.Features.Imaging.Tiff;

/// <summary>
/// Decodes the first page of baseline TIFF files to the pixels OpenCV 4.6's <c>cv2.imread(path, IMREAD_COLOR)</c>
/// returns for them (libtiff 4.5 underneath). Supported: little- and big-endian files; strips (RowsPerStrip,
/// StripOffsets/StripByteCounts as SHORT or LONG); no compression or PackBits; 8-bit RGB (PlanarConfiguration
/// 1 or 2) and 8-bit greyscale, BlackIsZero as stored and WhiteIsZero inverted (255 − value), as libtiff's
/// RGBA interface that OpenCV uses does. Grey is replicated to R = G = B.
/// </summary>
/// <remarks>
/// Anything else (LZW, Deflate, JPEG-in-TIFF, tiles, 16-bit or 1-bit samples, palettes, extra samples) is refused
/// with an <see cref="ImageDecodeException"/> whose problem starts with "unsupported TIFF: ".
/// </remarks>
public static class TiffDecoder
{
    private const int TagImageWidth = 256;
    private const int TagImageLength = 257;
    private const int TagBitsPerSample = 258;
    private const int TagCompression = 259;
    private const int TagPhotometric = 262;
    private const int TagStripOffsets = 273;
    private const int TagSamplesPerPixel = 277;
    private const int TagRowsPerStrip = 278;
    private const int TagStripByteCounts = 279;
    private const int TagPlanarConfiguration = 284;
    private const int TagTileWidth = 322;
    private const int TagExtraSamples = 338;

    private const int CompressionNone = 1;
    private const int CompressionPackBits = 32773;

    /// <summary>True when <paramref name="header"/> starts with a TIFF byte-order mark and the number 42.</summary>
    /// <param name="header">The first bytes of a file (at least 4 for a positive answer).</param>
    public static bool IsTiff(ReadOnlySpan<byte> header) =>
        header.Length >= 4 &&
        ((header[0] == 'I' && header[1] == 'I' && header[2] == 42 && header[3] == 0) ||
         (header[0] == 'M' && header[1] == 'M' && header[2] == 0 && header[3] == 42));

    /// <summary>Decodes the first page of a TIFF to RGB as <c>cv2.imread(path, cv2.IMREAD_COLOR)</c> (then BGR → RGB) would.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="source">The file name used in error messages.</param>
    /// <param name="options">Limits checked before allocation.</param>
    /// <returns>The image, 8 bits per channel.</returns>
    /// <exception cref="ImageDecodeException">The data is not a TIFF, is an unsupported variant, is truncated or
    /// corrupt, or exceeds <see cref="DecoderOptions.MaxPixels"/>.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string source, DecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return DecodeCore(data, source, options);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            throw new ImageDecodeException(source, "corrupt TIFF: " + e.Message, e);
        }
    }

    private readonly ref struct Reader(ReadOnlySpan<byte> data, bool bigEndian)
    {
        public readonly ReadOnlySpan<byte> Data = data;
        public readonly bool BigEndian = bigEndian;

        public ushort U16(long offset) => BigEndian
            ? BinaryPrimitives.ReadUInt16BigEndian(Data.Slice((int)offset, 2))
            : BinaryPrimitives.ReadUInt16LittleEndian(Data.Slice((int)offset, 2));

        public uint U32(long offset) => BigEndian
            ? BinaryPrimitives.ReadUInt32BigEndian(Data.Slice((int)offset, 4))
            : BinaryPrimitives.ReadUInt32LittleEndian(Data.Slice((int)offset, 4));
    }

    private static RgbImage DecodeCore(ReadOnlySpan<byte> data, string source, DecoderOptions options)
    {
        if (data.Length < 8)
        {
            throw new ImageDecodeException(source, "truncated TIFF: file shorter than the 8-byte header");
        }

        if (!IsTiff(data))
        {
            throw new ImageDecodeException(source, "not a TIFF: missing II*\\0 or MM\\0* header");
        }

        var reader = new Reader(data, data[0] == 'M');
        uint ifdOffset = reader.U32(4);
        if (ifdOffset < 8 || ifdOffset > data.Length - 2L)
        {
            throw new ImageDecodeException(source, $"corrupt TIFF: first IFD offset {ifdOffset} outside the file of {data.Length} bytes");
        }

        int entryCount = reader.U16(ifdOffset);
        if (ifdOffset + 2L + entryCount * 12L > data.Length)
        {
            throw new ImageDecodeException(source, "truncated TIFF: file ends inside the first IFD");
        }

        long width = -1, height = -1, compression = CompressionNone, photometric = -1, samplesPerPixel = 1;
        long rowsPerStrip = uint.MaxValue, planar = 1;
        uint[]? bitsPerSample = null, stripOffsets = null, stripByteCounts = null;
        for (int i = 0; i < entryCount; i++)
        {
            long entry = ifdOffset + 2 + i * 12L;
            int tag = reader.U16(entry);
            switch (tag)
            {
                case TagImageWidth: width = ReadScalar(reader, entry, source); break;
                case TagImageLength: height = ReadScalar(reader, entry, source); break;
                case TagBitsPerSample: bitsPerSample = ReadArray(reader, entry, source); break;
                case TagCompression: compression = ReadScalar(reader, entry, source); break;
                case TagPhotometric: photometric = ReadScalar(reader, entry, source); break;
                case TagStripOffsets: stripOffsets = ReadArray(reader, entry, source); break;
                case TagSamplesPerPixel: samplesPerPixel = ReadScalar(reader, entry, source); break;
                case TagRowsPerStrip: rowsPerStrip = ReadScalar(reader, entry, source); break;
                case TagStripByteCounts: stripByteCounts = ReadArray(reader, entry, source); break;
                case TagPlanarConfiguration: planar = ReadScalar(reader, entry, source); break;
                case TagTileWidth: throw new ImageDecodeException(source, "unsupported TIFF: tiled image");
                case TagExtraSamples: throw new ImageDecodeException(source, "unsupported TIFF: extra samples (alpha)");
                default: break;
            }
        }

        if (width <= 0 || height <= 0)
        {
            throw new ImageDecodeException(source, "corrupt TIFF: missing or zero ImageWidth/ImageLength");
        }

        if (width > int.MaxValue || height > int.MaxValue || width * height > options.MaxPixels)
        {
            throw new ImageDecodeException(source, $"TIFF size {width}x{height} exceeds the limit of {options.MaxPixels} pixels");
        }

        if (compression != CompressionNone && compression != CompressionPackBits)
        {
            string name = compression switch
            {
                5 => " (LZW)",
                6 or 7 => " (JPEG)",
                8 or 32946 => " (Deflate)",
                2 or 3 or 4 => " (CCITT)",
                _ => string.Empty,
            };
            throw new ImageDecodeException(source, $"unsupported TIFF: compression {compression}{name}");
        }

        bool gray = photometric is 0 or 1;
        if (!gray && photometric != 2)
        {
            throw new ImageDecodeException(source, photometric < 0
                ? "corrupt TIFF: missing PhotometricInterpretation"
                : $"unsupported TIFF: photometric interpretation {photometric}");
        }

        int channels = gray ? 1 : 3;
        if (samplesPerPixel != channels)
        {
            throw new ImageDecodeException(source, $"unsupported TIFF: {samplesPerPixel} samples per pixel with photometric {photometric}");
        }

        if (bitsPerSample is null)
        {
            throw new ImageDecodeException(source, "unsupported TIFF: 1-bit samples (no BitsPerSample)");
        }

        foreach (uint bits in bitsPerSample)
        {
            if (bits != 8)
            {
                throw new ImageDecodeException(source, $"unsupported TIFF: {bits}-bit samples");
            }
        }

        if (planar != 1 && planar != 2)
        {
            throw new ImageDecodeException(source, $"corrupt TIFF: planar configuration {planar}");
        }

        if (stripOffsets is null || stripByteCounts is null)
        {
            throw new ImageDecodeException(source, "corrupt TIFF: missing StripOffsets or StripByteCounts");
        }

        int w = (int)width, h = (int)height;
        if (rowsPerStrip <= 0 || rowsPerStrip > h)
        {
            rowsPerStrip = h;
        }

        int planes = planar == 2 ? channels : 1;
        int samplesPerRow = planar == 2 ? w : w * channels;
        long stripsPerPlane = (h + rowsPerStrip - 1) / rowsPerStrip;
        if (stripOffsets.Length < stripsPerPlane * planes || stripByteCounts.Length < stripsPerPlane * planes)
        {
            throw new ImageDecodeException(source, $"corrupt TIFF: {stripOffsets.Length} strips listed, {stripsPerPlane * planes} needed");
        }

        var image = new RgbImage(w, h);
        byte[] output = image.Pixels;
        var stripBuffer = new byte[rowsPerStrip * (long)samplesPerRow];
        for (int plane = 0; plane < planes; plane++)
        {
            for (long strip = 0; strip < stripsPerPlane; strip++)
            {
                int firstRow = (int)(strip * rowsPerStrip);
                int rows = (int)Math.Min(rowsPerStrip, h - firstRow);
                int needed = rows * samplesPerRow;
                long index = plane * stripsPerPlane + strip;
                uint offset = stripOffsets[index];
                uint count = stripByteCounts[index];
                if (offset > data.Length || count > data.Length - (long)offset)
                {
                    throw new ImageDecodeException(source, $"truncated TIFF: strip {index} ({count} bytes at offset {offset}) runs past the end of the file");
                }

                ReadOnlySpan<byte> stored = data.Slice((int)offset, (int)count);
                Span<byte> samples = stripBuffer.AsSpan(0, needed);
                if (compression == CompressionNone)
                {
                    if (stored.Length < needed)
                    {
                        throw new ImageDecodeException(source, $"truncated TIFF: strip {index} holds {stored.Length} bytes, {needed} needed");
                    }

                    stored[..needed].CopyTo(samples);
                }
                else
                {
                    UnpackBits(stored, samples, source, index);
                }

                Place(samples, output, firstRow, rows, w, gray, photometric == 0, planar == 2 ? plane : -1);
            }
        }

        return image;
    }

    private static void Place(ReadOnlySpan<byte> samples, byte[] output, int firstRow, int rows, int width, bool gray, bool whiteIsZero, int plane)
    {
        int pixels = rows * width;
        int start = firstRow * width * 3;
        if (gray)
        {
            for (int p = 0; p < pixels; p++)
            {
                byte v = whiteIsZero ? (byte)(255 - samples[p]) : samples[p];
                output[start + 3 * p] = v;
                output[start + 3 * p + 1] = v;
                output[start + 3 * p + 2] = v;
            }
        }
        else if (plane < 0)
        {
            samples[..(pixels * 3)].CopyTo(output.AsSpan(start, pixels * 3));
        }
        else
        {
            for (int p = 0; p < pixels; p++)
            {
                output[start + 3 * p + plane] = samples[p];
            }
        }
    }

    /// <summary>PackBits: header n in 0..127 copies n + 1 literal bytes, −127..−1 repeats the next byte 1 − n times, −128 is skipped.</summary>
    private static void UnpackBits(ReadOnlySpan<byte> input, Span<byte> output, string source, long strip)
    {
        int read = 0, written = 0;
        while (written < output.Length)
        {
            if (read >= input.Length)
            {
                throw new ImageDecodeException(source, $"truncated TIFF: PackBits strip {strip} ends after {written} of {output.Length} bytes");
            }

            int header = (sbyte)input[read++];
            if (header >= 0)
            {
                int literal = header + 1;
                if (read + literal > input.Length || written + literal > output.Length)
                {
                    throw new ImageDecodeException(source, $"corrupt TIFF: PackBits literal run overflows strip {strip}");
                }

                input.Slice(read, literal).CopyTo(output[written..]);
                read += literal;
                written += literal;
            }
            else if (header != -128)
            {
                int repeat = 1 - header;
                if (read >= input.Length || written + repeat > output.Length)
                {
                    throw new ImageDecodeException(source, $"corrupt TIFF: PackBits repeat run overflows strip {strip}");
                }

                output.Slice(written, repeat).Fill(input[read++]);
                written += repeat;
            }
        }
    }

    private static long ReadScalar(Reader reader, long entry, string source)
    {
        uint[] values = ReadArray(reader, entry, source);
        if (values.Length < 1)
        {
            throw new ImageDecodeException(source, $"corrupt TIFF: tag {reader.U16(entry)} has no value");
        }

        return values[0];
    }

    private static uint[] ReadArray(Reader reader, long entry, string source)
    {
        int tag = reader.U16(entry);
        int type = reader.U16(entry + 2);
        uint count = reader.U32(entry + 4);
        int size = type switch { 1 => 1, 3 => 2, 4 => 4, _ => 0 };
        if (size == 0)
        {
            throw new ImageDecodeException(source, $"corrupt TIFF: tag {tag} has field type {type}, expected BYTE, SHORT or LONG");
        }

        long total = count * (long)size;
        long valueOffset = total <= 4 ? entry + 8 : reader.U32(entry + 8);
        if (count > reader.Data.Length || valueOffset + total > reader.Data.Length)
        {
            throw new ImageDecodeException(source, $"truncated TIFF: values of tag {tag} run past the end of the file");
        }

        var values = new uint[count];
        for (int i = 0; i < count; i++)
        {
            long at = valueOffset + i * (long)size;
            values[i] = size switch
            {
                1 => reader.Data[(int)at],
                2 => reader.U16(at),
                _ => reader.U32(at),
            };
        }

        return values;
    }
}
