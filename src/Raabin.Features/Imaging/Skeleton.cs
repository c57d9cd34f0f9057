namespace Raabin.Features.Imaging;

/// <summary>Thinning of masks to one-pixel-wide skeletons.</summary>
public static class Skeleton
{
    // scikit-image 0.19's table (_skeletonize_cy.pyx, from CellProfiler, BSD): the removal class of each 8-neighbourhood
    // coded 1·NW + 2·N + 4·NE + 8·E + 16·SE + 32·S + 64·SW + 128·W; 1 removed in the first sub-pass, 2 in the second,
    // 3 in both.
    private static ReadOnlySpan<byte> Table =>
    [
        0, 0, 0, 1, 0, 0, 1, 3, 0, 0, 3, 1, 1, 0, 1, 3, 0, 0, 0, 0, 0, 0,
        0, 0, 2, 0, 2, 0, 3, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3, 0, 2, 2, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 2, 0,
        0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 3, 0, 2, 0, 0, 0, 3, 1,
        0, 0, 1, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 1, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 1, 3, 0, 0,
        1, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 2, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3,
        0, 1, 0, 0, 0, 0, 2, 2, 0, 0, 2, 0, 0, 0,
    ];

    /// <summary>
    /// The Zhang-Suen skeleton of a mask: border pixels are peeled in alternating sub-passes, all decided on the
    /// state before the sub-pass, until none is removable. Identical to scikit-image 0.19's
    /// <c>skimage.morphology.skeletonize(mask != 0)</c> (2-D, default method), times 255; pixels outside the image are
    /// background.
    /// </summary>
    /// <remarks>Zhang T. Y., Suen C. Y. A fast parallel algorithm for thinning digital patterns. Commun ACM 27:236-239
    /// (1984). Only the bounding box of the foreground is scanned.</remarks>
    /// <param name="mask">The mask; any nonzero value is foreground.</param>
    /// <returns>A new 0/255 mask of the same size, a subset of the foreground.</returns>
    public static GrayImage ZhangSuen(GrayImage mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        int width = mask.Width, height = mask.Height;
        var result = new GrayImage(width, height);
        if (!Bounds(mask, out int x0, out int y0, out int x1, out int y1))
        {
            return result;
        }

        // The bounding box with a one-pixel background frame, as 0/1.
        int bw = x1 - x0 + 3, bh = y1 - y0 + 3;
        var pad = new byte[bw * bh];
        for (int y = y0; y <= y1; y++)
        {
            ReadOnlySpan<byte> src = mask.Pixels.AsSpan((y * width) + x0, x1 - x0 + 1);
            int o = ((y - y0 + 1) * bw) + 1;
            for (int x = 0; x < src.Length; x++)
            {
                pad[o + x] = src[x] != 0 ? (byte)1 : (byte)0;
            }
        }

        var removed = new List<int>();
        ReadOnlySpan<byte> table = Table;
        bool any = true;
        while (any)
        {
            any = false;
            for (int pass = 1; pass <= 2; pass++)
            {
                removed.Clear();
                for (int y = 1; y < bh - 1; y++)
                {
                    int row = y * bw;
                    for (int x = 1; x < bw - 1; x++)
                    {
                        int i = row + x;
                        if (pad[i] == 0)
                        {
                            continue;
                        }

                        int code = pad[i - bw - 1] | (pad[i - bw] << 1) | (pad[i - bw + 1] << 2) | (pad[i + 1] << 3) |
                                   (pad[i + bw + 1] << 4) | (pad[i + bw] << 5) | (pad[i + bw - 1] << 6) | (pad[i - 1] << 7);
                        int kind = table[code];
                        if (kind == 3 || kind == pass)
                        {
                            removed.Add(i);
                        }
                    }
                }

                foreach (int i in removed)
                {
                    pad[i] = 0;
                }

                any |= removed.Count > 0;
            }
        }

        for (int y = y0; y <= y1; y++)
        {
            Span<byte> dst = result.Pixels.AsSpan((y * width) + x0, x1 - x0 + 1);
            int o = ((y - y0 + 1) * bw) + 1;
            for (int x = 0; x < dst.Length; x++)
            {
                dst[x] = pad[o + x] != 0 ? (byte)255 : (byte)0;
            }
        }

        return result;
    }

    /// <summary>The number of 8-neighbours of (x, y) that are nonzero in <paramref name="mask"/> (outside: 0).</summary>
    public static int Neighbours(GrayImage mask, int x, int y)
    {
        ArgumentNullException.ThrowIfNull(mask);
        int n = 0;
        for (int dy = -1; dy <= 1; dy++)
        {
            int yy = y + dy;
            if (yy < 0 || yy >= mask.Height)
            {
                continue;
            }

            for (int dx = -1; dx <= 1; dx++)
            {
                int xx = x + dx;
                if ((dx | dy) != 0 && xx >= 0 && xx < mask.Width && mask.Pixels[(yy * mask.Width) + xx] != 0)
                {
                    n++;
                }
            }
        }

        return n;
    }

    private static bool Bounds(GrayImage mask, out int x0, out int y0, out int x1, out int y1)
    {
        x0 = int.MaxValue;
        y0 = int.MaxValue;
        x1 = -1;
        y1 = -1;
        for (int y = 0; y < mask.Height; y++)
        {
            ReadOnlySpan<byte> row = mask.Pixels.AsSpan(y * mask.Width, mask.Width);
            int from = row.IndexOfAnyExcept((byte)0);
            if (from < 0)
            {
                continue;
            }

            int to = row.LastIndexOfAnyExcept((byte)0);
            x0 = Math.Min(x0, from);
            x1 = Math.Max(x1, to);
            y0 = Math.Min(y0, y);
            y1 = y;
        }

        return x1 >= 0;
    }
}
