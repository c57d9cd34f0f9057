using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Png;

namespace Raabin.Features.Tests.Imaging.Png;

public class PngEncoderTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 3, 2)]
    [InlineData(64, 33, 3)]
    public void Random_rgb_round_trips(int width, int height, int seed)
    {
        var image = new RgbImage(width, height);
        new Random(seed).NextBytes(image.Pixels);
        RgbImage back = PngDecoder.Decode(PngEncoder.Encode(image), "rt.png", DecoderOptions.Default);
        Assert.Equal(width, back.Width);
        Assert.Equal(height, back.Height);
        Assert.Equal(image.Pixels, back.Pixels);
    }

    [Fact]
    public void Real_image_and_mask_round_trip()
    {
        RgbImage cell = PngDecoder.Decode(CodecFixtures.Read("Png", "rgb8.png"), "rgb8.png", DecoderOptions.Default);
        Assert.Equal(cell.Pixels, PngDecoder.Decode(PngEncoder.Encode(cell), "rt.png", DecoderOptions.Default).Pixels);

        GrayImage mask = PngDecoder.DecodeGray(CodecFixtures.Read("Png", "mask_jtsc_002.png"), "mask", DecoderOptions.Default);
        byte[] encoded = PngEncoder.Encode(mask);
        Assert.Equal(0, encoded[25]); // IHDR colour type: grey
        Assert.Equal(mask.Pixels, PngDecoder.DecodeGray(encoded, "rt.png", DecoderOptions.Default).Pixels);
    }

    [Fact]
    public void Smooth_gradients_pick_predicting_filters_and_compress()
    {
        var image = new GrayImage(256, 64);
        for (int y = 0; y < 64; y++)
        {
            for (int x = 0; x < 256; x++)
            {
                image[x, y] = (byte)(x + y);
            }
        }

        byte[] encoded = PngEncoder.Encode(image);
        Assert.True(encoded.Length < 256 * 64 / 10, $"gradient encoded to {encoded.Length} bytes");
        Assert.Equal(image.Pixels, PngDecoder.DecodeGray(encoded, "g.png", DecoderOptions.Default).Pixels);
    }

    [Fact]
    public void Filter_choice_is_the_smallest_signed_sum()
    {
        // Row 10,20,30,40 above 0,0,0,0: Sub gives 10,10,10,10 (sum 40), None 100, Up 100, Average 10+15+20+25 = 70,
        // Paeth (left) 40. Sub and Paeth tie; the lower filter number wins.
        byte[] row = [10, 20, 30, 40];
        var candidates = new byte[5][];
        for (int f = 0; f < 5; f++)
        {
            candidates[f] = new byte[5];
        }

        Assert.Equal(1, PngEncoder.ChooseFilter(row, new byte[4], 1, candidates));
        Assert.Equal(new byte[] { 10, 10, 10, 10 }, candidates[1][1..]);
        // Same row below itself: Up gives all zeros.
        Assert.Equal(2, PngEncoder.ChooseFilter(row, row, 1, candidates));
    }

    [Fact]
    public void Save_writes_a_file_that_reads_back()
    {
        string path = Path.Combine(Path.GetTempPath(), $"raabin-png-{Guid.NewGuid():N}.png");
        try
        {
            var image = new RgbImage(5, 4);
            new Random(5).NextBytes(image.Pixels);
            PngEncoder.Save(image, path);
            Assert.Equal(image.Pixels, PngDecoder.Decode(File.ReadAllBytes(path), path, DecoderOptions.Default).Pixels);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
