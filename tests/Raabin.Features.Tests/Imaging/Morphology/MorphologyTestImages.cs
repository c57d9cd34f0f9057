using Raabin.Features.Imaging;

namespace Raabin.Features.Tests.Imaging.Morphology;

/// <summary>Small hand-drawn and seeded random images, and brute-force references written from the definitions.</summary>
internal static class MorphologyTestImages
{
    /// <summary>'#' = 255, '+' = 1 (also foreground), anything else 0.</summary>
    public static GrayImage Mask(params string[] rows)
    {
        var mask = new GrayImage(rows[0].Length, rows.Length);
        for (int y = 0; y < rows.Length; y++)
        {
            for (int x = 0; x < rows[y].Length; x++)
            {
                mask[x, y] = rows[y][x] switch { '#' => 255, '+' => 1, _ => 0 };
            }
        }

        return mask;
    }

    public static string[] Rows(GrayImage image)
    {
        var rows = new string[image.Height];
        for (int y = 0; y < image.Height; y++)
        {
            var chars = new char[image.Width];
            for (int x = 0; x < image.Width; x++)
            {
                chars[x] = image[x, y] != 0 ? '#' : '.';
            }

            rows[y] = new string(chars);
        }

        return rows;
    }

    public static string[] Rows(StructuringElement element)
    {
        var rows = new string[element.Height];
        for (int y = 0; y < element.Height; y++)
        {
            var chars = new char[element.Width];
            for (int x = 0; x < element.Width; x++)
            {
                chars[x] = element[x, y] ? '#' : '.';
            }

            rows[y] = new string(chars);
        }

        return rows;
    }

    public static GrayImage RandomMask(Random random, int width, int height, double density)
    {
        var mask = new GrayImage(width, height);
        for (int i = 0; i < mask.Pixels.Length; i++)
        {
            mask.Pixels[i] = random.NextDouble() < density ? (byte)255 : (byte)0;
        }

        return mask;
    }

    public static GrayImage RandomImage(Random random, int width, int height)
    {
        var image = new GrayImage(width, height);
        random.NextBytes(image.Pixels);
        return image;
    }

    public static StructuringElement RandomElement(Random random, int maxSize)
    {
        int w = random.Next(1, maxSize + 1), h = random.Next(1, maxSize + 1);
        return random.Next(5) switch
        {
            0 => StructuringElement.Rectangle(w, h),
            1 => StructuringElement.Cross(w, h),
            _ => StructuringElement.Ellipse(w, h),
        };
    }

    /// <summary>cv2's definition, pixel by pixel: min (erode) or max over the element's cells inside the image.</summary>
    public static GrayImage BruteForce(GrayImage src, StructuringElement element, bool erode)
    {
        var dst = new GrayImage(src.Width, src.Height);
        for (int y = 0; y < src.Height; y++)
        {
            for (int x = 0; x < src.Width; x++)
            {
                int best = erode ? 255 : 0;
                for (int j = 0; j < element.Height; j++)
                {
                    for (int i = 0; i < element.Width; i++)
                    {
                        int sx = x + i - element.AnchorX, sy = y + j - element.AnchorY;
                        if (element[i, j] && sx >= 0 && sy >= 0 && sx < src.Width && sy < src.Height)
                        {
                            best = erode ? Math.Min(best, src[sx, sy]) : Math.Max(best, src[sx, sy]);
                        }
                    }
                }

                dst[x, y] = (byte)best;
            }
        }

        return dst;
    }

    /// <summary>Squared distance to the nearest background pixel by exhaustive search (long.MaxValue if none).</summary>
    public static long BruteForceSquaredDistance(GrayImage mask, int x, int y)
    {
        if (mask[x, y] == 0)
        {
            return 0;
        }

        long best = long.MaxValue;
        for (int v = 0; v < mask.Height; v++)
        {
            for (int u = 0; u < mask.Width; u++)
            {
                if (mask[u, v] == 0)
                {
                    best = Math.Min(best, ((long)(u - x) * (u - x)) + ((long)(v - y) * (v - y)));
                }
            }
        }

        return best;
    }
}
