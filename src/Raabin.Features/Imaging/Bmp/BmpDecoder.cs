using System.Buffers.Binary;

namespace Raabin.Features.Imaging.Bmp;

/// <summary>
/// Decodes Windows BMP files to the pixels OpenCV 4.6's <c>cv2.imread(path, IMREAD_COLOR)</c> returns for them.
/// Supported: info headers of 36 bytes or more (BITMAPINFOHEADER, V4, V5), bottom-up and top-down rows,
/// 24-bit BGR; 32-bit BI_RGB or BI_BITFIELDS with the standard masks (alpha dropped, never composited);
/// 16-bit 5-5-5 (BI_RGB or BI_BITFIELDS) and 5-6-5 (BI_BITFIELDS); 1-, 4- and 8-bit palettes (BI_RGB).
/// </summary>
/// <remarks>
/// As in OpenCV: the palette (<c>biClrUsed</c> entries, or 2^bits when 0) is read right after the info header
/// and indices past it give black; 16-bit channels are widened by a left shift without bit replication
/// (5 bits → value × 8, 6 bits → value × 4); rows are padded to 4 bytes and every row must be complete.
/// RLE4/RLE8, OS/2 12-byte headers and other masks are refused with <see cref="ImageDecodeException"/>.
/// </remarks>
public static class BmpDecoder
{
    private const int FileHeaderSize = 14;
    private const int CompressionRgb = 0;
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
