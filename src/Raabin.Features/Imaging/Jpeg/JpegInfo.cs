namespace Raabin.Features.Imaging.Jpeg;

/// <summary>Sampling factors of one component as declared in the frame header.</summary>
/// <param name="Id">Component identifier byte (JFIF: 1 = Y, 2 = Cb, 3 = Cr).</param>
/// <param name="Horizontal">Horizontal sampling factor, 1..4.</param>
/// <param name="Vertical">Vertical sampling factor, 1..4.</param>
public sealed record JpegComponentSampling(int Id, int Horizontal, int Vertical);

/// <summary>What a JPEG header declares, read without decoding any pixels.</summary>
/// <param name="Width">Width in pixels as stored in the frame header (before any EXIF orientation).</param>
/// <param name="Height">Height in pixels as stored in the frame header (before any EXIF orientation).</param>
/// <param name="Sampling">One entry per component, in frame-header order (1 = greyscale, 3 = YCbCr or RGB, 4 = CMYK or YCCK).</param>
/// <param name="IsProgressive">True for a progressive (SOF2) stream, false for sequential (SOF0/SOF1).</param>
/// <param name="ExifOrientation">
/// The EXIF Orientation value (1..8) that <see cref="JpegDecoder.Decode(ReadOnlySpan{byte}, string, DecoderOptions)"/> applies, as OpenCV 4.6 reads it; 1 when
/// there is none or it is not 2..8.
/// </param>
public sealed record JpegInfo(int Width, int Height, IReadOnlyList<JpegComponentSampling> Sampling, bool IsProgressive, int ExifOrientation)
{
    /// <summary>Number of components (1, 3 or 4 for images this decoder accepts).</summary>
    public int ComponentCount => Sampling.Count;

    /// <summary>Width of the decoded image after the EXIF orientation is applied (orientations 5..8 swap the axes).</summary>
    public int OrientedWidth => ExifOrientation >= 5 ? Height : Width;

    /// <summary>Height of the decoded image after the EXIF orientation is applied.</summary>
    public int OrientedHeight => ExifOrientation >= 5 ? Width : Height;
}
