using Raabin.Features.IO;

namespace Raabin.Features.Tests.IO;

public class CsvTableTests
{
    [Fact]
    public void Parses_quotes_doubled_quotes_crlf_and_bom()
    {
        var t = CsvTable.Parse("\uFEFFa,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n2,,\"multi\nline\"\n", "t.csv");
        Assert.Equal(["a", "b", "c"], t.Header);
        Assert.Equal(2, t.Rows.Count);
        Assert.Equal(["1", "x,y", "say \"hi\""], t.Rows[0]);
        Assert.Equal(["2", "", "multi\nline"], t.Rows[1]);
        Assert.Equal([2, 3], t.LineNumbers);
    }

    [Fact]
    public void Ragged_row_names_file_and_line()
    {
        var e = Assert.Throws<CsvFormatException>(() => CsvTable.Parse("a,b\n1,2\n3\n", "data.csv"));
        Assert.Equal(3, e.Line);
        Assert.StartsWith("data.csv:3:", e.Message);
    }

    [Fact]
    public void Missing_column_and_bad_number_are_named()
    {
        var t = CsvTable.Parse("path,x\np.jpg,abc\n", "f.csv");
        var missing = Assert.Throws<CsvFormatException>(() => t.RequireColumn("label"));
        Assert.Contains("'label'", missing.Message);
        var bad = Assert.Throws<CsvFormatException>(() => t.GetDouble(0, 1));
        Assert.Equal("x", bad.Column);
        Assert.Equal(2, bad.Line);
    }

    [Fact]
    public void Unclosed_quote_and_empty_file_are_errors()
    {
        Assert.Throws<CsvFormatException>(() => CsvTable.Parse("a\n\"open\n", "f.csv"));
        Assert.Throws<CsvFormatException>(() => CsvTable.Parse("", "f.csv"));
        Assert.Throws<CsvFormatException>(() => CsvTable.Parse("a,a\n1,2\n", "f.csv"));
    }

    [Fact]
    public void Writer_round_trips_doubles_and_quotes()
    {
        var sw = new StringWriter();
        using (var w = new CsvWriter(sw))
        {
            w.Row(["name", "value"]);
            w.Field("a,\"b\"").Field(0.1 + 0.2).EndRow();
            w.Field("nan").Field(double.NaN).EndRow();
        }

        var t = CsvTable.Parse(sw.ToString(), "mem");
        Assert.Equal("a,\"b\"", t.Rows[0][0]);
        Assert.Equal(0.1 + 0.2, t.GetDouble(0, 1));
        Assert.True(double.IsNaN(t.GetDouble(1, 1)));
    }
}
