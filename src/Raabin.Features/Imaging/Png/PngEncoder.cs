using System.Buffers.Binary;
using System.IO.Compression;

namespace Raabin.Features.Imaging.Png;

/// <summary>
/// Writes 8-bit RGB and 8-bit grey images as non-interlaced PNG files, favouring speed: each row gets the filter
/// (None, Sub, Up, Average or Paeth) whose output has the smallest sum of absolute values read as signed bytes
/// (the heuristic of the PNG specification), and the data is deflated at <see cref="CompressionLevel.Fastest"/>
/// into one IDAT chunk. OpenCV's <c>cv2.imread</c> and libpng read the files back unchanged.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Encodes an RGB image as an 8-bit truecolour PNG (colour type 2).</summary>
    /// <param name="image">The image.</param>
    /// <returns>The complete PNG file.</returns>
    public static byte[] Encode(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Encode(image.Pixels, image.Width, image.Height, channels: 3, colorType: 2);
    }

    /// <summary>Encodes a grey image as an 8-bit greyscale PNG (colour type 0).</summary>
    /// <param name="image">The image.</param>
    /// <returns>The complete PNG file.</returns>
    public static byte[] Encode(GrayImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Encode(image.Pixels, image.Width, image.Height, channels: 1, colorType: 0);
    }

    /// <summary>Writes an RGB image to <paramref name="path"/> as an 8-bit truecolour PNG, atomically replacing any file there.</summary>
    /// <param name="image">The image.</param>
    /// <param name="path">The output file path.</param>
    public static void Save(RgbImage image, string path) => IO.AtomicFile.WriteAllBytes(path, Encode(image));

    /// <summary>Writes a grey image to <paramref name="path"/> as an 8-bit greyscale PNG, atomically replacing any file there.</summary>
    /// <param name="image">The image.</param>
    /// <param name="path">The output file path.</param>
    public static void Save(GrayImage image, string path) => IO.AtomicFile.WriteAllBytes(path, Encode(image));

    private static byte[] Encode(byte[] pixels, int width, int height, int channels, byte colorType)
    {
        int rowBytes = width * channels;
        var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)height);
        header[8] = 8;
        header[9] = colorType;
        header[10] = 0;
        header[11] = 0;
        header[12] = 0;
        WriteChunk(output, "IHDR"u8, header);

        var compressed = new MemoryStream((int)Math.Min(int.MaxValue / 2, (long)rowBytes * height / 2 + 64));
        using (var deflater = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            var candidates = new byte[5][];
            for (int f = 0; f < 5; f++)
            {
                candidates[f] = new byte[rowBytes + 1];
                candidates[f][0] = (byte)f;
            }

            var zeroRow = new byte[rowBytes];
            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<byte> row = pixels.AsSpan(y * rowBytes, rowBytes);
                ReadOnlySpan<byte> above = y == 0 ? zeroRow : pixels.AsSpan((y - 1) * rowBytes, rowBytes);
                int best = ChooseFilter(row, above, channels, candidates);
                deflater.Write(candidates[best]);
            }
        }

        WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND"u8, ReadOnlySpan<byte>.Empty);
        return output.ToArray();
    }

    /// <summary>Fills all five filtered versions of a row and returns the filter with the smallest signed-byte sum.</summary>
    internal static int ChooseFilter(ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, int distance, byte[][] candidates)
    {
        int length = row.Length;
        Span<byte> none = candidates[0].AsSpan(1, length);
        Span<byte> sub = candidates[1].AsSpan(1, length);
        Span<byte> up = candidates[2].AsSpan(1, length);
        Span<byte> average = candidates[3].AsSpan(1, length);
        Span<byte> paeth = candidates[4].AsSpan(1, length);
        above = above[..length];
        row.CopyTo(none);
        long sumNone = 0, sumSub = 0, sumUp = 0, sumAverage = 0, sumPaeth = 0;
        int head = Math.Min(distance, length);
        for (int i = 0; i < head; i++)
        {
            // No left neighbour: Sub = None, Average uses up/2, Paeth predicts up.
            byte value = row[i];
            byte b = above[i];
            sub[i] = value;
            up[i] = (byte)(value - b);
            average[i] = (byte)(value - (b >> 1));
            paeth[i] = (byte)(value - b);
        }

        for (int i = distance; i < length; i++)
        {
            int value = row[i];
            int a = row[i - distance];
            int b = above[i];
            int c = above[i - distance];
            sub[i] = (byte)(value - a);
            up[i] = (byte)(value - b);
            average[i] = (byte)(value - ((a + b) >> 1));

            // Paeth predictor inlined (same rule as PngDecoder.Paeth).
            int pa = Math.Abs(b - c);
            int pb = Math.Abs(a - c);
            int pc = Math.Abs(a + b - 2 * c);
            int predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            paeth[i] = (byte)(value - predictor);
        }

        for (int i = 0; i < length; i++)
        {
            sumNone += Math.Abs((int)(sbyte)none[i]);
            sumSub += Math.Abs((int)(sbyte)sub[i]);
            sumUp += Math.Abs((int)(sbyte)up[i]);
            sumAverage += Math.Abs((int)(sbyte)average[i]);
            sumPaeth += Math.Abs((int)(sbyte)paeth[i]);
        }

        int best = 0;
        long bestSum = sumNone;
        if (sumSub < bestSum)
        {
            best = 1;
            bestSum = sumSub;
        }

        if (sumUp < bestSum)
        {
            best = 2;
            bestSum = sumUp;
        }

        if (sumAverage < bestSum)
        {
            best = 3;
            bestSum = sumAverage;
        }

        if (sumPaeth < bestSum)
        {
            best = 4;
        }

        return best;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> body)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)body.Length);
        output.Write(word);
        output.Write(type);
        output.Write(body);
        uint crc = PngCrc.Update(0xFFFFFFFFu, type);
        crc = PngCrc.Update(crc, body) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}
