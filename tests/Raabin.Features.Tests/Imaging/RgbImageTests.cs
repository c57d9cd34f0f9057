using Raabin.Features.Imaging;

namespace Raabin.Features.Tests.Imaging;

public class RgbImageTests
{
    [Fact]
    public void Row_addresses_the_right_bytes()
    {
        var image = new RgbImage(2, 3);
        image.Row(1)[3] = 7;
        Assert.Equal(7, image.Pixels[(1 * 2 + 1) * 3]);
        Assert.Equal(6, image.Stride);
    }

    [Fact]
    public void Wrong_buffer_length_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new RgbImage(2, 2, new byte[11]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrayImage(0, 2));
    }
}
