using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Jpeg;

namespace Raabin.Features.Tests.Imaging.Jpeg;

/// <summary>Bad, unsupported and oversized input: always <see cref="ImageDecodeException"/> naming the source.</summary>
public class JpegDecoderErrorTests
{
    private static ImageDecodeException Refused(byte[] data, DecoderOptions? options = null)
    {
        var error = Assert.Throws<ImageDecodeException>(() => JpegDecoder.Decode(data, "case.jpg", options ?? DecoderOptions.Default));
        Assert.Equal("case.jpg", error.Source);
        Assert.StartsWith("case.jpg: ", error.Message, StringComparison.Ordinal);
        return error;
    }

    /// <summary>SOI, an optional DQT, a frame header and a scan header naming every component, then EOI.</summary>
    private static byte[] Synthetic(int sofMarker, int precision, int width, int height, int components)
    {
        var bytes = new List<byte> { 0xFF, 0xD8 };
        bytes.AddRange([0xFF, 0xDB, 0, 67, 0]);
        bytes.AddRange(Enumerable.Repeat((byte)1, 64));
        bytes.AddRange([0xFF, (byte)sofMarker, 0, (byte)(8 + 3 * components), (byte)precision, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)components]);
        for (int i = 0; i < components; i++)
        {
            bytes.AddRange([(byte)(i + 1), 0x11, 0]);
        }

        bytes.AddRange([0xFF, 0xDA, 0, (byte)(6 + 2 * components), (byte)components]);
        for (int i = 0; i < components; i++)
        {
            bytes.AddRange([(byte)(i + 1), 0x00]);
        }

        bytes.AddRange([0, 63, 0, 0x00, 0xFF, 0xD9]);
        return [.. bytes];
    }

    private static byte[] PatchFrameHeader(string fixture, Action<byte[], int> patch)
    {
        byte[] data = JpegFixtures.Read(fixture);
        int i = 2;
        while (data[i + 1] is not (0xC0 or 0xC1 or 0xC2))
        {
            i += 2 + ((data[i + 2] << 8) | data[i + 3]);
        }

        patch(data, i);
        return data;
    }

    [Fact]
    public void Empty_input_is_refused() => Assert.Contains("empty", Refused([]).Problem, StringComparison.Ordinal);

    [Fact]
    public void Png_signature_is_not_a_jpeg() =>
        Assert.Contains("not a JPEG", Refused([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]).Problem, StringComparison.Ordinal);

    [Fact]
    public void Soi_then_eoi_has_no_image() =>
        Assert.Contains("no image data", Refused([0xFF, 0xD8, 0xFF, 0xD9]).Problem, StringComparison.Ordinal);

    [Fact]
    public void Soi_then_garbage_is_truncated() =>
        Assert.Contains("truncated", Refused([0xFF, 0xD8, 1, 2, 3, 4, 5]).Problem, StringComparison.Ordinal);

    [Fact]
    public void Header_cut_inside_a_segment_is_truncated()
    {
        byte[] data = JpegFixtures.Read("crop-444.jpg");

        Assert.Contains("truncated", Refused(data[..100]).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_marker_is_refused() =>
        Assert.Contains("unknown marker 0xC8", Refused([0xFF, 0xD8, 0xFF, 0xC8, 0, 2, 0xFF, 0xD9]).Problem, StringComparison.Ordinal);

    [Fact]
    public void Scan_before_frame_is_refused() =>
        Assert.Contains("before the frame header", Refused([0xFF, 0xD8, 0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, 0xFF, 0xD9]).Problem, StringComparison.Ordinal);

    [Fact]
    public void Arithmetic_coding_is_unsupported() =>
        Assert.Contains("unsupported: arithmetic coding", Refused(JpegFixtures.Read("unsupported-arithmetic.jpg")).Problem, StringComparison.Ordinal);

    [Fact]
    public void Twelve_bit_samples_are_unsupported()
    {
        byte[] data = PatchFrameHeader("crop-444.jpg", (d, sof) => d[sof + 4] = 12);

        Assert.Contains("unsupported: 12-bit", Refused(data).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Lossless_is_unsupported()
    {
        byte[] data = PatchFrameHeader("crop-444.jpg", (d, sof) => d[sof + 1] = 0xC3);

        Assert.Contains("unsupported: lossless", Refused(data).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_components_are_unsupported() =>
        Assert.Contains("unsupported: 2-component", Refused(Synthetic(0xC0, 8, 16, 16, 2)).Problem, StringComparison.Ordinal);

    [Fact]
    public void Fractional_sampling_is_unsupported()
    {
        // Y 3x1 with Cb 2x1: 3 is not a multiple of 2.
        byte[] data = PatchFrameHeader("crop-444.jpg", (d, sof) =>
        {
            d[sof + 11] = 0x31;
            d[sof + 14] = 0x21;
        });

        Assert.Contains("unsupported: fractional sampling", Refused(data).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_huffman_table_is_named()
    {
        // Slots 0 and 1 fall back to the standard tables; slot 2 must be defined.
        byte[] data = Synthetic(0xC0, 8, 16, 16, 1);
        int sos = Array.IndexOf(data, (byte)0xDA) - 1;
        data[sos + 6] = 0x22;

        Assert.Contains("Huffman table 2", Refused(data).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_quantization_table_is_named()
    {
        byte[] data = Synthetic(0xC0, 8, 16, 16, 1);
        int sof = Array.IndexOf(data, (byte)0xC0) - 1;
        data[sof + 12] = 3;

        Assert.Contains("quantization table 3", Refused(data).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Pixel_limit_is_checked_against_the_header()
    {
        byte[] data = JpegFixtures.Read("pbc-444-baseline.jpg");

        var error = Refused(data, new DecoderOptions { MaxPixels = 360 * 363 - 1 });

        Assert.Contains("360x363 = 130680 pixels exceeds the limit of 130679", error.Problem, StringComparison.Ordinal);
        Assert.Equal(360, JpegDecoder.Decode(data, "ok.jpg", new DecoderOptions { MaxPixels = 360 * 363 }).Width);
    }

    [Fact]
    public void Huge_declared_size_is_refused_before_allocating()
    {
        byte[] data = Synthetic(0xC0, 8, 65000, 65000, 3);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Refused(data);

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("exceeds the limit", error.Problem, StringComparison.Ordinal);
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes before refusing");
    }

    [Fact]
    public void Progressive_scan_with_bad_parameters_is_refused()
    {
        // Progressive frame whose single scan claims a DC band ending at coefficient 5.
        byte[] data = Synthetic(0xC2, 8, 16, 16, 1);
        int sos = Array.IndexOf(data, (byte)0xDA) - 1;
        data[sos + 8] = 5;

        Assert.Contains("progressive scan", Refused(data).Problem, StringComparison.Ordinal);
    }
}
