using System.Buffers.Binary;
using System.IO.Compression;

namespace Raabin.Features.Imaging.Tiff;

/// <summary>
/// Decodes the first page of baseline TIFF files to the pixels OpenCV 4.6's <c>cv2.imread(path, IMREAD_COLOR)</c>
/// returns for them (libtiff 4.5 underneath, through its RGBA interface for 8-bit samples). Supported: little- and
/// big-endian files; strips (RowsPerStrip, StripOffsets/StripByteCounts as SHORT or LONG); no compression, PackBits,
/// LZW (5; TIFF 6.0 and the old-style pre-6.0 codes libtiff still reads) and Deflate (8 and the old code 32946),
/// LZW and Deflate with or without the horizontal predictor (2); 8-bit samples as RGB (PlanarConfiguration 1 or 2),
/// greyscale (BlackIsZero as stored, WhiteIsZero inverted to 255 − value, replicated to R = G = B) and 8-bit palettes
/// (a colour map whose entries are all below 256 is read as 8-bit, otherwise each entry is shifted right by 8).
/// </summary>
/// <remarks>
/// <para>Extra samples (alpha), as libtiff's RGBA interface hands them to OpenCV, which then drops alpha: RGB with
/// unassociated alpha (ExtraSamples 2) is premultiplied, each of R, G, B becoming (v·a + 127) / 255 in integers;
/// RGB with associated (1) or unspecified (0) alpha, or 4 samples and no ExtraSamples tag, is kept as stored;
/// greyscale with any extra samples keeps its grey.</para>
/// <para>Damaged LZW and PackBits strips decode as OpenCV decodes them: libtiff reads each strip into a zeroed
/// buffer, keeps whatever the codec produced before it failed (without applying the predictor to that strip) and
/// carries on with the next strip, so the image is returned with <see cref="DecodeReport.IsDamaged"/> set. The same
/// holds for a Deflate strip with a bad zlib header (nothing inflated) or whose only fault is its checksum. Other
/// damaged Deflate strips (truncated, corrupt, or inflating to more than the strip) are refused: OpenCV's libtiff
/// inflates with libdeflate, which leaves behind different partial bytes than any zlib (see <c>Inflate</c>). Strips
/// that lie outside the file are errors, as in OpenCV; so are short uncompressed strips, for which libtiff instead
/// re-estimates the byte counts from the image size and reads on into whatever follows.</para>
/// <para>Refused with an <see cref="ImageDecodeException"/> whose problem starts with "unsupported TIFF: ": tiles,
/// JPEG-in-TIFF, CCITT and other compressions, samples other than 8 bits (OpenCV reads 16-bit files but also
/// refuses 4-bit palettes), the floating-point predictor (3, which libtiff rejects for 8-bit integer samples),
/// non-integer sample formats, CMYK, YCbCr and other photometric interpretations. The Orientation tag is not
/// applied (OpenCV applies it through libtiff for some values; no such file has been seen from a microscope).</para>
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
    private const int TagPredictor = 317;
    private const int TagColorMap = 320;
    private const int TagTileWidth = 322;
    private const int TagExtraSamples = 338;
    private const int TagSampleFormat = 339;

    private const int CompressionNone = 1;
    private const int CompressionLzw = 5;
    private const int CompressionDeflate = 8;
    private const int CompressionDeflateOld = 32946;
    private const int CompressionPackBits = 32773;

    private const int ExtraSampleAssociatedAlpha = 1;
    private const int ExtraSampleUnassociatedAlpha = 2;

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
    public static RgbImage Decode(ReadOnlySpan<byte> data, string source, DecoderOptions options) => Decode(data, source, options, out _);

    /// <summary>
    /// Decodes the first page of a TIFF to RGB as <c>cv2.imread(path, cv2.IMREAD_COLOR)</c> (then BGR → RGB) would, and
    /// reports the LZW or Deflate strips that were damaged (decoded only in part, the rest zero, as OpenCV returns them).
    /// </summary>
    /// <param name="data">The whole file.</param>
    /// <param name="source">The file name used in error messages.</param>
    /// <param name="options">Limits checked before allocation.</param>
    /// <param name="report">One warning per damaged strip; <see cref="DecodeReport.Intact"/> for an intact file.</param>
    /// <returns>The image, 8 bits per channel.</returns>
    /// <exception cref="ImageDecodeException">The data is not a TIFF, is an unsupported variant, is truncated or
    /// corrupt where OpenCV fails too, or exceeds <see cref="DecoderOptions.MaxPixels"/>.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string source, DecoderOptions options, out DecodeReport report)
    {
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new DecodeReportBuilder();
        try
        {
            RgbImage image = DecodeCore(data, source, options, warnings);
            report = warnings.Build();
            return image;
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

    /// <summary>How the samples of one strip become pixels.</summary>
    private enum Layout
    {
        Gray,
        Rgb,
        Palette,
    }

    private static RgbImage DecodeCore(ReadOnlySpan<byte> data, string source, DecoderOptions options, DecodeReportBuilder warnings)
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
        long rowsPerStrip = uint.MaxValue, planar = 1, predictor = 1, sampleFormat = 1;
        uint[]? bitsPerSample = null, stripOffsets = null, stripByteCounts = null, colorMap = null, extraSamples = null;
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
                case TagPredictor: predictor = ReadScalar(reader, entry, source); break;
                case TagColorMap: colorMap = ReadArray(reader, entry, source); break;
                case TagTileWidth: throw new ImageDecodeException(source, "unsupported TIFF: tiled image");
                case TagExtraSamples: extraSamples = ReadArray(reader, entry, source); break;
                case TagSampleFormat: sampleFormat = ReadScalar(reader, entry, source); break;
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

        bool usesPredictor = compression is CompressionLzw or CompressionDeflate or CompressionDeflateOld;
        if (compression != CompressionNone && compression != CompressionPackBits && !usesPredictor)
        {
            string name = compression switch
            {
                6 or 7 => " (JPEG)",
                2 or 3 or 4 => " (CCITT)",
                _ => string.Empty,
            };
            throw new ImageDecodeException(source, $"unsupported TIFF: compression {compression}{name}");
        }

        // libtiff applies the Predictor tag only inside the codecs that use it (here LZW and Deflate).
        if (usesPredictor && predictor != 1 && predictor != 2)
        {
            throw new ImageDecodeException(source, predictor == 3
                ? "unsupported TIFF: floating-point predictor (3) on integer samples, which libtiff refuses"
                : $"unsupported TIFF: predictor {predictor}");
        }

        Layout layout = photometric switch
        {
            0 or 1 => Layout.Gray,
            2 => Layout.Rgb,
            3 => Layout.Palette,
            _ => throw new ImageDecodeException(source, photometric < 0
                ? "corrupt TIFF: missing PhotometricInterpretation"
                : $"unsupported TIFF: photometric interpretation {photometric}"),
        };

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

        if (sampleFormat != 1)
        {
            throw new ImageDecodeException(source, $"unsupported TIFF: sample format {sampleFormat} (only unsigned integers)");
        }

        if (planar != 1 && planar != 2)
        {
            throw new ImageDecodeException(source, $"corrupt TIFF: planar configuration {planar}");
        }

        if (samplesPerPixel < 1 || samplesPerPixel > 8)
        {
            // Also keeps a tiny file from asking for strip buffers many times the image size.
            throw new ImageDecodeException(source, $"unsupported TIFF: {samplesPerPixel} samples per pixel");
        }

        int spp = (int)samplesPerPixel;
        int extraCount = extraSamples?.Length ?? 0;
        int colorChannels = spp - extraCount;
        int alphaKind = 0;
        if (extraCount > 0)
        {
            if (extraSamples![0] > ExtraSampleUnassociatedAlpha)
            {
                throw new ImageDecodeException(source, $"corrupt TIFF: extra sample kind {extraSamples[0]}");
            }

            // As libtiff: an unspecified extra sample counts as associated alpha when there are more than 3 samples.
            alphaKind = extraSamples[0] == 0 ? (spp > 3 ? ExtraSampleAssociatedAlpha : 0) : (int)extraSamples[0];
        }
        else if (layout == Layout.Rgb && spp == 4)
        {
            alphaKind = ExtraSampleAssociatedAlpha; // libtiff's default: a fourth RGB sample is associated alpha
        }

        bool valid = layout switch
        {
            Layout.Rgb => spp >= 3 && colorChannels >= 3,
            Layout.Gray => spp >= 1 && (planar == 1 || spp == 1),
            _ => spp == 1,
        };
        if (!valid)
        {
            throw new ImageDecodeException(source, $"unsupported TIFF: {samplesPerPixel} samples per pixel ({extraCount} extra) with photometric {photometric} and planar configuration {planar}");
        }

        bool premultiply = layout == Layout.Rgb && alphaKind == ExtraSampleUnassociatedAlpha && spp >= 4;
        byte[]? palette = layout == Layout.Palette ? ReadColorMap(colorMap, source) : null;

        if (stripOffsets is null || stripByteCounts is null)
        {
            throw new ImageDecodeException(source, "corrupt TIFF: missing StripOffsets or StripByteCounts");
        }

        int w = (int)width, h = (int)height;
        if (rowsPerStrip <= 0 || rowsPerStrip > h)
        {
            rowsPerStrip = h;
        }

        bool separate = planar == 2 && spp > 1;
        int planesStored = separate ? spp : 1;
        int planesRead = !separate ? 1 : alphaKind != 0 && layout == Layout.Rgb ? 4 : 3;
        int samplesPerRow = separate ? w : w * spp;
        long stripsPerPlane = (h + rowsPerStrip - 1) / rowsPerStrip;
        if (stripOffsets.Length < stripsPerPlane * planesStored || stripByteCounts.Length < stripsPerPlane * planesStored)
        {
            throw new ImageDecodeException(source, $"corrupt TIFF: {stripOffsets.Length} strips listed, {stripsPerPlane * planesStored} needed");
        }

        var image = new RgbImage(w, h);
        byte[] output = image.Pixels;
        long stripBytes = rowsPerStrip * (long)samplesPerRow;
        var planeBuffers = new byte[planesRead][];
        for (int plane = 0; plane < planesRead; plane++)
        {
            planeBuffers[plane] = new byte[stripBytes];
        }

        var lzw = compression == CompressionLzw ? new TiffLzw() : null;
        int stride = separate ? 1 : spp;
        for (long strip = 0; strip < stripsPerPlane; strip++)
        {
            int firstRow = (int)(strip * rowsPerStrip);
            int rows = (int)Math.Min(rowsPerStrip, h - firstRow);
            int needed = rows * samplesPerRow;

            // As libtiff's RGBA reader: one strip at a time, all of its planes, each into a zeroed buffer.
            for (int plane = 0; plane < planesRead; plane++)
            {
                long index = plane * stripsPerPlane + strip;
                uint offset = stripOffsets[index];
                uint count = stripByteCounts[index];
                if (offset > data.Length || count > data.Length - (long)offset)
                {
                    throw new ImageDecodeException(source, $"truncated TIFF: strip {index} ({count} bytes at offset {offset}) runs past the end of the file");
                }

                if (count == 0)
                {
                    throw new ImageDecodeException(source, $"corrupt TIFF: strip {index} has a byte count of 0");
                }

                ReadOnlySpan<byte> stored = data.Slice((int)offset, (int)count);
                Span<byte> samples = planeBuffers[plane].AsSpan(0, needed);
                string? damage = null;
                switch (compression)
                {
                    case CompressionNone:
                        if (stored.Length < needed)
                        {
                            throw new ImageDecodeException(source, $"truncated TIFF: strip {index} holds {stored.Length} bytes, {needed} needed");
                        }

                        stored[..needed].CopyTo(samples);
                        break;
                    case CompressionPackBits:
                        samples.Clear();
                        damage = UnpackBits(stored, samples, warnings, index);
                        break;
                    case CompressionLzw:
                        samples.Clear();
                        damage = lzw!.Decode(stored, samples);
                        break;
                    default:
                        damage = Inflate(stored, samples, source, index);
                        break;
                }

                if (damage is not null)
                {
                    // libtiff keeps what the codec wrote, skips the predictor for this strip and goes on.
                    warnings.Warn($"damaged TIFF strip {index}: {damage}; the rest of the strip is left zero, as OpenCV leaves it");
                }
                else if (usesPredictor && predictor == 2)
                {
                    UndoHorizontalDifferencing(samples, samplesPerRow, stride);
                }
            }

            Place(planeBuffers, output, firstRow, rows, w, layout, photometric == 0, separate, spp, premultiply, palette);
        }

        return image;
    }

    /// <summary>Predictor 2 on 8-bit samples: each sample is stored as its difference from the same sample of the pixel to its left.</summary>
    private static void UndoHorizontalDifferencing(Span<byte> samples, int samplesPerRow, int stride)
    {
        for (int start = 0; start + samplesPerRow <= samples.Length; start += samplesPerRow)
        {
            Span<byte> row = samples.Slice(start, samplesPerRow);
            for (int i = stride; i < row.Length; i++)
            {
                row[i] = (byte)(row[i] + row[i - stride]);
            }
        }
    }

    /// <summary>
    /// Deflate (zlib format) through .NET's zlib, for strips that inflate to exactly their rows. OpenCV's libtiff
    /// inflates whole strips with libdeflate, whose output on damaged data (it reads up to 8 zero bytes past a
    /// truncated stream, leaves bytes of over-long copies behind an error, and drops a last match that does not
    /// fit) is not what zlib gives, so a strip that is truncated, corrupt or longer than its rows is refused.
    /// A stream whose only fault is its Adler-32 checksum has inflated completely (libdeflate checks it last),
    /// so it is kept and reported.
    /// </summary>
    /// <returns>Null for an intact strip; the problem when only the checksum failed (libtiff then skips the predictor).</returns>
    private static string? Inflate(ReadOnlySpan<byte> input, Span<byte> output, string source, long strip)
    {
        // libdeflate refuses a bad zlib header (method 8, window ≤ 32 KiB, check bits, no preset dictionary) or a
        // stream under 6 bytes before writing anything: the strip stays zero.
        if (input.Length < 6 || (input[0] & 0x0F) != 8 || input[0] >> 4 > 7 || ((input[0] << 8) | input[1]) % 31 != 0 || (input[1] & 0x20) != 0)
        {
            return "invalid zlib header, nothing inflated";
        }

        if (InflateExactly(new ZLibStream(new MemoryStream(input.ToArray(), writable: false), CompressionMode.Decompress), output, out string? problem))
        {
            return null;
        }

        // The raw Deflate data without the zlib wrapper: if it inflates to exactly the strip, only the Adler-32
        // checksum was wrong, which libdeflate checks after writing everything.
        if (InflateExactly(new DeflateStream(new MemoryStream(input[2..].ToArray(), writable: false), CompressionMode.Decompress), output, out _))
        {
            return "Deflate checksum mismatch after a complete strip";
        }

        throw new ImageDecodeException(source, $"damaged TIFF: Deflate strip {strip} {problem}; OpenCV (libdeflate) returns such a strip " +
            "partly decoded with bytes no zlib reproduces, so it is not reproduced");
    }

    private static bool InflateExactly(Stream stream, Span<byte> output, out string? problem)
    {
        using (stream)
        {
            int written = 0;
            try
            {
                while (written < output.Length)
                {
                    int read = stream.Read(output[written..]);
                    if (read == 0)
                    {
                        problem = $"ends after {written} of {output.Length} bytes";
                        return false;
                    }

                    written += read;
                }

                Span<byte> probe = stackalloc byte[1];
                if (stream.Read(probe) != 0)
                {
                    problem = $"inflates to more than its {output.Length} bytes";
                    return false;
                }
            }
            catch (InvalidDataException)
            {
                problem = $"is corrupt after at least {written} of {output.Length} bytes";
                return false;
            }

            problem = null;
            return true;
        }
    }

    /// <summary>ColorMap: 3 × 256 16-bit entries, all reds, then greens, then blues; returned as R, G, B bytes per index.</summary>
    private static byte[] ReadColorMap(uint[]? colorMap, string source)
    {
        if (colorMap is null || colorMap.Length != 3 * 256)
        {
            throw new ImageDecodeException(source, colorMap is null
                ? "corrupt TIFF: palette image without a ColorMap"
                : $"corrupt TIFF: ColorMap has {colorMap.Length} entries, 768 needed");
        }

        // libtiff's RGBA interface: a map with every entry below 256 is taken as 8-bit (old writers), else each
        // 16-bit entry keeps its high byte.
        bool sixteenBit = false;
        foreach (uint v in colorMap)
        {
            sixteenBit |= v >= 256;
        }

        var rgb = new byte[3 * 256];
        for (int i = 0; i < 256; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                uint v = colorMap[c * 256 + i];
                rgb[3 * i + c] = (byte)(sixteenBit ? v >> 8 : v);
            }
        }

        return rgb;
    }

    private static void Place(byte[][] planes, byte[] output, int firstRow, int rows, int width, Layout layout, bool whiteIsZero,
        bool separate, int spp, bool premultiply, byte[]? palette)
    {
        int pixels = rows * width;
        int start = firstRow * width * 3;
        ReadOnlySpan<byte> s0 = planes[0];
        for (int p = 0; p < pixels; p++)
        {
            int o = start + 3 * p;
            switch (layout)
            {
                case Layout.Gray:
                {
                    byte v = s0[p * spp];
                    v = whiteIsZero ? (byte)(255 - v) : v;
                    output[o] = v;
                    output[o + 1] = v;
                    output[o + 2] = v;
                    break;
                }

                case Layout.Palette:
                {
                    int index = s0[p];
                    output[o] = palette![3 * index];
                    output[o + 1] = palette[3 * index + 1];
                    output[o + 2] = palette[3 * index + 2];
                    break;
                }

                default:
                {
                    int r, g, b, a;
                    if (separate)
                    {
                        r = s0[p];
                        g = planes[1][p];
                        b = planes[2][p];
                        a = premultiply ? planes[3][p] : 255;
                    }
                    else
                    {
                        int at = p * spp;
                        r = s0[at];
                        g = s0[at + 1];
                        b = s0[at + 2];
                        a = premultiply ? s0[at + 3] : 255;
                    }

                    if (premultiply)
                    {
                        // libtiff's unassociated → associated alpha table, rounded to nearest.
                        r = (r * a + 127) / 255;
                        g = (g * a + 127) / 255;
                        b = (b * a + 127) / 255;
                    }

                    output[o] = (byte)r;
                    output[o + 1] = (byte)g;
                    output[o + 2] = (byte)b;
                    break;
                }
            }
        }
    }

    /// <summary>
    /// PackBits as libtiff 4.5 decodes a strip: header n in 0..127 copies n + 1 literal bytes, −127..−1 repeats the
    /// next byte 1 − n times, −128 is skipped. A run longer than the space left is cut to fit (libtiff only warns);
    /// a run whose bytes are missing ends the strip. Returns null when the strip was filled, else the problem; the
    /// bytes decoded before it stay in <paramref name="output"/> (zeroed by the caller), as libtiff leaves them.
    /// </summary>
    private static string? UnpackBits(ReadOnlySpan<byte> input, Span<byte> output, DecodeReportBuilder warnings, long strip)
    {
        int read = 0, written = 0;
        bool overrun = false;
        while (read < input.Length && written < output.Length)
        {
            int header = (sbyte)input[read++];
            if (header >= 0)
            {
                int literal = header + 1;
                if (literal > output.Length - written)
                {
                    overrun = true;
                    literal = output.Length - written;
                }

                if (literal > input.Length - read)
                {
                    break;
                }

                input.Slice(read, literal).CopyTo(output[written..]);
                read += literal;
                written += literal;
            }
            else if (header != -128)
            {
                int repeat = 1 - header;
                if (repeat > output.Length - written)
                {
                    overrun = true;
                    repeat = output.Length - written;
                }

                if (read >= input.Length)
                {
                    break;
                }

                output.Slice(written, repeat).Fill(input[read++]);
                written += repeat;
            }
        }

        if (overrun)
        {
            warnings.Warn($"TIFF strip {strip}: a PackBits run overflows the strip and was cut, as libtiff cuts it", affectsPixels: false);
        }

        return written < output.Length ? $"PackBits data ends after {written} of {output.Length} bytes" : null;
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
