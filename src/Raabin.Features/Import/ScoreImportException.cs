using Raabin.Features.IO;

namespace Raabin.Features.Import;

/// <summary>
/// An imported score file, class map or published table that cannot be used. The message names the file, the
/// 1-based line (when the problem is on one line) and the column or JSON property (when it is in one).
/// </summary>
public sealed class ScoreImportException : DataFileException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file (or the name given to parsed text).</param>
    /// <param name="line">1-based line; 0 when the problem is not on one line.</param>
    /// <param name="column">Column or JSON property name, or null.</param>
    /// <param name="problem">What is wrong, and where useful what to do about it.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ScoreImportException(string source, int line, string? column, string problem, Exception? inner = null)
        : base(source, line, column, problem, inner)
    {
    }
}
