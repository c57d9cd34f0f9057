namespace Raabin.Features.Imaging.Jpeg;

/// <summary>
/// Reads the EXIF Orientation tag the way OpenCV 4.6's <c>ExifReader</c> does and applies it the way <c>imread</c>
/// does, so decoded pixels match <c>cv2.imread(path)</c>. OpenCV takes the first APP1 segment (whatever its
/// signature), skips its first 6 bytes ("Exif\0\0"), reads the TIFF header ("II" little-endian, anything else
/// big-endian; 0x002A mark) and walks IFD0 only. Entries are parsed in order; an entry whose data lies outside the
/// segment stops the walk, keeping the entries already read; the first Orientation entry wins.
/// </summary>
internal static class ExifOrientation
{
    private const int OrientationTag = 0x0112;

    /// <summary>Returns the orientation (1..8) from the payload of the first APP1 segment, or 1.</summary>
    internal static int Read(ReadOnlySpan<byte> app1Payload)
    {
        if (app1Payload.Length <= 6)
        {
            return 1;
        }

        var tiff = app1Payload[6..];
        bool littleEndian = tiff.Length >= 2 && tiff[0] == 'I' && tiff[1] == 'I';
        try
        {
            if (ReadU16(tiff, 2, littleEndian) != 0x2A)
            {
                return 1;
            }

            long offset = ReadU32(tiff, 4, littleEndian);
            int entries = ReadU16(tiff, offset, littleEndian);
            offset += 2;
            for (int i = 0; i < entries; i++, offset += 12)
            {
                int tag = ReadU16(tiff, offset, littleEndian);
                int orientation = ParseEntry(tiff, offset, tag, littleEndian);
                if (tag == OrientationTag)
                {
                    return orientation is >= 1 and <= 8 ? orientation : 1;
                }
            }
        }
        catch (WalkEnded)
        {
            // OpenCV abandons the walk at the first out-of-range read.
        }

        return 1;
    }

    // Mirrors the reads OpenCV performs for each tag it knows, because any of them can end the walk.
    private static int ParseEntry(ReadOnlySpan<byte> tiff, long offset, int tag, bool littleEndian)
    {
        switch (tag)
        {
            case 0x010E: // ImageDescription
            case 0x010F: // Make
            case 0x0110: // Model
            case 0x0131: // Software
            case 0x0132: // DateTime
            case 0x8298: // Copyright
            {
                long size = ReadU32(tiff, offset + 4, littleEndian);
                long dataOffset = size > 4 ? ReadU32(tiff, offset + 8, littleEndian) : 8;
                if (dataOffset > tiff.Length || dataOffset + size > tiff.Length)
                {
                    throw new WalkEnded();
                }

                return 0;
            }

            case OrientationTag:
            case 0x0128: // ResolutionUnit
            case 0x0213: // YCbCrPositioning
                return ReadU16(tiff, offset + 8, littleEndian);
            case 0x011A: // XResolution
            case 0x011B: // YResolution
                ReadRationals(tiff, offset, 1, littleEndian);
                return 0;
            case 0x013E: // WhitePoint
                ReadRationals(tiff, offset, 2, littleEndian);
                return 0;
            case 0x013F: // PrimaryChromaticities
            case 0x0214: // ReferenceBlackWhite
                ReadRationals(tiff, offset, 6, littleEndian);
                return 0;
            case 0x0211: // YCbCrCoefficients
                ReadRationals(tiff, offset, 3, littleEndian);
                return 0;
            default:
                return 0;
        }
    }

    private static void ReadRationals(ReadOnlySpan<byte> tiff, long offset, int count, bool littleEndian)
    {
        // OpenCV keeps the offset in a 32-bit unsigned integer.
        uint rationalOffset = ReadU32(tiff, offset + 8, littleEndian);
        for (int i = 0; i < count; i++)
        {
            ReadU32(tiff, rationalOffset, littleEndian);
            ReadU32(tiff, (uint)(rationalOffset + 4), littleEndian);
            rationalOffset += 8;
        }
    }

    private static int ReadU16(ReadOnlySpan<byte> data, long offset, bool littleEndian)
    {
        if (offset + 1 >= data.Length)
        {
            throw new WalkEnded();
        }

        int a = data[(int)offset];
        int b = data[(int)offset + 1];
        return littleEndian ? a | (b << 8) : (a << 8) | b;
    }

    private static uint ReadU32(ReadOnlySpan<byte> data, long offset, bool littleEndian)
    {
        if (offset + 3 >= data.Length)
        {
            throw new WalkEnded();
        }

        uint a = data[(int)offset];
        uint b = data[(int)offset + 1];
        uint c = data[(int)offset + 2];
        uint d = data[(int)offset + 3];
        return littleEndian ? a | (b << 8) | (c << 16) | (d << 24) : (a << 24) | (b << 16) | (c << 8) | d;
    }

    /// <summary>
    /// Applies an orientation to an image as OpenCV's <c>ExifTransform</c> does: 2 mirror left-right, 3 rotate
    /// 180°, 4 mirror top-bottom, 5 transpose, 6 transpose then mirror left-right (90° clockwise), 7 transpose then
    /// rotate 180°, 8 transpose then mirror top-bottom (90° counter-clockwise). 1 and anything else: unchanged.
    /// </summary>
    internal static RgbImage Apply(RgbImage image, int orientation)
    {
        if (orientation is < 2 or > 8)
        {
            return image;
        }

        bool transpose = orientation >= 5;
        bool mirrorX = orientation is 2 or 3 or 6 or 7;
        bool mirrorY = orientation is 3 or 4 or 7 or 8;
        int width = transpose ? image.Height : image.Width;
        int height = transpose ? image.Width : image.Height;
        var result = new RgbImage(width, height);
        byte[] source = image.Pixels;
        byte[] target = result.Pixels;
        int sourceWidth = image.Width;
        for (int y = 0; y < height; y++)
        {
            int ty = mirrorY ? height - 1 - y : y;
            for (int x = 0; x < width; x++)
            {
                // (x, y) in the transposed-or-not image before mirroring reads source (sx, sy).
                int tx = mirrorX ? width - 1 - x : x;
                int sx = transpose ? ty : tx;
                int sy = transpose ? tx : ty;
                int s = (sy * sourceWidth + sx) * 3;
                int t = (y * width + x) * 3;
                target[t] = source[s];
                target[t + 1] = source[s + 1];
                target[t + 2] = source[s + 2];
            }
        }

        return result;
    }

    /// <summary>Ends the IFD walk when a read falls outside the segment (OpenCV's <c>ExifParsingError</c>).</summary>
    private sealed class WalkEnded : Exception
    {
    }
}
