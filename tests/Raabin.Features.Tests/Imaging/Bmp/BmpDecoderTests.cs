using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Bmp;
using Raabin.Features.Tests.Imaging.Png;

namespace Raabin.Features.Tests.Imaging.Bmp;

public class BmpDecoderTests
{
    public static TheoryData<string> Files => CodecFixtures.GoldenFiles("Bmp");

    [Theory]
    [MemberData(nameof(Files))]
    public void Decode_matches_opencv_imread(string file)
    {
        string[] golden = CodecFixtures.GoldenRow("Bmp", file);
        byte[] data = CodecFixtures.Read("Bmp", file);
        Assert.True(BmpDecoder.IsBmp(data));
        if (golden[3] == "none")
        {
            // OpenCV gives up on these (damaged RLE streams); this decoder throws, naming the file and the problem.
            var error = Assert.Throws<ImageDecodeException>(() => BmpDecoder.Decode(data, file, DecoderOptions.Default));
            Assert.Equal(file, error.Source);
            Assert.Matches("^(corrupt|truncated) BMP: RLE ", error.Problem);
            return;
        }

        RgbImage image = BmpDecoder.Decode(data, file, DecoderOptions.Default);
        Assert.Equal(CodecFixtures.Int(golden[1]), image.Width);
        Assert.Equal(CodecFixtures.Int(golden[2]), image.Height);
        Assert.Equal(golden[3], CodecFixtures.Sha256(image.Pixels));
    }

    [Fact]
    public void Hand_made_two_by_two_bottom_up_with_padding()
    {
        // 2x2, 24-bit, rows padded from 6 to 8 bytes; the first stored row is the bottom one.
        byte[] file = Make24(width: 2, height: 2,
        [
            1, 2, 3, 4, 5, 6, 0, 0,      // bottom row: (B,G,R) = (1,2,3), (4,5,6)
            7, 8, 9, 10, 11, 12, 0, 0,   // top row
        ]);
        RgbImage image = BmpDecoder.Decode(file, "hand.bmp", DecoderOptions.Default);
        Assert.Equal(new byte[] { 9, 8, 7, 12, 11, 10, 3, 2, 1, 6, 5, 4 }, image.Pixels);
    }

    [Fact]
    public void Hand_made_rle8_escapes_follow_opencv()
    {
        // 3 x 3 bottom-up, palette 0 = (1, 2, 3) BGR, 5 = (50, 60, 70). File row 0 (image bottom): run of 3 (wraps,
        // so the EOL after it is ignored); file row 1: a delta (+1, +0) skips one pixel, one pixel of 5, EOL fills
        // the rest with entry 0; EOB fills file row 2.
        byte[] rle = [3, 5, 0, 0, 0, 2, 1, 0, 1, 5, 0, 0, 0, 1];
        RgbImage image = BmpDecoder.Decode(MakeRle(3, 3, 1, rle), "rle.bmp", DecoderOptions.Default);
        byte[] z = [3, 2, 1], f = [70, 60, 50];
        byte[] expected = [.. z, .. z, .. z, .. z, .. f, .. z, .. f, .. f, .. f];
        Assert.Equal(expected, image.Pixels);
    }

    [Fact]
    public void Rle_streams_cut_at_every_length_give_an_image_or_a_decode_error()
    {
        foreach (string file in new[] { "rle8_bottom_up.bmp", "rle4_bottom_up.bmp", "rle8_escapes.bmp", "rle4_escapes.bmp" })
        {
            byte[] data = CodecFixtures.Read("Bmp", file);
            for (int length = 0; length < data.Length; length++)
            {
                try
                {
                    RgbImage image = BmpDecoder.Decode(data.AsSpan(0, length), "cut.bmp", DecoderOptions.Default);
                    Assert.Equal(image.Width * image.Height * 3, image.Pixels.Length);
                }
                catch (ImageDecodeException e)
                {
                    Assert.Equal("cut.bmp", e.Source);
                }
            }
        }
    }

    [Theory]
    [InlineData("rle8_bottom_up.bmp", 24)]
    [InlineData("rle4_top_down.bmp", 25)]
    public void Seeded_rle_byte_flips_give_an_image_or_a_decode_error(string file, int seed)
    {
        byte[] original = CodecFixtures.Read("Bmp", file);
        var random = new Random(seed);
        for (int trial = 0; trial < 500; trial++)
        {
            byte[] data = (byte[])original.Clone();
            for (int i = 0, flips = 1 + random.Next(4); i < flips; i++)
            {
                data[random.Next(data.Length)] ^= (byte)(1 + random.Next(255));
            }

            try
            {
                RgbImage image = BmpDecoder.Decode(data, "flip.bmp", new DecoderOptions { MaxPixels = 1_000_000 });
                Assert.Equal(image.Width * image.Height * 3, image.Pixels.Length);
            }
            catch (ImageDecodeException e)
            {
                Assert.Equal("flip.bmp", e.Source);
            }
        }
    }

    private static byte[] MakeRle(int width, int height, int compression, byte[] rle)
    {
        // 40-byte info header, 256-entry palette: entry 0 = (1, 2, 3), entry 5 = (50, 60, 70) as B, G, R.
        var palette = new byte[256 * 4];
        palette[0] = 1;
        palette[1] = 2;
        palette[2] = 3;
        palette[20] = 50;
        palette[21] = 60;
        palette[22] = 70;
        int offset = 14 + 40 + palette.Length;
        var file = new byte[offset + rle.Length];
        file[0] = (byte)'B';
        file[1] = (byte)'M';
        BitConverter.TryWriteBytes(file.AsSpan(2), file.Length);
        BitConverter.TryWriteBytes(file.AsSpan(10), offset);
        BitConverter.TryWriteBytes(file.AsSpan(14), 40);
        BitConverter.TryWriteBytes(file.AsSpan(18), width);
        BitConverter.TryWriteBytes(file.AsSpan(22), height);
        BitConverter.TryWriteBytes(file.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(file.AsSpan(28), (short)(compression == 2 ? 4 : 8));
        BitConverter.TryWriteBytes(file.AsSpan(30), compression);
        palette.CopyTo(file, 54);
        rle.CopyTo(file, offset);
        return file;
    }

    [Fact]
    public void Size_over_the_pixel_limit_is_refused_before_decoding()
    {
        byte[] data = CodecFixtures.Read("Bmp", "zheng_jtsc_002.bmp");
        var error = Assert.Throws<ImageDecodeException>(() => BmpDecoder.Decode(data, "big.bmp", new DecoderOptions { MaxPixels = 120 * 120 - 1 }));
        Assert.Contains("exceeds the limit", error.Problem);

        // A header claiming 50000 x 50000 on a tiny file fails on the limit, not on allocation.
        byte[] huge = Make24(50000, 50000, new byte[8]);
        Assert.Contains("exceeds the limit", Assert.Throws<ImageDecodeException>(() => BmpDecoder.Decode(huge, "huge.bmp", DecoderOptions.Default)).Problem);
    }

    [Fact]
    public void Truncation_at_every_offset_gives_only_decode_errors()
    {
        byte[] data = CodecFixtures.Read("Bmp", "pal4.bmp");
        for (int length = 0; length < data.Length; length++)
        {
            byte[] cut = data.AsSpan(0, length).ToArray();
            var error = Assert.Throws<ImageDecodeException>(() => BmpDecoder.Decode(cut, "cut.bmp", DecoderOptions.Default));
            Assert.Equal("cut.bmp", error.Source);
        }
    }

    [Theory]
    [InlineData("bgr24_bottom_up.bmp", 21)]
    [InlineData("pal8_clrused_100.bmp", 22)]
    [InlineData("bgra32_bitfields_v5_top_down.bmp", 23)]
    public void Seeded_header_byte_flips_give_an_image_or_a_decode_error(string file, int seed)
    {
        byte[] original = CodecFixtures.Read("Bmp", file);
        var random = new Random(seed);
        for (int trial = 0; trial < 400; trial++)
        {
            byte[] data = (byte[])original.Clone();
            int flips = 1 + random.Next(3);
            for (int i = 0; i < flips; i++)
            {
                data[random.Next(Math.Min(data.Length, 160))] ^= (byte)(1 + random.Next(255));
            }

            try
            {
                RgbImage image = BmpDecoder.Decode(data, "flip.bmp", new DecoderOptions { MaxPixels = 1_000_000 });
                Assert.Equal(image.Width * image.Height * 3, image.Pixels.Length);
            }
            catch (ImageDecodeException e)
            {
                Assert.Equal("flip.bmp", e.Source);
            }
        }
    }

    [Fact]
    public void Unsupported_variants_name_the_problem()
    {
        byte[] data = CodecFixtures.Read("Bmp", "bgra32_bitfields.bmp");
        data[54] = 0xFF; // red mask byte 0: 0x00FF00FF is not a standard mask
        Assert.StartsWith("BMP: unsupported 32-bit masks", Assert.Throws<ImageDecodeException>(() => BmpDecoder.Decode(data, "m.bmp", DecoderOptions.Default)).Problem);
        Assert.Equal("not a BMP: missing 'BM' signature",
            Assert.Throws<ImageDecodeException>(() => BmpDecoder.Decode("PK\u0003\u0004"u8, "z.zip", DecoderOptions.Default)).Problem);
        Assert.False(BmpDecoder.IsBmp("B"u8));
    }

    private static byte[] Make24(int width, int height, byte[] pixels)
    {
        var file = new byte[54 + pixels.Length];
        file[0] = (byte)'B';
        file[1] = (byte)'M';
        BitConverter.TryWriteBytes(file.AsSpan(2), file.Length);
        BitConverter.TryWriteBytes(file.AsSpan(10), 54);
        BitConverter.TryWriteBytes(file.AsSpan(14), 40);
        BitConverter.TryWriteBytes(file.AsSpan(18), width);
        BitConverter.TryWriteBytes(file.AsSpan(22), height);
        BitConverter.TryWriteBytes(file.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(file.AsSpan(28), (short)24);
        pixels.CopyTo(file, 54);
        return file;
    }
}
