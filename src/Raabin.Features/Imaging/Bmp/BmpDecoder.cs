using System.Buffers.Binary;

namespace Raabin.Features.Imaging.Bmp;

/// <summary>
/// Decodes Windows BMP files to the pixels OpenCV 4.6's <c>cv2.imread(path, IMREAD_COLOR)</c> returns for them.
/// Supported: info headers of 36 bytes or more (BITMAPINFOHEADER, V4, V5), bottom-up and top-down rows,
/// 24-bit BGR; 32-bit BI_RGB or BI_BITFIELDS with the standard masks (alpha dropped, never composited);
/// 16-bit 5-5-5 (BI_RGB or BI_BITFIELDS) and 5-6-5 (BI_BITFIELDS); 1-, 4- and 8-bit palettes (BI_RGB);
/// run-length encoded 8-bit (BI_RLE8) and 4-bit (BI_RLE4) palettes.
/// </summary>
/// <remarks>
/// As in OpenCV: the palette (<c>biClrUsed</c> entries, or 2^bits when 0) is read right after the info header
/// and indices past it give black; 16-bit channels are widened by a left shift without bit replication
/// (5 bits → value × 8, 6 bits → value × 4); rows are padded to 4 bytes and every row must be complete.
/// OS/2 12-byte headers and other masks are refused with <see cref="ImageDecodeException"/>.
/// <para>RLE follows OpenCV's reader, which differs from the Windows description in places: pixels skipped by
/// end-of-line, delta and end-of-bitmap escapes are palette entry 0; a delta (dx, dy) advances dy × width + dx
/// pixels in raster order; in RLE8 a run that ends exactly at the row end moves to the next row and an end-of-line
/// right after it is ignored, while an absolute run never moves on by itself; in RLE4 no run moves on by itself,
/// the dy of a delta is ignored and end-of-bitmap only ends the current line. Where OpenCV gives up (a run or
/// absolute run past the row end, data ending before the last row) <c>imread</c> returns nothing and this decoder
/// throws an <see cref="ImageDecodeException"/> naming the problem.</para>
/// </remarks>
public static class BmpDecoder
{
    private const int FileHeaderSize = 14;
    private const int CompressionRgb = 0;
    private const int CompressionRle8 = 1;
    private const int CompressionRle4 = 2;
    private const int CompressionBitfields = 3;

    /// <summary>True when <paramref name="header"/> starts with the BMP magic "BM".</summary>
    /// <param name="header">The first bytes of a file (at least 2 for a positive answer).</param>
    public static bool IsBmp(ReadOnlySpan<byte> header) => header.Length >= 2 && header[0] == (byte)'B' && header[1] == (byte)'M';

    /// <summary>Decodes a BMP to RGB exactly as <c>cv2.imread(path, cv2.IMREAD_COLOR)</c> (then BGR → RGB) would.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="source">The file name used in error messages.</param>
    /// <param name="options">Limits checked before allocation.</param>
    /// <returns>The image, 8 bits per channel.</returns>
    /// <exception cref="ImageDecodeException">The data is not a supported BMP, is truncated, or exceeds
    /// <see cref="DecoderOptions.MaxPixels"/>.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string source, DecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            return DecodeCore(data, source, options);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            throw new ImageDecodeException(source, "corrupt BMP: " + e.Message, e);
        }
    }

    private static RgbImage DecodeCore(ReadOnlySpan<byte> data, string source, DecoderOptions options)
    {
        if (!IsBmp(data))
        {
            throw new ImageDecodeException(source, "not a BMP: missing 'BM' signature");
        }

        if (data.Length < FileHeaderSize + 4)
        {
            throw new ImageDecodeException(source, "truncated BMP: file ends inside the headers");
        }

        uint pixelOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[10..]);
        uint headerSize = BinaryPrimitives.ReadUInt32LittleEndian(data[14..]);
        if (headerSize == 12)
        {
            throw new ImageDecodeException(source, "unsupported BMP: OS/2 12-byte header");
        }

        if (headerSize < 36 || headerSize > int.MaxValue - FileHeaderSize)
        {
            throw new ImageDecodeException(source, $"corrupt BMP: info header size {headerSize}");
        }

        if (data.Length < FileHeaderSize + 36)
        {
            throw new ImageDecodeException(source, "truncated BMP: file ends inside the info header");
        }

        int width = BinaryPrimitives.ReadInt32LittleEndian(data[18..]);
        int signedHeight = BinaryPrimitives.ReadInt32LittleEndian(data[22..]);
        int bitsPerPixel = BinaryPrimitives.ReadUInt16LittleEndian(data[28..]);
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(data[30..]);
        uint colorsUsed = BinaryPrimitives.ReadUInt32LittleEndian(data[46..]);

        if (width <= 0 || signedHeight == 0 || signedHeight == int.MinValue)
        {
            throw new ImageDecodeException(source, $"corrupt BMP: image size {width}x{signedHeight}");
        }

        bool bottomUp = signedHeight > 0;
        int height = Math.Abs(signedHeight);
        bool supported = compression switch
        {
            CompressionRgb => bitsPerPixel is 1 or 4 or 8 or 16 or 24 or 32,
            CompressionBitfields => bitsPerPixel is 16 or 32,
            CompressionRle8 => bitsPerPixel == 8,
            CompressionRle4 => bitsPerPixel == 4,
            _ => false,
        };
        if (!supported)
        {
            throw new ImageDecodeException(source, $"BMP: unsupported compression {compression} with {bitsPerPixel} bits");
        }

        if ((long)width * height > options.MaxPixels)
        {
            throw new ImageDecodeException(source, $"BMP size {width}x{height} exceeds the limit of {options.MaxPixels} pixels");
        }

        long afterHeader = FileHeaderSize + (long)headerSize;
        bool is565 = false;
        if (compression == CompressionBitfields)
        {
            // OpenCV reads 16-bit masks right after the info header; the masks of V4/V5 headers sit inside
            // the header, where OpenCV does not look, so those files are refused rather than misread.
            long maskOffset = headerSize == 40 ? afterHeader : FileHeaderSize + 40;
            if (bitsPerPixel == 16 && headerSize != 40)
            {
                throw new ImageDecodeException(source, $"BMP: unsupported 16-bit bit fields with a {headerSize}-byte header");
            }

            if (data.Length < maskOffset + 12)
            {
                throw new ImageDecodeException(source, "truncated BMP: file ends inside the bit-field masks");
            }

            uint red = BinaryPrimitives.ReadUInt32LittleEndian(data[(int)maskOffset..]);
            uint green = BinaryPrimitives.ReadUInt32LittleEndian(data[(int)(maskOffset + 4)..]);
            uint blue = BinaryPrimitives.ReadUInt32LittleEndian(data[(int)(maskOffset + 8)..]);
            if (bitsPerPixel == 32 && (red, green, blue) != (0xFF0000u, 0xFF00u, 0xFFu))
            {
                throw new ImageDecodeException(source, $"BMP: unsupported 32-bit masks R={red:X8} G={green:X8} B={blue:X8}");
            }

            if (bitsPerPixel == 16)
            {
                if ((red, green, blue) == (0xF800u, 0x7E0u, 0x1Fu))
                {
                    is565 = true;
                }
                else if ((red, green, blue) != (0x7C00u, 0x3E0u, 0x1Fu))
                {
                    throw new ImageDecodeException(source, $"BMP: unsupported 16-bit masks R={red:X8} G={green:X8} B={blue:X8}");
                }
            }
        }

        var palette = new byte[256 * 4]; // B, G, R, reserved; entries not in the file stay black
        if (bitsPerPixel <= 8)
        {
            if (colorsUsed > 256)
            {
                throw new ImageDecodeException(source, $"corrupt BMP: {colorsUsed} palette colours for {bitsPerPixel} bits");
            }

            int entries = colorsUsed == 0 ? 1 << bitsPerPixel : (int)colorsUsed;
            if (data.Length < afterHeader + entries * 4L)
            {
                throw new ImageDecodeException(source, "truncated BMP: file ends inside the palette");
            }

            data.Slice((int)afterHeader, entries * 4).CopyTo(palette);
        }

        if (compression is CompressionRle8 or CompressionRle4)
        {
            var rle = new RgbImage(width, height);
            ReadOnlySpan<byte> stream = pixelOffset <= data.Length ? data[(int)pixelOffset..] : [];
            DecodeRle(stream, rle, bottomUp, compression == CompressionRle4, palette, source);
            return rle;
        }

        long rowBytes = (((long)width * bitsPerPixel + 7) / 8 + 3) & ~3L;
        if (pixelOffset > data.Length || data.Length - (long)pixelOffset < rowBytes * height)
        {
            throw new ImageDecodeException(source, $"truncated BMP: pixel data needs {rowBytes * height} bytes from offset {pixelOffset}, file has {data.Length} bytes");
        }

        var image = new RgbImage(width, height);
        byte[] output = image.Pixels;
        int stride = image.Stride;
        for (int fileRow = 0; fileRow < height; fileRow++)
        {
            ReadOnlySpan<byte> row = data.Slice((int)(pixelOffset + fileRow * rowBytes), (int)rowBytes);
            int y = bottomUp ? height - 1 - fileRow : fileRow;
            Span<byte> target = output.AsSpan(y * stride, stride);
            ConvertRow(row, target, width, bitsPerPixel, is565, palette);
        }

        return image;
    }

    /// <summary>
    /// BI_RLE8 / BI_RLE4 as OpenCV 4.6's <c>BmpDecoder::readData</c> reads them (see the class remarks). The position
    /// runs over rows in file order; <see cref="RleCursor.Fill"/> is OpenCV's fill-and-wrap step.
    /// </summary>
    private static void DecodeRle(ReadOnlySpan<byte> stream, RgbImage image, bool bottomUp, bool rle4, byte[] palette, string source)
    {
        int width = image.Width, height = image.Height;
        var cursor = new RleCursor(image, bottomUp);
        int at = 0;
        bool wrappedByRun = false; // RLE8: the last encoded run ended its row exactly and moved on
        while (true)
        {
            if (at + 2 > stream.Length)
            {
                throw new ImageDecodeException(source, $"truncated BMP: RLE data ends at row {cursor.FileRow} of {height} (no end of bitmap)");
            }

            int count = stream[at];
            int code = stream[at + 1];
            at += 2;
            if (count != 0)
            {
                if (cursor.X + count > width)
                {
                    throw new ImageDecodeException(source, $"corrupt BMP: RLE run of {count} pixels at column {cursor.X} of row {cursor.FileRow} runs past the row end ({width} pixels)");
                }

                if (rle4)
                {
                    for (int i = 0; i < count; i++)
                    {
                        cursor.Put(palette, (i & 1) == 0 ? code >> 4 : code & 0x0F);
                    }
                }
                else
                {
                    int row = cursor.FileRow;
                    cursor.Fill(count, palette, code);
                    wrappedByRun = cursor.FileRow != row;
                    if (cursor.FileRow >= height)
                    {
                        return;
                    }
                }
            }
            else if (code > 2)
            {
                // Absolute mode: 'code' literal indices, padded to a 16-bit boundary.
                if (cursor.X + code > width)
                {
                    throw new ImageDecodeException(source, $"corrupt BMP: RLE absolute run of {code} pixels at column {cursor.X} of row {cursor.FileRow} runs past the row end ({width} pixels)");
                }

                int size = rle4 ? (((code + 1) >> 1) + 1) & ~1 : (code + 1) & ~1;
                if (at + size > stream.Length)
                {
                    throw new ImageDecodeException(source, $"truncated BMP: RLE data ends inside an absolute run at row {cursor.FileRow}");
                }

                for (int i = 0; i < code; i++)
                {
                    cursor.Put(palette, rle4 ? (stream[at + (i >> 1)] >> ((i & 1) == 0 ? 4 : 0)) & 0x0F : stream[at + i]);
                }

                at += size;
                wrappedByRun = false;
            }
            else if (rle4)
            {
                // End of line, end of bitmap (OpenCV: also just end of line) or delta (OpenCV: dx only).
                long skip = width - cursor.X;
                if (code == 2)
                {
                    if (at + 2 > stream.Length)
                    {
                        throw new ImageDecodeException(source, $"truncated BMP: RLE data ends inside a delta escape at row {cursor.FileRow}");
                    }

                    skip = stream[at];
                    at += 2;
                }

                cursor.Fill(skip, palette, 0);
                if (cursor.FileRow >= height)
                {
                    return;
                }
            }
            else
            {
                long skip = width - cursor.X;
                long rowsLeft = height - cursor.FileRow;
                if (code != 0 || !wrappedByRun || skip < width)
                {
                    if (code == 2)
                    {
                        if (at + 2 > stream.Length)
                        {
                            throw new ImageDecodeException(source, $"truncated BMP: RLE data ends inside a delta escape at row {cursor.FileRow}");
                        }

                        skip = stream[at];
                        rowsLeft = stream[at + 1];
                        at += 2;
                    }

                    if (code != 0)
                    {
                        skip += rowsLeft * width; // end of bitmap: the rest of the image; delta: dy rows on
                    }

                    cursor.Fill(skip, palette, 0);
                }

                wrappedByRun = false;
                if (cursor.FileRow >= height)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Where the next RLE pixel goes: column <see cref="X"/> of row <see cref="FileRow"/> in file order.</summary>
    private sealed class RleCursor(RgbImage image, bool bottomUp)
    {
        public int X { get; private set; }

        public int FileRow { get; private set; }

        /// <summary>Writes one pixel and advances without wrapping (an RLE run or absolute run never wraps by itself).</summary>
        public void Put(byte[] palette, int index)
        {
            int y = bottomUp ? image.Height - 1 - FileRow : FileRow;
            int o = y * image.Stride + 3 * X;
            image.Pixels[o] = palette[4 * index + 2];
            image.Pixels[o + 1] = palette[4 * index + 1];
            image.Pixels[o + 2] = palette[4 * index];
            X++;
        }

        /// <summary>
        /// OpenCV's <c>FillUniColor</c>: writes <paramref name="count"/> pixels of one palette entry, moving to the
        /// next row whenever the row end is reached (also when <paramref name="count"/> is 0 and the row is
        /// already full), and stops after the last row.
        /// </summary>
        public void Fill(long count, byte[] palette, int index)
        {
            do
            {
                int n = (int)Math.Min(count, image.Width - X);
                count -= n;
                for (int i = 0; i < n; i++)
                {
                    Put(palette, index);
                }

                if (X >= image.Width)
                {
                    X = 0;
                    if (++FileRow >= image.Height)
                    {
                        return;
                    }
                }
            }
            while (count > 0);
        }
    }

    private static void ConvertRow(ReadOnlySpan<byte> row, Span<byte> rgb, int width, int bitsPerPixel, bool is565, byte[] palette)
    {
        switch (bitsPerPixel)
        {
            case 24:
                for (int x = 0; x < width; x++)
                {
                    rgb[3 * x] = row[3 * x + 2];
                    rgb[3 * x + 1] = row[3 * x + 1];
                    rgb[3 * x + 2] = row[3 * x];
                }

                break;
            case 32:
                for (int x = 0; x < width; x++)
                {
                    rgb[3 * x] = row[4 * x + 2];
                    rgb[3 * x + 1] = row[4 * x + 1];
                    rgb[3 * x + 2] = row[4 * x];
                }

                break;
            case 16:
                for (int x = 0; x < width; x++)
                {
                    int v = row[2 * x] | (row[2 * x + 1] << 8);
                    rgb[3 * x + 2] = (byte)((v << 3) & 0xF8);
                    if (is565)
                    {
                        rgb[3 * x + 1] = (byte)((v >> 3) & 0xFC);
                        rgb[3 * x] = (byte)((v >> 8) & 0xF8);
                    }
                    else
                    {
                        rgb[3 * x + 1] = (byte)((v >> 2) & 0xF8);
                        rgb[3 * x] = (byte)((v >> 7) & 0xF8);
                    }
                }

                break;
            default: // 1, 4, 8: palette indices, most significant bits first
                for (int x = 0; x < width; x++)
                {
                    int index = bitsPerPixel switch
                    {
                        8 => row[x],
                        4 => (row[x >> 1] >> ((x & 1) == 0 ? 4 : 0)) & 0x0F,
                        _ => (row[x >> 3] >> (7 - (x & 7))) & 1,
                    };
                    rgb[3 * x] = palette[4 * index + 2];
                    rgb[3 * x + 1] = palette[4 * index + 1];
                    rgb[3 * x + 2] = palette[4 * index];
                }

                break;
        }
    }
}
