using Raabin.Features.Imaging.Jpeg;

namespace Raabin.Features.Tests.Imaging.Jpeg;

/// <summary>Hand-computed cases of libjpeg's triangle filters (jdsample.c) on one tiny plane.</summary>
public class JpegUpsamplerTests
{
    private static JpegUpsampler Chroma(int chromaH, int chromaV, int width, int height, byte[] plane)
    {
        var luma = new JpegComponent(0, 1, 2, 2, 0);
        var chroma = new JpegComponent(1, 2, chromaH, chromaV, 0);
        var frame = new JpegFrame(0xC0, width, height, [luma, chroma]);
        return new JpegUpsampler(chroma, frame, plane, chroma.WidthInBlocks * 8);
    }

    [Fact]
    public void H2V1_weights_nearer_sample_three_quarters_with_alternating_bias()
    {
        // Chroma 1x2 against luma 2x2: 2:1 horizontally only. Row 0 = 0, 4, 8, 12.
        var plane = new byte[64];
        plane[0] = 0;
        plane[1] = 4;
        plane[2] = 8;
        plane[3] = 12;
        var upsampler = Chroma(1, 2, 8, 16, plane);
        var scratch = new byte[16];

        var row = upsampler.Row(0, 8, scratch);

        Assert.Equal(JpegUpsampleMethod.H2V1Fancy, upsampler.Method);
        // (3a + b + 1) >> 2 on the left of each sample, (3a + c + 2) >> 2 on the right; edges copy the sample.
        Assert.Equal(new byte[] { 0, 1, 3, 5, 7, 9, 11, 12 }, row[..8].ToArray());
    }

    [Fact]
    public void H1V2_blends_with_row_above_or_below_and_repeats_edges()
    {
        // Chroma 2x1 against luma 2x2: 2:1 vertically only. Column 0 = 0 (row 0), 16 (row 1).
        var plane = new byte[64];
        plane[0] = 0;
        plane[8] = 16;
        var upsampler = Chroma(2, 1, 2, 4, plane);
        var scratch = new byte[16];

        Assert.Equal(JpegUpsampleMethod.H1V2Fancy, upsampler.Method);
        Assert.Equal(0, upsampler.Row(0, 2, scratch)[0]);               // (3*0 + 0 + 1) >> 2, top row repeated
        Assert.Equal(4, upsampler.Row(1, 2, scratch)[0]);               // (3*0 + 16 + 2) >> 2
        Assert.Equal(12, upsampler.Row(2, 2, scratch)[0]);              // (3*16 + 0 + 1) >> 2
        Assert.Equal(16, upsampler.Row(3, 2, scratch)[0]);              // (3*16 + 16 + 2) >> 2, bottom row repeated
    }

    [Fact]
    public void H2V2_combines_both_directions_in_sixteenths()
    {
        // 4:2:0 chroma for a 6x2 image: one chroma row 0, 8, 16 (sampled width 3 > 2, so fancy).
        var plane = new byte[64];
        plane[0] = 0;
        plane[1] = 8;
        plane[2] = 16;
        var upsampler = Chroma(1, 1, 6, 2, plane);
        var scratch = new byte[16];

        var row = upsampler.Row(0, 6, scratch);

        Assert.Equal(JpegUpsampleMethod.H2V2Fancy, upsampler.Method);
        // Column sums (3*near + far) are 0, 32, 64 (the row is its own neighbour); then (3*this + other + 8 or 7) >> 4.
        Assert.Equal(new byte[] { 0, 2, 6, 10, 14, 16 }, row[..6].ToArray());
    }

    [Fact]
    public void Narrow_components_fall_back_to_replication()
    {
        Assert.Equal(JpegUpsampleMethod.Replicate, JpegUpsampler.SelectMethod(2, 2, 2));
        Assert.Equal(JpegUpsampleMethod.Replicate, JpegUpsampler.SelectMethod(2, 1, 1));
        Assert.Equal(JpegUpsampleMethod.H1V2Fancy, JpegUpsampler.SelectMethod(1, 2, 1));
        Assert.Equal(JpegUpsampleMethod.Replicate, JpegUpsampler.SelectMethod(4, 2, 30));
    }
}
