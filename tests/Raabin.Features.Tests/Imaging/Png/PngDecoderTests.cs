using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Png;

namespace Raabin.Features.Tests.Imaging.Png;

public class PngDecoderTests
{
    public static TheoryData<string> Files => CodecFixtures.GoldenFiles("Png");

    [Theory]
    [MemberData(nameof(Files))]
    public void Colour_decode_matches_opencv_imread(string file)
    {
        string[] golden = CodecFixtures.GoldenRow("Png", file);
        byte[] data = CodecFixtures.Read("Png", file);
        Assert.True(PngDecoder.IsPng(data));
        RgbImage image = PngDecoder.Decode(data, file, DecoderOptions.Default);
        Assert.Equal(CodecFixtures.Int(golden[1]), image.Width);
        Assert.Equal(CodecFixtures.Int(golden[2]), image.Height);
        Assert.Equal(golden[3], CodecFixtures.Sha256(image.Pixels));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Grey_decode_matches_opencv_imread_grayscale(string file)
    {
        string[] golden = CodecFixtures.GoldenRow("Png", file);
        byte[] data = CodecFixtures.Read("Png", file);
        if (file == "rgb8_gama.png")
        {
            // libpng converts colour to grey through gamma tables here; we refuse rather than differ.
            var error = Assert.Throws<ImageDecodeException>(() => PngDecoder.DecodeGray(data, file, DecoderOptions.Default));
            Assert.Contains("gAMA", error.Problem);
            return;
        }

        GrayImage image = PngDecoder.DecodeGray(data, file, DecoderOptions.Default);
        Assert.Equal(CodecFixtures.Int(golden[1]), image.Width);
        Assert.Equal(CodecFixtures.Int(golden[2]), image.Height);
        Assert.Equal(golden[4], CodecFixtures.Sha256(image.Pixels));
    }

    [Fact]
    public void Mask_values_survive_as_grey_levels()
    {
        GrayImage mask = PngDecoder.DecodeGray(CodecFixtures.Read("Png", "mask_jtsc_001.png"), "mask", DecoderOptions.Default);
        var seen = new HashSet<byte>(mask.Pixels);
        Assert.Equal(new HashSet<byte> { 0, 128, 255 }, seen);
    }

    [Fact]
    public void IsPng_checks_the_whole_signature()
    {
        byte[] data = CodecFixtures.Read("Png", "rgb8.png");
        Assert.True(PngDecoder.IsPng(data.AsSpan(0, 8)));
        Assert.False(PngDecoder.IsPng(data.AsSpan(0, 7)));
        data[7] ^= 1;
        Assert.False(PngDecoder.IsPng(data));
    }

    [Fact]
    public void Size_over_the_pixel_limit_is_refused_before_decoding()
    {
        byte[] data = CodecFixtures.Read("Png", "rgb8.png");
        var options = new DecoderOptions { MaxPixels = 41 * 37 - 1 };
        var error = Assert.Throws<ImageDecodeException>(() => PngDecoder.Decode(data, "x.png", options));
        Assert.Contains("exceeds the limit", error.Problem);
        Assert.Equal("x.png", error.Source);
        Assert.NotNull(PngDecoder.Decode(data, "x.png", new DecoderOptions { MaxPixels = 41 * 37 }));
    }

    [Fact]
    public void Bad_crc_on_a_critical_chunk_is_an_error()
    {
        byte[] data = CodecFixtures.Read("Png", "rgb8.png");
        int idat = IndexOf(data, "IDAT"u8);
        data[idat + 4] ^= 0x40; // first byte of the IDAT data
        var error = Assert.Throws<ImageDecodeException>(() => PngDecoder.Decode(data, "x.png", DecoderOptions.Default));
        Assert.Contains("CRC error in IDAT", error.Problem);
    }

    [Fact]
    public void Bad_crc_on_an_ancillary_chunk_is_ignored_like_libpng()
    {
        byte[] data = CodecFixtures.Read("Png", "rgb8_gama.png");
        int gama = IndexOf(data, "gAMA"u8);
        data[gama + 4] ^= 0x01;
        RgbImage image = PngDecoder.Decode(data, "x.png", DecoderOptions.Default);
        Assert.Equal(CodecFixtures.GoldenRow("Png", "rgb8_gama.png")[3], CodecFixtures.Sha256(image.Pixels));
    }

    [Fact]
    public void Truncation_at_every_offset_gives_only_decode_errors()
    {
        byte[] data = CodecFixtures.Read("Png", "rgb8_3x2_adam7.png");
        for (int length = 0; length < data.Length; length++)
        {
            byte[] cut = data.AsSpan(0, length).ToArray();
            Assert.Throws<ImageDecodeException>(() => PngDecoder.Decode(cut, "cut.png", DecoderOptions.Default));
        }
    }

    [Fact]
    public void Truncation_inside_idat_names_the_problem()
    {
        byte[] data = CodecFixtures.Read("Png", "rgb8.png");
        int idat = IndexOf(data, "IDAT"u8);
        byte[] cut = data.AsSpan(0, idat + 100).ToArray();
        var error = Assert.Throws<ImageDecodeException>(() => PngDecoder.Decode(cut, "cut.png", DecoderOptions.Default));
        Assert.Equal("truncated PNG: IDAT chunk data ends early", error.Problem);
    }

    [Fact]
    public void Idat_stream_with_too_little_data_names_the_problem()
    {
        // A valid file whose single IDAT holds only the first half of the zlib stream (CRC recomputed).
        byte[] full = PngEncoder.Encode(new GrayImage(64, 64));
        int idat = IndexOf(full, "IDAT"u8);
        int length = (full[idat - 4] << 24) | (full[idat - 3] << 16) | (full[idat - 2] << 8) | full[idat - 1];
        byte[] body = full.AsSpan(idat + 4, Math.Max(3, length / 2)).ToArray();
        var png = new List<byte>(full.AsSpan(0, idat - 4).ToArray());
        png.AddRange(Chunk("IDAT", body));
        png.AddRange(Chunk("IEND", []));
        var error = Assert.Throws<ImageDecodeException>(() => PngDecoder.Decode(png.ToArray(), "short.png", DecoderOptions.Default));
        Assert.Contains("truncated PNG", error.Problem);
    }

    [Theory]
    [InlineData("rgb8.png", 11)]
    [InlineData("pal4_adam7.png", 12)]
    [InlineData("rgba16.png", 13)]
    public void Seeded_byte_flips_give_an_image_or_a_decode_error(string file, int seed)
    {
        byte[] original = CodecFixtures.Read("Png", file);
        var random = new Random(seed);
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] data = (byte[])original.Clone();
            int flips = 1 + random.Next(4);
            for (int i = 0; i < flips; i++)
            {
                data[random.Next(data.Length)] ^= (byte)(1 + random.Next(255));
            }

            try
            {
                RgbImage image = PngDecoder.Decode(data, "flip.png", DecoderOptions.Default);
                Assert.Equal(image.Width * image.Height * 3, image.Pixels.Length);
            }
            catch (ImageDecodeException e)
            {
                Assert.Equal("flip.png", e.Source);
            }
        }
    }

    [Fact]
    public void Flips_with_recomputed_crcs_reach_the_inflater_and_filters_safely()
    {
        // Corrupt IDAT payload but fix the CRC, so the zlib and filter paths see garbage.
        byte[] original = CodecFixtures.Read("Png", "rgb8_adam7.png");
        int idat = IndexOf(original, "IDAT"u8);
        int length = (original[idat - 4] << 24) | (original[idat - 3] << 16) | (original[idat - 2] << 8) | original[idat - 1];
        var random = new Random(7);
        int decoded = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] data = (byte[])original.Clone();
            data[idat + 4 + random.Next(length)] ^= (byte)(1 + random.Next(255));
            uint crc = Crc(data.AsSpan(idat, length + 4));
            data[idat + 4 + length] = (byte)(crc >> 24);
            data[idat + 5 + length] = (byte)(crc >> 16);
            data[idat + 6 + length] = (byte)(crc >> 8);
            data[idat + 7 + length] = (byte)crc;
            try
            {
                PngDecoder.Decode(data, "flip.png", DecoderOptions.Default);
                decoded++;
            }
            catch (ImageDecodeException e)
            {
                Assert.StartsWith("flip.png: ", e.Message);
            }
        }

        Assert.True(decoded < 300); // most payload flips must be detected (zlib/Adler or filter errors)
    }

    [Fact]
    public void Not_a_png_is_refused()
    {
        var error = Assert.Throws<ImageDecodeException>(() => PngDecoder.Decode("GIF89a-not-png"u8, "a.gif", DecoderOptions.Default));
        Assert.Equal("not a PNG: signature mismatch", error.Problem);
    }

    internal static int IndexOf(byte[] data, ReadOnlySpan<byte> pattern) => data.AsSpan().IndexOf(pattern);

    internal static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }

    internal static byte[] Chunk(string type, byte[] body)
    {
        var chunk = new byte[12 + body.Length];
        chunk[0] = (byte)(body.Length >> 24);
        chunk[1] = (byte)(body.Length >> 16);
        chunk[2] = (byte)(body.Length >> 8);
        chunk[3] = (byte)body.Length;
        for (int i = 0; i < 4; i++)
        {
            chunk[4 + i] = (byte)type[i];
        }

        body.CopyTo(chunk, 8);
        uint crc = Crc(chunk.AsSpan(4, 4 + body.Length));
        chunk[8 + body.Length] = (byte)(crc >> 24);
        chunk[9 + body.Length] = (byte)(crc >> 16);
        chunk[10 + body.Length] = (byte)(crc >> 8);
        chunk[11 + body.Length] = (byte)crc;
        return chunk;
    }
}
