namespace Raabin.Features.Imaging;

/// <summary>The image formats the toolkit decodes.</summary>
public enum ImageFormat
{
    /// <summary>Not recognised.</summary>
    Unknown,

    /// <summary>JPEG (baseline, extended or progressive; 8-bit greyscale or YCbCr).</summary>
    Jpeg,

    /// <summary>PNG (every colour type and bit depth, interlaced or not).</summary>
    Png,

    /// <summary>Windows BMP.</summary>
    Bmp,

    /// <summary>TIFF (uncompressed or PackBits strips, 8-bit RGB or greyscale).</summary>
    Tiff,
}
