using System.Security.Cryptography;
using System.Text;

namespace Raabin.Features.IO;

/// <summary>
/// An output file that appears under its final name only when complete. Bytes go to a temporary file in the same folder
/// (<c>.NAME.RANDOM.tmp</c>, so the rename never crosses file systems); <see cref="Commit"/> flushes it to disk and renames
/// it over the target in one step. Disposing without <see cref="Commit"/> deletes the temporary file, so an error or an
/// interruption never leaves a half-written file under the final name (an existing file there is left as it was).
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private readonly FileStream _stream;
    private bool _closed;

    private AtomicFile(string path, string temporaryPath, FileStream stream)
    {
        Path = path;
        TemporaryPath = temporaryPath;
        _stream = stream;
    }

    /// <summary>The final name, as given.</summary>
    public string Path { get; }

    /// <summary>The temporary file being written.</summary>
    public string TemporaryPath { get; }

    /// <summary>Where to write the contents; owned by this object (do not dispose it).</summary>
    public Stream Stream => _stream;

    /// <summary>Whether <see cref="Commit"/> has put the file under its final name.</summary>
    public bool IsCommitted { get; private set; }

    /// <summary>Starts writing <paramref name="path"/>: creates an empty temporary file beside it.</summary>
    /// <exception cref="IOException">The folder does not exist or cannot be written.</exception>
    public static AtomicFile Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        string dir = System.IO.Path.GetDirectoryName(full)!;
        string name = System.IO.Path.GetFileName(full);
        while (true)
        {
            string temporary = System.IO.Path.Combine(dir, $".{name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.tmp");
            try
            {
                var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
                return new AtomicFile(path, temporary, stream);
            }
            catch (IOException) when (File.Exists(temporary))
            {
                // Another writer drew the same name; draw again.
            }
        }
    }

    /// <summary>Flushes the temporary file to disk and renames it over <see cref="Path"/> (replacing any file there).</summary>
    /// <exception cref="InvalidOperationException">Already committed or disposed.</exception>
    public void Commit()
    {
        if (_closed)
        {
            throw new InvalidOperationException($"{Path}: already {(IsCommitted ? "committed" : "discarded")}");
        }

        try
        {
            _stream.Flush(flushToDisk: true);
            _stream.Dispose();
            _closed = true;
            File.Move(TemporaryPath, Path, overwrite: true);
            IsCommitted = true;
        }
        finally
        {
            if (!IsCommitted)
            {
                Discard();
            }
        }
    }

    /// <summary>Deletes the temporary file unless <see cref="Commit"/> succeeded.</summary>
    public void Dispose()
    {
        if (!IsCommitted)
        {
            Discard();
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        using var file = Create(path);
        file.Stream.Write(bytes);
        file.Commit();
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically as UTF-8 without a byte-order mark.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text));

    /// <summary>Lets <paramref name="write"/> fill the file (it must not dispose the stream), then commits it; if it throws, nothing appears.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var file = Create(path);
        write(file.Stream);
        file.Commit();
    }

    private void Discard()
    {
        if (!_closed)
        {
            _closed = true;
            try
            {
                _stream.Dispose();
            }
            catch (IOException)
            {
                // The contents are being thrown away; a failed final flush does not matter.
            }
        }

        try
        {
            File.Delete(TemporaryPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file is visible as such and harmless; the error that led here matters more.
        }
    }
}
