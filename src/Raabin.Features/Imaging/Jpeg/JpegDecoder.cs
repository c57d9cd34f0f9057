namespace Raabin.Features.Imaging.Jpeg;

/// <summary>
/// A managed JPEG decoder whose pixels are identical to OpenCV 4.6's <c>cv2.imread(path)</c> (converted BGR → RGB),
/// i.e. to libjpeg-turbo 2.1.5 with its defaults: accurate integer IDCT (islow), fancy chroma upsampling, libjpeg's
/// fixed-point YCbCr → RGB tables; and, like <c>imread</c>, with the EXIF orientation applied.
/// </summary>
/// <remarks>
/// <para>Supported: baseline (SOF0) and extended (SOF1) sequential Huffman, progressive Huffman (SOF2), 8-bit
/// samples, 1 component (grey, returned as R = G = B), 3 components (YCbCr; RGB when an Adobe APP14 says transform
/// 0 or the component ids are 'R','G','B') or 4 components (CMYK when an Adobe APP14 says transform 0 or there is no
/// Adobe segment, YCCK for any other transform, as libjpeg decides; converted to RGB with OpenCV's integer CMYK
/// formula, see <c>JpegColor.CmykRowToRgb</c>), any integral sampling factors, restart intervals.</para>
/// <para>Refused with <see cref="ImageDecodeException"/> ("unsupported: ..."): arithmetic coding, 12-bit, lossless,
/// hierarchical, component counts other than 1, 3 and 4, fractional sampling ratios.</para>
/// <para>Corrupt or truncated entropy-coded data is decoded leniently, as libjpeg-turbo does (it only warns): bits
/// missing at a marker or at the end of the data read as zeros, and once they are used the rest of that restart
/// interval is left as zero coefficients, so a file cut short inside its image data decodes with the missing part
/// uniform grey (128, 128, 128), exactly as <c>imread</c> returns it for baseline files. For a progressive file cut
/// short, libjpeg additionally smooths the incomplete blocks; that smoothing is not reproduced, so such pixels may
/// differ. The same holds for a complete progressive file whose scans leave low-frequency coefficients unsent or
/// unrefined (valid, and libjpeg only smooths): it is reported as damaged. Undefined Huffman codes decode as symbol 0, like libjpeg. Coefficients that overflow 16 bits once
/// dequantised (only corrupt data or hostile quantisation tables produce them) are transformed as libjpeg-turbo's
/// SIMD IDCT does on x86-64 (AVX2 and SSE2 agree; see <c>JpegIdct</c>); libjpeg-turbo's C IDCT, used where it has no
/// SIMD or with JSIMD_FORCENONE=1, gives other pixels for such blocks. Everything tolerated this way is listed in the
/// <see cref="DecodeReport"/> of <see cref="Decode(ReadOnlySpan{byte}, string, DecoderOptions, out DecodeReport)"/>.
/// Damage in the headers (before the first scan), a missing frame or scan, or a file that ends before any image data
/// is an <see cref="ImageDecodeException"/>.</para>
/// <para>The pixel limit <see cref="DecoderOptions.MaxPixels"/> is checked against the frame header before any
/// pixel or coefficient memory is allocated.</para>
/// </remarks>
public static class JpegDecoder
{
    /// <summary>
    /// True when <paramref name="header"/> starts with the JPEG signature <c>FF D8 FF</c> (SOI followed by the
    /// start of the next marker), the same test OpenCV uses to pick its JPEG decoder.
    /// </summary>
    /// <param name="header">The first bytes of a file; 3 are enough.</param>
    public static bool IsJpeg(ReadOnlySpan<byte> header) =>
        header.Length >= 3 && header[0] == 0xFF && header[1] == 0xD8 && header[2] == 0xFF;

    /// <summary>Reads the frame header and the EXIF orientation without decoding pixels.</summary>
    /// <param name="data">The whole file, or at least everything up to the first scan (SOS).</param>
    /// <param name="source">File path or other name for the data, used in error messages.</param>
    /// <exception cref="ImageDecodeException">The headers are missing, truncated or invalid.</exception>
    public static JpegInfo ReadInfo(ReadOnlySpan<byte> data, string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new JpegDecodeSession(source, DecoderOptions.Default).ReadInfo(data);
    }

    /// <summary>Decodes a JPEG held in memory into RGB pixels identical to <c>cv2.imread</c>'s.</summary>
    /// <param name="data">The whole JPEG file.</param>
    /// <param name="source">File path or other name for the data, used in error messages.</param>
    /// <param name="options">Decoder limits; <see cref="DecoderOptions.Default"/> when in doubt.</param>
    /// <returns>The image, EXIF orientation applied (so its size may be the header's transposed).</returns>
    /// <exception cref="ImageDecodeException">
    /// The data is not a JPEG, uses an unsupported variant, has invalid headers, or declares more pixels than
    /// <see cref="DecoderOptions.MaxPixels"/>.
    /// </exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string source, DecoderOptions options) => Decode(data, source, options, out _);

    /// <summary>
    /// Decodes a JPEG held in memory into RGB pixels identical to <c>cv2.imread</c>'s, and reports what libjpeg would
    /// have warned about: data that ends early (which image rows were filled grey, or for a progressive file which
    /// scan was incomplete and which coefficients never arrived), bad Huffman codes, missing or out-of-sequence restart
    /// markers, markers inside entropy-coded data, extraneous bytes and a missing EOI. The pixels do not depend on
    /// whether a report is asked for.
    /// </summary>
    /// <param name="data">The whole JPEG file.</param>
    /// <param name="source">File path or other name for the data, used in error messages.</param>
    /// <param name="options">Decoder limits; <see cref="DecoderOptions.Default"/> when in doubt.</param>
    /// <param name="report">What was filled in or glossed over; <see cref="DecodeReport.Intact"/> for an intact file.</param>
    /// <returns>The image, EXIF orientation applied (so its size may be the header's transposed).</returns>
    /// <exception cref="ImageDecodeException">As for <see cref="Decode(ReadOnlySpan{byte}, string, DecoderOptions)"/>.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string source, DecoderOptions options, out DecodeReport report)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var session = new JpegDecodeSession(source, options);
        var image = session.Decode(data);
        report = session.Report;
        return image;
    }

    /// <summary>Reads and decodes a JPEG file (see <see cref="Decode(ReadOnlySpan{byte}, string, DecoderOptions)"/>).</summary>
    /// <param name="path">Path of the file; also the name used in error messages.</param>
    /// <param name="options">Decoder limits; null for <see cref="DecoderOptions.Default"/>.</param>
    /// <exception cref="ImageDecodeException">As for <see cref="Decode(ReadOnlySpan{byte}, string, DecoderOptions)"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static RgbImage DecodeFile(string path, DecoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Decode(File.ReadAllBytes(path), path, options ?? DecoderOptions.Default);
    }
}
