using Raabin.Features.Segmentation;

namespace Raabin.Features.Tests.Segmentation;

public class SegmenterSpecTests
{
    [Fact]
    public void Text_form_names_every_option_and_parses_back()
    {
        var spec = SegmenterSpec.Of("cmyk-otsu", new CmykOtsuSegmenterOptions { Weight = 0.3 });
        Assert.Equal("cmyk-otsu(weight=0.3;blurKernelSize=5;minimumArea=100)", spec.ToString());
        Assert.Equal(spec, SegmenterSpec.Parse(spec.ToString()));
        Assert.Equal(spec, SegmenterSpec.Parse("cmyk-otsu( weight = 0.3 )"));
        Assert.Equal(SegmenterSpec.Reference, SegmenterSpec.Parse("reference"));
        Assert.Equal("reference(blurKernelSize=5;minimumArea=100)", SegmenterSpec.Reference.ToString());
        Assert.NotEqual(SegmenterSpec.Of("cmyk-otsu"), spec);
    }

    [Fact]
    public void The_spec_creates_the_segmenter_it_describes()
    {
        var spec = SegmenterSpec.Parse("cmyk-otsu(weight=0.25;minimumArea=50)");
        var segmenter = spec.Create();
        Assert.IsType<CmykOtsuSegmenter>(segmenter);
        Assert.Equal(spec, segmenter.Spec);
    }

    [Fact]
    public void Unknown_segmenters_options_and_bad_values_are_named()
    {
        Assert.Contains("'watershed'", Assert.Throws<ArgumentException>(() => SegmenterSpec.Parse("watershed")).Message);
        var e = Assert.Throws<ArgumentException>(() => SegmenterSpec.Parse("reference(weight=0.5)"));
        Assert.Contains("no option 'weight'", e.Message);
        Assert.Contains("blurKernelSize", e.Message);
        Assert.Contains("Weight must be in [0, 1]", Assert.Throws<ArgumentException>(() => SegmenterSpec.Parse("cmyk-otsu(weight=2)")).Message);
        Assert.Throws<ArgumentException>(() => SegmenterSpec.Parse("cmyk-otsu(weight)"));
    }
}
