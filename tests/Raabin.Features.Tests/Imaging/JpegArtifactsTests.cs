using Raabin.Features.Imaging;

namespace Raabin.Features.Tests.Imaging;

/// <summary>
/// <see cref="JpegArtifacts"/> against <c>cv2.imdecode(cv2.imencode('.jpg', x, [IMWRITE_JPEG_QUALITY, q]))</c> of
/// OpenCV 4.6 over libjpeg-turbo, made once by Fixtures/Augmentation/make_golden.py. Measured when written: mean
/// absolute difference 0.000-0.172 per channel value, at most 10.8 % of values differing; the limits below leave a
/// little room, and stay far below what the compression itself changes (1.1-7.7).
/// </summary>
public class JpegArtifactsTests
{
    private const double MaxMeanAbsoluteDifference = 0.25;
    private const double MaxFractionDiffering = 0.15;

    public static TheoryData<string, int, int, int> Cases
    {
        get
        {
            var data = new TheoryData<string, int, int, int>();
            foreach (var (name, w, h) in new[] { ("pbc_BNE_100878_crop", 101, 97), ("bccd_00136_crop", 61, 45), ("jtsc_001_crop", 88, 72) })
            {
                foreach (int q in new[] { 30, 60, 95 })
                {
                    data.Add(name, w, h, q);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Simulation_is_close_to_opencv_encode_decode(string name, int width, int height, int quality)
    {
        RgbImage input = Load($"{name}_{width}x{height}.rgb", width, height);
        byte[] opencv = File.ReadAllBytes(TestPaths.Fixture("Augmentation", $"{name}_q{quality}_{width}x{height}.opencv.rgb"));
        byte[] simulated = JpegArtifacts.Apply(input, quality).Pixels;

        double mad = 0, madCompression = 0;
        int differing = 0;
        for (int i = 0; i < opencv.Length; i++)
        {
            int d = Math.Abs(opencv[i] - simulated[i]);
            mad += d;
            differing += d > 0 ? 1 : 0;
            madCompression += Math.Abs(opencv[i] - input.Pixels[i]);
        }

        mad /= opencv.Length;
        madCompression /= opencv.Length;
        Assert.True(mad <= MaxMeanAbsoluteDifference, $"mean |sim - cv2| = {mad:F4}");
        Assert.True(differing <= MaxFractionDiffering * opencv.Length, $"{differing} of {opencv.Length} values differ");
        Assert.True(madCompression > 4 * mad + 0.5, $"compression changes the image by {madCompression:F3}, simulation error {mad:F4}");
    }

    [Fact]
    public void Low_quality_changes_the_image_more_than_high_quality()
    {
        RgbImage input = Load("pbc_BNE_100878_crop_101x97.rgb", 101, 97);
        double q30 = MeanAbsoluteDifference(input.Pixels, JpegArtifacts.Apply(input, 30).Pixels);
        double q95 = MeanAbsoluteDifference(input.Pixels, JpegArtifacts.Apply(input, 95).Pixels);
        Assert.True(q30 > 1.5 * q95, $"q30 {q30:F3}, q95 {q95:F3}");
        Assert.True(q95 > 0);
    }

    [Fact]
    public void Quality_tables_follow_libjpeg_scaling()
    {
        // q = 50 keeps the basic tables (scale 100 %); q = 100 makes every entry 1; q = 75 halves: (16 * 50 + 50) / 100 = 8.
        Assert.Equal(16, JpegArtifacts.LuminanceTable(50)[0]);
        Assert.Equal(99, JpegArtifacts.LuminanceTable(50)[63]);
        Assert.Equal(17, JpegArtifacts.ChrominanceTable(50)[0]);
        Assert.All(JpegArtifacts.LuminanceTable(100), v => Assert.Equal(1, v));
        Assert.Equal(8, JpegArtifacts.LuminanceTable(75)[0]);
        // q = 10: scale 500 %, 99 * 5 = 495 capped at 255 (baseline).
        Assert.Equal(255, JpegArtifacts.ChrominanceTable(10)[63]);
        Assert.Equal(80, JpegArtifacts.LuminanceTable(10)[0]);
        Assert.Equal(166, JpegArtifacts.QualityScale(30));
        Assert.Equal(10, JpegArtifacts.QualityScale(95));
    }

    [Fact]
    public void Flat_image_survives_and_sizes_are_kept()
    {
        // A flat colour is a DC-only signal: no ringing, only the colour round trip's rounding.
        foreach (var (w, h) in new[] { (1, 1), (3, 2), (17, 9), (16, 16) })
        {
            var image = new RgbImage(w, h);
            for (int i = 0; i < image.Pixels.Length; i += 3)
            {
                image.Pixels[i] = 200;
                image.Pixels[i + 1] = 120;
                image.Pixels[i + 2] = 60;
            }

            RgbImage result = JpegArtifacts.Apply(image, 90);
            Assert.Equal((w, h), (result.Width, result.Height));
            Assert.All(result.Pixels.Select((v, i) => Math.Abs(v - image.Pixels[i])), d => Assert.InRange(d, 0, 2));
        }
    }

    [Fact]
    public void Quality_out_of_range_is_refused()
    {
        var image = new RgbImage(8, 8);
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegArtifacts.Apply(image, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => JpegArtifacts.Apply(image, 101));
    }

    internal static RgbImage Load(string file, int width, int height) =>
        new(width, height, File.ReadAllBytes(TestPaths.Fixture("Augmentation", file)));

    private static double MeanAbsoluteDifference(byte[] a, byte[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return sum / a.Length;
    }
}
