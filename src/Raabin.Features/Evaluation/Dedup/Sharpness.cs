using Raabin.Features.Imaging;

namespace Raabin.Features.Evaluation.Dedup;

/// <summary>
/// Sharpness of an image as the mean Sobel gradient magnitude, the measure the Raabin-WBC authors used to choose which
/// copy of a duplicate to keep (the sharper one).
/// </summary>
public static class Sharpness
{
    /// <summary>
    /// Mean gradient magnitude of a grey image: for every pixel, <c>gx</c> and <c>gy</c> are the 3 × 3 Sobel derivatives
    /// (<c>[−1 0 1; −2 0 2; −1 0 1]</c> and its transpose, no scaling) with the reflect-101 border (<c>gfedcb|abcdefgh|gfedcba</c>),
    /// exactly <c>cv2.Sobel(gray, cv2.CV_64F, 1, 0, ksize=3)</c> and <c>(…, 0, 1, …)</c>; the magnitude is
    /// <c>sqrt(gx² + gy²)</c> in double; the result is the mean over all pixels (summed in double row by row; equal to
    /// <c>numpy.mean</c> up to summation rounding).
    /// Units: grey levels per pixel, scaled by the Sobel weights (a vertical step edge of height h gives 4h on each side of
    /// the edge); range 0 to 4·255·√2 ≈ 1442.5. 0 for a constant image.
    /// </summary>
    public static double MeanSobelMagnitude(GrayImage gray)
    {
        ArgumentNullException.ThrowIfNull(gray);
        int w = gray.Width;
        int h = gray.Height;
        byte[] p = gray.Pixels;
        var left = new int[w];
        var right = new int[w];
        for (int x = 0; x < w; x++)
        {
            left[x] = Reflect101(x - 1, w);
            right[x] = Reflect101(x + 1, w);
        }

        double total = 0;
        for (int y = 0; y < h; y++)
        {
            int up = Reflect101(y - 1, h) * w;
            int mid = y * w;
            int down = Reflect101(y + 1, h) * w;
            double rowSum = 0;
            for (int x = 0; x < w; x++)
            {
                int l = left[x];
                int r = right[x];
                int gx = p[up + r] - p[up + l] + 2 * (p[mid + r] - p[mid + l]) + p[down + r] - p[down + l];
                int gy = p[down + l] - p[up + l] + 2 * (p[down + x] - p[up + x]) + p[down + r] - p[up + r];
                rowSum += Math.Sqrt(gx * gx + gy * gy);
            }

            total += rowSum;
        }

        return total / ((double)w * h);
    }

    /// <summary>Mean Sobel magnitude of a colour image's OpenCV grey (<see cref="ColorConversion.RgbToGray(RgbImage)"/>).</summary>
    public static double MeanSobelMagnitude(RgbImage image) => MeanSobelMagnitude(ColorConversion.RgbToGray(image));

    /// <summary>OpenCV's BORDER_REFLECT_101 index for one step outside [0, n); a single row or column maps to itself.</summary>
    private static int Reflect101(int i, int n)
    {
        if (n == 1)
        {
            return 0;
        }

        return i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
    }
}
