using System.Numerics;

namespace Raabin.Features.Imaging;

/// <summary>
/// Grey-level morphology of 8-bit images with a flat <see cref="StructuringElement"/>, identical (bit for bit, for
/// any 8-bit image, masks included) to OpenCV 4.6's <c>cv2.erode</c>, <c>cv2.dilate</c> and
/// <c>cv2.morphologyEx(MORPH_OPEN / MORPH_CLOSE)</c> with the default anchor (the element's centre) and the default
/// border (<c>BORDER_CONSTANT</c> with <c>morphologyDefaultBorderValue()</c>: outside pixels never win, so the border
/// neither erodes nor dilates).
/// </summary>
/// <remarks>
/// <para>Erosion: <c>dst(x, y) = min src(x + i - ax, y + j - ay)</c> over the element's cells (i, j) that fall inside
/// the image; dilation the same with max. As in OpenCV the element is not reflected for dilation (this matters only
/// for even sizes, whose anchor is off-centre). <c>iterations</c> applies the operation that many times (0 copies);
/// opening is erosion then dilation, each iterated, closing the reverse. With an odd-sized (hence symmetric) element
/// opening and closing are true morphological openings and closings (idempotent, opening ⊆ image ⊆ closing); with an
/// even size, as in OpenCV, they are not: <c>Open([0 255 255 0 0 0], 2 × 1 box) = [0 0 255 255 0 0]</c>.</para>
/// <para>Speed: the element is split into horizontal runs; for each distinct run length L (ascending) every image row
/// gets its running min/max over windows of L pixels, grown from the previous length by one pass
/// (<c>m_L'(s) = min(m_L(s), m_L(s + L' - L))</c>, doubling when the step exceeds L), and each run folds its shifted
/// row into the output. The cost is about (distinct lengths + runs) passes over the image, e.g. 41 + 81 for a disc of
/// radius 40.</para>
/// </remarks>
public static class Morphology
{
    [ThreadStatic]
    private static bool t_scalarOnly;

    /// <summary>On the calling thread, use the scalar twins of the vectorised row loops (tests compare the two).</summary>
    internal static bool ScalarOnly
    {
        get => t_scalarOnly;
        set => t_scalarOnly = value;
    }

    private static bool UseVectors => Vector.IsHardwareAccelerated && !t_scalarOnly;

    /// <summary>Erosion (minimum over the element), as <c>cv2.erode(image, element, iterations=iterations)</c>.</summary>
    /// <param name="image">Any 8-bit image (a mask or grey levels).</param>
    /// <param name="element">The structuring element.</param>
    /// <param name="iterations">How many times to erode, ≥ 0 (0 returns a copy).</param>
    /// <returns>A new image of the same size.</returns>
    public static GrayImage Erode(GrayImage image, StructuringElement element, int iterations = 1) =>
        Apply<MinOp>(image, element, iterations);

    /// <summary>Dilation (maximum over the element), as <c>cv2.dilate(image, element, iterations=iterations)</c>.</summary>
    /// <param name="image">Any 8-bit image (a mask or grey levels).</param>
    /// <param name="element">The structuring element.</param>
    /// <param name="iterations">How many times to dilate, ≥ 0 (0 returns a copy).</param>
    /// <returns>A new image of the same size.</returns>
    public static GrayImage Dilate(GrayImage image, StructuringElement element, int iterations = 1) =>
        Apply<MaxOp>(image, element, iterations);

    /// <summary>Opening: <paramref name="iterations"/> erosions then as many dilations, as
    /// <c>cv2.morphologyEx(image, cv2.MORPH_OPEN, element, iterations=iterations)</c>.</summary>
    /// <param name="image">Any 8-bit image (a mask or grey levels).</param>
    /// <param name="element">The structuring element.</param>
    /// <param name="iterations">Iterations of each step, ≥ 0 (0 returns a copy).</param>
    /// <returns>A new image of the same size.</returns>
    public static GrayImage Open(GrayImage image, StructuringElement element, int iterations = 1)
    {
        GrayImage eroded = Apply<MinOp>(image, element, iterations);
        return Apply<MaxOp>(eroded, element, iterations);
    }

    /// <summary>Closing: <paramref name="iterations"/> dilations then as many erosions, as
    /// <c>cv2.morphologyEx(image, cv2.MORPH_CLOSE, element, iterations=iterations)</c>.</summary>
    /// <param name="image">Any 8-bit image (a mask or grey levels).</param>
    /// <param name="element">The structuring element.</param>
    /// <param name="iterations">Iterations of each step, ≥ 0 (0 returns a copy).</param>
    /// <returns>A new image of the same size.</returns>
    public static GrayImage Close(GrayImage image, StructuringElement element, int iterations = 1)
    {
        GrayImage dilated = Apply<MaxOp>(image, element, iterations);
        return Apply<MinOp>(dilated, element, iterations);
    }

    private static GrayImage Apply<TOp>(GrayImage image, StructuringElement element, int iterations)
        where TOp : struct, IMorphologyOp
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(element);
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        var result = new GrayImage(image.Width, image.Height, (byte[])image.Pixels.Clone());
        if (iterations == 0)
        {
            return result;
        }

        var engine = new Engine(image.Width, image.Height, element);
        for (int i = 0; i < iterations; i++)
        {
            engine.Run<TOp>(result.Pixels);
        }

        return result;
    }

    /// <summary>Erosion or dilation: the combining operation and its identity (the border value).</summary>
    private interface IMorphologyOp
    {
        static abstract byte Identity { get; }

        static abstract byte Combine(byte a, byte b);

        static abstract Vector<byte> Combine(Vector<byte> a, Vector<byte> b);
    }

    private readonly struct MinOp : IMorphologyOp
    {
        public static byte Identity => 255;

        public static byte Combine(byte a, byte b) => a < b ? a : b;

        public static Vector<byte> Combine(Vector<byte> a, Vector<byte> b) => Vector.Min(a, b);
    }

    private readonly struct MaxOp : IMorphologyOp
    {
        public static byte Identity => 0;

        public static byte Combine(byte a, byte b) => a > b ? a : b;

        public static Vector<byte> Combine(Vector<byte> a, Vector<byte> b) => Vector.Max(a, b);
    }

    /// <summary>The buffers of one operation on one image size, reused across iterations.</summary>
    private sealed class Engine
    {
        private readonly int _width;
        private readonly int _height;
        private readonly int _pad;
        private readonly int _stride;
        private readonly StructuringElement.Run[] _runs;
        private readonly int[] _lengths;
        private readonly byte[] _table;

        public Engine(int width, int height, StructuringElement element)
        {
            _width = width;
            _height = height;
            _pad = Math.Max(element.AnchorX, element.Width - 1 - element.AnchorX);
            _stride = width + 2 * _pad;
            _runs = (StructuringElement.Run[])element.Runs.Clone();
            Array.Sort(_runs, (a, b) => a.Length.CompareTo(b.Length));
            var lengths = new List<int>();
            foreach (StructuringElement.Run run in _runs)
            {
                if (lengths.Count == 0 || lengths[^1] != run.Length)
                {
                    lengths.Add(run.Length);
                }
            }

            _lengths = lengths.ToArray();
            _table = new byte[checked(_stride * height)];
        }

        /// <summary>Replaces <paramref name="pixels"/> by its erosion or dilation.</summary>
        public void Run<TOp>(byte[] pixels)
            where TOp : struct, IMorphologyOp
        {
            int width = _width, height = _height, pad = _pad, stride = _stride;
            byte identity = TOp.Identity;
            byte[] table = _table;

            // Padded rows: identity outside the image, so windows reaching past the border ignore it.
            table.AsSpan().Fill(identity);
            for (int y = 0; y < height; y++)
            {
                pixels.AsSpan(y * width, width).CopyTo(table.AsSpan(y * stride + pad, width));
            }

            Span<byte> dst = pixels;
            dst.Fill(identity);
            int current = 1;
            int next = 0;
            foreach (int length in _lengths)
            {
                while (current < length)
                {
                    int step = Math.Min(length - current, current);
                    Grow<TOp>(table, stride, height, current + step, step);
                    current += step;
                }

                for (; next < _runs.Length && _runs[next].Length == length; next++)
                {
                    StructuringElement.Run run = _runs[next];
                    int yStart = Math.Max(0, -run.Dy);
                    int yEnd = Math.Min(height, height - run.Dy);
                    for (int y = yStart; y < yEnd; y++)
                    {
                        Fold<TOp>(dst.Slice(y * width, width), table.AsSpan(((y + run.Dy) * stride) + pad + run.Dx, width));
                    }
                }
            }
        }

        /// <summary>Turns windows of <c>newLength - step</c> into windows of <paramref name="newLength"/>, in place:
        /// <c>t(s) = op(t(s), t(s + step))</c> for every start s whose window fits the padded row.</summary>
        private static void Grow<TOp>(byte[] table, int stride, int height, int newLength, int step)
            where TOp : struct, IMorphologyOp
        {
            int count = stride - newLength + 1;
            if (count <= 0)
            {
                return;
            }

            bool vectors = UseVectors;
            for (int y = 0; y < height; y++)
            {
                Span<byte> row = table.AsSpan(y * stride, count + step);
                int s = 0;
                if (vectors)
                {
                    // In place and ascending: each block reads t(s + step) before any later block overwrites it, and
                    // a block's own writes land only below s + Vector<byte>.Count, read by no later block.
                    for (; s <= count - Vector<byte>.Count; s += Vector<byte>.Count)
                    {
                        var a = new Vector<byte>(row.Slice(s));
                        var b = new Vector<byte>(row.Slice(s + step));
                        TOp.Combine(a, b).CopyTo(row.Slice(s));
                    }
                }

                for (; s < count; s++)
                {
                    row[s] = TOp.Combine(row[s], row[s + step]);
                }
            }
        }

        private static void Fold<TOp>(Span<byte> dst, ReadOnlySpan<byte> source)
            where TOp : struct, IMorphologyOp
        {
            int x = 0;
            if (UseVectors)
            {
                for (; x <= dst.Length - Vector<byte>.Count; x += Vector<byte>.Count)
                {
                    TOp.Combine(new Vector<byte>(dst.Slice(x)), new Vector<byte>(source.Slice(x))).CopyTo(dst.Slice(x));
                }
            }

            for (; x < dst.Length; x++)
            {
                dst[x] = TOp.Combine(dst[x], source[x]);
            }
        }
    }
}
