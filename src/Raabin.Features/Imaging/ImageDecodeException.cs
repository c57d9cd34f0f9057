namespace Raabin.Features.Imaging;

/// <summary>
/// The one exception every decoder throws for input it cannot read: truncated or corrupt data, an unsupported
/// variant of a format, or an image above the configured pixel limit. The message names the file and the problem.
/// </summary>
public sealed class ImageDecodeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file path (or another name for the data) that could not be decoded.</param>
    /// <param name="problem">What is wrong, in plain words, without the file name.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public ImageDecodeException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        Source = source;
        Problem = problem;
    }

    /// <summary>The file path (or another name for the data) that could not be decoded.</summary>
    public new string Source { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
