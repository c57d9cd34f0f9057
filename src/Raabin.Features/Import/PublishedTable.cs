using System.Globalization;
using Raabin.Features.IO;

namespace Raabin.Features.Import;

/// <summary>
/// One row of a published results table: one method's per-class metrics and its overall accuracy, as fractions
/// in [0, 1] (the table's percentages divided by 100). Aggregate only: there is no per-image data behind it.
/// </summary>
/// <param name="Method">The method as the table names it.</param>
/// <param name="ClassName">The class.</param>
/// <param name="Precision">Precision (positive predictive value) of the class, fraction.</param>
/// <param name="Sensitivity">Sensitivity (recall) of the class, fraction.</param>
/// <param name="F1">F1 score of the class, fraction.</param>
/// <param name="Accuracy">The method's overall accuracy on the test set, fraction (the same on all its rows).</param>
/// <param name="Line">1-based line in the table file.</param>
public sealed record AggregateResult(string Method, string ClassName, double Precision, double Sensitivity, double F1, double Accuracy, int Line);

/// <summary>
/// A published table of per-class precision / sensitivity / F1 and overall accuracy, in percent, with the columns
/// <c>method,class,precision_pct,sensitivity_pct,f1_pct,accuracy_pct</c> (e.g. Kouzehkanan et al., Sci Rep 12:1123
/// (2022), Tables 8 and 9). Values are kept as the table printed them (divided by 100); how finely they were
/// rounded is given by <see cref="DecimalPlaces"/> and <see cref="RoundingHalfWidth"/>.
/// </summary>
public sealed class PublishedTable
{
    private static readonly string[] MetricColumns = ["precision_pct", "sensitivity_pct", "f1_pct", "accuracy_pct"];

    private PublishedTable(string source, IReadOnlyList<AggregateResult> rows, IReadOnlyList<string> methods, IReadOnlyList<string> classes,
        int decimalPlaces, IReadOnlyList<string> assumptions)
    {
        Source = source;
        Rows = rows;
        Methods = methods;
        Classes = classes;
        DecimalPlaces = decimalPlaces;
        Assumptions = assumptions;
    }

    /// <summary>The table file.</summary>
    public string Source { get; }

    /// <summary>Rows in file order.</summary>
    public IReadOnlyList<AggregateResult> Rows { get; }

    /// <summary>Methods in order of first appearance.</summary>
    public IReadOnlyList<string> Methods { get; }

    /// <summary>Classes in order of first appearance.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>
    /// The most decimal places any percentage in the table is printed with (2 for "99.06", 0 for a table of whole
    /// percentages); trailing zeros the table dropped ("99.5", "100") do not lower it.
    /// </summary>
    public int DecimalPlaces { get; }

    /// <summary>Half of the table's last printed digit, as a fraction: a printed value v stands for [v − h, v + h].</summary>
    public double RoundingHalfWidth => 0.5 * Math.Pow(10, -DecimalPlaces) / 100;

    /// <summary>What the reader assumed, in words (units, rounding, accuracy repeated per class).</summary>
    public IReadOnlyList<string> Assumptions { get; }

    /// <summary>The row of <paramref name="method"/> and <paramref name="className"/>, or null.</summary>
    public AggregateResult? Find(string method, string className)
    {
        foreach (var r in Rows)
        {
            if (r.Method == method && r.ClassName == className)
            {
                return r;
            }
        }

        return null;
    }

    /// <summary>Reads a published table CSV.</summary>
    /// <exception cref="ScoreImportException">Missing columns, malformed or out-of-range numbers, repeated rows,
    /// or a method whose accuracy differs between its rows; naming file, line and column.</exception>
    public static PublishedTable Load(string path)
    {
        CsvTable csv;
        try
        {
            csv = CsvTable.Load(path);
        }
        catch (CsvFormatException e)
        {
            throw new ScoreImportException(path, e.Line, e.Column, e.Problem, e);
        }

        return From(csv);
    }

    /// <summary>Parses published-table CSV text; <paramref name="source"/> names it in errors.</summary>
    public static PublishedTable Parse(string text, string source)
    {
        CsvTable csv;
        try
        {
            csv = CsvTable.Parse(text, source);
        }
        catch (CsvFormatException e)
        {
            throw new ScoreImportException(source, e.Line, e.Column, e.Problem, e);
        }

        return From(csv);
    }

    private static PublishedTable From(CsvTable csv)
    {
        string source = csv.Source;
        int methodCol = Require(csv, "method");
        int classCol = Require(csv, "class");
        var metricCols = new int[MetricColumns.Length];
        for (int m = 0; m < MetricColumns.Length; m++)
        {
            metricCols[m] = Require(csv, MetricColumns[m]);
        }

        if (csv.Rows.Count == 0)
        {
            throw new ScoreImportException(source, 0, null, "the table has no rows");
        }

        var rows = new List<AggregateResult>(csv.Rows.Count);
        var methods = new List<string>();
        var classes = new List<string>();
        var accuracyOf = new Dictionary<string, (double Value, int Line)>(StringComparer.Ordinal);
        var seen = new Dictionary<(string, string), int>();
        int decimals = 0;
        var values = new double[MetricColumns.Length];
        for (int r = 0; r < csv.Rows.Count; r++)
        {
            int line = csv.LineNumbers[r];
            string method = Text(csv, r, methodCol);
            string cls = Text(csv, r, classCol);
            if (!seen.TryAdd((method, cls), line))
            {
                throw new ScoreImportException(source, line, "class", $"method '{method}', class '{cls}' is given twice (first at line {seen[(method, cls)]})");
            }

            for (int m = 0; m < MetricColumns.Length; m++)
            {
                string s = csv.Rows[r][metricCols[m]].Trim();
                if (s.Length == 0)
                {
                    throw new ScoreImportException(source, line, MetricColumns[m], "missing value");
                }

                if (!double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double pct))
                {
                    throw new ScoreImportException(source, line, MetricColumns[m], $"'{s}' is not a percentage (digits and an optional decimal point)");
                }

                if (pct > 100)
                {
                    throw new ScoreImportException(source, line, MetricColumns[m], $"{s} is not a percentage in [0, 100]");
                }

                int dot = s.IndexOf('.');
                decimals = Math.Max(decimals, dot < 0 ? 0 : s.Length - dot - 1);
                values[m] = pct / 100;
            }

            if (accuracyOf.TryGetValue(method, out var acc))
            {
                if (acc.Value != values[3])
                {
                    throw new ScoreImportException(source, line, "accuracy_pct",
                        $"method '{method}' has accuracy {csv.Rows[r][metricCols[3]]} here but {Pct(acc.Value)} at line {acc.Line}; accuracy is one number per method");
                }
            }
            else
            {
                accuracyOf[method] = (values[3], line);
                methods.Add(method);
            }

            if (!classes.Contains(cls))
            {
                classes.Add(cls);
            }

            rows.Add(new AggregateResult(method, cls, values[0], values[1], values[2], values[3], line));
        }

        for (int c = 0; c < csv.Header.Count; c++)
        {
            if (c != methodCol && c != classCol && Array.IndexOf(metricCols, c) < 0)
            {
                throw new ScoreImportException(source, 1, csv.Header[c], "unexpected column in a published table");
            }
        }

        var assumptions = new List<string>
        {
            "aggregate only: no per-image data; values are percentages divided by 100 and kept as printed",
            string.Create(CultureInfo.InvariantCulture,
                $"the table is rounded to {decimals} decimal place(s) of a percent: each value stands for ± {0.5 * Math.Pow(10, -decimals):R} percentage points"),
            "accuracy_pct is the method's overall accuracy, repeated on each of its class rows",
        };
        return new PublishedTable(source, rows, methods, classes, decimals, assumptions);
    }

    private static int Require(CsvTable csv, string column)
    {
        int i = csv.IndexOf(column);
        return i >= 0
            ? i
            : throw new ScoreImportException(csv.Source, 1, column,
                $"required column '{column}' is missing (expected method,class,precision_pct,sensitivity_pct,f1_pct,accuracy_pct; found {string.Join(",", csv.Header)})");
    }

    private static string Text(CsvTable csv, int row, int column)
    {
        string s = csv.Rows[row][column];
        return s.Length > 0 ? s : throw new ScoreImportException(csv.Source, csv.LineNumbers[row], csv.Header[column], "missing value");
    }

    private static string Pct(double fraction) => (fraction * 100).ToString("G6", CultureInfo.InvariantCulture);
}
