using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Tiff;
using Raabin.Features.Tests.Imaging.Png;

namespace Raabin.Features.Tests.Imaging.Tiff;

public class TiffDecoderTests
{
    public static TheoryData<string> Files => CodecFixtures.GoldenFiles("Tiff");

    // Damaged Deflate strips: OpenCV's libdeflate leaves partial bytes no zlib reproduces, so these are refused.
    private static readonly HashSet<string> RefusedDamagedDeflate = ["bad_zip_corrupt.tif", "bad_zip_truncated.tif", "bad_zip_truncated_pred.tif"];

    [Theory]
    [MemberData(nameof(Files))]
    public void Decode_matches_opencv_imread(string file)
    {
        string[] golden = CodecFixtures.GoldenRow("Tiff", file);
        byte[] data = CodecFixtures.Read("Tiff", file);
        Assert.True(TiffDecoder.IsTiff(data));
        if (file.StartsWith("unsupported_", StringComparison.Ordinal) || golden[3] == "none")
        {
            // unsupported_*: OpenCV (libtiff) reads some of these, this decoder refuses them with a clear message;
            // golden "none": OpenCV returns None, this decoder throws.
            var error = Assert.Throws<ImageDecodeException>(() => TiffDecoder.Decode(data, file, DecoderOptions.Default));
            Assert.StartsWith("unsupported TIFF: ", error.Problem);
            return;
        }

        if (RefusedDamagedDeflate.Contains(file))
        {
            var error = Assert.Throws<ImageDecodeException>(() => TiffDecoder.Decode(data, file, DecoderOptions.Default));
            Assert.StartsWith("damaged TIFF: Deflate strip ", error.Problem);
            Assert.Contains("not reproduced", error.Problem);
            return;
        }

        RgbImage image = TiffDecoder.Decode(data, file, DecoderOptions.Default, out DecodeReport report);
        Assert.Equal(CodecFixtures.Int(golden[1]), image.Width);
        Assert.Equal(CodecFixtures.Int(golden[2]), image.Height);
        Assert.Equal(golden[3], CodecFixtures.Sha256(image.Pixels));

        // bad_*: damaged strips that OpenCV decodes in part (or, for the over-long PackBits run, cuts); the report says so.
        bool bad = file.StartsWith("bad_", StringComparison.Ordinal);
        Assert.Equal(bad, report.HasWarnings);
        Assert.Equal(bad && file != "bad_packbits_run_overflows_strip.tif", report.IsDamaged);
    }

    [Theory]
    [InlineData("unsupported_rgb16.tif", "unsupported TIFF: 16-bit samples")]
    [InlineData("unsupported_tiled.tif", "unsupported TIFF: tiled image")]
    [InlineData("unsupported_float_predictor.tif", "unsupported TIFF: floating-point predictor (3) on integer samples, which libtiff refuses")]
    [InlineData("pal4_packbits.tif", "unsupported TIFF: 4-bit samples")]
    public void Unsupported_variants_name_the_problem(string file, string problem)
    {
        byte[] data = CodecFixtures.Read("Tiff", file);
        Assert.Equal(problem, Assert.Throws<ImageDecodeException>(() => TiffDecoder.Decode(data, file, DecoderOptions.Default)).Problem);
    }

    [Fact]
    public void Hand_made_big_endian_packbits_grey()
    {
        // 4x1 grey, PackBits strip: literal (1 byte: 10) then repeat 200 three times -> 10, 200, 200, 200.
        byte[] strip = [0x00, 10, 0xFE, 200];
        var file = new List<byte> { (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 12 };
        file.AddRange(strip);
        void Entry(ushort tag, ushort type, uint value)
        {
            file.AddRange([(byte)(tag >> 8), (byte)tag, 0, (byte)type, 0, 0, 0, 1]);
            file.AddRange(type == 3 ? [(byte)(value >> 8), (byte)value, 0, 0] : [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
        }

        file.AddRange([0, 7]);
        Entry(256, 3, 4);
        Entry(257, 3, 1);
        Entry(258, 3, 8);
        Entry(259, 3, 32773);
        Entry(262, 3, 1);
        Entry(273, 4, 8);
        Entry(279, 4, (uint)strip.Length);
        file.AddRange([0, 0, 0, 0]);
        RgbImage image = TiffDecoder.Decode(file.ToArray(), "hand.tif", DecoderOptions.Default);
        Assert.Equal(new byte[] { 10, 10, 10, 200, 200, 200, 200, 200, 200, 200, 200, 200 }, image.Pixels);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x02, 0x99, 0x10, 0x38, 0x08 })] // TIFF 6.0: 9-bit codes, most significant bit first
    [InlineData(new byte[] { 0x00, 0x15, 0x20, 0x1B, 0x18, 0x10 })] // old style: least significant bit first
    public void Hand_made_lzw_grey(byte[] strip)
    {
        // Codes Clear, 10, 200, 259 (= entry "200 200", made by the code before), EOI -> 10, 200, 200, 200.
        RgbImage image = TiffDecoder.Decode(BigEndianGrey(4, 5, strip), "hand.tif", DecoderOptions.Default, out DecodeReport report);
        Assert.Equal(new byte[] { 10, 10, 10, 200, 200, 200, 200, 200, 200, 200, 200, 200 }, image.Pixels);
        Assert.False(report.HasWarnings);
    }

    [Fact]
    public void Lzw_code_not_yet_in_the_table_keeps_the_bytes_before_it()
    {
        // Clear, 10, 300 (no entry 300 yet): libtiff stops there; the byte 10 stays and the rest of the strip is zero.
        byte[] strip = [0x80, 0x02, 0xA5, 0x80];
        RgbImage image = TiffDecoder.Decode(BigEndianGrey(3, 5, strip), "bad.tif", DecoderOptions.Default, out DecodeReport report);
        Assert.Equal(new byte[] { 10, 10, 10, 0, 0, 0, 0, 0, 0 }, image.Pixels);
        Assert.True(report.IsDamaged);
        Assert.Contains("LZW code 300 not yet in the table", report.Summary);
    }

    [Fact]
    public void Deflate_with_a_bad_zlib_header_gives_a_zero_strip_as_libdeflate()
    {
        byte[] strip = [0x79, 0x9C, 0x01, 0x02, 0x03, 0x04, 0x05];
        RgbImage image = TiffDecoder.Decode(BigEndianGrey(2, 8, strip), "bad.tif", DecoderOptions.Default, out DecodeReport report);
        Assert.Equal(new byte[6], image.Pixels);
        Assert.Contains("invalid zlib header", report.Summary);
    }

    [Fact]
    public void Size_over_the_pixel_limit_is_refused_before_decoding()
    {
        byte[] data = CodecFixtures.Read("Tiff", "rgb_le_raw.tif");
        var error = Assert.Throws<ImageDecodeException>(() => TiffDecoder.Decode(data, "t.tif", new DecoderOptions { MaxPixels = 37 * 31 - 1 }));
        Assert.Contains("exceeds the limit", error.Problem);
    }

    [Fact]
    public void Truncation_at_every_offset_gives_only_decode_errors()
    {
        byte[] data = CodecFixtures.Read("Tiff", "gray_be_packbits_strips.tif");
        for (int length = 0; length < data.Length; length++)
        {
            byte[] cut = data.AsSpan(0, length).ToArray();
            Assert.Throws<ImageDecodeException>(() => TiffDecoder.Decode(cut, "cut.tif", DecoderOptions.Default));
        }
    }

    [Theory]
    [InlineData("rgb_le_packbits.tif", 31)]
    [InlineData("rgb_be_raw.tif", 32)]
    [InlineData("rgb_le_planar.tif", 33)]
    [InlineData("lzw_rgb_be_pred_strips.tif", 34)]
    [InlineData("lzw_compat_gray_noise_pred.tif", 35)]
    [InlineData("zip_rgb_pred_strips.tif", 36)]
    [InlineData("rgba_unassoc_lzw_pred_strips.tif", 37)]
    public void Seeded_byte_flips_give_an_image_or_a_decode_error(string file, int seed)
    {
        byte[] original = CodecFixtures.Read("Tiff", file);
        var random = new Random(seed);
        for (int trial = 0; trial < 400; trial++)
        {
            byte[] data = (byte[])original.Clone();
            int flips = 1 + random.Next(3);
            for (int i = 0; i < flips; i++)
            {
                // Bias towards the IFD and header (at the end and start of these files), where decisions are made.
                int at = random.Next(3) switch
                {
                    0 => random.Next(8),
                    1 => data.Length - 1 - random.Next(Math.Min(data.Length, 200)),
                    _ => random.Next(data.Length),
                };
                data[at] ^= (byte)(1 + random.Next(255));
            }

            try
            {
                RgbImage image = TiffDecoder.Decode(data, "flip.tif", new DecoderOptions { MaxPixels = 1_000_000 });
                Assert.Equal(image.Width * image.Height * 3, image.Pixels.Length);
            }
            catch (ImageDecodeException e)
            {
                Assert.Equal("flip.tif", e.Source);
            }
        }
    }

    [Fact]
    public void Not_a_tiff_is_refused()
    {
        Assert.False(TiffDecoder.IsTiff("II*"u8));
        Assert.Equal("not a TIFF: missing II*\\0 or MM\\0* header",
            Assert.Throws<ImageDecodeException>(() => TiffDecoder.Decode("IIxx0000"u8, "x.tif", DecoderOptions.Default)).Problem);
    }

    /// <summary>A big-endian greyscale TIFF, <paramref name="width"/> × 1, one strip with the given compression.</summary>
    private static byte[] BigEndianGrey(int width, ushort compression, byte[] strip)
    {
        var file = new List<byte> { (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8 };
        file.AddRange(strip);
        long ifd = file.Count;
        file[4] = (byte)(ifd >> 24);
        file[5] = (byte)(ifd >> 16);
        file[6] = (byte)(ifd >> 8);
        file[7] = (byte)ifd;
        void Entry(ushort tag, ushort type, uint value)
        {
            file.AddRange([(byte)(tag >> 8), (byte)tag, 0, (byte)type, 0, 0, 0, 1]);
            file.AddRange(type == 3 ? [(byte)(value >> 8), (byte)value, 0, 0] : [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
        }

        file.AddRange([0, 7]);
        Entry(256, 3, (uint)width);
        Entry(257, 3, 1);
        Entry(258, 3, 8);
        Entry(259, 3, compression);
        Entry(262, 3, 1);
        Entry(273, 4, 8);
        Entry(279, 4, (uint)strip.Length);
        file.AddRange([0, 0, 0, 0]);
        return file.ToArray();
    }
}
