using System.Globalization;
using System.Text;

namespace Raabin.Features.IO;

/// <summary>
/// A data file (CSV, JSON, score file, table) that cannot be used. The message reads <c>file:line (column 'c'): problem</c>,
/// naming the 1-based line when the problem is on one line and the column or JSON property when it is in one.
/// </summary>
public abstract class DataFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file (or the name given to parsed text).</param>
    /// <param name="line">1-based line; 0 when the problem is not on one line.</param>
    /// <param name="column">Column or JSON property name, or null.</param>
    /// <param name="problem">What is wrong, and where useful what to do about it.</param>
    /// <param name="inner">The underlying error, if any.</param>
    protected DataFileException(string source, int line, string? column, string problem, Exception? inner = null)
        : base(Describe(source, line, column, problem), inner)
    {
        Source = source;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>The file (or the name given to parsed text).</summary>
    public new string Source { get; }

    /// <summary>1-based line number, 0 when the problem is not on one line.</summary>
    public int Line { get; }

    /// <summary>The column or JSON property, if the problem is in one.</summary>
    public string? Column { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    private static string Describe(string source, int line, string? column, string problem)
    {
        var sb = new StringBuilder(source);
        if (line > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $":{line}");
        }

        if (column is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $" (column '{column}')");
        }

        return sb.Append(": ").Append(problem).ToString();
    }
}
