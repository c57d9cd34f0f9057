using Raabin.Features.Imaging;

namespace Raabin.Features.Segmentation;

/// <summary>Overlap of a predicted mask with a ground-truth mask.</summary>
/// <param name="PredictedPixels">Pixels set in the prediction.</param>
/// <param name="TruthPixels">Pixels set in the ground truth.</param>
/// <param name="Intersection">Pixels set in both.</param>
public readonly record struct MaskAgreement(long PredictedPixels, long TruthPixels, long Intersection)
{
    /// <summary>Dice = 2|P∩T| / (|P| + |T|); 1 when both are empty.</summary>
    public double Dice => PredictedPixels + TruthPixels == 0 ? 1 : 2.0 * Intersection / (PredictedPixels + TruthPixels);

    /// <summary>IoU (Jaccard) = |P∩T| / |P∪T|; 1 when both are empty.</summary>
    public double IoU
    {
        get
        {
            long union = PredictedPixels + TruthPixels - Intersection;
            return union == 0 ? 1 : (double)Intersection / union;
        }
    }

    /// <summary>
    /// Compares <paramref name="predicted"/> (pixels equal to <paramref name="predictedValue"/>) with
    /// <paramref name="truth"/> (pixels equal to <paramref name="truthValue"/>, e.g. 255 = nucleus in the Zheng masks).
    /// </summary>
    public static MaskAgreement Compare(GrayImage predicted, byte predictedValue, GrayImage truth, byte truthValue)
    {
        RequireSameSize(predicted, truth);
        long p = 0, t = 0, both = 0;
        byte[] a = predicted.Pixels, b = truth.Pixels;
        for (int i = 0; i < a.Length; i++)
        {
            bool inP = a[i] == predictedValue, inT = b[i] == truthValue;
            p += inP ? 1 : 0;
            t += inT ? 1 : 0;
            both += inP && inT ? 1 : 0;
        }

        return new MaskAgreement(p, t, both);
    }

    /// <summary>
    /// Compares <paramref name="predicted"/> (pixels ≥ <paramref name="predictedMinimum"/>) with <paramref name="truth"/>
    /// (pixels ≥ <paramref name="truthMinimum"/>, e.g. 128 = the whole cell, nucleus and cytoplasm, in the Zheng masks).
    /// </summary>
    public static MaskAgreement CompareAtLeast(GrayImage predicted, byte predictedMinimum, GrayImage truth, byte truthMinimum)
    {
        RequireSameSize(predicted, truth);
        long p = 0, t = 0, both = 0;
        byte[] a = predicted.Pixels, b = truth.Pixels;
        for (int i = 0; i < a.Length; i++)
        {
            bool inP = a[i] >= predictedMinimum, inT = b[i] >= truthMinimum;
            p += inP ? 1 : 0;
            t += inT ? 1 : 0;
            both += inP && inT ? 1 : 0;
        }

        return new MaskAgreement(p, t, both);
    }

    private static void RequireSameSize(GrayImage predicted, GrayImage truth)
    {
        if (predicted.Width != truth.Width || predicted.Height != truth.Height)
        {
            throw new ArgumentException(
                $"Mask sizes differ: predicted {predicted.Width}x{predicted.Height}, truth {truth.Width}x{truth.Height}.", nameof(truth));
        }
    }
}
