using Raabin.Features.Datasets;
using Raabin.Features.Imaging;

namespace Raabin.Features.Datasets.Dedup;

/// <summary>What the duplicate finder knows about one image: where it is filed, its two hashes and its sharpness.</summary>
/// <param name="Dataset">Dataset name (its folder name).</param>
/// <param name="Path">Image path relative to the dataset folder, '/' separators.</param>
/// <param name="Label">Class label filed with the image.</param>
/// <param name="Split">Split name, or empty when the dataset has none.</param>
/// <param name="AverageHash">64-bit aHash (<see cref="ImageHash.AverageHash(RgbImage)"/>).</param>
/// <param name="PerceptualHash">64-bit pHash (<see cref="ImageHash.PerceptualHash(RgbImage)"/>).</param>
/// <param name="Sharpness">Mean Sobel gradient magnitude (<see cref="Dedup.Sharpness.MeanSobelMagnitude(RgbImage)"/>).</param>
public sealed record ImageFingerprint(
    string Dataset, string Path, string Label, string Split, ulong AverageHash, ulong PerceptualHash, double Sharpness)
{
    /// <summary>Computes the hashes and sharpness of a decoded image filed as <paramref name="item"/> of <paramref name="dataset"/>.</summary>
    public static ImageFingerprint Compute(RgbImage image, string dataset, DatasetItem item)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(item);
        var pillowGray = ImageHash.ToPillowGray(image);
        return new ImageFingerprint(
            dataset, item.Path, item.Label, item.Split,
            ImageHash.AverageHash(pillowGray), ImageHash.PerceptualHash(pillowGray), Dedup.Sharpness.MeanSobelMagnitude(image));
    }

    /// <summary>Orders fingerprints by dataset name, then path (ordinal): the tie-break and listing order of the finder.</summary>
    public static int CompareByLocation(ImageFingerprint? a, ImageFingerprint? b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        if (a is null)
        {
            return -1;
        }

        if (b is null)
        {
            return 1;
        }

        int byDataset = string.CompareOrdinal(a.Dataset, b.Dataset);
        return byDataset != 0 ? byDataset : string.CompareOrdinal(a.Path, b.Path);
    }
}
