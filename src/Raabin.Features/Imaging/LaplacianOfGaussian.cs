namespace Raabin.Features.Imaging;

/// <summary>
/// The Laplacian of Gaussian of a float64 plane as OpenCV 4.6 computes
/// <c>cv2.Laplacian(cv2.GaussianBlur(x, (0, 0), sigma), cv2.CV_64F)</c>: the Gaussian of
/// <see cref="GaussianBlur.Apply(DoubleImage, double)"/> followed by the 3×3 kernel [[0,1,0],[1,-4,1],[0,1,0]]
/// (Laplacian ksize 1, scale 1, no delta) with border reflect-101.
/// </summary>
/// <remarks>
/// Units: input units per square pixel (not scale-normalised; multiply by sigma² for a scale-normalised response).
/// Blobs brighter than their surroundings give negative values at their centre. The Laplacian step sums
/// <c>up + left - 4 centre + right + down</c> in that order, as OpenCV's filter2D does, and is bit-identical to it;
/// the overall tolerance is that of the Gaussian step.
/// </remarks>
public static class LaplacianOfGaussian
{
    /// <summary>Smooths <paramref name="src"/> with a Gaussian of <paramref name="sigma"/> pixels and applies the
    /// 5-point Laplacian.</summary>
    /// <param name="src">The plane; any finite values, any size.</param>
    /// <param name="sigma">Standard deviation in pixels, 0.05..40.</param>
    /// <returns>A new plane of the same size.</returns>
    public static DoubleImage Apply(DoubleImage src, double sigma)
    {
        return Laplacian(GaussianBlur.Apply(src, sigma));
    }

    /// <summary>The 5-point Laplacian alone: <c>cv2.Laplacian(x, cv2.CV_64F)</c> (ksize 1, reflect-101 border).</summary>
    /// <param name="src">The plane.</param>
    /// <returns>A new plane of the same size.</returns>
    public static DoubleImage Laplacian(DoubleImage src)
    {
        ArgumentNullException.ThrowIfNull(src);
        int width = src.Width, height = src.Height;
        int[] columns = GaussianBlur.ReflectedIndices(width, 1);
        int[] rows = GaussianBlur.ReflectedIndices(height, 1);
        double[] s = src.Pixels;
        var dst = new DoubleImage(width, height);
        double[] d = dst.Pixels;
        for (int y = 0; y < height; y++)
        {
            int up = rows[y] * width, here = y * width, down = rows[y + 2] * width;
            for (int x = 0; x < width; x++)
            {
                double acc = 0.0 + s[up + x];
                acc += s[here + columns[x]];
                acc += -4.0 * s[here + x];
                acc += s[here + columns[x + 2]];
                acc += s[down + x];
                d[here + x] = acc;
            }
        }

        return dst;
    }
}
