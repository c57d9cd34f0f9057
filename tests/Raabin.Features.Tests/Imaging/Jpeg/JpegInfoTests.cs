using Raabin.Features.Imaging.Jpeg;

namespace Raabin.Features.Tests.Imaging.Jpeg;

public class JpegInfoTests
{
    [Fact]
    public void IsJpeg_checks_the_soi_signature()
    {
        Assert.True(JpegDecoder.IsJpeg(JpegFixtures.Read("crop-444.jpg")));
        Assert.True(JpegDecoder.IsJpeg([0xFF, 0xD8, 0xFF]));
        Assert.False(JpegDecoder.IsJpeg([0xFF, 0xD8]));
        Assert.False(JpegDecoder.IsJpeg([0x42, 0x4D, 0x36]));
        Assert.False(JpegDecoder.IsJpeg([]));
    }

    [Fact]
    public void ReadInfo_reports_frame_header_and_sampling()
    {
        var info = JpegDecoder.ReadInfo(JpegFixtures.Read("crop-sample-2x2-2x1-1x1.jpg"), "x.jpg");

        Assert.Equal(120, info.Width);
        Assert.Equal(90, info.Height);
        Assert.Equal(3, info.ComponentCount);
        Assert.Equal(
            [new JpegComponentSampling(1, 2, 2), new JpegComponentSampling(2, 2, 1), new JpegComponentSampling(3, 1, 1)],
            info.Sampling);
        Assert.False(info.IsProgressive);
        Assert.Equal(1, info.ExifOrientation);
    }

    [Fact]
    public void ReadInfo_reports_progressive_and_greyscale()
    {
        var info = JpegDecoder.ReadInfo(JpegFixtures.Read("crop-grayscale-progressive.jpg"), "x.jpg");

        Assert.True(info.IsProgressive);
        Assert.Equal(1, info.ComponentCount);
    }

    [Theory]
    [InlineData("exif-orientation-1.jpg", 1, 37, 23)]
    [InlineData("exif-orientation-3.jpg", 3, 37, 23)]
    [InlineData("exif-orientation-6.jpg", 6, 23, 37)]
    [InlineData("exif-orientation-6-bigendian.jpg", 6, 23, 37)]
    [InlineData("exif-orientation-6-after-xmp.jpg", 1, 37, 23)]
    [InlineData("exif-orientation-8.jpg", 8, 23, 37)]
    public void ReadInfo_reports_the_orientation_opencv_applies(string file, int orientation, int width, int height)
    {
        var info = JpegDecoder.ReadInfo(JpegFixtures.Read(file), file);

        Assert.Equal(orientation, info.ExifOrientation);
        Assert.Equal(width, info.OrientedWidth);
        Assert.Equal(height, info.OrientedHeight);
    }
}
