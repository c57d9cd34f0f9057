using Raabin.Features.Imaging;

namespace Raabin.Features.Fuzzing;

/// <summary>Options of <see cref="FuzzRunner"/>; every default is stated.</summary>
public sealed record FuzzOptions
{
    /// <summary>The default per-file time limit: 2 s.</summary>
    public static readonly TimeSpan DefaultTimeLimit = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The default decoder pixel limit while fuzzing: 4 megapixels, 30 times the largest seed crop. A mutant whose header
    /// claims more is refused before allocation, as <see cref="DecoderOptions.MaxPixels"/> documents; without this, a
    /// corrupted height of 65,535 turns a fuzz run into a benchmark of segmenting 100-megapixel grey images.
    /// </summary>
    public const long DefaultMaxPixels = 4_000_000;

    /// <summary>Longest time one mutant may take (decode, segment and measure, or one read) before it counts as a hang. Default 2 s.</summary>
    public TimeSpan TimeLimit { get; init; } = DefaultTimeLimit;

    /// <summary>
    /// How many hung mutants may still be running before the run stops (.NET cannot abort a thread, so each keeps a
    /// thread and a core busy). Default 4.
    /// </summary>
    public int MaxStuckTasks { get; init; } = 4;

    /// <summary>Decoder limits; default <see cref="DefaultMaxPixels"/>.</summary>
    public DecoderOptions DecoderOptions { get; init; } = new() { MaxPixels = DefaultMaxPixels };

    /// <summary>Whether decoded images are segmented and measured (reference pipeline and od-cell/od-groups). Default true.</summary>
    public bool Measure { get; init; } = true;

    /// <summary>Mutants run at once (1 = sequential, 0 = one per core). Default 1, so times are not inflated by each other.</summary>
    public int MaxDegreeOfParallelism { get; init; } = 1;

    /// <summary>Folder for text mutants (the readers take paths); null for a new folder under the system temporary folder, removed afterwards.</summary>
    public string? WorkFolder { get; init; }
}
