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

        // Start as "all foreground", then flood the background reachable from the border back to 0, a row run at a
        // time: a run is always cleared whole, so a cleared pixel marks its whole run as done.
        var result = new GrayImage(width, height);
        byte[] pixels = result.Pixels;
        pixels.AsSpan().Fill(255);
        var stack = new RunStack();
        for (int x = 0; x < width; x++)
        {
            stack.Push(x);
            stack.Push(((height - 1) * width) + x);
        }

        for (int y = 0; y < height; y++)
        {
            stack.Push(y * width);
            stack.Push((y * width) + width - 1);
        }

        while (stack.TryPop(out int index))
        {
            if (source[index] != 0 || pixels[index] == 0)
            {
                continue;
            }

            int y = index / width, row = y * width, x = index - row;
            ReadOnlySpan<byte> line = source.AsSpan(row, width);
            int left = line[..x].LastIndexOfAnyExcept((byte)0) + 1;
            int after = line[x..].IndexOfAnyExcept((byte)0);
            int right = after < 0 ? width - 1 : x + after - 1;
            pixels.AsSpan(row + left, right - left + 1).Clear();
            if (y > 0)
            {
                PushRuns(source, pixels, row - width + left, row - width + right, ref stack);
            }

            if (y + 1 < height)
            {
                PushRuns(source, pixels, row + width + left, row + width + right, ref stack);
            }
        }

        stack.Return();
        return result;

        // One seed per background run of [from, to] not yet cleared.
        static void PushRuns(byte[] source, byte[] pixels, int from, int to, ref RunStack stack)
        {
            for (int j = from; j <= to; j++)
            {
                if (source[j] != 0)
                {
                    continue;
                }

                if (pixels[j] != 0)
                {
                    stack.Push(j);
                }

                while (j < to && source[j + 1] == 0)
                {
                    j++;
                }
            }
        }
    }

    /// <summary>A growable stack of pixel indices on a per-thread array, for the run-wise flood fills.</summary>
    internal struct RunStack
    {
        [ThreadStatic]
        private static int[]? t_items;

        private int[] _items;
        private int _count;

        public RunStack()
        {
            _items = t_items ?? new int[1024];
            t_items = null;
            _count = 0;
        }

        public void Push(int index)
        {
            if (_count == _items.Length)
            {
                Array.Resize(ref _items, _items.Length * 2);
            }

            _items[_count++] = index;
        }

        public bool TryPop(out int index)
        {
            if (_count == 0)
            {
                index = 0;
                return false;
            }

            index = _items[--_count];
            return true;
        }

        // Gives the array back to the thread for the next fill.
        public void Return() => t_items = _items;
    }
}
