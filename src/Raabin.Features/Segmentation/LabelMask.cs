using Raabin.Features.Imaging;

namespace Raabin.Features.Segmentation;

/// <summary>
/// A segmentation as one mask in the datasets' own convention (the Zheng ground truth): 0 = background,
/// 128 = cytoplasm, 255 = nucleus, at the input image's size, so it compares pixel for pixel with a ground-truth mask.
/// </summary>
/// <remarks>
/// Nucleus pixels are those of <see cref="NucleusSegmentation.NucleusMask"/>; cytoplasm pixels are those of
/// <see cref="NucleusSegmentation.CellMask"/> outside the nucleus. Without a cell mask (the nucleus-only segmenters)
/// the mask holds only 0 and 255. The whole cell is every pixel ≥ <see cref="Cytoplasm"/>, the nucleus included
/// even where the cell mask misses it.
/// </remarks>
public static class LabelMask
{
    /// <summary>Background (red cells included), 0.</summary>
    public const byte Background = 0;

    /// <summary>Cytoplasm: in the cell, outside the nucleus, 128.</summary>
    public const byte Cytoplasm = 128;

    /// <summary>Nucleus, 255.</summary>
    public const byte Nucleus = 255;

    /// <summary>The segmentation's nucleus and (when present) cell masks combined into one 0/128/255 mask.</summary>
    /// <param name="segmentation">A segmentation whose masks have its input's size.</param>
    /// <returns>A new mask of the input's size.</returns>
    /// <exception cref="ArgumentException">A mask's size differs from the input image's.</exception>
    public static GrayImage Compose(NucleusSegmentation segmentation)
    {
        ArgumentNullException.ThrowIfNull(segmentation);
        int width = segmentation.Input.Width, height = segmentation.Input.Height;
        var nucleus = segmentation.NucleusMask;
        var cell = segmentation.CellMask;
        RequireSize(nucleus, width, height, "nucleus");
        if (cell is not null)
        {
            RequireSize(cell, width, height, "cell");
        }

        var result = new GrayImage(width, height);
        byte[] n = nucleus.Pixels, output = result.Pixels;
        if (cell is null)
        {
            for (int i = 0; i < output.Length; i++)
            {
                output[i] = n[i] != 0 ? Nucleus : Background;
            }
        }
        else
        {
            byte[] c = cell.Pixels;
            for (int i = 0; i < output.Length; i++)
            {
                output[i] = n[i] != 0 ? Nucleus : c[i] != 0 ? Cytoplasm : Background;
            }
        }

        return result;
    }

    /// <summary>Pixels at or above <paramref name="minimum"/> as a 0/255 mask (e.g. the whole cell of a label mask: ≥ 128).</summary>
    /// <param name="labels">A label mask.</param>
    /// <param name="minimum">The smallest value counted as inside.</param>
    /// <returns>A new 0/255 mask of the same size.</returns>
    public static GrayImage AtLeast(GrayImage labels, byte minimum)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var result = new GrayImage(labels.Width, labels.Height);
        byte[] input = labels.Pixels, output = result.Pixels;
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = input[i] >= minimum ? (byte)255 : (byte)0;
        }

        return result;
    }

    private static void RequireSize(GrayImage mask, int width, int height, string name)
    {
        if (mask.Width != width || mask.Height != height)
        {
            throw new ArgumentException(
                $"The {name} mask is {mask.Width}x{mask.Height} but the input image is {width}x{height}; masks must have the input's size.");
        }
    }
}
