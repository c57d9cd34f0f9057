using System.Buffers.Binary;
using System.IO.Compression;
using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Png;

namespace Raabin.Features.Tests.Imaging.Png;

/// <summary>What libpng only warns about is reported; the pixels stay those of the intact file.</summary>
public class PngDamageReportTests
{
    private static byte[] Fixture() => File.ReadAllBytes(TestPaths.Fixture("Png", "rgb8.png"));

    /// <summary>Offset and body of the first chunk of a type.</summary>
    private static (int Offset, byte[] Body) FindChunk(byte[] png, string type)
    {
        int position = 8;
        while (position + 12 <= png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            if (System.Text.Encoding.ASCII.GetString(png, position + 4, 4) == type)
            {
                return (position, png.AsSpan(position + 8, length).ToArray());
            }

            position += 12 + length;
        }

        throw new InvalidOperationException($"no {type} chunk");
    }

    /// <summary>The file with its (single) IDAT chunk replaced by one holding <paramref name="body"/>, CRC correct.</summary>
    private static byte[] WithIdat(byte[] png, byte[] body)
    {
        var (offset, old) = FindChunk(png, "IDAT");
        return [.. png[..offset], .. PngDecoderTests.Chunk("IDAT", body), .. png[(offset + 12 + old.Length)..]];
    }

    private static RgbImage Decode(byte[] data, out DecodeReport report) => PngDecoder.Decode(data, "damaged.png", DecoderOptions.Default, out report);

    [Fact]
    public void Intact_file_has_an_empty_report()
    {
        Decode(Fixture(), out var report);

        Assert.Same(DecodeReport.Intact, report);
    }

    [Fact]
    public void Ancillary_chunk_with_a_bad_crc_is_ignored_and_reported_without_damage()
    {
        byte[] png = Fixture();
        byte[] text = PngDecoderTests.Chunk("tEXt", "Comment\0hello"u8.ToArray());
        text[^1] ^= 0x55;
        byte[] data = [.. png[..33], .. text, .. png[33..]]; // after the signature and the 25-byte IHDR chunk

        var image = Decode(data, out var report);

        Assert.Equal(Decode(png, out _).Pixels, image.Pixels);
        var only = Assert.Single(report.Warnings);
        Assert.Equal("corrupt PNG: CRC error in ancillary tEXt chunk at byte 33 (chunk ignored)", only.Message);
        Assert.False(only.AffectsPixels);
        Assert.False(report.IsDamaged);
    }

    [Fact]
    public void Checksum_error_reached_while_reading_the_rows_is_an_error_as_in_libpng()
    {
        byte[] png = Fixture();
        byte[] body = FindChunk(png, "IDAT").Body;
        body[^1] ^= 0x01; // the Adler-32, which zlib checks as soon as the last row's data is inflated

        Assert.Throws<ImageDecodeException>(() => Decode(WithIdat(png, body), out _));
    }

    [Fact]
    public void Checksum_error_after_the_last_row_is_damage()
    {
        byte[] body = Compress([.. Rows(Fixture()), .. new byte[10]]);
        body[^1] ^= 0x01; // the Adler-32, reached only when the extra data is read (libpng's png_read_end)

        var image = Decode(WithIdat(Fixture(), body), out var report);

        Assert.Equal(Decode(Fixture(), out _).Pixels, image.Pixels);
        var only = Assert.Single(report.Warnings);
        Assert.StartsWith("corrupt PNG: the compressed image data fails its zlib check after the last row", only.Message);
        Assert.True(report.IsDamaged);
    }

    private static byte[] Rows(byte[] png)
    {
        using var inflater = new ZLibStream(new MemoryStream(FindChunk(png, "IDAT").Body), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        inflater.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static byte[] Compress(byte[] raw)
    {
        var compressed = new MemoryStream();
        using (var deflater = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflater.Write(raw);
        }

        return compressed.ToArray();
    }

    [Fact]
    public void Extra_image_data_after_the_last_row_is_reported_without_damage()
    {
        byte[] png = Fixture();
        byte[] body = Compress([.. Rows(png), .. new byte[10]]);

        var image = Decode(WithIdat(png, body), out var report);

        Assert.Equal(Decode(png, out _).Pixels, image.Pixels);
        var only = Assert.Single(report.Warnings);
        Assert.Equal("corrupt PNG: 10 bytes of extra image data after the last row (ignored)", only.Message);
        Assert.False(report.IsDamaged);
    }
}
