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
    public static GrayImage Uniform(GrayImage image, int points = 8, double radius = 1) => Uniform(image, null, points, radius);

    /// <summary>
    /// The rotation-invariant uniform LBP code of the pixels where <paramref name="where"/> is nonzero (all pixels when
    /// it is null); the other pixels get 0. Each computed code is the one <see cref="Uniform(GrayImage, int, double)"/> gives.
    /// </summary>
    internal static GrayImage Uniform(GrayImage image, GrayImage? where, int points = 8, double radius = 1)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (where is not null && (where.Width != image.Width || where.Height != image.Height))
        {
            throw new ArgumentException($"The mask is {where.Width}x{where.Height}, the image {image.Width}x{image.Height}.", nameof(where));
        }

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

        // The sample positions split into a row part (from r) and a column part (from c): their floors, ceilings and
        // fractions are tabulated once per row and column, with the same double arithmetic as Bilinear, so the inner
        // loop does only the lookups and the interpolation.
        var minRows = new long[points * height];
        var maxRows = new long[points * height];
        var rowFractions = new double[points * height];
        var minColumns = new long[points * width];
        var maxColumns = new long[points * width];
        var columnFractions = new double[points * width];
        for (int p = 0; p < points; p++)
        {
            for (int r = 0; r < height; r++)
            {
                double at = r + rowOffsets[p];
                long min = (long)Math.Floor(at);
                minRows[(p * height) + r] = min;
                maxRows[(p * height) + r] = (long)Math.Ceiling(at);
                rowFractions[(p * height) + r] = at - min;
            }

            for (int c = 0; c < width; c++)
            {
                double at = c + columnOffsets[p];
                long min = (long)Math.Floor(at);
                minColumns[(p * width) + c] = min;
                maxColumns[(p * width) + c] = (long)Math.Ceiling(at);
                columnFractions[(p * width) + c] = at - min;
            }
        }

        // Neighbours at whole-pixel offsets (fraction 0 in every row and column) are the pixel itself: the bilinear
        // formula gives exactly that value, so they are read directly.
        var whole = new bool[points];
        for (int p = 0; p < points; p++)
        {
            whole[p] = rowFractions.AsSpan(p * height, height).IndexOfAnyExcept(0.0) < 0
                && columnFractions.AsSpan(p * width, width).IndexOfAnyExcept(0.0) < 0;
        }

        for (int r = 0; r < height; r++)
        {
            for (int c = 0; c < width; c++)
            {
                if (where is not null && where.Pixels[r * width + c] == 0)
                {
                    continue;
                }

                double centre = src[r * width + c];
                int changes = 0, ones = 0, previous = -1;
                for (int p = 0; p < points; p++)
                {
                    int pr = (p * height) + r, pc = (p * width) + c;
                    long minR = minRows[pr], maxR = maxRows[pr], minC = minColumns[pc], maxC = maxColumns[pc];
                    double value;
                    if (whole[p])
                    {
                        value = Pixel(src, width, height, minR, minC);
                    }
                    else
                    {
                        double dr = rowFractions[pr], dc = columnFractions[pc];
                        double topLeft, topRight, bottomLeft, bottomRight;
                        if (minR >= 0 && maxR < height && minC >= 0 && maxC < width)
                        {
                            int upper = (int)minR * width, lower = (int)maxR * width;
                            topLeft = src[upper + (int)minC];
                            topRight = src[upper + (int)maxC];
                            bottomLeft = src[lower + (int)minC];
                            bottomRight = src[lower + (int)maxC];
                        }
                        else
                        {
                            topLeft = Pixel(src, width, height, minR, minC);
                            topRight = Pixel(src, width, height, minR, maxC);
                            bottomLeft = Pixel(src, width, height, maxR, minC);
                            bottomRight = Pixel(src, width, height, maxR, maxC);
                        }

                        double top = ((1 - dc) * topLeft) + (dc * topRight);
                        double bottom = ((1 - dc) * bottomLeft) + (dc * bottomRight);
                        value = ((1 - dr) * top) + (dr * bottom);
                    }

                    int sign = value - centre >= 0 ? 1 : 0;
                    changes += previous >= 0 && sign != previous ? 1 : 0;
                    ones += sign;
                    previous = sign;
                }

                dst[r * width + c] = (byte)(changes <= 2 ? ones : points + 1);
            }
        }

        return result;
    }

    private static double Pixel(byte[] src, int width, int height, long r, long c) =>
        r < 0 || r >= height || c < 0 || c >= width ? 0 : src[(r * width) + c];
}
