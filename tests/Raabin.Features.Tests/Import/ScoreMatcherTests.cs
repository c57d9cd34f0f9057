using Raabin.Features.Import;

namespace Raabin.Features.Tests.Import;

public class ScoreMatcherTests
{
    private static IReadOnlyList<ImportedScore> Rows(params string[] keys)
    {
        var text = new System.Text.StringBuilder("path,p_a,p_b\n");
        foreach (string k in keys)
        {
            text.Append('"').Append(k).Append("\",0.5,0.5\n");
        }

        return new ScoreImporter().ImportCsv(text.ToString(), "m.csv").Rows;
    }

    /// <summary>Every row lands in exactly one list, every one of our images in exactly one.</summary>
    private static void NothingDropped(ScoreMatch m, IReadOnlyList<ImportedScore> rows, IReadOnlyList<string> ours)
    {
        var placed = m.Matched.Select(x => x.Score)
            .Concat(m.UnmatchedRows)
            .Concat(m.Duplicates.SelectMany(d => d.Rows))
            .Concat(m.Ambiguous.SelectMany(a => a.Rows))
            .ToList();
        Assert.Equal(rows.Count, placed.Count);
        Assert.Equal(rows.Count, placed.Distinct().Count());
        Assert.Equal(ours.OrderBy(p => p, StringComparer.Ordinal), m.Matched.Select(x => x.OurPath).Concat(m.Unscored).OrderBy(p => p, StringComparer.Ordinal));
    }

    [Fact]
    public void Exact_paths_match_first_after_separator_normalisation()
    {
        var rows = Rows("images/a/x.jpg", @"images\b\y.jpg", "./images/c/z.jpg");
        string[] ours = ["images/c/z.jpg", "images/a/x.jpg", "images/b/y.jpg"];
        var m = ScoreMatcher.Match(rows, ours);
        Assert.Equal(3, m.ExactCount);
        Assert.Equal(0, m.ByNameCount);
        Assert.Equal(ours, m.Matched.Select(x => x.OurPath)); // in our order
        Assert.Equal(["./images/c/z.jpg", "images/a/x.jpg", @"images\b\y.jpg"], m.Matched.Select(x => x.Score.Key));
        Assert.Empty(m.UnmatchedRows);
        Assert.Empty(m.Unscored);
        NothingDropped(m, rows, ours);
    }

    [Fact]
    public void Unique_file_names_match_when_paths_differ()
    {
        // timm writes base names by default; our paths have class folders.
        var rows = Rows("x.jpg", "other/y.jpg");
        string[] ours = ["images/a/x.jpg", "images/b/y.jpg"];
        var m = ScoreMatcher.Match(rows, ours);
        Assert.Equal(2, m.ByNameCount);
        Assert.All(m.Matched, x => Assert.Equal(MatchKind.UniqueFileName, x.Kind));
        Assert.Equal("x.jpg", m.Matched[0].Score.Key);
        Assert.Equal("images/b/y.jpg", m.Matched[1].OurPath);
        NothingDropped(m, rows, ours);
    }

    [Fact]
    public void Names_repeated_on_either_side_are_ambiguous_and_not_matched()
    {
        // Ours has two x.jpg; the import has two y.jpg; z.jpg is unique on both sides.
        var rows = Rows("x.jpg", "p/y.jpg", "q/y.jpg", "z.jpg");
        string[] ours = ["a/x.jpg", "b/x.jpg", "a/y.jpg", "c/z.jpg"];
        var m = ScoreMatcher.Match(rows, ours);
        Assert.Single(m.Matched);
        Assert.Equal("c/z.jpg", m.Matched[0].OurPath);
        Assert.Equal(2, m.Ambiguous.Count);
        Assert.Equal("x.jpg", m.Ambiguous[0].FileName);
        Assert.Equal(["x.jpg"], m.Ambiguous[0].Rows.Select(r => r.Key));
        Assert.Equal(["a/x.jpg", "b/x.jpg"], m.Ambiguous[0].Candidates);
        Assert.Equal("y.jpg", m.Ambiguous[1].FileName);
        Assert.Equal(["p/y.jpg", "q/y.jpg"], m.Ambiguous[1].Rows.Select(r => r.Key));
        Assert.Equal(["a/y.jpg"], m.Ambiguous[1].Candidates);
        Assert.Equal(["a/x.jpg", "b/x.jpg", "a/y.jpg"], m.Unscored);
        NothingDropped(m, rows, ours);
    }

    [Fact]
    public void Unmatched_rows_and_unscored_images_are_listed()
    {
        var rows = Rows("images/a/x.jpg", "images/a/extra.jpg");
        string[] ours = ["images/a/x.jpg", "images/a/missing.jpg"];
        var m = ScoreMatcher.Match(rows, ours);
        Assert.Single(m.Matched);
        Assert.Equal(["images/a/extra.jpg"], m.UnmatchedRows.Select(r => r.Key));
        Assert.Equal(3, m.UnmatchedRows[0].Line);
        Assert.Equal(["images/a/missing.jpg"], m.Unscored);
        NothingDropped(m, rows, ours);
    }

    [Fact]
    public void Duplicated_keys_are_reported_and_none_of_them_is_matched()
    {
        // Distinct in the file, the same image once separators are normalised.
        var rows = Rows("images/a/x.jpg", @"images\a\x.jpg", "images/a/y.jpg");
        string[] ours = ["images/a/x.jpg", "images/a/y.jpg"];
        var m = ScoreMatcher.Match(rows, ours);
        var dup = Assert.Single(m.Duplicates);
        Assert.Equal("images/a/x.jpg", dup.Key);
        Assert.Equal([2, 3], dup.Rows.Select(r => r.Line));
        Assert.Equal(["images/a/y.jpg"], m.Matched.Select(x => x.OurPath));
        Assert.Equal(["images/a/x.jpg"], m.Unscored);
        NothingDropped(m, rows, ours);

        Assert.Throws<ArgumentException>(() => ScoreMatcher.Match(rows, ["a.jpg", "./a.jpg"]));
    }

    [Fact]
    public void Matching_is_case_sensitive()
    {
        var rows = Rows("images/a/X.jpg");
        var m = ScoreMatcher.Match(rows, ["images/a/x.jpg"]);
        Assert.Empty(m.Matched);
        Assert.Single(m.UnmatchedRows);
        Assert.Single(m.Unscored);
    }
}
