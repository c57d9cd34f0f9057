using Raabin.Features.Imaging;

namespace Raabin.Features.Reporting;

/// <summary>
/// A tiny built-in 5×7 pixel font for labelling images (contact-sheet captions) without any system font: digits,
/// upper- and lower-case ASCII letters, space and <c># . / - _ : ? ( ) = , + %</c>. Any other character is drawn as a
/// hollow 5×7 box (<see cref="UnknownGlyph"/>), so a missing glyph is visible and never mistaken for a real one.
/// </summary>
public static class BitmapFont
{
    /// <summary>Glyph width in font pixels.</summary>
    public const int GlyphWidth = 5;

    /// <summary>Glyph height in font pixels.</summary>
    public const int GlyphHeight = 7;

    /// <summary>Horizontal distance from one character to the next (glyph plus one blank column), font pixels.</summary>
    public const int Advance = GlyphWidth + 1;

    /// <summary>Vertical distance from one line to the next (glyph plus two blank rows), font pixels.</summary>
    public const int LineHeight = GlyphHeight + 2;

    /// <summary>Rows of the glyph drawn for characters the font lacks: a hollow box.</summary>
    public static ReadOnlySpan<byte> UnknownGlyph => Box;

    private static readonly byte[] Box = Parse("11111 10001 10001 10001 10001 10001 11111");

    // Each glyph: 7 rows of 5 bits, '1' = ink, leftmost column first (shapes after the classic HD44780 5x7 ROM).
    private static readonly Dictionary<char, byte[]> Glyphs = new()
    {
        [' '] = Parse("00000 00000 00000 00000 00000 00000 00000"),
        ['0'] = Parse("01110 10001 10011 10101 11001 10001 01110"),
        ['1'] = Parse("00100 01100 00100 00100 00100 00100 01110"),
        ['2'] = Parse("01110 10001 00001 00010 00100 01000 11111"),
        ['3'] = Parse("11111 00010 00100 00010 00001 10001 01110"),
        ['4'] = Parse("00010 00110 01010 10010 11111 00010 00010"),
        ['5'] = Parse("11111 10000 11110 00001 00001 10001 01110"),
        ['6'] = Parse("00110 01000 10000 11110 10001 10001 01110"),
        ['7'] = Parse("11111 00001 00010 00100 01000 01000 01000"),
        ['8'] = Parse("01110 10001 10001 01110 10001 10001 01110"),
        ['9'] = Parse("01110 10001 10001 01111 00001 00010 01100"),
        ['A'] = Parse("01110 10001 10001 10001 11111 10001 10001"),
        ['B'] = Parse("11110 10001 10001 11110 10001 10001 11110"),
        ['C'] = Parse("01110 10001 10000 10000 10000 10001 01110"),
        ['D'] = Parse("11100 10010 10001 10001 10001 10010 11100"),
        ['E'] = Parse("11111 10000 10000 11110 10000 10000 11111"),
        ['F'] = Parse("11111 10000 10000 11110 10000 10000 10000"),
        ['G'] = Parse("01110 10001 10000 10111 10001 10001 01111"),
        ['H'] = Parse("10001 10001 10001 11111 10001 10001 10001"),
        ['I'] = Parse("01110 00100 00100 00100 00100 00100 01110"),
        ['J'] = Parse("00111 00010 00010 00010 00010 10010 01100"),
        ['K'] = Parse("10001 10010 10100 11000 10100 10010 10001"),
        ['L'] = Parse("10000 10000 10000 10000 10000 10000 11111"),
        ['M'] = Parse("10001 11011 10101 10101 10001 10001 10001"),
        ['N'] = Parse("10001 10001 11001 10101 10011 10001 10001"),
        ['O'] = Parse("01110 10001 10001 10001 10001 10001 01110"),
        ['P'] = Parse("11110 10001 10001 11110 10000 10000 10000"),
        ['Q'] = Parse("01110 10001 10001 10001 10101 10010 01101"),
        ['R'] = Parse("11110 10001 10001 11110 10100 10010 10001"),
        ['S'] = Parse("01111 10000 10000 01110 00001 00001 11110"),
        ['T'] = Parse("11111 00100 00100 00100 00100 00100 00100"),
        ['U'] = Parse("10001 10001 10001 10001 10001 10001 01110"),
        ['V'] = Parse("10001 10001 10001 10001 10001 01010 00100"),
        ['W'] = Parse("10001 10001 10001 10101 10101 10101 01010"),
        ['X'] = Parse("10001 10001 01010 00100 01010 10001 10001"),
        ['Y'] = Parse("10001 10001 10001 01010 00100 00100 00100"),
        ['Z'] = Parse("11111 00001 00010 00100 01000 10000 11111"),
        ['a'] = Parse("00000 00000 01110 00001 01111 10001 01111"),
        ['b'] = Parse("10000 10000 10110 11001 10001 10001 11110"),
        ['c'] = Parse("00000 00000 01110 10000 10000 10001 01110"),
        ['d'] = Parse("00001 00001 01101 10011 10001 10001 01111"),
        ['e'] = Parse("00000 00000 01110 10001 11111 10000 01110"),
        ['f'] = Parse("00110 01001 01000 11100 01000 01000 01000"),
        ['g'] = Parse("00000 00000 01111 10001 01111 00001 01110"),
        ['h'] = Parse("10000 10000 10110 11001 10001 10001 10001"),
        ['i'] = Parse("00100 00000 01100 00100 00100 00100 01110"),
        ['j'] = Parse("00010 00000 00110 00010 00010 10010 01100"),
        ['k'] = Parse("10000 10000 10010 10100 11000 10100 10010"),
        ['l'] = Parse("01100 00100 00100 00100 00100 00100 01110"),
        ['m'] = Parse("00000 00000 11010 10101 10101 10001 10001"),
        ['n'] = Parse("00000 00000 10110 11001 10001 10001 10001"),
        ['o'] = Parse("00000 00000 01110 10001 10001 10001 01110"),
        ['p'] = Parse("00000 00000 11110 10001 10001 11110 10000"),
        ['q'] = Parse("00000 00000 01111 10001 10001 01111 00001"),
        ['r'] = Parse("00000 00000 10110 11001 10000 10000 10000"),
        ['s'] = Parse("00000 00000 01110 10000 01110 00001 11110"),
        ['t'] = Parse("01000 01000 11100 01000 01000 01001 00110"),
        ['u'] = Parse("00000 00000 10001 10001 10001 10011 01101"),
        ['v'] = Parse("00000 00000 10001 10001 10001 01010 00100"),
        ['w'] = Parse("00000 00000 10001 10001 10101 10101 01010"),
        ['x'] = Parse("00000 00000 10001 01010 00100 01010 10001"),
        ['y'] = Parse("00000 00000 10001 10001 01111 00001 01110"),
        ['z'] = Parse("00000 00000 11111 00010 00100 01000 11111"),
        ['#'] = Parse("01010 01010 11111 01010 11111 01010 01010"),
        ['.'] = Parse("00000 00000 00000 00000 00000 01100 01100"),
        ['/'] = Parse("00000 00001 00010 00100 01000 10000 00000"),
        ['-'] = Parse("00000 00000 00000 11111 00000 00000 00000"),
        ['_'] = Parse("00000 00000 00000 00000 00000 00000 11111"),
        [':'] = Parse("00000 01100 01100 00000 01100 01100 00000"),
        ['?'] = Parse("01110 10001 00001 00010 00100 00000 00100"),
        ['('] = Parse("00010 00100 01000 01000 01000 00100 00010"),
        [')'] = Parse("01000 00100 00010 00010 00010 00100 01000"),
        ['='] = Parse("00000 00000 11111 00000 11111 00000 00000"),
        [','] = Parse("00000 00000 00000 00000 01100 00100 01000"),
        ['+'] = Parse("00000 00100 00100 11111 00100 00100 00000"),
        ['%'] = Parse("11000 11001 00010 00100 01000 10011 00011"),
    };

    /// <summary>Every character the font draws (anything else becomes <see cref="UnknownGlyph"/>).</summary>
    public static IReadOnlyCollection<char> Characters => Glyphs.Keys;

    /// <summary>Whether the font has a glyph for <paramref name="c"/>.</summary>
    public static bool HasGlyph(char c) => Glyphs.ContainsKey(c);

    /// <summary>
    /// The glyph of <paramref name="c"/> (or <see cref="UnknownGlyph"/>): <see cref="GlyphHeight"/> rows, top first, each
    /// a 5-bit pattern whose bit 4 is the leftmost column.
    /// </summary>
    public static ReadOnlySpan<byte> Glyph(char c) => Glyphs.TryGetValue(c, out var rows) ? rows : Box;

    /// <summary>Width of <paramref name="text"/> on one line, image pixels (no trailing blank column).</summary>
    /// <param name="text">The text.</param>
    /// <param name="scale">Image pixels per font pixel, 1 or more.</param>
    public static int MeasureWidth(string text, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? 0 : (text.Length * Advance - 1) * scale;
    }

    /// <summary>How many characters fit on one line <paramref name="width"/> image pixels wide.</summary>
    public static int CharactersThatFit(int width, int scale = 1) => Math.Max(0, (width / scale + 1) / Advance);

    /// <summary>
    /// Draws <paramref name="text"/> on one line with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>):
    /// only ink pixels are painted, each as a <paramref name="scale"/>×<paramref name="scale"/> square; anything outside
    /// the canvas is clipped.
    /// </summary>
    /// <param name="canvas">The image drawn on.</param>
    /// <param name="x">Left edge, image pixels.</param>
    /// <param name="y">Top edge, image pixels.</param>
    /// <param name="text">The text; characters without a glyph are drawn as a box.</param>
    /// <param name="colour">Ink colour.</param>
    /// <param name="scale">Image pixels per font pixel, 1 or more.</param>
    public static void DrawText(RgbImage canvas, int x, int y, string text, (byte R, byte G, byte B) colour, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        for (int i = 0; i < text.Length; i++)
        {
            var rows = Glyph(text[i]);
            int left = x + i * Advance * scale;
            for (int row = 0; row < GlyphHeight; row++)
            {
                for (int column = 0; column < GlyphWidth; column++)
                {
                    if ((rows[row] & (1 << (GlyphWidth - 1 - column))) != 0)
                    {
                        FillSquare(canvas, left + column * scale, y + row * scale, scale, colour);
                    }
                }
            }
        }
    }

    private static void FillSquare(RgbImage canvas, int x, int y, int size, (byte R, byte G, byte B) colour)
    {
        for (int dy = 0; dy < size; dy++)
        {
            int py = y + dy;
            if ((uint)py >= (uint)canvas.Height)
            {
                continue;
            }

            for (int dx = 0; dx < size; dx++)
            {
                int px = x + dx;
                if ((uint)px < (uint)canvas.Width)
                {
                    int o = (py * canvas.Width + px) * 3;
                    canvas.Pixels[o] = colour.R;
                    canvas.Pixels[o + 1] = colour.G;
                    canvas.Pixels[o + 2] = colour.B;
                }
            }
        }
    }

    private static byte[] Parse(string rows)
    {
        var parts = rows.Split(' ');
        var result = new byte[GlyphHeight];
        for (int r = 0; r < GlyphHeight; r++)
        {
            result[r] = Convert.ToByte(parts[r], 2);
        }

        return result;
    }
}
