using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Jpeg;

namespace Raabin.Features.Tests.Imaging.Jpeg;

/// <summary>
/// Damaged input never escapes as anything but <see cref="ImageDecodeException"/>, and never hangs (every loop is
/// bounded by the declared image size, kept small here by <see cref="DecoderOptions.MaxPixels"/>).
/// </summary>
public class JpegDecoderRobustnessTests
{
    private static readonly DecoderOptions Small = new() { MaxPixels = 1_000_000 };

    /// <summary>Decodes, returning the image or null when refused; any other exception fails the test.</summary>
    private static RgbImage? DecodeOrRefuse(byte[] data, string what)
    {
        try
        {
            return JpegDecoder.Decode(data, what, Small);
        }
        catch (ImageDecodeException error)
        {
            Assert.Equal(what, error.Source);
            return null;
        }
    }

    [Theory]
    [InlineData("odd-37x23-420.jpg", 1)]
    [InlineData("crop-restart-1block-420.jpg", 7)]
    [InlineData("crop-progressive-custom.jpg", 5)]
    [InlineData("crop-sequential-3scans.jpg", 5)]
    [InlineData("crop-grayscale-progressive.jpg", 5)]
    public void Every_truncation_decodes_leniently_or_is_refused(string fixture, int step)
    {
        byte[] data = JpegFixtures.Read(fixture);
        var full = JpegDecoder.Decode(data, fixture, DecoderOptions.Default);
        int decoded = 0;
        for (int length = 0; length < data.Length; length += step)
        {
            var image = DecodeOrRefuse(data[..length], $"{fixture}[..{length}]");
            if (image is not null)
            {
                Assert.Equal(full.Width, image.Width);
                Assert.Equal(full.Height, image.Height);
                decoded++;
            }
        }

        // Cuts after the first scan header are read leniently, like imread.
        Assert.True(decoded > 0);
    }

    [Theory]
    [InlineData("crop-420.jpg", 1)]
    [InlineData("crop-progressive-custom.jpg", 2)]
    [InlineData("crop-restart-1row.jpg", 3)]
    [InlineData("tiny-5x3-420.jpg", 4)]
    [InlineData("exif-orientation-7.jpg", 5)]
    public void Random_byte_changes_never_escape_as_other_exceptions(string fixture, int seed)
    {
        byte[] original = JpegFixtures.Read(fixture);
        var random = new Random(seed);
        for (int iteration = 0; iteration < 150; iteration++)
        {
            byte[] data = (byte[])original.Clone();
            int changes = 1 + random.Next(4);
            for (int i = 0; i < changes; i++)
            {
                data[random.Next(data.Length)] = (byte)random.Next(256);
            }

            DecodeOrRefuse(data, $"{fixture}#{iteration}");
        }
    }

    [Fact]
    public void Random_bytes_after_a_valid_header_never_escape()
    {
        byte[] header = JpegFixtures.Read("crop-444.jpg");
        int sos = 2;
        while (header[sos + 1] != 0xDA)
        {
            sos += 2 + ((header[sos + 2] << 8) | header[sos + 3]);
        }

        int dataStart = sos + 2 + ((header[sos + 2] << 8) | header[sos + 3]);
        var random = new Random(7);
        for (int iteration = 0; iteration < 40; iteration++)
        {
            byte[] data = new byte[dataStart + random.Next(4000)];
            header.AsSpan(0, dataStart).CopyTo(data);
            random.NextBytes(data.AsSpan(dataStart));
            var image = DecodeOrRefuse(data, $"noise#{iteration}");
            Assert.NotNull(image);
        }
    }
}
