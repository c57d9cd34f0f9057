namespace Raabin.Features.Augmentation;

/// <summary>One number per colour channel (a gain, a factor or a level), in R, G, B order.</summary>
/// <param name="R">Red.</param>
/// <param name="G">Green.</param>
/// <param name="B">Blue.</param>
public readonly record struct ChannelFactors(double R, double G, double B)
{
    /// <summary>The value of channel 0 (R), 1 (G) or 2 (B).</summary>
    public double this[int channel] => channel switch
    {
        0 => R,
        1 => G,
        2 => B,
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "channel must be 0, 1 or 2"),
    };
}
