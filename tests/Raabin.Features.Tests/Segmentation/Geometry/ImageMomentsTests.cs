using Raabin.Features.Imaging;
using Raabin.Features.Segmentation.Geometry;

namespace Raabin.Features.Tests.Segmentation.Geometry;

public class ImageMomentsTests
{
    [Fact]
    public void Rectangle_mask_has_the_textbook_moments()
    {
        // A 4x3 block at columns 2..5, rows 1..3: area 12, centroid (3.5, 2), mu20 = 3 * (4^3 - 4) / 12 = 15, mu02 = 4 * (3^3 - 3) / 12 = 8.
        var mask = new GrayImage(9, 6);
        for (int y = 1; y <= 3; y++)
        {
            for (int x = 2; x <= 5; x++)
            {
                mask[x, y] = 1;
            }
        }

        ImageMoments m = ImageMoments.Of(mask);
        Assert.Equal(12, m.M00);
        Assert.Equal(3.5, m.CentroidX);
        Assert.Equal(2.0, m.CentroidY);
        Assert.Equal(15.0, m.Mu20, 12);
        Assert.Equal(8.0, m.Mu02, 12);
        Assert.Equal(0.0, m.Mu11, 12);
        Assert.Equal(0.0, m.Mu30, 12);
        Assert.Equal(0.0, m.Mu03, 12);
        Assert.Equal(15.0 / 144, m.Nu20, 14);
        Assert.Equal((15.0 + 8.0) / 144, m.HuMoments()[0], 14);
    }

    [Fact]
    public void Rectangle_polygon_has_the_continuous_moments()
    {
        // The polygon (0,0)-(4,0)-(4,2)-(0,2): area 8, centroid (2, 1), mu20 = w^3 h / 12 = 128/12, mu02 = w h^3 / 12 = 32/12.
        Point[] square = [new(0, 0), new(4, 0), new(4, 2), new(0, 2)];
        foreach (Point[] polygon in new[] { square, square.Reverse().ToArray() })
        {
            ImageMoments m = ImageMoments.Of(polygon);
            Assert.Equal(8, m.M00);
            Assert.Equal(16, m.M10, 12);
            Assert.Equal(8, m.M01, 12);
            Assert.Equal(128.0 / 12, m.Mu20, 12);
            Assert.Equal(32.0 / 12, m.Mu02, 12);
            Assert.Equal(0, m.Mu11, 12);
        }
    }

    [Fact]
    public void Empty_inputs_give_zeros()
    {
        ImageMoments m = ImageMoments.Of(new GrayImage(5, 5));
        Assert.Equal(0, m.M00);
        Assert.Equal(0, m.Nu20);
        Assert.True(double.IsNaN(m.CentroidX));
        Assert.Equal(0, ImageMoments.Of([new Point(1, 1), new Point(3, 3)]).M00);
    }

    [Fact]
    public void Translation_changes_only_the_spatial_moments()
    {
        var a = new GrayImage(20, 20);
        var b = new GrayImage(20, 20);
        int[] xs = [3, 4, 4, 5, 7, 3, 6];
        int[] ys = [2, 2, 3, 5, 5, 6, 1];
        for (int i = 0; i < xs.Length; i++)
        {
            a[xs[i], ys[i]] = 255;
            b[xs[i] + 9, ys[i] + 7] = 255;
        }

        ImageMoments ma = ImageMoments.Of(a), mb = ImageMoments.Of(b);
        Assert.Equal(ma.Mu20, mb.Mu20, 9);
        Assert.Equal(ma.Mu21, mb.Mu21, 9);
        Assert.Equal(ma.Nu03, mb.Nu03, 12);
        Assert.NotEqual(ma.M10, mb.M10);
    }
}
