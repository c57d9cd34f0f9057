using System.Globalization;
using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Jpeg;

namespace Raabin.Features.Tests.Imaging.Jpeg;

/// <summary>Decoded pixels must equal cv2.imread's (libjpeg-turbo 2.1.5) byte for byte.</summary>
public class JpegDecoderGoldenTests
{
    public static TheoryData<string, int, int, string> Golden()
    {
        var data = new TheoryData<string, int, int, string>();
        foreach (string[] row in JpegFixtures.Csv("golden.csv"))
        {
            data.Add(row[0], int.Parse(row[1], CultureInfo.InvariantCulture), int.Parse(row[2], CultureInfo.InvariantCulture), row[3]);
        }

        return data;
    }

    public static TheoryData<string, string, int, int, string> Damaged()
    {
        var data = new TheoryData<string, string, int, int, string>();
        foreach (string[] row in JpegFixtures.Csv("damaged.csv"))
        {
            data.Add(row[0], row[1], int.Parse(row[2], CultureInfo.InvariantCulture), int.Parse(row[3], CultureInfo.InvariantCulture), row[4]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Golden))]
    public void Pixels_match_opencv_imread(string file, int width, int height, string sha256)
    {
        var image = JpegDecoder.Decode(JpegFixtures.Read(file), file, DecoderOptions.Default);

        Assert.Equal(width, image.Width);
        Assert.Equal(height, image.Height);
        Assert.Equal(sha256, JpegFixtures.Sha256(image.Pixels));
    }

    [Theory]
    [MemberData(nameof(Damaged))]
    public void Truncated_or_corrupted_baseline_data_decodes_like_opencv(string file, string recipe, int width, int height, string sha256)
    {
        byte[] data = JpegFixtures.Damage(JpegFixtures.Read(file), recipe);

        var image = JpegDecoder.Decode(data, file, DecoderOptions.Default);

        Assert.Equal(width, image.Width);
        Assert.Equal(height, image.Height);
        Assert.Equal(sha256, JpegFixtures.Sha256(image.Pixels));
    }

    [Fact]
    public void Golden_list_covers_every_decodable_fixture()
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (string[] row in JpegFixtures.Csv("golden.csv"))
        {
            listed.Add(row[0]);
        }

        foreach (string path in Directory.GetFiles(JpegFixtures.Directory, "*.jpg"))
        {
            string name = Path.GetFileName(path);
            if (!name.StartsWith("unsupported-", StringComparison.Ordinal))
            {
                Assert.Contains(name, listed);
            }
        }
    }

    [Fact]
    public void Greyscale_is_returned_as_equal_channels()
    {
        var image = JpegDecoder.Decode(JpegFixtures.Read("crop-grayscale.jpg"), "crop-grayscale.jpg", DecoderOptions.Default);

        for (int i = 0; i < image.Pixels.Length; i += 3)
        {
            Assert.Equal(image.Pixels[i], image.Pixels[i + 1]);
            Assert.Equal(image.Pixels[i], image.Pixels[i + 2]);
        }
    }

    [Fact]
    public void Truncated_baseline_file_is_grey_below_the_cut()
    {
        byte[] data = JpegFixtures.Read("pbc-444-baseline.jpg");

        var image = JpegDecoder.Decode(data[..(data.Length / 2)], "half.jpg", DecoderOptions.Default);

        // The last row lies far below any data left in the first half of the file.
        var lastRow = image.Row(image.Height - 1);
        foreach (byte value in lastRow)
        {
            Assert.Equal(128, value);
        }
    }

    [Fact]
    public void DecodeFile_reads_from_disk()
    {
        string path = Path.Combine(JpegFixtures.Directory, "odd-37x23-444.jpg");

        var fromFile = JpegDecoder.DecodeFile(path);
        var fromMemory = JpegDecoder.Decode(File.ReadAllBytes(path), path, DecoderOptions.Default);

        Assert.Equal(fromMemory.Pixels, fromFile.Pixels);
    }
}
