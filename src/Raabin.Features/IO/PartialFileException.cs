namespace Raabin.Features.IO;

/// <summary>
/// A partial batch output (<see cref="PartialCsvFile"/>) that cannot be resumed: made with other settings or items, another
/// header, or missing its settings sidecar. The message names the file and the difference.
/// </summary>
public sealed class PartialFileException : DataFileException
{
    /// <summary>Creates the exception.</summary>
    public PartialFileException(string source, int line, string? column, string problem, Exception? inner = null)
        : base(source, line, column, problem, inner)
    {
    }
}
