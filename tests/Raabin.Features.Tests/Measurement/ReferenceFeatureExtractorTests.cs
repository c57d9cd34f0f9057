using Raabin.Features.Datasets;
using Raabin.Features.Measurement;
using Raabin.Features.Imaging;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Tests.Measurement;

/// <summary>
/// The extractor converts only hull pixels and sums through histograms; here it is compared, bit for bit, with the
/// plain definition: whole-image colour planes and direct sums over the masks.
/// </summary>
public class ReferenceFeatureExtractorTests
{
    public static TheoryData<string> Datasets => new() { "pbc", "zheng-jtsc", "zheng-cellavision", "bccd" };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Hull_pixel_histograms_equal_whole_image_planes(string name)
    {
        var dataset = Dataset.Open(TestPaths.Sample(name));
        int checkedImages = 0;
        foreach (var item in dataset.Items)
        {
            NucleusSegmentation segmentation = new ReferenceNucleusSegmenter().Segment(ImageDecoder.Load(dataset.FullPath(item)));
            if (!segmentation.Succeeded)
            {
                continue;
            }

            var actual = new double[51];
            new ReferenceFeatureExtractor().Extract(segmentation, actual);
            double[] expected = ByPlanes(segmentation);
            for (int f = 0; f < 51; f++)
            {
                Assert.True(BitConverter.DoubleToInt64Bits(expected[f]) == BitConverter.DoubleToInt64Bits(actual[f]),
                    $"{name}/{item.Path} feature {f}: {actual[f]:R} vs {expected[f]:R}");
            }

            checkedImages++;
        }

        Assert.True(checkedImages > 0);
    }

    // The straightforward form: twelve full planes, then exact integer sums over the hull mask.
    private static double[] ByPlanes(NucleusSegmentation s)
    {
        RgbImage balanced = s.Balanced;
        int w = balanced.Width, h = balanced.Height;
        var planes = new GrayImage[12];
        for (int c = 0; c < 12; c++)
        {
            planes[c] = new GrayImage(w, h);
        }

        for (int i = 0; i < w * h; i++)
        {
            planes[0].Pixels[i] = balanced.Pixels[i * 3];
            planes[1].Pixels[i] = balanced.Pixels[i * 3 + 1];
            planes[2].Pixels[i] = balanced.Pixels[i * 3 + 2];
        }

        ColorConversion.RgbToHsv(balanced, planes[3], planes[4], planes[5]);
        ColorConversion.RgbToLab(balanced, planes[6], planes[7], planes[8]);
        ColorConversion.RgbToYCrCb(balanced, planes[9], planes[10], planes[11]);
        var sum = new long[24];
        var squares = new long[24];
        long inHull = 0, roc = 0;
        for (int i = 0; i < w * h; i++)
        {
            if (s.HullMask!.Pixels[i] != 255)
            {
                continue;
            }

            int region = s.NucleusMask.Pixels[i] == 255 ? 0 : 1;
            if (region == 0)
            {
                inHull++;
            }
            else
            {
                roc++;
            }

            for (int c = 0; c < 12; c++)
            {
                long v = planes[c].Pixels[i];
                sum[c * 2 + region] += v;
                squares[c * 2 + region] += v * v;
            }
        }

        var features = new double[51];
        long nucleus = s.NucleusPixelCount, hull = inHull + roc;
        for (int c = 0; c < 12; c++)
        {
            long hs = sum[c * 2] + sum[c * 2 + 1], hq = squares[c * 2] + squares[c * 2 + 1];
            double hullMean = ReferenceFeatureExtractor.Mean(hs, hull), hullStd = ReferenceFeatureExtractor.Std(hs, hq, hull);
            features[c * 2] = ReferenceFeatureExtractor.Mean(sum[c * 2], nucleus) / hullMean;
            features[c * 2 + 1] = ReferenceFeatureExtractor.Std(sum[c * 2], squares[c * 2], nucleus) / hullStd;
            features[24 + c * 2] = ReferenceFeatureExtractor.Mean(sum[c * 2 + 1], roc) / hullMean;
            features[24 + c * 2 + 1] = ReferenceFeatureExtractor.Std(sum[c * 2 + 1], squares[c * 2 + 1], roc) / hullStd;
        }

        double area = 255.0 * nucleus;
        features[48] = s.ContourPerimeter * s.ContourPerimeter / (4 * 3.14 * area);
        features[49] = s.Hull!.Perimeter / s.ContourPerimeter;
        features[50] = area / s.Hull.Area;
        return features;
    }
}
