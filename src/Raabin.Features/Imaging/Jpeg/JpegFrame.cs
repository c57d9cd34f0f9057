namespace Raabin.Features.Imaging.Jpeg;

/// <summary>One image component (Y, Cb, Cr, or grey) of a frame and its decoding state.</summary>
internal sealed class JpegComponent
{
    internal JpegComponent(int index, int id, int horizontalFactor, int verticalFactor, int quantTableSlot)
    {
        Index = index;
        Id = id;
        HorizontalFactor = horizontalFactor;
        VerticalFactor = verticalFactor;
        QuantTableSlot = quantTableSlot;
    }

    /// <summary>Position in the frame header (0-based).</summary>
    internal int Index { get; }

    /// <summary>Component identifier byte from the frame header.</summary>
    internal int Id { get; }

    /// <summary>Horizontal sampling factor, 1..4.</summary>
    internal int HorizontalFactor { get; }

    /// <summary>Vertical sampling factor, 1..4.</summary>
    internal int VerticalFactor { get; }

    /// <summary>DQT slot named by the frame header, 0..3.</summary>
    internal int QuantTableSlot { get; }

    /// <summary>Samples per row: <c>ceil(width * h / hmax)</c> (libjpeg's <c>downsampled_width</c>).</summary>
    internal int SampledWidth { get; set; }

    /// <summary>Sample rows: <c>ceil(height * v / vmax)</c> (libjpeg's <c>downsampled_height</c>).</summary>
    internal int SampledHeight { get; set; }

    /// <summary>Blocks per row that hold image samples: <c>ceil(SampledWidth / 8)</c>.</summary>
    internal int WidthInBlocks { get; set; }

    /// <summary>Block rows that hold image samples: <c>ceil(SampledHeight / 8)</c>.</summary>
    internal int HeightInBlocks { get; set; }

    /// <summary>Blocks per row including the dummy blocks that pad the last MCU column.</summary>
    internal int BlocksPerLine { get; set; }

    /// <summary>Block rows including the dummy blocks that pad the last MCU row.</summary>
    internal int BlockRows { get; set; }

    /// <summary>Dequantisation table in natural order, latched when the component first appears in a scan.</summary>
    internal int[]? Quant { get; set; }

    /// <summary>All coefficients (natural order, 64 per block, row-major blocks) for multi-scan images; else null.</summary>
    internal short[]? Coefficients { get; set; }

    /// <summary>DC table slot for the current scan.</summary>
    internal int DcTableSlot { get; set; }

    /// <summary>AC table slot for the current scan.</summary>
    internal int AcTableSlot { get; set; }

    /// <summary>DC predictor of the current scan.</summary>
    internal int DcPredictor { get; set; }
}

/// <summary>The frame header (SOFn) and the geometry derived from it, following libjpeg's jdinput.c.</summary>
internal sealed class JpegFrame
{
    internal JpegFrame(int marker, int width, int height, JpegComponent[] components)
    {
        Marker = marker;
        Width = width;
        Height = height;
        Components = components;
        foreach (var component in components)
        {
            MaxHorizontalFactor = Math.Max(MaxHorizontalFactor, component.HorizontalFactor);
            MaxVerticalFactor = Math.Max(MaxVerticalFactor, component.VerticalFactor);
        }

        McusPerLine = DivideRoundUp(width, MaxHorizontalFactor * 8);
        McuRows = DivideRoundUp(height, MaxVerticalFactor * 8);
        foreach (var c in components)
        {
            c.SampledWidth = DivideRoundUp(width * c.HorizontalFactor, MaxHorizontalFactor);
            c.SampledHeight = DivideRoundUp(height * c.VerticalFactor, MaxVerticalFactor);
            c.WidthInBlocks = DivideRoundUp(width * c.HorizontalFactor, MaxHorizontalFactor * 8);
            c.HeightInBlocks = DivideRoundUp(height * c.VerticalFactor, MaxVerticalFactor * 8);
            c.BlocksPerLine = McusPerLine * c.HorizontalFactor;
            c.BlockRows = McuRows * c.VerticalFactor;
        }
    }

    /// <summary>The SOF marker code (0xC0 baseline, 0xC1 extended, 0xC2 progressive).</summary>
    internal int Marker { get; }

    /// <summary>True for SOF2.</summary>
    internal bool IsProgressive => Marker == 0xC2;

    /// <summary>Image width in pixels.</summary>
    internal int Width { get; }

    /// <summary>Image height in pixels.</summary>
    internal int Height { get; }

    /// <summary>Components in frame-header order.</summary>
    internal JpegComponent[] Components { get; }

    /// <summary>Largest horizontal sampling factor.</summary>
    internal int MaxHorizontalFactor { get; }

    /// <summary>Largest vertical sampling factor.</summary>
    internal int MaxVerticalFactor { get; }

    /// <summary>MCUs per row of an interleaved scan.</summary>
    internal int McusPerLine { get; }

    /// <summary>MCU rows of an interleaved scan.</summary>
    internal int McuRows { get; }

    internal static int DivideRoundUp(int value, int divisor) => (int)(((long)value + divisor - 1) / divisor);
}
