namespace Raabin.Features.Imaging;

/// <summary>
/// One thing a decoder filled in or glossed over while reading damaged data, the way libjpeg and libpng only warn
/// about it (the pixels are still exactly those OpenCV's <c>imread</c> returns).
/// </summary>
/// <param name="Message">What happened, in plain words, without the file name (e.g. "truncated JPEG: rows 182-363 filled").</param>
/// <param name="AffectsPixels">
/// True when some pixels were invented (filled grey, left unrefined) or decoded from corrupt data; false when only
/// data that does not reach the pixels was damaged (e.g. a PNG text chunk with a bad CRC, ignored).
/// </param>
public sealed record DecodeWarning(string Message, bool AffectsPixels);

/// <summary>
/// What a decoder had to tolerate to produce an image: empty for an intact file. A damaged image
/// (<see cref="IsDamaged"/>) decodes with the same pixels OpenCV gives, but part of them does not come from the file,
/// so it must not be measured as if whole.
/// </summary>
public sealed class DecodeReport
{
    /// <summary>Creates a report from its warnings, in the order they were met.</summary>
    public DecodeReport(IReadOnlyList<DecodeWarning> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        Warnings = warnings;
        foreach (var warning in warnings)
        {
            IsDamaged |= warning.AffectsPixels;
        }
    }

    /// <summary>The report of an intact file: no warnings.</summary>
    public static DecodeReport Intact { get; } = new([]);

    /// <summary>The warnings, in the order the decoder met them; empty for an intact file.</summary>
    public IReadOnlyList<DecodeWarning> Warnings { get; }

    /// <summary>True when at least one warning affects the pixels (<see cref="DecodeWarning.AffectsPixels"/>).</summary>
    public bool IsDamaged { get; }

    /// <summary>True when there is any warning, damaging or not.</summary>
    public bool HasWarnings => Warnings.Count > 0;

    /// <summary>All warning messages joined with "; " (empty for an intact file), for one-line outputs.</summary>
    public string Summary => string.Join("; ", Warnings.Select(w => w.Message));

    /// <inheritdoc/>
    public override string ToString() => HasWarnings ? Summary : "intact";
}

/// <summary>Collects warnings during one decode; decoders build one <see cref="DecodeReport"/> from it.</summary>
internal sealed class DecodeReportBuilder
{
    private List<DecodeWarning>? _warnings;

    /// <summary>Records a warning.</summary>
    internal void Warn(string message, bool affectsPixels = true) => (_warnings ??= []).Add(new DecodeWarning(message, affectsPixels));

    /// <summary>True when any warning affecting pixels has been recorded.</summary>
    internal bool IsDamaged => _warnings is not null && _warnings.Exists(w => w.AffectsPixels);

    /// <summary>The report so far.</summary>
    internal DecodeReport Build() => _warnings is null ? DecodeReport.Intact : new DecodeReport(_warnings.ToArray());
}
