using Raabin.Features.Datasets;
using Raabin.Features.Measurement;
using Raabin.Features.Imaging;
using Raabin.Features.IO;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Tests.Segmentation;

public class ReferenceSegmenterTests
{
    [Fact]
    public void Nucleus_dice_on_the_zheng_samples_equals_the_reference()
    {
        var reference = CsvTable.Load(TestPaths.Fixture("Reference", "segmentation.csv"));
        Assert.NotEmpty(reference.Rows);
        for (int r = 0; r < reference.Rows.Count; r++)
        {
            string dataset = reference.Rows[r][0];
            var ds = Dataset.Open(TestPaths.Sample(dataset));
            var item = ds.Items.Single(i => i.Path == reference.Rows[r][reference.RequireColumn("path")]);
            var seg = new ReferenceNucleusSegmenter().Segment(ImageDecoder.Load(ds.FullPath(item)));
            var truth = ImageDecoder.LoadGray(Path.Combine(ds.Root, item.MaskPath!));
            var agreement = MaskAgreement.Compare(seg.NucleusMask, 255, truth, 255);

            Assert.Equal((long)reference.GetDouble(r, reference.RequireColumn("nucleus_px")), seg.NucleusPixelCount);
            Assert.Equal((long)reference.GetDouble(r, reference.RequireColumn("gt_nucleus_px")), agreement.TruthPixels);
            Assert.Equal(reference.GetDouble(r, reference.RequireColumn("dice")), agreement.Dice, 12);
            Assert.Equal(reference.GetDouble(r, reference.RequireColumn("iou")), agreement.IoU, 12);
        }
    }

    [Fact]
    public void Result_explains_itself()
    {
        var image = ImageDecoder.Load(TestPaths.Sample("pbc", "images", "lymphocyte", "LY_683648.jpg"));
        var seg = new ReferenceNucleusSegmenter().Segment(image);
        Assert.True(seg.Succeeded);
        Assert.Equal("reference", seg.Method);
        Assert.InRange(seg.Threshold, 1, 254);
        Assert.Equal(seg.Threshold, (int)seg.ThresholdParts["otsu2"]);
        Assert.Equal(seg.NucleusMask.Pixels.Count(v => v == 255), seg.NucleusPixelCount);
        Assert.All(seg.NucleusMask.Pixels, v => Assert.True(v is 0 or 255));
        // Nucleus ⊆ hull mask; ROC = hull \ nucleus.
        for (int i = 0; i < seg.NucleusMask.Pixels.Length; i++)
        {
            bool nucleus = seg.NucleusMask.Pixels[i] == 255, hull = seg.HullMask!.Pixels[i] == 255, roc = seg.RocMask!.Pixels[i] == 255;
            Assert.Equal(hull && !nucleus, roc);
            Assert.True(!nucleus || hull);
        }

        // Every pixel at or above the threshold that survived is in the mask; pixels below are not.
        for (int i = 0; i < seg.Channel.Pixels.Length; i++)
        {
            if (seg.NucleusMask.Pixels[i] == 255)
            {
                Assert.True(seg.Channel.Pixels[i] >= seg.Threshold);
            }
        }

        Assert.True(seg.Hull!.Area > 0 && seg.Hull.Perimeter > 0);
        Assert.True(seg.LargestContourArea > 100);
    }

    [Fact]
    public void Rotating_the_image_by_90_degrees_leaves_shape_features_unchanged()
    {
        foreach (string file in Directory.GetFiles(TestPaths.Sample("bccd", "images", "monocyte")).Order(StringComparer.Ordinal))
        {
            var image = ImageDecoder.Load(file);
            var a = Measure(image);
            var b = Measure(Rotate90(image));

            // Circularity, convexity, solidity: pixel counts, contour lengths and the hull of pixel centres are exactly
            // rotation invariant (up to the order floating-point sums are taken in).
            for (int f = 48; f < 51; f++)
            {
                Assert.Equal(a[f], b[f], Math.Abs(a[f]) * 1e-12);
            }

            // Colour ratios depend on the filled hull mask, and OpenCV's polygon fill is not symmetric under rotation
            // (which boundary pixels it includes depends on edge direction), so they move, but only slightly.
            for (int f = 0; f < 48; f++)
            {
                Assert.Equal(a[f], b[f], Math.Abs(a[f]) * 1e-2);
            }
        }
    }

    [Fact]
    public void A_blank_image_is_a_documented_failure_not_a_crash()
    {
        var white = new RgbImage(40, 30);
        Array.Fill(white.Pixels, (byte)255);
        var seg = new ReferenceNucleusSegmenter().Segment(white);
        Assert.False(seg.Succeeded);
        Assert.NotNull(seg.FailureReason);
        Assert.Null(seg.HullMask);
    }

    [Fact]
    public void Cmyk_otsu_segmenter_combines_its_thresholds_and_agrees_with_ground_truth()
    {
        var ds = Dataset.Open(TestPaths.Sample("zheng-cellavision"));
        foreach (var item in ds.Items)
        {
            var seg = new CmykOtsuSegmenter().Segment(ImageDecoder.Load(ds.FullPath(item)));
            Assert.True(seg.Succeeded, seg.FailureReason);
            double expected = 0.5 * seg.ThresholdParts["otsu2"] + 0.5 * seg.ThresholdParts["otsu3_upper"];
            Assert.Equal((int)Math.Floor(expected + 0.5), seg.Threshold);
            var truth = ImageDecoder.LoadGray(Path.Combine(ds.Root, item.MaskPath!));
            Assert.True(MaskAgreement.Compare(seg.NucleusMask, 255, truth, 255).Dice > 0.5, item.Path);
        }
    }

    private static double[] Measure(RgbImage image)
    {
        var seg = new ReferenceNucleusSegmenter().Segment(image);
        Assert.True(seg.Succeeded);
        var values = new double[51];
        new ReferenceFeatureExtractor().Extract(seg, values);
        return values;
    }

    private static RgbImage Rotate90(RgbImage src)
    {
        // Clockwise: destination (x', y') = (H − 1 − y, x).
        var dst = new RgbImage(src.Height, src.Width);
        for (int y = 0; y < src.Height; y++)
        {
            for (int x = 0; x < src.Width; x++)
            {
                int s = (y * src.Width + x) * 3;
                int d = (x * dst.Width + (src.Height - 1 - y)) * 3;
                dst.Pixels[d] = src.Pixels[s];
                dst.Pixels[d + 1] = src.Pixels[s + 1];
                dst.Pixels[d + 2] = src.Pixels[s + 2];
            }
        }

        return dst;
    }
}
