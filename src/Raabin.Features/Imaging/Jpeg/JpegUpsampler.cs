namespace Raabin.Features.Imaging.Jpeg;

/// <summary>The upsampling method libjpeg-turbo 2.1.5 picks for a component (<c>jdsample.c</c>, fancy upsampling on).</summary>
internal enum JpegUpsampleMethod
{
    /// <summary>Component is at full resolution.</summary>
    FullSize,

    /// <summary>2:1 horizontal triangle filter (3/4 nearer + 1/4 further sample, alternating rounding bias).</summary>
    H2V1Fancy,

    /// <summary>2:1 vertical triangle filter (4:4:0).</summary>
    H1V2Fancy,

    /// <summary>2:1 both ways, triangle filter in both directions (9/16, 3/16, 3/16, 1/16).</summary>
    H2V2Fancy,

    /// <summary>Any other integral ratio (and 2:1 ratios on components at most 2 samples wide): pixel replication.</summary>
    Replicate,
}

/// <summary>
/// Produces full-resolution rows of one component from its decoded sample plane, reproducing libjpeg-turbo's
/// upsamplers bit for bit. The plane holds whole blocks; only the first <see cref="JpegComponent.SampledWidth"/> ×
/// <see cref="JpegComponent.SampledHeight"/> samples are image data. Where the triangle filters need a row above the
/// first or below the last, libjpeg's "context rows" repeat the edge row; columns past the edge are handled by the
/// filters' special first/last column cases.
/// </summary>
internal sealed class JpegUpsampler
{
    private readonly byte[] _plane;
    private readonly int _stride;
    private readonly int _sampledWidth;
    private readonly int _sampledHeight;
    private readonly int _horizontalExpand;
    private readonly int _verticalExpand;

    internal JpegUpsampler(JpegComponent component, JpegFrame frame, byte[] plane, int stride)
    {
        _plane = plane;
        _stride = stride;
        _sampledWidth = component.SampledWidth;
        _sampledHeight = component.SampledHeight;
        _horizontalExpand = frame.MaxHorizontalFactor / component.HorizontalFactor;
        _verticalExpand = frame.MaxVerticalFactor / component.VerticalFactor;
        Method = SelectMethod(_horizontalExpand, _verticalExpand, _sampledWidth);
    }

    /// <summary>The method used for this component.</summary>
    internal JpegUpsampleMethod Method { get; }

    /// <summary>Chooses the libjpeg-turbo upsampler for integral expansion factors.</summary>
    internal static JpegUpsampleMethod SelectMethod(int horizontalExpand, int verticalExpand, int sampledWidth)
    {
        return (horizontalExpand, verticalExpand) switch
        {
            (1, 1) => JpegUpsampleMethod.FullSize,
            (2, 1) when sampledWidth > 2 => JpegUpsampleMethod.H2V1Fancy,
            (1, 2) => JpegUpsampleMethod.H1V2Fancy,
            (2, 2) when sampledWidth > 2 => JpegUpsampleMethod.H2V2Fancy,
            _ => JpegUpsampleMethod.Replicate,
        };
    }

    /// <summary>
    /// Returns output row <paramref name="y"/> at full resolution: either a row of the plane itself (full-size
    /// components) or <paramref name="scratch"/> filled with at least <paramref name="width"/> samples.
    /// </summary>
    internal ReadOnlySpan<byte> Row(int y, int width, byte[] scratch)
    {
        switch (Method)
        {
            case JpegUpsampleMethod.FullSize:
                return _plane.AsSpan(y * _stride, width);
            case JpegUpsampleMethod.H2V1Fancy:
                H2V1(PlaneRow(y), scratch);
                return scratch;
            case JpegUpsampleMethod.H1V2Fancy:
            {
                GetVerticalPair(y, out var near, out var far, out bool upper);
                H1V2(near, far, upper ? 1 : 2, scratch);
                return scratch;
            }

            case JpegUpsampleMethod.H2V2Fancy:
            {
                GetVerticalPair(y, out var near, out var far, out _);
                H2V2(near, far, scratch);
                return scratch;
            }

            default:
                Replicate(PlaneRow(y / _verticalExpand), _horizontalExpand, width, scratch);
                return scratch;
        }
    }

    private ReadOnlySpan<byte> PlaneRow(int row) => _plane.AsSpan(row * _stride, _stride);

    // Output row y of a 2:1 vertical filter comes from input row y/2 ("near") and its neighbour above (even y) or
    // below (odd y), with the edge rows repeated.
    private void GetVerticalPair(int y, out ReadOnlySpan<byte> near, out ReadOnlySpan<byte> far, out bool upper)
    {
        int row = y >> 1;
        upper = (y & 1) == 0;
        int neighbour = upper ? Math.Max(row - 1, 0) : Math.Min(row + 1, _sampledHeight - 1);
        near = PlaneRow(row);
        far = PlaneRow(neighbour);
    }

    private void H2V1(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int last = _sampledWidth - 1;
        int value = input[0];
        output[0] = (byte)value;
        output[1] = (byte)((value * 3 + input[1] + 2) >> 2);
        for (int x = 1; x < last; x++)
        {
            value = input[x] * 3;
            output[2 * x] = (byte)((value + input[x - 1] + 1) >> 2);
            output[2 * x + 1] = (byte)((value + input[x + 1] + 2) >> 2);
        }

        value = input[last];
        output[2 * last] = (byte)((value * 3 + input[last - 1] + 1) >> 2);
        output[2 * last + 1] = (byte)value;
    }

    private void H1V2(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, int bias, Span<byte> output)
    {
        for (int x = 0; x < _sampledWidth; x++)
        {
            output[x] = (byte)((near[x] * 3 + far[x] + bias) >> 2);
        }
    }

    // The rounding bias alternates 8 (even output columns) and 7 (odd), libjpeg's ordered dither of the halves.
    private void H2V2(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, Span<byte> output)
    {
        int last = _sampledWidth - 1;
        int thisSum = near[0] * 3 + far[0];
        int nextSum = near[1] * 3 + far[1];
        output[0] = (byte)((thisSum * 4 + 8) >> 4);
        output[1] = (byte)((thisSum * 3 + nextSum + 7) >> 4);
        int lastSum = thisSum;
        thisSum = nextSum;
        for (int x = 1; x < last; x++)
        {
            nextSum = near[x + 1] * 3 + far[x + 1];
            output[2 * x] = (byte)((thisSum * 3 + lastSum + 8) >> 4);
            output[2 * x + 1] = (byte)((thisSum * 3 + nextSum + 7) >> 4);
            lastSum = thisSum;
            thisSum = nextSum;
        }

        output[2 * last] = (byte)((thisSum * 3 + lastSum + 8) >> 4);
        output[2 * last + 1] = (byte)((thisSum * 4 + 7) >> 4);
    }

    private static void Replicate(ReadOnlySpan<byte> input, int expand, int width, Span<byte> output)
    {
        for (int x = 0; x < width; x++)
        {
            output[x] = input[x / expand];
        }
    }
}
