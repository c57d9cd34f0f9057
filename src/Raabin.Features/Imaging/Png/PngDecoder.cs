using System.Buffers.Binary;
using System.IO.Compression;

namespace Raabin.Features.Imaging.Png;

/// <summary>
/// Decodes PNG files to the pixels OpenCV 4.6's <c>cv2.imread</c> returns for them (libpng 1.6 underneath).
/// Supports every colour type (grey, RGB, palette, grey+alpha, RGBA), bit depths 1/2/4/8/16, Adam7 interlace,
/// all five filters and any number of IDAT chunks.
/// </summary>
/// <remarks>
/// Reproduced behaviour of <c>imread(path, IMREAD_COLOR)</c>:
/// <list type="bullet">
/// <item>16-bit samples are reduced to 8 bits by libpng's <c>png_set_strip_16</c>: the high byte is kept and the
/// low byte dropped (no rounding), e.g. 0x80FF → 0x80.</item>
/// <item>Alpha (an alpha channel or a tRNS chunk) is stripped, never composited: colours are kept as stored.</item>
/// <item>Grey levels of 1, 2 and 4 bits are scaled to 8 bits by bit replication (× 255, × 85, × 17) and grey is
/// replicated to R = G = B exactly.</item>
/// <item>Palette indices beyond the PLTE entries give black, as libpng's zero-filled 256-entry palette does.</item>
/// <item>gAMA, sRGB, iCCP and other ancillary chunks do not change colour images (OpenCV sets no gamma).</item>
/// <item>A bad CRC on a critical chunk (IHDR, PLTE, IDAT, IEND) is an error; on an ancillary chunk the chunk is
/// ignored, as libpng does by default (with a warning, which the <see cref="DecodeReport"/> overload returns).</item>
/// <item>The zlib stream is read to its end after the last row, as <c>png_read_end</c> does: extra data, or a checksum
/// error found only there, is a warning, not an error; IDAT data that runs out before the stream's end is an error
/// (libpng's "Not enough image data"), even after the last row.</item>
/// <item>A second PLTE chunk is an error (libpng's "PLTE: duplicate"), in grey images too.</item>
/// </list>
/// </remarks>
public static class PngDecoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    // libpng 1.6's default user limits (PNG_USER_WIDTH_MAX / PNG_USER_HEIGHT_MAX): larger IHDR sizes are errors.
    private const int LibpngMaxDimension = 1_000_000;

    // libpng's png_set_rgb_to_gray(png_ptr, 1, 0.299, 0.587), as OpenCV calls it: the coefficients are
    // truncated to 15-bit fixed point (29900 * 32768 / 100000 = 9797, 58700 * 32768 / 100000 = 19234) and blue
    // gets the rest, 32768 - 9797 - 19234 = 9737.
    private const int GrayRedCoefficient = 9797;
    private const int GrayGreenCoefficient = 19234;
    private const int GrayBlueCoefficient = 32768 - GrayRedCoefficient - GrayGreenCoefficient;

    private const uint ChunkIhdr = 0x49484452;
    private const uint ChunkPlte = 0x504C5445;
    private const uint ChunkIdat = 0x49444154;
    private const uint ChunkIend = 0x49454E44;
    private const uint ChunkGama = 0x67414D41;
    private const uint ChunkSrgb = 0x73524742;

    /// <summary>True when <paramref name="header"/> starts with the 8-byte PNG signature.</summary>
    /// <param name="header">The first bytes of a file (at least 8 for a positive answer).</param>
    public static bool IsPng(ReadOnlySpan<byte> header) => header.Length >= 8 && header[..8].SequenceEqual(Signature);

    /// <summary>
    /// Decodes a PNG to RGB exactly as <c>cv2.imread(path, cv2.IMREAD_COLOR)</c> (then BGR → RGB) would.
    /// </summary>
    /// <param name="data">The whole file.</param>
    /// <param name="source">The file name used in error messages.</param>
    /// <param name="options">Limits checked before allocation.</param>
    /// <returns>The image, 8 bits per channel.</returns>
    /// <exception cref="ImageDecodeException">The data is not a valid PNG, is truncated or corrupt, or exceeds
    /// <see cref="DecoderOptions.MaxPixels"/>.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string source, DecoderOptions options) => Decode(data, source, options, out _);

    /// <summary>
    /// Decodes a PNG as <see cref="Decode(ReadOnlySpan{byte}, string, DecoderOptions)"/> does and reports what libpng
    /// would only warn about: an ancillary chunk with a bad CRC (ignored; the pixels are not affected), compressed image
    /// data that fails its zlib check after the last row (the pixels may be wrong), or extra image data after it.
    /// </summary>
    /// <param name="data">The whole file.</param>
    /// <param name="source">The file name used in error messages.</param>
    /// <param name="options">Limits checked before allocation.</param>
    /// <param name="report">What was tolerated; <see cref="DecodeReport.Intact"/> for an intact file.</param>
    /// <returns>The image, 8 bits per channel.</returns>
    /// <exception cref="ImageDecodeException">As for <see cref="Decode(ReadOnlySpan{byte}, string, DecoderOptions)"/>.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string source, DecoderOptions options, out DecodeReport report)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            var warnings = new DecodeReportBuilder();
            PngInfo info = ReadChunks(data, source, options, warnings);
            var image = new RgbImage(info.Width, info.Height);
            Reconstruct(info, source, image.Pixels, gray: false, warnings);
            report = warnings.Build();
            return image;
        }
        catch (Exception e) when (IsDataError(e))
        {
            throw new ImageDecodeException(source, "corrupt PNG: " + e.Message, e);
        }
    }

    /// <summary>
    /// Decodes a PNG to one 8-bit channel exactly as <c>cv2.imread(path, cv2.IMREAD_GRAYSCALE)</c> would.
    /// Grey files give their grey levels (16-bit: high byte); colour files are converted by libpng's
    /// <c>png_set_rgb_to_gray(0.299, 0.587)</c>, which OpenCV requests: for 8-bit samples (and palettes)
    /// Y = (9797·R + 19234·G + 9737·B) &gt;&gt; 15, truncated, and R when R = G = B; for 16-bit samples
    /// Y16 = (9797·R + 19234·G + 9737·B + 16384) &gt;&gt; 15, then its high byte. Note this is not OpenCV's
    /// <c>cvtColor</c> rule ((4899·R + 9617·G + 1868·B + 8192) &gt;&gt; 14), which gives different values.
    /// </summary>
    /// <param name="data">The whole file.</param>
    /// <param name="source">The file name used in error messages.</param>
    /// <param name="options">Limits checked before allocation.</param>
    /// <returns>The grey image.</returns>
    /// <exception cref="ImageDecodeException">The data is not a valid PNG, is truncated or corrupt, exceeds
    /// <see cref="DecoderOptions.MaxPixels"/>, or is a colour PNG with a significant gamma (gAMA outside
    /// 0.95–1.05, or sRGB), for which libpng converts through gamma tables that are not reproduced here.</exception>
    public static GrayImage DecodeGray(ReadOnlySpan<byte> data, string source, DecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            PngInfo info = ReadChunks(data, source, options);
            if ((info.ColorType & 2) != 0 && info.HasSignificantGamma)
            {
                throw new ImageDecodeException(source, "unsupported PNG: grey conversion of a colour image with a gAMA or sRGB chunk (libpng applies gamma tables)");
            }

            var image = new GrayImage(info.Width, info.Height);
            Reconstruct(info, source, image.Pixels, gray: true);
            return image;
        }
        catch (Exception e) when (IsDataError(e))
        {
            throw new ImageDecodeException(source, "corrupt PNG: " + e.Message, e);
        }
    }

    private static bool IsDataError(Exception e) =>
        e is IndexOutOfRangeException or ArgumentException or InvalidDataException or OverflowException
            or EndOfStreamException or InvalidOperationException;

    private sealed class PngInfo
    {
        public int Width;
        public int Height;
        public int BitDepth;
        public int ColorType;
        public bool Interlaced;
        public bool HasSignificantGamma;
        public readonly byte[] Palette = new byte[256 * 3];
        public byte[] CompressedData = [];
    }

    private static PngInfo ReadChunks(ReadOnlySpan<byte> data, string source, DecoderOptions options, DecodeReportBuilder? warnings = null)
    {
        if (data.Length < 8)
        {
            throw new ImageDecodeException(source, "truncated PNG: file shorter than the 8-byte signature");
        }

        if (!IsPng(data))
        {
            throw new ImageDecodeException(source, "not a PNG: signature mismatch");
        }

        var info = new PngInfo();
        var idat = new MemoryStream();
        bool seenHeader = false;
        bool seenPalette = false;
        bool seenPlteChunk = false;
        bool seenData = false;
        bool dataEnded = false;
        int position = 8;
        while (true)
        {
            if (data.Length - position < 12)
            {
                throw new ImageDecodeException(source, seenHeader
                    ? "truncated PNG: file ends before the IEND chunk"
                    : "truncated PNG: file ends before the IHDR chunk");
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            uint type = BinaryPrimitives.ReadUInt32BigEndian(data[(position + 4)..]);
            if (length > int.MaxValue)
            {
                throw new ImageDecodeException(source, $"corrupt PNG: chunk length {length} exceeds 2^31 - 1");
            }

            if ((long)data.Length - position - 12 < length)
            {
                throw new ImageDecodeException(source, $"truncated PNG: {ChunkName(type)} chunk data ends early");
            }

            for (int i = 4; i < 8; i++)
            {
                byte c = data[position + i];
                if (!((c >= (byte)'A' && c <= (byte)'Z') || (c >= (byte)'a' && c <= (byte)'z')))
                {
                    throw new ImageDecodeException(source, $"corrupt PNG: invalid chunk type at offset {position}");
                }
            }

            ReadOnlySpan<byte> body = data.Slice(position + 8, (int)length);
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(data[(position + 8 + (int)length)..]);
            bool critical = (type & 0x20000000) == 0;
            bool crcOk = PngCrc.Compute(data.Slice(position + 4, (int)length + 4)) == storedCrc;
            position += 12 + (int)length;

            if (!seenHeader && type != ChunkIhdr)
            {
                throw new ImageDecodeException(source, "corrupt PNG: the first chunk is not IHDR");
            }

            if (!crcOk)
            {
                if (critical)
                {
                    throw new ImageDecodeException(source, $"corrupt PNG: CRC error in {ChunkName(type)} chunk");
                }

                warnings?.Warn($"corrupt PNG: CRC error in ancillary {ChunkName(type)} chunk at byte {position - 12 - (int)length} (chunk ignored)", affectsPixels: false);
                continue;
            }

            if (seenData && type != ChunkIdat)
            {
                dataEnded = true;
            }

            switch (type)
            {
                case ChunkIhdr:
                    if (seenHeader)
                    {
                        throw new ImageDecodeException(source, "corrupt PNG: more than one IHDR chunk");
                    }

                    ReadHeader(body, info, source, options);
                    seenHeader = true;
                    break;
                case ChunkPlte:
                    // libpng: a second PLTE is a hard error ("PLTE: duplicate"), in grey images too (which ignore the first).
                    if (seenPlteChunk)
                    {
                        throw new ImageDecodeException(source, "corrupt PNG: duplicate PLTE chunk");
                    }

                    seenPlteChunk = true;
                    if (seenData)
                    {
                        throw new ImageDecodeException(source, "corrupt PNG: PLTE after IDAT");
                    }

                    if (length % 3 != 0 || length == 0 || length > 768)
                    {
                        if (info.ColorType == 3)
                        {
                            throw new ImageDecodeException(source, $"corrupt PNG: invalid palette length {length}");
                        }

                        break;
                    }

                    // Grey images ignore PLTE; RGB images may carry one as a suggestion only.
                    if (info.ColorType == 3)
                    {
                        body.CopyTo(info.Palette);
                    }

                    seenPalette = true;
                    break;
                case ChunkIdat:
                    if (dataEnded)
                    {
                        throw new ImageDecodeException(source, "corrupt PNG: IDAT chunks are not consecutive");
                    }

                    if (info.ColorType == 3 && !seenPalette)
                    {
                        throw new ImageDecodeException(source, "corrupt PNG: palette image without a PLTE chunk before IDAT");
                    }

                    idat.Write(body);
                    seenData = true;
                    break;
                case ChunkGama:
                    if (length == 4)
                    {
                        uint gamma = BinaryPrimitives.ReadUInt32BigEndian(body);
                        info.HasSignificantGamma |= gamma < 95_000 || gamma > 105_000;
                    }

                    break;
                case ChunkSrgb:
                    info.HasSignificantGamma = true;
                    break;
                case ChunkIend:
                    if (!seenData)
                    {
                        throw new ImageDecodeException(source, "corrupt PNG: no IDAT chunk before IEND");
                    }

                    info.CompressedData = idat.ToArray();
                    return info;
                default:
                    if (critical)
                    {
                        throw new ImageDecodeException(source, $"unsupported PNG: unknown critical chunk {ChunkName(type)}");
                    }

                    break;
            }
        }
    }

    private static void ReadHeader(ReadOnlySpan<byte> body, PngInfo info, string source, DecoderOptions options)
    {
        if (body.Length != 13)
        {
            throw new ImageDecodeException(source, $"corrupt PNG: IHDR length {body.Length}, expected 13");
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(body);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        int bitDepth = body[8];
        int colorType = body[9];
        if (width == 0 || height == 0)
        {
            throw new ImageDecodeException(source, $"corrupt PNG: image size {width}x{height} is empty");
        }

        if (width > LibpngMaxDimension || height > LibpngMaxDimension)
        {
            throw new ImageDecodeException(source, $"unsupported PNG: size {width}x{height} exceeds libpng's limit of {LibpngMaxDimension} per side");
        }

        if ((long)width * height > options.MaxPixels)
        {
            throw new ImageDecodeException(source, $"PNG size {width}x{height} exceeds the limit of {options.MaxPixels} pixels");
        }

        bool depthValid = colorType switch
        {
            0 => bitDepth is 1 or 2 or 4 or 8 or 16,
            3 => bitDepth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => bitDepth is 8 or 16,
            _ => false,
        };
        if (!depthValid)
        {
            throw new ImageDecodeException(source, $"corrupt PNG: invalid colour type {colorType} with bit depth {bitDepth}");
        }

        if (body[10] != 0 || body[11] != 0 || body[12] > 1)
        {
            throw new ImageDecodeException(source, $"corrupt PNG: invalid compression {body[10]}, filter {body[11]} or interlace {body[12]} method");
        }

        info.Width = (int)width;
        info.Height = (int)height;
        info.BitDepth = bitDepth;
        info.ColorType = colorType;
        info.Interlaced = body[12] == 1;
    }

    private static string ChunkName(uint type) => string.Create(4, type, static (span, t) =>
    {
        for (int i = 0; i < 4; i++)
        {
            byte c = (byte)(t >> (24 - 8 * i));
            span[i] = c is >= 0x20 and < 0x7F ? (char)c : '?';
        }
    });

    // Adam7 passes: start column, start row, column step, row step.
    private static readonly int[] PassStartX = [0, 4, 0, 2, 0, 1, 0];
    private static readonly int[] PassStartY = [0, 0, 4, 0, 2, 0, 1];
    private static readonly int[] PassStepX = [8, 8, 4, 4, 2, 2, 1];
    private static readonly int[] PassStepY = [8, 8, 8, 4, 4, 2, 2];

    private static void Reconstruct(PngInfo info, string source, byte[] output, bool gray, DecodeReportBuilder? warnings = null)
    {
        int channels = info.ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        int bitsPerPixel = channels * info.BitDepth;
        int filterDistance = Math.Max(1, bitsPerPixel / 8);
        int outChannels = gray ? 1 : 3;
        long maxRowBytes = ((long)info.Width * bitsPerPixel + 7) / 8;
        if (maxRowBytes + 1 > Array.MaxLength)
        {
            throw new ImageDecodeException(source, $"unsupported PNG: a row of {maxRowBytes} bytes is too long");
        }

        var current = new byte[maxRowBytes + 1];
        var previous = new byte[maxRowBytes + 1];
        var converted = new byte[(long)info.Width * outChannels];
        using var compressed = new EndSensingStream(info.CompressedData);
        using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
        int passCount = info.Interlaced ? 7 : 1;
        for (int pass = 0; pass < passCount; pass++)
        {
            int startX = info.Interlaced ? PassStartX[pass] : 0;
            int startY = info.Interlaced ? PassStartY[pass] : 0;
            int stepX = info.Interlaced ? PassStepX[pass] : 1;
            int stepY = info.Interlaced ? PassStepY[pass] : 1;
            if (startX >= info.Width || startY >= info.Height)
            {
                continue; // empty passes have no filter bytes at all
            }

            int passWidth = (info.Width - startX + stepX - 1) / stepX;
            int passHeight = (info.Height - startY + stepY - 1) / stepY;
            int rowBytes = (int)(((long)passWidth * bitsPerPixel + 7) / 8);
            Span<byte> previousRow = previous.AsSpan(1, rowBytes);
            previousRow.Clear();
            for (int passRow = 0; passRow < passHeight; passRow++)
            {
                Span<byte> line = current.AsSpan(0, rowBytes + 1);
                ReadFully(inflater, line, source);
                Span<byte> row = line[1..];
                Unfilter(line[0], row, previous.AsSpan(1, rowBytes), filterDistance, source);
                if (gray)
                {
                    ConvertRowToGray(info, row, passWidth, converted);
                }
                else
                {
                    ConvertRowToRgb(info, row, passWidth, converted);
                }

                int y = startY + passRow * stepY;
                long rowStart = (long)y * info.Width * outChannels;
                if (stepX == 1)
                {
                    converted.AsSpan(0, passWidth * outChannels).CopyTo(output.AsSpan((int)rowStart, passWidth * outChannels));
                }
                else
                {
                    for (int i = 0, x = startX; i < passWidth; i++, x += stepX)
                    {
                        long target = rowStart + (long)x * outChannels;
                        for (int c = 0; c < outChannels; c++)
                        {
                            output[target + c] = converted[i * outChannels + c];
                        }
                    }
                }

                (current, previous) = (previous, current);
            }
        }

        if (warnings is not null)
        {
            CheckDataEnd(inflater, compressed, warnings, source);
        }
    }

    /// <summary>
    /// The concatenated IDAT data, noting whether the inflater asked for more after the last byte: it only does when the
    /// zlib stream has not ended (a finished stream is never read further), which tells an unterminated stream apart.
    /// </summary>
    private sealed class EndSensingStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public bool ReadPastEnd { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Sensed(base.Read(buffer, offset, count), count);

        public override int Read(Span<byte> buffer) => Sensed(base.Read(buffer), buffer.Length);

        private int Sensed(int read, int wanted)
        {
            ReadPastEnd |= read == 0 && wanted > 0;
            return read;
        }
    }

    /// <summary>
    /// Reads the zlib stream past the last row, as libpng's <c>png_read_end</c> does: this verifies its Adler-32
    /// checksum (a mismatch means some decompressed byte differs from what was written) and finds extra data.
    /// Both are only warnings in libpng, so the image stands.
    /// </summary>
    private static void CheckDataEnd(Stream inflater, EndSensingStream compressed, DecodeReportBuilder warnings, string source)
    {
        const long Limit = 1 << 26; // enough to tell; a decompression bomb hidden after the image is not inflated further
        Span<byte> scratch = stackalloc byte[4096];
        long extra = 0;
        try
        {
            int read;
            while (extra < Limit && (read = inflater.Read(scratch)) > 0)
            {
                extra += read;
            }
        }
        catch (InvalidDataException e)
        {
            warnings.Warn($"corrupt PNG: the compressed image data fails its zlib check after the last row ({e.Message}); pixels may be wrong");
            return;
        }

        // libpng's png_read_end needs the zlib stream's end: IDAT data that runs out before it is an error ("Not
        // enough image data") even when every row was read, and OpenCV refuses the file.
        if (extra < Limit && compressed.ReadPastEnd)
        {
            throw new ImageDecodeException(source, "truncated PNG: the compressed image data ends before its zlib stream does (not enough image data)");
        }

        if (extra > 0)
        {
            warnings.Warn($"corrupt PNG: {(extra >= Limit ? "at least " : string.Empty)}{extra} bytes of extra image data after the last row (ignored)", affectsPixels: false);
        }
    }

    private static void ReadFully(Stream stream, Span<byte> buffer, string source)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = stream.Read(buffer[filled..]);
            if (read == 0)
            {
                throw new ImageDecodeException(source, "truncated PNG: IDAT data ends early (not enough image data)");
            }

            filled += read;
        }
    }

    private static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> previous, int distance, string source)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1: // Sub
                for (int i = distance; i < row.Length; i++)
                {
                    row[i] = (byte)(row[i] + row[i - distance]);
                }

                break;
            case 2: // Up
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] = (byte)(row[i] + previous[i]);
                }

                break;
            case 3: // Average
                for (int i = 0; i < distance && i < row.Length; i++)
                {
                    row[i] = (byte)(row[i] + (previous[i] >> 1));
                }

                for (int i = distance; i < row.Length; i++)
                {
                    row[i] = (byte)(row[i] + ((row[i - distance] + previous[i]) >> 1));
                }

                break;
            case 4: // Paeth
                for (int i = 0; i < distance && i < row.Length; i++)
                {
                    row[i] = (byte)(row[i] + previous[i]);
                }

                for (int i = distance; i < row.Length; i++)
                {
                    row[i] = (byte)(row[i] + Paeth(row[i - distance], previous[i], previous[i - distance]));
                }

                break;
            default:
                throw new ImageDecodeException(source, $"corrupt PNG: bad adaptive filter value {filter}");
        }
    }

    /// <summary>The Paeth predictor of the PNG specification: whichever of left, up, up-left is nearest to left + up − up-left.</summary>
    internal static byte Paeth(byte left, byte up, byte upLeft)
    {
        int p = left + up - upLeft;
        int pa = Math.Abs(p - left);
        int pb = Math.Abs(p - up);
        int pc = Math.Abs(p - upLeft);
        if (pa <= pb && pa <= pc)
        {
            return left;
        }

        return pb <= pc ? up : upLeft;
    }

    /// <summary>Sample <paramref name="index"/> of a row packed at 1, 2 or 4 bits per sample, most significant bits first.</summary>
    private static int PackedSample(ReadOnlySpan<byte> row, int index, int bitDepth)
    {
        int bit = index * bitDepth;
        int shift = 8 - bitDepth - (bit & 7);
        return (row[bit >> 3] >> shift) & ((1 << bitDepth) - 1);
    }

    /// <summary>A grey sample scaled to 8 bits as libpng does (bit replication for 1/2/4 bits, high byte for 16).</summary>
    private static byte GraySample(ReadOnlySpan<byte> row, int index, int bitDepth) => bitDepth switch
    {
        8 => row[index],
        16 => row[index * 2],
        1 => (byte)(PackedSample(row, index, 1) * 255),
        2 => (byte)(PackedSample(row, index, 2) * 85),
        _ => (byte)(PackedSample(row, index, 4) * 17),
    };

    private static void ConvertRowToRgb(PngInfo info, ReadOnlySpan<byte> row, int width, byte[] rgb)
    {
        int depth = info.BitDepth;
        switch (info.ColorType)
        {
            case 0:
                for (int x = 0; x < width; x++)
                {
                    byte v = GraySample(row, x, depth);
                    rgb[3 * x] = v;
                    rgb[3 * x + 1] = v;
                    rgb[3 * x + 2] = v;
                }

                break;
            case 4:
            {
                int stride = depth == 8 ? 2 : 4;
                for (int x = 0; x < width; x++)
                {
                    byte v = row[x * stride];
                    rgb[3 * x] = v;
                    rgb[3 * x + 1] = v;
                    rgb[3 * x + 2] = v;
                }

                break;
            }

            case 3:
            {
                byte[] palette = info.Palette;
                for (int x = 0; x < width; x++)
                {
                    int index = depth == 8 ? row[x] : PackedSample(row, x, depth);
                    rgb[3 * x] = palette[3 * index];
                    rgb[3 * x + 1] = palette[3 * index + 1];
                    rgb[3 * x + 2] = palette[3 * index + 2];
                }

                break;
            }

            default: // 2 = RGB, 6 = RGBA; 16-bit samples keep their high (first) byte
            {
                int sampleBytes = depth / 8;
                int stride = (info.ColorType == 2 ? 3 : 4) * sampleBytes;
                if (stride == 3)
                {
                    row[..(3 * width)].CopyTo(rgb);
                    break;
                }

                for (int x = 0; x < width; x++)
                {
                    int s = x * stride;
                    rgb[3 * x] = row[s];
                    rgb[3 * x + 1] = row[s + sampleBytes];
                    rgb[3 * x + 2] = row[s + 2 * sampleBytes];
                }

                break;
            }
        }
    }

    private static void ConvertRowToGray(PngInfo info, ReadOnlySpan<byte> row, int width, byte[] gray)
    {
        int depth = info.BitDepth;
        switch (info.ColorType)
        {
            case 0:
                for (int x = 0; x < width; x++)
                {
                    gray[x] = GraySample(row, x, depth);
                }

                break;
            case 4:
            {
                int stride = depth == 8 ? 2 : 4;
                for (int x = 0; x < width; x++)
                {
                    gray[x] = row[x * stride];
                }

                break;
            }

            case 3:
            {
                byte[] palette = info.Palette;
                for (int x = 0; x < width; x++)
                {
                    int index = depth == 8 ? row[x] : PackedSample(row, x, depth);
                    gray[x] = Luma8(palette[3 * index], palette[3 * index + 1], palette[3 * index + 2]);
                }

                break;
            }

            default:
            {
                int channels = info.ColorType == 2 ? 3 : 4;
                if (depth == 8)
                {
                    for (int x = 0; x < width; x++)
                    {
                        int s = x * channels;
                        gray[x] = Luma8(row[s], row[s + 1], row[s + 2]);
                    }
                }
                else
                {
                    for (int x = 0; x < width; x++)
                    {
                        int s = x * channels * 2;
                        int r = (row[s] << 8) | row[s + 1];
                        int g = (row[s + 2] << 8) | row[s + 3];
                        int b = (row[s + 4] << 8) | row[s + 5];
                        int y16 = (GrayRedCoefficient * r + GrayGreenCoefficient * g + GrayBlueCoefficient * b + 16384) >> 15;
                        gray[x] = (byte)(y16 >> 8);
                    }
                }

                break;
            }
        }
    }

    /// <summary>libpng's 8-bit rgb_to_gray without gamma: truncating 15-bit fixed point; exact grey is passed through.</summary>
    private static byte Luma8(byte r, byte g, byte b)
    {
        if (r == g && r == b)
        {
            return r;
        }

        return (byte)((GrayRedCoefficient * r + GrayGreenCoefficient * g + GrayBlueCoefficient * b) >> 15);
    }
}
