using Raabin.Features.Imaging;
using Raabin.Features.Reporting;

namespace Raabin.Features.Tests.Reporting;

public class BitmapFontTests
{
    private static readonly (byte R, byte G, byte B) Ink = (255, 255, 255);

    private static bool[,] Render(string text, int scale = 1)
    {
        var canvas = new RgbImage(Math.Max(1, BitmapFont.MeasureWidth(text, scale)) + 2, BitmapFont.GlyphHeight * scale + 2);
        BitmapFont.DrawText(canvas, 1, 1, text, Ink, scale);
        var inked = new bool[canvas.Width, canvas.Height];
        for (int y = 0; y < canvas.Height; y++)
        {
            for (int x = 0; x < canvas.Width; x++)
            {
                inked[x, y] = canvas.Pixels[(y * canvas.Width + x) * 3] == 255;
            }
        }

        return inked;
    }

    private static string Picture(bool[,] inked, int left, int top, int width, int height)
    {
        var rows = new List<string>();
        for (int y = top; y < top + height; y++)
        {
            var row = new char[width];
            for (int x = 0; x < width; x++)
            {
                row[x] = inked[left + x, y] ? '#' : '.';
            }

            rows.Add(new string(row));
        }

        return string.Join("\n", rows);
    }

    [Fact]
    public void The_font_has_digits_letters_and_the_path_punctuation()
    {
        foreach (char c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz./-_# ")
        {
            Assert.True(BitmapFont.HasGlyph(c), $"'{c}'");
        }
    }

    [Fact]
    public void Every_glyph_renders_ink_inside_its_5x7_cell_and_no_two_are_alike()
    {
        var seen = new Dictionary<string, char>();
        foreach (char c in BitmapFont.Characters)
        {
            var inked = Render(c.ToString());
            string picture = Picture(inked, 1, 1, 5, 7);
            int total = inked.Cast<bool>().Count(v => v);
            Assert.Equal(total, picture.Count(ch => ch == '#')); // nothing outside the cell
            if (c != ' ')
            {
                Assert.True(total > 0, $"'{c}' draws nothing");
                Assert.False(seen.TryGetValue(picture, out char other), $"'{c}' looks like '{other}'");
                seen[picture] = c;
            }
        }
    }

    [Fact]
    public void Glyphs_draw_as_their_table_says()
    {
        Assert.Equal("..#..\n.##..\n..#..\n..#..\n..#..\n..#..\n.###.", Picture(Render("1"), 1, 1, 5, 7));
        Assert.Equal(".....\n.....\n.....\n.....\n.....\n.##..\n.##..", Picture(Render("."), 1, 1, 5, 7));
        Assert.Equal(".....\n.....\n.....\n.....\n.....\n.....\n#####", Picture(Render("_"), 1, 1, 5, 7));
    }

    [Fact]
    public void Unknown_characters_become_a_hollow_box()
    {
        const string box = "#####\n#...#\n#...#\n#...#\n#...#\n#...#\n#####";
        foreach (char c in "@é€\t")
        {
            Assert.False(BitmapFont.HasGlyph(c));
            Assert.Equal(box, Picture(Render(c.ToString()), 1, 1, 5, 7));
        }

        Assert.NotEqual(box, Picture(Render("?"), 1, 1, 5, 7));
        Assert.DoesNotContain(BitmapFont.Characters, c => BitmapFont.Glyph(c).SequenceEqual(BitmapFont.UnknownGlyph));
    }

    [Fact]
    public void Text_advances_6_px_per_character_and_scales_by_whole_pixels()
    {
        Assert.Equal(0, BitmapFont.MeasureWidth(string.Empty));
        Assert.Equal(17, BitmapFont.MeasureWidth("abc"));
        Assert.Equal(34, BitmapFont.MeasureWidth("abc", 2));
        Assert.Equal(26, BitmapFont.CharactersThatFit(156));
        var one = Render("-1");
        Assert.Equal(Picture(one, 1, 1, 5, 7), Picture(Render("-"), 1, 1, 5, 7));
        Assert.Equal(Picture(one, 7, 1, 5, 7), Picture(Render("1"), 1, 1, 5, 7));

        var two = Render("1", 2);
        for (int y = 0; y < 7; y++)
        {
            for (int x = 0; x < 5; x++)
            {
                bool expected = one[7 + x, 1 + y];
                Assert.Equal(expected, two[1 + 2 * x, 1 + 2 * y]);
                Assert.Equal(expected, two[2 + 2 * x, 2 + 2 * y]);
            }
        }
    }

    [Fact]
    public void Text_is_clipped_at_the_canvas_edge()
    {
        var canvas = new RgbImage(4, 4);
        BitmapFont.DrawText(canvas, -3, -3, "#8", Ink);
        BitmapFont.DrawText(canvas, 2, 2, "W", Ink, 3);
        Assert.Contains(canvas.Pixels, v => v == 255);
    }
}
