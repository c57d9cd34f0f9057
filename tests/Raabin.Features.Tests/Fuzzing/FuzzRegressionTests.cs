using Raabin.Features.Imaging;
using Raabin.Features.Import;

namespace Raabin.Features.Tests.Fuzzing;

/// <summary>
/// Mutants the fuzz benchmark found, kept as fixtures (Fixtures/Fuzzing, see its README): each once crashed a reader or
/// decoded where OpenCV 4.6's <c>imread</c> refuses.
/// </summary>
public sealed class FuzzRegressionTests
{
    [Fact]
    public void Json_score_file_with_invalid_utf8_in_a_string_is_refused_with_its_line()
    {
        // fuzz --seed 1: timm-records.jsonl, index 99 (8 random bytes inserted in a file name). Utf8JsonReader.GetString
        // threw InvalidOperationException instead of the importer's documented ScoreImportException.
        string path = TestPaths.Fixture("Fuzzing", "scores-invalid-utf8.jsonl");
        var map = ClassMap.Load(TestPaths.Fixture("Import", "classes.txt"));
        var e = Assert.Throws<ScoreImportException>(() => new ScoreImporter(new ScoreImportOptions { ClassMap = map }).Import(path));
        Assert.Equal(1, e.Line);
        Assert.Contains("not UTF-8 text: invalid byte 0x98", e.Message);
        Assert.StartsWith(path, e.Message);
    }

    [Theory]
    [InlineData("png-duplicate-plte.png", "duplicate PLTE")] // fuzz --seed 1, pal4.png index 603: libpng "PLTE: duplicate"
    [InlineData("png-gray-two-plte.png", "duplicate PLTE")] // grey image, two PLTE chunks: libpng refuses too
    [InlineData("png-unterminated-zlib.png", "not enough image data")] // rgb8_1x1_adam7.png index 15174: IDAT bytes changed, CRC fixed
    [InlineData("png-zlib-without-adler.png", "not enough image data")] // rgb8_3x2_adam7.png without its Adler-32: every row, no stream end
    public void Png_that_libpng_refuses_is_refused(string file, string problem)
    {
        string path = TestPaths.Fixture("Fuzzing", file);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Load(path, out _, out _));
        Assert.Contains(problem, e.Message);
    }

    [Theory]
    [InlineData("jpeg-dht-length-0.jpg", "declares length 0")] // like fuzz --seed 1 index 794: a DHT between scans with length 0
    [InlineData("jpeg-dht-past-end.jpg", "Huffman table")] // like index 798: a DHT between scans whose length runs past the end
    public void Jpeg_that_libjpeg_refuses_is_refused(string file, string problem)
    {
        // Both were decoded as damaged (the segment skipped, or the end taken as a truncation); libjpeg stops with
        // JERR_BAD_LENGTH, or parses the FF D9 pairs its file source feeds after the end as a bad Huffman table.
        string path = TestPaths.Fixture("Fuzzing", file);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Load(path, out _, out _));
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Complete_progressive_jpeg_with_a_scan_missing_is_reported_damaged()
    {
        // fuzz --seed 2, odd-37x23-progressive-420.jpg index 567: the last AC refinement scan of component id 2 (index 1, Cb) dropped.
        // A valid file, so libjpeg warns about nothing, but it block-smooths the unrefined blocks (not reproduced):
        // OpenCV's pixels differ, so the decode must not claim to be intact.
        var image = ImageDecoder.Load(TestPaths.Fixture("Fuzzing", "bad_jpeg-progressive-scan-dropped.jpg"), out _, out DecodeReport report);
        Assert.Equal((37, 23), (image.Width, image.Height));
        Assert.True(report.IsDamaged);
        Assert.Contains("incomplete progressive JPEG: component 1: 63 of 64 not refined to their last bit", report.Summary);

        ImageDecoder.Load(TestPaths.Fixture("Jpeg", "odd-37x23-progressive-420.jpg"), out _, out DecodeReport whole);
        Assert.False(whole.HasWarnings);
    }

    [Fact]
    public void Png_with_trailing_data_after_a_complete_zlib_stream_still_decodes_with_a_warning()
    {
        // The counterpart of the unterminated stream: a stream that ends, followed by junk inside IDAT, is only a warning.
        byte[] png = File.ReadAllBytes(TestPaths.Fixture("Png", "rgb8_3x2_adam7.png"));
        var chunks = Raabin.Features.Fuzzing.PngMutator.Chunks(png);
        var idat = chunks.Single(c => c.Type == "IDAT");
        byte[] body = [.. png.AsSpan(idat.DataOffset, idat.DataLength), 1, 2, 3];
        byte[] chunk = new byte[12 + body.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)body.Length);
        "IDAT"u8.CopyTo(chunk.AsSpan(4));
        body.CopyTo(chunk, 8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + body.Length), Raabin.Features.Imaging.Png.PngCrc.Compute(chunk.AsSpan(4, 4 + body.Length)));
        byte[] mutant = [.. png.AsSpan(0, idat.Offset), .. chunk, .. png.AsSpan(idat.Offset + idat.TotalLength)];

        var image = ImageDecoder.Decode(mutant, "trailing.png", out _, out DecodeReport report);
        var original = ImageDecoder.Decode(png, "original.png", out _);
        Assert.Equal(original.Pixels, image.Pixels);
        Assert.False(report.IsDamaged);
    }
}
