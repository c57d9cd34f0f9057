namespace Raabin.Features.Imaging;

/// <summary>
/// Local binary patterns (Ojala, Pietikäinen and Mäenpää, IEEE TPAMI 24:971, 2002) exactly as scikit-image 0.19
/// <c>skimage.feature.local_binary_pattern(image, P, R, method='uniform')</c> computes them on an 8-bit image.
/// </summary>
/// <remarks>
/// Neighbour p (0 ≤ p &lt; P) of pixel (r, c) sits at row <c>r + round(−R sin(2πp/P), 5)</c>, column
/// <c>c + round(R cos(2πp/P), 5)</c> (NumPy's <c>round</c>: half to even at the fifth decimal) and takes the bilinear
/// value of the four pixels around it, computed as scikit-image does (<c>((1 − dc) tl + dc tr)</c>, then
/// <c>(1 − dr) top + dr bottom</c>, in double), pixels outside the image counting 0. A neighbour is 1 when its value
/// minus the centre's is ≥ 0. The code is the number of ones when the pattern has at most two 0/1 changes (counted,
/// as scikit-image does, over the P − 1 adjacent pairs without the wrap-around pair, which gives the same answer as the
/// circular count), else P + 1: rotation-invariant uniform codes 0 to P + 1.
/// </remarks>
public static class LocalBinaryPattern
{
    /// <summary>The rotation-invariant uniform LBP code of every pixel.</summary>
    /// <param name="image">The 8-bit image.</param>
    /// <param name="points">Number of neighbours P, 1 to 64.</param>
    /// <param name="radius">Radius R in pixels, positive.</param>
    /// <returns>Codes 0..P + 1, one byte per pixel.</returns>
    public static GrayImage Uniform(GrayImage image, int points = 8, double radius = 1)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (points is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(points), points, "P must be 1 to 64.");
        }

        if (!(radius > 0 && radius < 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "R must be positive.");
        }

        var rowOffsets = new double[points];
        var columnOffsets = new double[points];
        for (int p = 0; p < points; p++)
        {
            double angle = 2 * Math.PI * p / points;
            rowOffsets[p] = Math.Round(-radius * Math.Sin(angle) * 1e5, MidpointRounding.ToEven) / 1e5;
            columnOffsets[p] = Math.Round(radius * Math.Cos(angle) * 1e5, MidpointRounding.ToEven) / 1e5;
        }

        int width = image.Width, height = image.Height;
        byte[] src = image.Pixels;
        var result = new GrayImage(width, height);
        byte[] dst = result.Pixels;
        Span<byte> signs = stackalloc byte[points];
        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
            {
                double centre = src[r * width + c];
                for (int p = 0; p < points; p++)
                {
                    double value = Bilinear(src, width, height, r + rowOffsets[p], c + columnOffsets[p]);
                    signs[p] = value - centre >= 0 ? (byte)1 : (byte)0;
                }

                int changes = 0, ones = 0;
                for (int p = 0; p < points - 1; p++)
                {
                    changes += signs[p] != signs[p + 1] ? 1 : 0;
                }

                for (int p = 0; p < points; p++)
                {
                    ones += signs[p];
                }

                dst[r * width + c] = (byte)(changes <= 2 ? ones : points + 1);
            }
        }

        return result;
    }

    // scikit-image's bilinear_interpolation with mode 'C' (constant 0 outside), in its operation order.
    private static double Bilinear(byte[] src, int width, int height, double r, double c)
    {
        double floorR = Math.Floor(r), floorC = Math.Floor(c);
        long minR = (long)floorR, minC = (long)floorC, maxR = (long)Math.Ceiling(r), maxC = (long)Math.Ceiling(c);
        double dr = r - minR, dc = c - minC;
        double topLeft = Pixel(src, width, height, minR, minC);
        double topRight = Pixel(src, width, height, minR, maxC);
        double bottomLeft = Pixel(src, width, height, maxR, minC);
        double bottomRight = Pixel(src, width, height, maxR, maxC);
        double top = ((1 - dc) * topLeft) + (dc * topRight);
        double bottom = ((1 - dc) * bottomLeft) + (dc * bottomRight);
        return ((1 - dr) * top) + (dr * bottom);
    }

    private static double Pixel(byte[] src, int width, int height, long r, long c) =>
        r < 0 || r >= height || c < 0 || c >= width ? 0 : src[(r * width) + c];
}
