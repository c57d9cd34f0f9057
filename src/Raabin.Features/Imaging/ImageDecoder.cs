using Raabin.Features.Imaging.Bmp;
using Raabin.Features.Imaging.Jpeg;
using Raabin.Features.Imaging.Png;
using Raabin.Features.Imaging.Tiff;

namespace Raabin.Features.Imaging;

/// <summary>
/// Reads any supported image into an <see cref="RgbImage"/> with exactly the pixels OpenCV 4.6's <c>imread</c>
/// (IMREAD_COLOR) returns, converted from B, G, R to R, G, B. The format is recognised from the file's first bytes,
/// not its name. Every failure is an <see cref="ImageDecodeException"/> that names the file and the problem.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Recognises a format from the first bytes of a file.</summary>
    public static ImageFormat DetectFormat(ReadOnlySpan<byte> header)
    {
        if (JpegDecoder.IsJpeg(header))
        {
            return ImageFormat.Jpeg;
        }

        if (PngDecoder.IsPng(header))
        {
            return ImageFormat.Png;
        }

        if (BmpDecoder.IsBmp(header))
        {
            return ImageFormat.Bmp;
        }

        return TiffDecoder.IsTiff(header) ? ImageFormat.Tiff : ImageFormat.Unknown;
    }

    /// <summary>Lower-case name of a format as written in outputs ("jpeg", "png", "bmp", "tiff").</summary>
    public static string FormatName(ImageFormat format) => format.ToString().ToLowerInvariant();

    /// <summary>Reads and decodes a file.</summary>
    /// <exception cref="ImageDecodeException">The file cannot be read or decoded.</exception>
    public static RgbImage Load(string path, DecoderOptions? options = null) => Load(path, out _, options);

    /// <summary>Reads and decodes a file, reporting its format.</summary>
    /// <exception cref="ImageDecodeException">The file cannot be read or decoded.</exception>
    public static RgbImage Load(string path, out ImageFormat format, DecoderOptions? options = null) => Load(path, out format, out _, options);

    /// <summary>
    /// Reads and decodes a file, reporting its format and what the decoder had to tolerate: a truncated or corrupt
    /// file that OpenCV still reads (it only warns) decodes to the same pixels, with <see cref="DecodeReport.IsDamaged"/> set.
    /// </summary>
    /// <exception cref="ImageDecodeException">The file cannot be read or decoded.</exception>
    public static RgbImage Load(string path, out ImageFormat format, out DecodeReport report, DecoderOptions? options = null)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ImageDecodeException(path, $"cannot read the file: {e.Message}", e);
        }

        return Decode(data, path, out format, out report, options);
    }

    /// <summary>Decodes an image held in memory; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ImageDecodeException">The data cannot be decoded.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string source, out ImageFormat format, DecoderOptions? options = null) =>
        Decode(data, source, out format, out _, options);

    /// <summary>
    /// Decodes an image held in memory, reporting its format and what the decoder had to tolerate (see
    /// <see cref="DecodeReport"/>); <paramref name="source"/> names it in errors. BMP has no lenient path (damage
    /// there is an error, as OpenCV gives up too), so its report is always <see cref="DecodeReport.Intact"/>; TIFF
    /// reports damaged LZW strips that OpenCV decodes in part.
    /// </summary>
    /// <exception cref="ImageDecodeException">The data cannot be decoded.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string source, out ImageFormat format, out DecodeReport report, DecoderOptions? options = null)
    {
        options ??= DecoderOptions.Default;
        format = DetectFormat(data);
        report = DecodeReport.Intact;
        return format switch
        {
            ImageFormat.Jpeg => JpegDecoder.Decode(data, source, options, out report),
            ImageFormat.Png => PngDecoder.Decode(data, source, options, out report),
            ImageFormat.Bmp => BmpDecoder.Decode(data, source, options),
            ImageFormat.Tiff => TiffDecoder.Decode(data, source, options, out report),
            _ => throw new ImageDecodeException(source, data.Length == 0
                ? "the file is empty"
                : $"not a supported image (first bytes {Convert.ToHexString(data[..Math.Min(8, data.Length)])}; expected JPEG, PNG, BMP or TIFF)"),
        };
    }

    /// <summary>
    /// Reads a single-channel image (e.g. a ground-truth mask) as <c>imread(path, IMREAD_GRAYSCALE)</c> would for 8-bit
    /// greyscale PNGs; colour images are converted with OpenCV's RGB→GRAY rule.
    /// </summary>
    /// <exception cref="ImageDecodeException">The file cannot be read or decoded.</exception>
    public static GrayImage LoadGray(string path, DecoderOptions? options = null)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ImageDecodeException(path, $"cannot read the file: {e.Message}", e);
        }

        if (PngDecoder.IsPng(data))
        {
            return PngDecoder.DecodeGray(data, path, options ?? DecoderOptions.Default);
        }

        return ColorConversion.RgbToGray(Decode(data, path, out _, options));
    }
}
