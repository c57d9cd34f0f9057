using System.Globalization;
using System.Text.RegularExpressions;
using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Png;
using Raabin.Features.IO;

namespace Raabin.Features.Reporting;

/// <summary>Page layout of a <see cref="ContactSheet"/>; <see cref="Default"/> holds the defaults.</summary>
public sealed class ContactSheetOptions
{
    /// <summary>The defaults: 8 columns × 6 rows of 160-px tiles.</summary>
    public static ContactSheetOptions Default { get; } = new();

    /// <summary>Tiles per page row, 1 or more (default 8).</summary>
    public int Columns { get; init; } = 8;

    /// <summary>Tile rows per page, 1 or more (default 6).</summary>
    public int Rows { get; init; } = 6;

    /// <summary>Side of a tile's square image area, pixels, 8 or more (default 160); the caption band goes below it.</summary>
    public int TileSize { get; init; } = 160;

    /// <summary>Tiles per page.</summary>
    public int TilesPerPage => Columns * Rows;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Columns, 1, nameof(Columns));
        ArgumentOutOfRangeException.ThrowIfLessThan(Rows, 1, nameof(Rows));
        ArgumentOutOfRangeException.ThrowIfLessThan(TileSize, 8, nameof(TileSize));
    }
}

/// <summary>What a contact-sheet tile is about.</summary>
/// <param name="Path">The image's path relative to its dataset folder.</param>
/// <param name="Status">Its row status (<c>ok</c>, <c>segmentation_failed</c>, ...).</param>
/// <param name="Dice">Nucleus Dice against the ground truth, or null when there is none.</param>
public sealed record ContactSheetEntry(string Path, string Status, double? Dice);

/// <summary>Where a tile went.</summary>
/// <param name="Rank">1-based position in the sheet's order (<see cref="ContactSheet.Order"/>).</param>
/// <param name="Page">File name of its page.</param>
/// <param name="Row">0-based tile row on the page.</param>
/// <param name="Column">0-based tile column on the page.</param>
/// <param name="Entry">The tile's entry.</param>
public sealed record ContactSheetPlacement(int Rank, string Page, int Row, int Column, ContactSheetEntry Entry);

/// <summary>
/// Many overlays on a few pages: a grid of <see cref="ContactSheetOptions.TileSize"/>-px tiles (usually made by
/// <see cref="SegmentationOverlay.DrawTile"/>), each captioned with the tiny <see cref="BitmapFont"/>: its rank and
/// nucleus Dice, its path, and its status when not ok. Tiles are ordered by <see cref="Order"/> (worst Dice first).
/// </summary>
/// <remarks>
/// Only scaled tiles are kept, and not in memory: <see cref="Add"/> appends each tile, PNG-compressed, to a spool file
/// beside the output (<c>.contact-sheet.tiles.XXXXXXXX.tmp</c>, deleted on <see cref="Dispose"/>), and
/// <see cref="Write"/> reads back one page's tiles at a time. One page is <c>contact-sheet.png</c>; more are
/// <c>contact-sheet-001.png</c>, <c>contact-sheet-002.png</c>, ...
/// </remarks>
public sealed partial class ContactSheet : IDisposable
{
    /// <summary>File name of the sheet without extension and page number.</summary>
    public const string BaseName = "contact-sheet";

    /// <summary>Gap between tiles and around the page, pixels.</summary>
    public const int Gap = 4;

    /// <summary>Caption lines under each tile.</summary>
    public const int CaptionLines = 3;

    /// <summary>Height of the caption band under each tile, pixels.</summary>
    public const int CaptionHeight = CaptionLines * BitmapFont.LineHeight + 3;

    /// <summary>Page background colour: near black.</summary>
    public static readonly (byte R, byte G, byte B) PageColour = (24, 24, 24);

    /// <summary>Caption band colour: black.</summary>
    public static readonly (byte R, byte G, byte B) CaptionColour = (0, 0, 0);

    /// <summary>Caption text colour: white.</summary>
    public static readonly (byte R, byte G, byte B) TextColour = (255, 255, 255);

    /// <summary>Colour of the status line of a tile whose status is not ok: light red.</summary>
    public static readonly (byte R, byte G, byte B) StatusColour = (255, 110, 110);

    private readonly FileStream _spool;
    private readonly List<ContactSheetEntry> _entries = [];
    private readonly List<(long Offset, int Length)> _tiles = [];

    /// <summary>Starts an empty sheet whose tile spool lives in <paramref name="spoolDirectory"/>.</summary>
    /// <param name="spoolDirectory">An existing folder (usually the output folder).</param>
    /// <param name="options">Layout; null for <see cref="ContactSheetOptions.Default"/>.</param>
    public ContactSheet(string spoolDirectory, ContactSheetOptions? options = null)
    {
        Options = options ?? ContactSheetOptions.Default;
        Options.Validate();
        string name = $".{BaseName}.tiles.{Guid.NewGuid().ToString("N")[..8]}.tmp";
        _spool = new FileStream(Path.Combine(spoolDirectory, name), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose);
    }

    /// <summary>The layout.</summary>
    public ContactSheetOptions Options { get; }

    /// <summary>Tiles added so far.</summary>
    public int Count => _entries.Count;

    /// <summary>Pages <see cref="Write"/> writes for the tiles added so far.</summary>
    public int PageCount => (Count + Options.TilesPerPage - 1) / Options.TilesPerPage;

    /// <summary>Adds a tile; entries added in dataset order keep that order among equals.</summary>
    /// <param name="entry">What the tile shows.</param>
    /// <param name="tile">A <see cref="ContactSheetOptions.TileSize"/>-square image, or null for a placeholder (no image).</param>
    public void Add(ContactSheetEntry entry, RgbImage? tile)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (tile is null)
        {
            _tiles.Add((-1, 0));
        }
        else
        {
            if (tile.Width != Options.TileSize || tile.Height != Options.TileSize)
            {
                throw new ArgumentException($"A tile must be {Options.TileSize}x{Options.TileSize}, got {tile.Width}x{tile.Height}.", nameof(tile));
            }

            byte[] png = PngEncoder.Encode(tile);
            _spool.Seek(0, SeekOrigin.End);
            _tiles.Add((_spool.Position, png.Length));
            _spool.Write(png);
        }

        _entries.Add(entry);
    }

    /// <summary>
    /// The sheet's order, as indices into <paramref name="entries"/>: first entries with neither status ok nor a Dice
    /// (unreadable or damaged images, failures without ground truth), then entries with a Dice from worst (lowest) to
    /// best, then ok entries without one; dataset order within equals. Without any ground truth this is failed images
    /// first, then dataset order.
    /// </summary>
    public static int[] Order(IReadOnlyList<ContactSheetEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var order = new int[entries.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        static int Group(ContactSheetEntry e) => e.Dice is not null ? 1 : e.Status == Measurement.CellStatus.Ok ? 2 : 0;
        var keys = entries.Select(e => (Group: Group(e), Dice: e.Dice ?? 0)).ToArray();

        // Array.Sort is not stable; the index breaks ties, which keeps dataset order.
        Array.Sort(order, (a, b) =>
        {
            int c = keys[a].Group.CompareTo(keys[b].Group);
            if (c == 0)
            {
                c = keys[a].Dice.CompareTo(keys[b].Dice);
            }

            return c != 0 ? c : a.CompareTo(b);
        });
        return order;
    }

    /// <summary>Where every tile goes, in rank order.</summary>
    public IReadOnlyList<ContactSheetPlacement> Layout()
    {
        var order = Order(_entries);
        int perPage = Options.TilesPerPage, pages = PageCount;
        var placements = new ContactSheetPlacement[order.Length];
        for (int rank = 0; rank < order.Length; rank++)
        {
            int page = rank / perPage, slot = rank % perPage;
            placements[rank] = new ContactSheetPlacement(rank + 1, PageName(page, pages), slot / Options.Columns, slot % Options.Columns, _entries[order[rank]]);
        }

        return placements;
    }

    /// <summary>File name of page <paramref name="page"/> (0-based) of <paramref name="pages"/>.</summary>
    public static string PageName(int page, int pages) =>
        pages == 1 ? BaseName + ".png" : string.Create(CultureInfo.InvariantCulture, $"{BaseName}-{page + 1:D3}.png");

    /// <summary>
    /// Writes the pages into <paramref name="directory"/> (each atomically), removes pages of an earlier, longer sheet
    /// there, and returns the placements. A page is as wide as its tiles need: a sheet of 5 tiles is one row of 5.
    /// </summary>
    public IReadOnlyList<ContactSheetPlacement> Write(string directory)
    {
        var placements = Layout();
        int perPage = Options.TilesPerPage, tile = Options.TileSize;
        var written = new HashSet<string>(StringComparer.Ordinal);
        var order = Order(_entries);
        for (int first = 0; first < placements.Count; first += perPage)
        {
            int count = Math.Min(perPage, placements.Count - first);
            int columns = Math.Min(Options.Columns, count), rows = (count + Options.Columns - 1) / Options.Columns;
            var page = SegmentationOverlay.Filled(columns * tile + (columns + 1) * Gap, rows * (tile + CaptionHeight) + (rows + 1) * Gap, PageColour);
            for (int k = 0; k < count; k++)
            {
                var p = placements[first + k];
                int x = Gap + p.Column * (tile + Gap), y = Gap + p.Row * (tile + CaptionHeight + Gap);
                Blit(page, ReadTile(order[first + k]), x, y);
                DrawCaption(page, x, y + tile, tile, p);
            }

            string name = placements[first].Page;
            PngEncoder.Save(page, Path.Combine(directory, name));
            written.Add(name);
        }

        foreach (string stale in Directory.EnumerateFiles(directory, BaseName + "*.png"))
        {
            string name = Path.GetFileName(stale);
            if (PagePattern().IsMatch(name) && !written.Contains(name))
            {
                File.Delete(stale);
            }
        }

        return placements;
    }

    /// <summary>The three caption lines of a tile: rank and Dice; path (its tail when too long); status when not ok.</summary>
    /// <param name="placement">The tile.</param>
    /// <param name="width">Caption width, pixels.</param>
    public static string[] CaptionText(ContactSheetPlacement placement, int width)
    {
        ArgumentNullException.ThrowIfNull(placement);
        int fit = BitmapFont.CharactersThatFit(width - 4);
        var e = placement.Entry;
        string first = string.Create(CultureInfo.InvariantCulture, $"#{placement.Rank}") +
            (e.Dice is { } d ? string.Create(CultureInfo.InvariantCulture, $" dice {d:F4}") : string.Empty);
        return [Fit(first, fit), Fit(e.Path, fit), e.Status == "ok" ? string.Empty : Fit(e.Status, fit)];
    }

    /// <summary>Draws a tile's caption band (<see cref="CaptionHeight"/> high) with its top-left corner at (x, y).</summary>
    public static void DrawCaption(RgbImage page, int x, int y, int width, ContactSheetPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(page);
        for (int row = y; row < Math.Min(page.Height, y + CaptionHeight); row++)
        {
            for (int column = x; column < Math.Min(page.Width, x + width); column++)
            {
                int o = (row * page.Width + column) * 3;
                page.Pixels[o] = CaptionColour.R;
                page.Pixels[o + 1] = CaptionColour.G;
                page.Pixels[o + 2] = CaptionColour.B;
            }
        }

        var lines = CaptionText(placement, width);
        for (int i = 0; i < lines.Length; i++)
        {
            BitmapFont.DrawText(page, x + 2, y + 2 + i * BitmapFont.LineHeight, lines[i], i == 2 ? StatusColour : TextColour);
        }
    }

    /// <summary>Deletes the tile spool.</summary>
    public void Dispose() => _spool.Dispose();

    private RgbImage ReadTile(int index)
    {
        var (offset, length) = _tiles[index];
        if (offset < 0)
        {
            var placeholder = SegmentationOverlay.Filled(Options.TileSize, Options.TileSize, SegmentationOverlay.TileBackground);
            const string text = "no image";
            BitmapFont.DrawText(placeholder, (Options.TileSize - BitmapFont.MeasureWidth(text)) / 2, (Options.TileSize - BitmapFont.GlyphHeight) / 2,
                text, StatusColour);
            return placeholder;
        }

        var bytes = new byte[length];
        _spool.Seek(offset, SeekOrigin.Begin);
        _spool.ReadExactly(bytes);
        return PngDecoder.Decode(bytes, _spool.Name, DecoderOptions.Default);
    }

    private static void Blit(RgbImage page, RgbImage tile, int x, int y)
    {
        for (int row = 0; row < tile.Height; row++)
        {
            tile.Pixels.AsSpan(row * tile.Width * 3, tile.Width * 3).CopyTo(page.Pixels.AsSpan(((y + row) * page.Width + x) * 3));
        }
    }

    private static string Fit(string text, int characters) =>
        text.Length <= characters ? text : characters <= 3 ? text[..Math.Max(0, characters)] : "..." + text[^(characters - 3)..];

    [GeneratedRegex(@"^contact-sheet(-[0-9]{3,})?\.png$", RegexOptions.CultureInvariant)]
    private static partial Regex PagePattern();
}
