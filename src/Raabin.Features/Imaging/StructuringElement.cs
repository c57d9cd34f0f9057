namespace Raabin.Features.Imaging;

/// <summary>
/// A flat structuring element for <see cref="Morphology"/>: a <see cref="Width"/> × <see cref="Height"/> grid of cells
/// that are in or out, anchored at its centre (<c>Width / 2</c>, <c>Height / 2</c>, integer division), exactly as
/// OpenCV 4.6's <c>cv2.getStructuringElement(shape, (width, height))</c> builds it with the default anchor. Immutable.
/// </summary>
/// <remarks>
/// Every row of the three shapes is one contiguous run of cells (or empty), which is what makes
/// <see cref="Morphology"/> fast; the element keeps those runs.
/// </remarks>
public sealed class StructuringElement
{
    /// <summary>Largest supported width or height, in pixels.</summary>
    public const int MaxSize = 4095;

    private readonly bool[] _cells;

    private StructuringElement(int width, int height, bool[] cells)
    {
        Width = width;
        Height = height;
        AnchorX = width / 2;
        AnchorY = height / 2;
        _cells = cells;
        var runs = new List<Run>();
        int count = 0;
        for (int y = 0; y < height; y++)
        {
            int x = 0;
            while (x < width)
            {
                if (!cells[y * width + x])
                {
                    x++;
                    continue;
                }

                int start = x;
                while (x < width && cells[y * width + x])
                {
                    x++;
                }

                runs.Add(new Run(y - AnchorY, start - AnchorX, x - start));
                count += x - start;
            }
        }

        Runs = runs.ToArray();
        Count = count;
    }

    /// <summary>Width in pixels (columns), 1..<see cref="MaxSize"/>.</summary>
    public int Width { get; }

    /// <summary>Height in pixels (rows), 1..<see cref="MaxSize"/>.</summary>
    public int Height { get; }

    /// <summary>Column of the anchor (the cell placed on the output pixel): <c>Width / 2</c>.</summary>
    public int AnchorX { get; }

    /// <summary>Row of the anchor: <c>Height / 2</c>.</summary>
    public int AnchorY { get; }

    /// <summary>Number of cells in the element (OpenCV's <c>countNonZero(kernel)</c>).</summary>
    public int Count { get; }

    /// <summary>The horizontal runs of cells, row by row, as offsets from the anchor.</summary>
    internal Run[] Runs { get; }

    /// <summary>Whether the cell at column <paramref name="x"/>, row <paramref name="y"/> (0-based, from the top-left
    /// corner of the grid) is in the element.</summary>
    public bool this[int x, int y]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(x);
            ArgumentOutOfRangeException.ThrowIfNegative(y);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(x, Width);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
            return _cells[y * Width + x];
        }
    }

    /// <summary>
    /// The filled ellipse inscribed in a <paramref name="width"/> × <paramref name="height"/> box, identical to
    /// <c>cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (width, height))</c> of OpenCV 4.6.
    /// </summary>
    /// <remarks>
    /// OpenCV's rule, reproduced with its double arithmetic: with <c>r = height / 2</c>, <c>c = width / 2</c> (integer
    /// division) and <c>inv = r == 0 ? 0 : 1.0 / (r * r)</c>, row <c>i</c> (<c>dy = i - r</c>, |dy| ≤ r) holds the
    /// columns <c>max(c - dx, 0) .. min(c + dx, width - 1)</c> where <c>dx = round(c * sqrt((r*r - dy*dy) * inv))</c>,
    /// rounded half to even (<c>cvRound</c>); a row with |dy| &gt; r (the last row of an even height) is empty. So an
    /// even size is not symmetric: (4, 4) has a single cell in its top row and a full bottom row.
    /// </remarks>
    /// <param name="width">Box width in pixels, 1..<see cref="MaxSize"/>.</param>
    /// <param name="height">Box height in pixels, 1..<see cref="MaxSize"/>.</param>
    public static StructuringElement Ellipse(int width, int height)
    {
        bool[] cells = NewCells(width, height);
        int r = height / 2;
        int c = width / 2;
        double inverseR2 = r != 0 ? 1.0 / ((double)r * r) : 0;
        for (int i = 0; i < height; i++)
        {
            int dy = i - r;
            if (Math.Abs(dy) > r)
            {
                continue;
            }

            int dx = (int)Math.Round(c * Math.Sqrt((r * r - dy * dy) * inverseR2), MidpointRounding.ToEven);
            int x1 = Math.Max(c - dx, 0);
            int x2 = Math.Min(c + dx + 1, width);
            cells.AsSpan(i * width + x1, x2 - x1).Fill(true);
        }

        return new StructuringElement(width, height, cells);
    }

    /// <summary>The disc of radius <paramref name="radius"/>: <see cref="Ellipse"/>(2r + 1, 2r + 1).</summary>
    /// <param name="radius">Radius in pixels, 0..(<see cref="MaxSize"/> - 1) / 2; 0 is the single anchor cell.</param>
    public static StructuringElement EllipseOfRadius(int radius)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(radius);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(radius, (MaxSize - 1) / 2);
        return Ellipse(2 * radius + 1, 2 * radius + 1);
    }

    /// <summary>The full <paramref name="width"/> × <paramref name="height"/> box, as
    /// <c>cv2.getStructuringElement(cv2.MORPH_RECT, (width, height))</c>.</summary>
    /// <param name="width">Width in pixels, 1..<see cref="MaxSize"/>.</param>
    /// <param name="height">Height in pixels, 1..<see cref="MaxSize"/>.</param>
    public static StructuringElement Rectangle(int width, int height)
    {
        bool[] cells = NewCells(width, height);
        cells.AsSpan().Fill(true);
        return new StructuringElement(width, height, cells);
    }

    /// <summary>The anchor's full row and full column, as
    /// <c>cv2.getStructuringElement(cv2.MORPH_CROSS, (width, height))</c>.</summary>
    /// <param name="width">Width in pixels, 1..<see cref="MaxSize"/>.</param>
    /// <param name="height">Height in pixels, 1..<see cref="MaxSize"/>.</param>
    public static StructuringElement Cross(int width, int height)
    {
        bool[] cells = NewCells(width, height);
        int ax = width / 2;
        int ay = height / 2;
        for (int y = 0; y < height; y++)
        {
            if (y == ay)
            {
                cells.AsSpan(y * width, width).Fill(true);
            }
            else
            {
                cells[y * width + ax] = true;
            }
        }

        return new StructuringElement(width, height, cells);
    }

    /// <summary>The cells as OpenCV's kernel array: row-major bytes, 1 in the element, 0 outside.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[_cells.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = _cells[i] ? (byte)1 : (byte)0;
        }

        return bytes;
    }

    private static bool[] NewCells(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, MaxSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, MaxSize);
        return new bool[width * height];
    }

    /// <summary>A horizontal run of cells: row offset from the anchor, first column offset, length (≥ 1).</summary>
    internal readonly record struct Run(int Dy, int Dx, int Length);
}
