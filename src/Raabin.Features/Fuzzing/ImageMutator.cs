using Raabin.Features.Evaluation.Statistics;
using Raabin.Features.Imaging;

namespace Raabin.Features.Fuzzing;

/// <summary>
/// Mutates an image file of any supported format: mutant number <c>index</c> of a run with seed <c>seed</c> is a pure
/// function of the seed file's bytes, <c>seed</c> and <c>index</c>, so any mutant can be rebuilt from those three.
/// </summary>
/// <remarks>
/// Each mutant gets one mutation (70 %), two (20 %) or three (10 %) stacked; each is format-aware (60 %, see
/// <see cref="JpegMutator"/>, <see cref="PngMutator"/>, <see cref="BmpMutator"/>, <see cref="TiffMutator"/>) or a
/// byte mutation (<see cref="ByteMutator"/>). The mutant's kind is its first mutation's.
/// </remarks>
public static class ImageMutator
{
    /// <summary>The generator of mutant <paramref name="index"/> of a run with <paramref name="seed"/>: stream <paramref name="index"/> of SplitMix64.</summary>
    public static SplitMix64 Random(ulong seed, long index) => SplitMix64.ForStream(seed, index);

    /// <summary>Mutant <paramref name="index"/> of <paramref name="original"/> (whose format is detected from its bytes).</summary>
    public static Mutation Mutate(byte[] original, ulong seed, long index)
    {
        ArgumentNullException.ThrowIfNull(original);
        var random = Random(seed, index);
        var format = ImageDecoder.DetectFormat(original);
        int roll = random.NextIndex(10);
        int count = roll < 7 ? 1 : roll < 9 ? 2 : 3;
        Mutation? first = null;
        byte[] data = original;
        var details = new List<string>();
        for (int i = 0; i < count; i++)
        {
            var m = MutationMath.Chance(random, 0.6) ? MutateFormat(data, format, random) : ByteMutator.Mutate(data, random);
            first ??= m;
            details.Add(m.Detail);
            data = m.Data;
        }

        return new Mutation(first!.Kind, string.Join(" + ", details), data);
    }

    /// <summary>The format-aware mutation kinds of <paramref name="format"/> (empty for <see cref="ImageFormat.Unknown"/>).</summary>
    public static IReadOnlyList<string> KindsOf(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => JpegMutator.Kinds,
        ImageFormat.Png => PngMutator.Kinds,
        ImageFormat.Bmp => BmpMutator.Kinds,
        ImageFormat.Tiff => TiffMutator.Kinds,
        _ => [],
    };

    private static Mutation MutateFormat(byte[] data, ImageFormat format, SplitMix64 random) => format switch
    {
        ImageFormat.Jpeg => JpegMutator.Mutate(data, random),
        ImageFormat.Png => PngMutator.Mutate(data, random),
        ImageFormat.Bmp => BmpMutator.Mutate(data, random),
        ImageFormat.Tiff => TiffMutator.Mutate(data, random),
        _ => ByteMutator.Mutate(data, random),
    };
}
