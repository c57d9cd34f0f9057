namespace Raabin.Features.Imaging;

/// <summary>Operations on binary masks (input: any nonzero value is foreground; output: 0/255).</summary>
public static class MaskOps
{
    /// <summary>The number of foreground (nonzero) pixels of <paramref name="mask"/>.</summary>
    public static int Count(GrayImage mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        return mask.Pixels.Length - mask.Pixels.AsSpan().Count((byte)0);
    }

    /// <summary>
    /// Fills the holes of <paramref name="mask"/>: every background pixel that cannot reach the image border through
    /// background pixels (4-connected: left, right, up, down) becomes foreground. Identical to
    /// <c>scipy.ndimage.binary_fill_holes(mask)</c> with its default structure (SciPy 1.10), times 255.
    /// </summary>
    /// <param name="mask">The mask; any nonzero value is foreground.</param>
    /// <returns>A new 0/255 mask of the same size.</returns>
    public static GrayImage FillHoles(GrayImage mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        int width = mask.Width, height = mask.Height;
        byte[] source = mask.Pixels;

        // Start as "all foreground", then flood the background reachable from the border back to 0.
        var result = new GrayImage(width, height);
        byte[] pixels = result.Pixels;
        pixels.AsSpan().Fill(255);
        var stack = new int[Math.Max(16, 2 * (width + height))];
        int top = 0;
        for (int x = 0; x < width; x++)
        {
            Seed(x);
            Seed(((height - 1) * width) + x);
        }

        for (int y = 0; y < height; y++)
        {
            Seed(y * width);
            Seed((y * width) + width - 1);
        }

        while (top > 0)
        {
            int index = stack[--top];
            int x = index % width;
            if (x > 0)
            {
                Seed(index - 1);
            }

            if (x + 1 < width)
            {
                Seed(index + 1);
            }

            if (index >= width)
            {
                Seed(index - width);
            }

            if (index + width < pixels.Length)
            {
                Seed(index + width);
            }
        }

        return result;

        void Seed(int index)
        {
            if (source[index] != 0 || pixels[index] == 0)
            {
                return;
            }

            pixels[index] = 0;
            if (top == stack.Length)
            {
                Array.Resize(ref stack, stack.Length * 2);
            }

            stack[top++] = index;
        }
    }
}
