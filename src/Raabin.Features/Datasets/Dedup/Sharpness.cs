using System.Runtime.CompilerServices;
using Raabin.Features.Imaging;

namespace Raabin.Features.Datasets.Dedup;

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
        double total = 0;
        for (int y = 0; y < h; y++)
        {
            ReadOnlySpan<byte> up = p.AsSpan(Reflect101(y - 1, h) * w, w);
            ReadOnlySpan<byte> mid = p.AsSpan(y * w, w);
            ReadOnlySpan<byte> down = p.AsSpan(Reflect101(y + 1, h) * w, w);
            double rowSum = Magnitude(up, mid, down, 0, Reflect101(-1, w), Reflect101(1, w));
            for (int x = 1; x < w - 1; x++)
            {
                rowSum += Magnitude(up, mid, down, x, x - 1, x + 1);
            }

            if (w > 1)
            {
                rowSum += Magnitude(up, mid, down, w - 1, w - 2, Reflect101(w, w));
            }

            total += rowSum;
        }

        return total / ((double)w * h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Magnitude(ReadOnlySpan<byte> up, ReadOnlySpan<byte> mid, ReadOnlySpan<byte> down, int x, int l, int r)
    {
        int gx = up[r] - up[l] + 2 * (mid[r] - mid[l]) + down[r] - down[l];
        int gy = down[l] - up[l] + 2 * (down[x] - up[x]) + down[r] - up[r];
        return Math.Sqrt(gx * gx + gy * gy);
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
