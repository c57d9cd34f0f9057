namespace Raabin.Features.Fuzzing;

/// <summary>How one mutant fared.</summary>
public enum FuzzOutcome
{
    /// <summary>An image decoded with an intact report, then was segmented and measured.</summary>
    DecodedIntact,

    /// <summary>An image decoded with a damaged report (<see cref="Imaging.DecodeReport.IsDamaged"/>), then was segmented and measured.</summary>
    DecodedDamaged,

    /// <summary>A text input the reader accepted.</summary>
    Accepted,

    /// <summary>Refused with the documented exception (<see cref="Imaging.ImageDecodeException"/>, or the reader's own).</summary>
    Refused,

    /// <summary>Any other exception: a bug.</summary>
    Crash,

    /// <summary>Still running after the time limit: a bug (or a machine far slower than the limit assumes).</summary>
    Hang,
}

/// <summary>
/// One mutant's result. Rebuild the mutant with <c>seeds[Seed].Mutate(RunSeed, Index)</c> (see <see cref="FuzzSeed.Mutate"/>).
/// </summary>
/// <param name="Seed">The seed's name.</param>
/// <param name="Group">The seed's format or reader (<see cref="FuzzSeed.Group"/>).</param>
/// <param name="RunSeed">The run's seed.</param>
/// <param name="Index">The mutant's index in the run.</param>
/// <param name="Mutation">What was done, with the mutant's bytes.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Milliseconds">Wall time of decode + segment + measure (or the read), in ms; for a hang, the time waited.</param>
/// <param name="Message">The exception's type and message (refusals, crashes), or the decoder's warnings; null otherwise.</param>
/// <param name="PixelSha256">For a decoded image: SHA-256 of its RGB24 row-major pixels, lower-case hex (as <c>raabin info</c> writes it).</param>
/// <param name="Width">For a decoded image: its width, else 0.</param>
/// <param name="Height">For a decoded image: its height, else 0.</param>
/// <param name="Exception">For a crash: the exception (stack trace included).</param>
public sealed record FuzzCase(
    string Seed, string Group, ulong RunSeed, long Index, Mutation Mutation, FuzzOutcome Outcome, double Milliseconds,
    string? Message, string? PixelSha256 = null, int Width = 0, int Height = 0, Exception? Exception = null)
{
    /// <summary>True for a crash or a hang.</summary>
    public bool IsFailure => Outcome is FuzzOutcome.Crash or FuzzOutcome.Hang;
}
