using System.Buffers;
using System.Buffers.Binary;

namespace Raabin.Features.Imaging.Jpeg;

/// <summary>
/// One decode of one JPEG stream: marker parsing, entropy decoding of every scan, inverse DCT, upsampling and
/// colour conversion. Follows libjpeg-turbo 2.1.5 with OpenCV 4.6's settings (islow IDCT, fancy upsampling, RGB out).
/// </summary>
internal sealed class JpegDecodeSession
{
    /// <summary>Zig-zag index → natural (row-major) index, padded with 63s so that a corrupt run cannot escape the block.</summary>
    internal static readonly byte[] NaturalOrder =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
        63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
    ];

    private const int MarkerEoi = 0xD9;
    private const int MaxDimension = 65500;
    private const int MaxBlocksInMcu = 10;

    private readonly string _source;
    private readonly DecoderOptions _options;
    private readonly JpegHuffmanTable?[] _dcTables = new JpegHuffmanTable?[4];
    private readonly JpegHuffmanTable?[] _acTables = new JpegHuffmanTable?[4];
    private readonly int[]?[] _quantTables = new int[]?[4];

    private JpegFrame? _frame;
    private int _restartInterval;
    private bool _sawJfif;
    private bool _sawAdobe;
    private int _adobeTransform;
    private int _app1Offset = -1;
    private int _app1Length;
    private int _scanCount;
    private bool _directOutput;
    private byte[][]? _planes;
    private short[]? _mcuBlocks;

    // Damage bookkeeping: what libjpeg would warn about, reported without changing any pixel.
    private readonly DecodeReportBuilder _report = new();

    /// <summary>libjpeg's <c>coef_bits</c>: per component and coefficient, the lowest bit received so far (-1: none).</summary>
    private int[][]? _coefficientBits;

    /// <summary>Set once a scan ran out of data at the end of the file (reported as truncation).</summary>
    private bool _dataEnded;

    /// <summary>Whole bytes the last scan buffered but did not use, counted with the bytes skipped before the next marker.</summary>
    private int _unusedAfterScan;

    internal JpegDecodeSession(string source, DecoderOptions options)
    {
        _source = source;
        _options = options;
    }

    private ImageDecodeException Fail(string problem) => new(_source, problem);

    /// <summary>What the decode had to tolerate (see <see cref="JpegDecoder.Decode(ReadOnlySpan{byte}, string, DecoderOptions, out DecodeReport)"/>).</summary>
    internal DecodeReport Report => _report.Build();

    /// <summary>Reads the headers up to the first scan.</summary>
    internal JpegInfo ReadInfo(ReadOnlySpan<byte> data)
    {
        Run(data, headerOnly: true);
        var frame = _frame!;
        var sampling = new JpegComponentSampling[frame.Components.Length];
        for (int i = 0; i < sampling.Length; i++)
        {
            var c = frame.Components[i];
            sampling[i] = new JpegComponentSampling(c.Id, c.HorizontalFactor, c.VerticalFactor);
        }

        return new JpegInfo(frame.Width, frame.Height, sampling, frame.IsProgressive, ReadOrientation(data));
    }

    /// <summary>Decodes the image, EXIF orientation applied.</summary>
    internal RgbImage Decode(ReadOnlySpan<byte> data)
    {
        try
        {
            Run(data, headerOnly: false);
            var image = BuildImage();
            return ExifOrientation.Apply(image, ReadOrientation(data));
        }
        finally
        {
            ReturnBuffers();
        }
    }

    private void ReturnBuffers()
    {
        if (_planes is not null)
        {
            foreach (byte[]? plane in _planes)
            {
                if (plane is not null)
                {
                    ArrayPool<byte>.Shared.Return(plane);
                }
            }

            _planes = null;
        }

        if (_frame is not null)
        {
            foreach (var c in _frame.Components)
            {
                if (c.Coefficients is not null)
                {
                    ArrayPool<short>.Shared.Return(c.Coefficients);
                    c.Coefficients = null;
                }
            }
        }
    }

    private int ReadOrientation(ReadOnlySpan<byte> data) =>
        _app1Offset < 0 ? 1 : ExifOrientation.Read(data.Slice(_app1Offset, _app1Length));

    private void Run(ReadOnlySpan<byte> data, bool headerOnly)
    {
        if (data.Length < 2 || data[0] != 0xFF || data[1] != 0xD8)
        {
            throw Fail(data.Length == 0 ? "empty file: no JPEG data" : "not a JPEG: the data does not start with an SOI marker (FF D8)");
        }

        int position = 2;
        while (true)
        {
            int markerStart = FindMarker(data, position);
            if (markerStart >= data.Length)
            {
                if (_scanCount == 0)
                {
                    throw Fail($"truncated JPEG: the data ends after {data.Length} bytes, before any image data (SOS)");
                }

                // A multi-scan stream that stops between scans: libjpeg's file source supplies EOI here.
                ReportEarlyEnd($"the file ends after scan {_scanCount} without an EOI marker");
                return;
            }

            int marker = data[markerStart + 1];
            if (!headerOnly)
            {
                ReportExtraneous(data, position, markerStart, marker);
            }

            position = markerStart + 2;
            switch (marker)
            {
                case MarkerEoi:
                    if (_scanCount == 0)
                    {
                        throw Fail($"JPEG has no image data: EOI marker at byte {markerStart} before any scan");
                    }

                    ReportNeverScanned();
                    return;
                case 0xC0:
                case 0xC1:
                case 0xC2:
                case 0xC4:
                case 0xDB:
                case 0xDD:
                case 0xDA:
                case >= 0xE0 and <= 0xEF:
                case 0xFE:
                case 0xDC:
                case 0xCC:
                {
                    bool tables = marker is 0xC0 or 0xC1 or 0xC2 or 0xC4 or 0xCC or 0xDB or 0xDD;
                    if (!TryGetSegment(data, position, out var segment, out int declared))
                    {
                        if (_scanCount == 0)
                        {
                            throw Fail($"truncated JPEG: marker segment 0x{marker:X2} at byte {markerStart} runs past the end of the {data.Length}-byte file");
                        }

                        if (tables && !headerOnly)
                        {
                            // libjpeg's file source feeds FF D9 pairs after the end of the file, and a table segment is
                            // parsed from them: a bad table is a fatal error (OpenCV refuses the file), a good one is not.
                            byte[] padded = PadPastEnd(data, position, 2 + ushort.MaxValue);
                            int length = (padded[0] << 8) | padded[1];
                            if (length < 2)
                            {
                                throw Fail($"invalid JPEG: marker segment 0x{marker:X2} at byte {markerStart} declares length {length}");
                            }

                            ReadSegment(marker, padded.AsSpan(2, length - 2), markerStart, markerStart + 4);
                        }

                        ReportEarlyEnd($"the file ends inside marker segment 0x{marker:X2} at byte {markerStart}, after scan {_scanCount}");
                        return;
                    }

                    if (declared < 2 && (tables || marker == 0xDA))
                    {
                        // libjpeg: a table, frame or scan header whose length cannot even hold itself is JERR_BAD_LENGTH (fatal).
                        throw Fail($"invalid JPEG: marker segment 0x{marker:X2} at byte {markerStart} declares length {declared}");
                    }

                    position += segment.Length + 2;
                    if (marker == 0xDA)
                    {
                        if (headerOnly)
                        {
                            RequireFrame(markerStart);
                            return;
                        }

                        position = DecodeScan(data, segment, markerStart, position);
                        if (_directOutput)
                        {
                            // The image is complete; libjpeg still reads on to EOI (jpeg_finish_decompress) and warns on the way.
                            CheckAfterSingleScan(data, position);
                            return;
                        }
                    }
                    else
                    {
                        ReadSegment(marker, segment, markerStart, markerStart + 4);
                    }

                    break;
                }

                case >= 0xD0 and <= 0xD7:
                case 0x01:
                    // Stray RSTn or TEM outside a scan carry no data; libjpeg ignores them.
                    break;
                case 0xC3:
                case 0xC7:
                case 0xCB:
                case 0xCF:
                    throw Fail($"unsupported: lossless JPEG (SOF{marker - 0xC0})");
                case 0xC5:
                case 0xC6:
                case 0xCD:
                case 0xCE:
                    throw Fail($"unsupported: hierarchical JPEG (SOF{marker - 0xC0})");
                case 0xC9:
                case 0xCA:
                    throw Fail($"unsupported: arithmetic coding (SOF{marker - 0xC0})");
                default:
                    throw Fail($"invalid JPEG: unknown marker 0x{marker:X2} at byte {markerStart}");
            }
        }
    }

    private void RequireFrame(int markerStart)
    {
        if (_frame is null)
        {
            throw Fail($"invalid JPEG: scan (SOS) at byte {markerStart} before the frame header (SOF)");
        }
    }

    /// <summary>
    /// Index of the next marker's FF at or after <paramref name="position"/>, skipping stray bytes, fill FFs and
    /// stuffed <c>FF 00</c> pairs like libjpeg's <c>next_marker</c>; the data length when there is none.
    /// </summary>
    internal static int FindMarker(ReadOnlySpan<byte> data, int position)
    {
        while (position < data.Length)
        {
            if (data[position] != 0xFF)
            {
                position++;
                continue;
            }

            int next = position + 1;
            while (next < data.Length && data[next] == 0xFF)
            {
                next++;
            }

            if (next >= data.Length)
            {
                return data.Length;
            }

            if (data[next] != 0)
            {
                return next - 1;
            }

            position = next + 1;
        }

        return data.Length;
    }

    // The bytes libjpeg's stdio source manager hands out from `start` on: the file's, then FF D9 pairs (a fake EOI per refill).
    private static byte[] PadPastEnd(ReadOnlySpan<byte> data, int start, int count)
    {
        var bytes = new byte[Math.Max(0, count)];
        int available = Math.Clamp(data.Length - start, 0, bytes.Length);
        data.Slice(Math.Min(start, data.Length), available).CopyTo(bytes);
        for (int i = available; i < bytes.Length; i++)
        {
            bytes[i] = (i - available) % 2 == 0 ? (byte)0xFF : (byte)MarkerEoi;
        }

        return bytes;
    }

    private static bool TryGetSegment(ReadOnlySpan<byte> data, int position, out ReadOnlySpan<byte> segment, out int declared)
    {
        segment = default;
        declared = 0;
        if (position + 2 > data.Length)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(position, 2));
        declared = length;
        if (length < 2)
        {
            // libjpeg treats the length as including itself; smaller values cannot be parsed.
            length = 2;
        }

        if (position + length > data.Length)
        {
            return false;
        }

        segment = data.Slice(position + 2, length - 2);
        return true;
    }

    private void ReadSegment(int marker, ReadOnlySpan<byte> segment, int markerStart, int payloadOffset)
    {
        switch (marker)
        {
            case 0xC0:
            case 0xC1:
            case 0xC2:
                ReadFrame(marker, segment, markerStart);
                break;
            case 0xC4:
                ReadHuffmanTables(segment, markerStart);
                break;
            case 0xDB:
                ReadQuantTables(segment, markerStart);
                break;
            case 0xDD:
                if (segment.Length != 2)
                {
                    throw Fail($"invalid JPEG: DRI segment at byte {markerStart} has length {segment.Length + 2}, expected 4");
                }

                _restartInterval = BinaryPrimitives.ReadUInt16BigEndian(segment);
                break;
            case 0xE0:
                if (segment.Length >= 14 && segment[0] == 'J' && segment[1] == 'F' && segment[2] == 'I' && segment[3] == 'F' && segment[4] == 0)
                {
                    _sawJfif = true;
                }

                break;
            case 0xE1:
                // OpenCV looks at the first APP1 that libjpeg saved while reading the header.
                if (_app1Offset < 0 && _scanCount == 0)
                {
                    _app1Offset = payloadOffset;
                    _app1Length = segment.Length;
                }

                break;
            case 0xEE:
                if (segment.Length >= 12 && segment[0] == 'A' && segment[1] == 'd' && segment[2] == 'o' && segment[3] == 'b' && segment[4] == 'e')
                {
                    _sawAdobe = true;
                    _adobeTransform = segment[11];
                }

                break;
            default:
                // Other APPn, COM, DNL, DAC: nothing the decoder needs.
                break;
        }
    }

    private void ReadFrame(int marker, ReadOnlySpan<byte> segment, int markerStart)
    {
        if (_frame is not null)
        {
            throw Fail($"invalid JPEG: second frame header (SOF) at byte {markerStart}");
        }

        if (segment.Length < 6)
        {
            throw Fail($"invalid JPEG: frame header at byte {markerStart} is too short");
        }

        int precision = segment[0];
        int height = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
        int width = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
        int count = segment[5];
        if (height == 0 || width == 0 || count == 0)
        {
            throw Fail($"invalid JPEG: empty image ({width}x{height}, {count} components) in frame header at byte {markerStart}");
        }

        if (segment.Length != 6 + 3 * count)
        {
            throw Fail($"invalid JPEG: frame header at byte {markerStart} has length {segment.Length + 2} for {count} components");
        }

        if (precision != 8)
        {
            throw Fail($"unsupported: {precision}-bit samples (only 8-bit JPEG is supported)");
        }

        if (width > MaxDimension || height > MaxDimension)
        {
            throw Fail($"invalid JPEG: image {width}x{height} exceeds libjpeg's {MaxDimension}-pixel dimension limit");
        }

        var components = new JpegComponent[count];
        for (int i = 0; i < count; i++)
        {
            var entry = segment.Slice(6 + 3 * i, 3);
            int h = entry[1] >> 4;
            int v = entry[1] & 15;
            if (h is < 1 or > 4 || v is < 1 or > 4)
            {
                throw Fail($"invalid JPEG: component {i} has sampling factors {h}x{v} (each must be 1..4)");
            }

            components[i] = new JpegComponent(i, entry[0], h, v, entry[2]);
        }

        _frame = new JpegFrame(marker, width, height, components);
    }

    private void ReadHuffmanTables(ReadOnlySpan<byte> segment, int markerStart)
    {
        while (segment.Length > 16)
        {
            int index = segment[0];
            var counts = segment.Slice(1, 16);
            int total = 0;
            foreach (byte count in counts)
            {
                total += count;
            }

            segment = segment[17..];
            if (total > 256 || total > segment.Length)
            {
                throw Fail($"invalid JPEG: Huffman table in DHT at byte {markerStart} declares {total} symbols but the segment holds {segment.Length}");
            }

            bool isAc = (index & 0x10) != 0;
            int slot = index & ~0x10;
            if (slot is < 0 or > 3)
            {
                throw Fail($"invalid JPEG: Huffman table index 0x{index:X2} in DHT at byte {markerStart}");
            }

            var table = JpegHuffmanTable.TryCreate(counts, segment[..total], !isAc, out string? problem)
                ?? throw Fail($"{problem} (DHT at byte {markerStart})");
            (isAc ? _acTables : _dcTables)[slot] = table;
            segment = segment[total..];
        }

        if (segment.Length != 0)
        {
            throw Fail($"invalid JPEG: DHT segment at byte {markerStart} has {segment.Length} stray bytes");
        }
    }

    private void ReadQuantTables(ReadOnlySpan<byte> segment, int markerStart)
    {
        while (segment.Length > 0)
        {
            int precision = segment[0] >> 4;
            int slot = segment[0] & 15;
            if (slot > 3)
            {
                throw Fail($"invalid JPEG: quantization table index {slot} in DQT at byte {markerStart}");
            }

            int size = precision != 0 ? 128 : 64;
            if (segment.Length < 1 + size)
            {
                throw Fail($"invalid JPEG: DQT segment at byte {markerStart} is too short for its table {slot}");
            }

            var values = new int[64];
            for (int i = 0; i < 64; i++)
            {
                values[NaturalOrder[i]] = precision != 0
                    ? BinaryPrimitives.ReadUInt16BigEndian(segment.Slice(1 + 2 * i, 2))
                    : segment[1 + i];
            }

            _quantTables[slot] = values;
            segment = segment[(1 + size)..];
        }
    }

    /// <summary>The scan header of one SOS segment.</summary>
    private sealed class ScanHeader
    {
        internal required JpegComponent[] Components { get; init; }

        internal int SpectralStart { get; init; }

        internal int SpectralEnd { get; init; }

        internal int ApproximationHigh { get; init; }

        internal int ApproximationLow { get; init; }
    }

    private ScanHeader ReadScanHeader(ReadOnlySpan<byte> segment, int markerStart)
    {
        var frame = _frame!;
        int count = segment.Length > 0 ? segment[0] : 0;
        if (count is < 1 or > 4 || segment.Length != 4 + 2 * count)
        {
            throw Fail($"invalid JPEG: scan header at byte {markerStart} has length {segment.Length + 2} for {count} components");
        }

        var components = new JpegComponent[count];
        for (int i = 0; i < count; i++)
        {
            int id = segment[1 + 2 * i];
            int tables = segment[2 + 2 * i];
            JpegComponent? match = null;
            foreach (var c in frame.Components)
            {
                if (c.Id == id && Array.IndexOf(components, c, 0, i) < 0)
                {
                    match = c;
                    break;
                }
            }

            components[i] = match ?? throw Fail($"invalid JPEG: scan at byte {markerStart} names component id {id}, which the frame does not have (or names twice)");
            match.DcTableSlot = tables >> 4;
            match.AcTableSlot = tables & 15;
        }

        int spectral = 1 + 2 * count;
        return new ScanHeader
        {
            Components = components,
            SpectralStart = segment[spectral],
            SpectralEnd = segment[spectral + 1],
            ApproximationHigh = segment[spectral + 2] >> 4,
            ApproximationLow = segment[spectral + 2] & 15,
        };
    }

    private JpegColorTransform ColorTransform()
    {
        var frame = _frame!;
        if (frame.Components.Length == 1)
        {
            return JpegColorTransform.Grayscale;
        }

        if (frame.Components.Length == 4)
        {
            // libjpeg: Adobe transform 0 is CMYK, 2 is YCCK, any other value is taken as YCCK (with a warning);
            // without an Adobe segment the components are plain CMYK. JFIF does not matter here.
            return _sawAdobe && _adobeTransform != 0 ? JpegColorTransform.Ycck : JpegColorTransform.Cmyk;
        }

        if (_sawJfif)
        {
            return JpegColorTransform.YCbCr;
        }

        if (_sawAdobe)
        {
            return _adobeTransform == 0 ? JpegColorTransform.Rgb : JpegColorTransform.YCbCr;
        }

        var c = frame.Components;
        return c[0].Id == 'R' && c[1].Id == 'G' && c[2].Id == 'B' ? JpegColorTransform.Rgb : JpegColorTransform.YCbCr;
    }

    /// <summary>Checks what the first scan commits to and allocates the sample planes (and coefficients if needed).</summary>
    private void StartImage(ScanHeader scan)
    {
        var frame = _frame!;
        int count = frame.Components.Length;
        if (count != 1 && count != 3 && count != 4)
        {
            throw Fail($"unsupported: {count}-component JPEG (only greyscale, 3-component colour and CMYK/YCCK are supported)");
        }

        foreach (var c in frame.Components)
        {
            if (frame.MaxHorizontalFactor % c.HorizontalFactor != 0 || frame.MaxVerticalFactor % c.VerticalFactor != 0)
            {
                throw Fail($"unsupported: fractional sampling ratio (component {c.Index} is {c.HorizontalFactor}x{c.VerticalFactor}, maximum {frame.MaxHorizontalFactor}x{frame.MaxVerticalFactor})");
            }
        }

        long pixels = (long)frame.Width * frame.Height;
        if (pixels > _options.MaxPixels)
        {
            throw Fail($"image of {frame.Width}x{frame.Height} = {pixels} pixels exceeds the limit of {_options.MaxPixels} pixels");
        }

        // One managed array holds each buffer; refuse sizes it cannot hold (only reachable with a raised MaxPixels).
        long largest = pixels * 3;
        foreach (var c in frame.Components)
        {
            largest = Math.Max(largest, (long)c.BlocksPerLine * c.BlockRows * 64);
        }

        if (largest > Array.MaxLength)
        {
            throw Fail($"image of {frame.Width}x{frame.Height} is too large to decode into one buffer");
        }

        // libjpeg-turbo installs the standard Huffman tables in empty slots 0 and 1 (Motion-JPEG streams omit them).
        for (int slot = 0; slot < 2; slot++)
        {
            _dcTables[slot] ??= JpegHuffmanTable.StandardTable(isDc: true, slot);
            _acTables[slot] ??= JpegHuffmanTable.StandardTable(isDc: false, slot);
        }

        _directOutput = !frame.IsProgressive && scan.Components.Length == count;
        // Working buffers come from the shared pool (returned by Decode). Planes need no clearing: every block inside
        // the image is written by the inverse DCT before any sample is read. Coefficients must start at zero.
        _planes = new byte[count][];
        foreach (var c in frame.Components)
        {
            _planes[c.Index] = ArrayPool<byte>.Shared.Rent(c.WidthInBlocks * 8 * c.HeightInBlocks * 8);
            if (!_directOutput)
            {
                int length = c.BlocksPerLine * c.BlockRows * 64;
                c.Coefficients = ArrayPool<short>.Shared.Rent(length);
                Array.Clear(c.Coefficients, 0, length);
            }
        }

        _mcuBlocks = new short[MaxBlocksInMcu * 64];
        _coefficientBits = new int[count][];
        foreach (var c in frame.Components)
        {
            _coefficientBits[c.Index] = new int[64];
            Array.Fill(_coefficientBits[c.Index], -1);
        }
    }

    private int DecodeScan(ReadOnlySpan<byte> data, ReadOnlySpan<byte> segment, int markerStart, int dataStart)
    {
        RequireFrame(markerStart);
        var frame = _frame!;
        var scan = ReadScanHeader(segment, markerStart);
        if (_scanCount == 0)
        {
            StartImage(scan);
        }

        _scanCount++;
        if (scan.Components.Length > 1)
        {
            int blocks = 0;
            foreach (var c in scan.Components)
            {
                blocks += c.HorizontalFactor * c.VerticalFactor;
            }

            if (blocks > MaxBlocksInMcu)
            {
                throw Fail($"invalid JPEG: scan at byte {markerStart} has {blocks} blocks per MCU (at most {MaxBlocksInMcu})");
            }
        }

        foreach (var c in scan.Components)
        {
            if (c.Quant is null)
            {
                // Latched on first use: a later DQT for the same slot does not affect this component (jdinput.c).
                var table = c.QuantTableSlot < 4 ? _quantTables[c.QuantTableSlot] : null;
                c.Quant = table is not null
                    ? (int[])table.Clone()
                    : throw Fail($"invalid JPEG: quantization table {c.QuantTableSlot} used by component {c.Index} was not defined");
            }
        }

        if (frame.IsProgressive)
        {
            CheckProgression(scan, markerStart);
            TrackProgression(scan);
            return DecodeProgressiveScan(data, dataStart, scan, markerStart);
        }

        if (scan.SpectralStart != 0 || scan.SpectralEnd != 63 || scan.ApproximationHigh != 0 || scan.ApproximationLow != 0)
        {
            // libjpeg ignores these fields in sequential mode and only warns (JWRN_NOT_SEQUENTIAL); the pixels do not change.
            _report.Warn($"invalid SOS parameters for sequential JPEG in scan {_scanCount} (Ss={scan.SpectralStart} Se={scan.SpectralEnd} Ah={scan.ApproximationHigh} Al={scan.ApproximationLow}; ignored)", affectsPixels: false);
        }

        foreach (var c in scan.Components)
        {
            Array.Fill(_coefficientBits![c.Index], 0);
        }

        return DecodeSequentialScan(data, dataStart, scan, markerStart);
    }

    private JpegHuffmanTable RequireTable(bool isDc, int slot, int markerStart)
    {
        var tables = isDc ? _dcTables : _acTables;
        return (slot < 4 ? tables[slot] : null)
            ?? throw Fail($"invalid JPEG: {(isDc ? "DC" : "AC")} Huffman table {slot} used by the scan at byte {markerStart} was not defined");
    }

    private void CheckProgression(ScanHeader scan, int markerStart)
    {
        bool bad;
        if (scan.SpectralStart == 0)
        {
            bad = scan.SpectralEnd != 0;
        }
        else
        {
            bad = scan.SpectralStart > scan.SpectralEnd || scan.SpectralEnd > 63 || scan.Components.Length != 1;
        }

        if (scan.ApproximationHigh != 0 && scan.ApproximationLow != scan.ApproximationHigh - 1)
        {
            bad = true;
        }

        if (scan.ApproximationLow > 13)
        {
            bad = true;
        }

        if (bad)
        {
            throw Fail($"invalid JPEG: progressive scan at byte {markerStart} has Ss={scan.SpectralStart} Se={scan.SpectralEnd} Ah={scan.ApproximationHigh} Al={scan.ApproximationLow}");
        }
    }

    /// <summary>State shared by the MCU loops of one scan: restart bookkeeping and libjpeg's "insufficient data" flag.</summary>
    private struct ScanState
    {
        internal int RestartsToGo;
        internal int NextRestartNumber;
        internal bool OutOfData;
        internal int EndOfBandRun;

        /// <summary>The unit (MCU, or block of a one-component scan) where the open run of missing data began; -1 if none.</summary>
        internal int GapStart;

        /// <summary>Where the reader stopped when the open gap began: the data length (truncated) or a marker's FF.</summary>
        internal int GapStoppedAt;

        /// <summary>Runs of units without (complete) coded data: first unit, last unit, where the reader stopped.</summary>
        internal List<(int First, int Last, int StoppedAt)>? Gaps;

        /// <summary>Restart markers that were missing or out of sequence, and the first such event in words.</summary>
        internal int Resyncs;
        internal string? FirstResync;

        /// <summary>Bytes skipped before restart markers (data an interval did not use).</summary>
        internal int ExtraneousBytes;
    }

    private void BeginRestartInterval(ref JpegBitReader reader, ReadOnlySpan<byte> data, ref ScanState state, JpegComponent[] components, int unit)
    {
        if (_restartInterval == 0)
        {
            return;
        }

        if (state.RestartsToGo == 0)
        {
            ReadRestartMarker(ref reader, data, ref state);
            if (!state.OutOfData && state.GapStart >= 0)
            {
                CloseGap(ref state, unit - 1);
            }

            foreach (var c in components)
            {
                c.DcPredictor = 0;
            }

            state.EndOfBandRun = 0;
            state.RestartsToGo = _restartInterval;
        }

        state.RestartsToGo--;
    }

    /// <summary>
    /// Moves past the expected RSTn marker. A missing or out-of-sequence marker is resolved with libjpeg's
    /// <c>jpeg_resync_to_restart</c> rules; while a non-RST marker is left unread the interval decodes as zeros.
    /// </summary>
    private static void ReadRestartMarker(ref JpegBitReader reader, ReadOnlySpan<byte> data, ref ScanState state)
    {
        int position = reader.MarkerReached ? reader.Position : FindMarker(data, reader.Position);
        state.ExtraneousBytes += reader.UnusedBytes + CountExtraneous(data, reader.Position, position);

        int desired = state.NextRestartNumber;
        bool leftUnread;
        bool firstLook = true;
        while (true)
        {
            int marker = position >= data.Length ? MarkerEoi : data[position + 1];
            if (firstLook && marker != 0xD0 + desired && position < data.Length)
            {
                // libjpeg's JWRN_MUST_RESYNC; the end of the data is reported as truncation instead.
                state.Resyncs++;
                state.FirstResync ??= $"found marker 0x{marker:X2} at byte {position} instead of RST{desired}";
            }

            firstLook = false;
            int action;
            if (marker == 0xD0 + desired)
            {
                action = 1;
            }
            else if (marker < 0xC0)
            {
                action = 2;
            }
            else if (marker is < 0xD0 or > 0xD7)
            {
                action = 3;
            }
            else if (marker == 0xD0 + ((desired + 1) & 7) || marker == 0xD0 + ((desired + 2) & 7))
            {
                action = 3;
            }
            else if (marker == 0xD0 + ((desired - 1) & 7) || marker == 0xD0 + ((desired - 2) & 7))
            {
                action = 2;
            }
            else
            {
                action = 1;
            }

            if (action == 1)
            {
                position += 2;
                leftUnread = false;
                break;
            }

            if (action == 3)
            {
                leftUnread = true;
                break;
            }

            position = FindMarker(data, position + 2);
        }

        state.NextRestartNumber = (desired + 1) & 7;
        reader.ResetAt(position, leftUnread);
        if (!leftUnread)
        {
            state.OutOfData = false;
        }
    }

    private unsafe int DecodeSequentialScan(ReadOnlySpan<byte> data, int dataStart, ScanHeader scan, int markerStart)
    {
        var frame = _frame!;
        var components = scan.Components;
        int count = components.Length;
        var dcTables = new JpegHuffmanTable[count];
        var acTables = new JpegHuffmanTable[count];
        for (int i = 0; i < count; i++)
        {
            dcTables[i] = RequireTable(true, components[i].DcTableSlot, markerStart);
            acTables[i] = RequireTable(false, components[i].AcTableSlot, markerStart);
            components[i].DcPredictor = 0;
        }

        var reader = new JpegBitReader(data, dataStart);
        var state = new ScanState { RestartsToGo = _restartInterval, GapStart = -1 };
        short[] mcu = _mcuBlocks!;
        bool direct = _directOutput;

        if (count == 1)
        {
            var c = components[0];
            var dc = dcTables[0];
            var ac = acTables[0];
            for (int by = 0; by < c.HeightInBlocks; by++)
            {
                for (int bx = 0; bx < c.WidthInBlocks; bx++)
                {
                    BeginRestartInterval(ref reader, data, ref state, components, by * c.WidthInBlocks + bx);
                    short[] target = direct ? mcu : c.Coefficients!;
                    int offset = direct ? 0 : (by * c.BlocksPerLine + bx) * 64;
                    if (direct)
                    {
                        Array.Clear(mcu, 0, 64);
                    }

                    if (!state.OutOfData)
                    {
                        int predictor = c.DcPredictor;
                        reader.DecodeBaselineBlock(ref target[offset], dc, ac, ref predictor);
                        c.DcPredictor = predictor;
                        NoteConsumedPadding(ref reader, ref state, by * c.WidthInBlocks + bx);
                    }

                    if (direct)
                    {
                        TransformBlock(c, mcu, 0, bx, by);
                    }
                }
            }

            return FinishScan(data, ref reader, ref state, scan, c.WidthInBlocks * c.HeightInBlocks);
        }

        int blocksInMcu = 0;
        foreach (var c in components)
        {
            blocksInMcu += c.HorizontalFactor * c.VerticalFactor;
        }

        for (int my = 0; my < frame.McuRows; my++)
        {
            for (int mx = 0; mx < frame.McusPerLine; mx++)
            {
                BeginRestartInterval(ref reader, data, ref state, components, my * frame.McusPerLine + mx);
                if (direct)
                {
                    Array.Clear(mcu, 0, blocksInMcu * 64);
                }

                if (!state.OutOfData)
                {
                    int block = 0;
                    for (int i = 0; i < count; i++)
                    {
                        var c = components[i];
                        int predictor = c.DcPredictor;
                        for (int v = 0; v < c.VerticalFactor; v++)
                        {
                            for (int h = 0; h < c.HorizontalFactor; h++)
                            {
                                ref short target = ref direct
                                    ? ref mcu[block * 64]
                                    : ref c.Coefficients![(((my * c.VerticalFactor) + v) * c.BlocksPerLine + mx * c.HorizontalFactor + h) * 64];
                                reader.DecodeBaselineBlock(ref target, dcTables[i], acTables[i], ref predictor);
                                block++;
                            }
                        }

                        c.DcPredictor = predictor;
                    }

                    NoteConsumedPadding(ref reader, ref state, my * frame.McusPerLine + mx);
                }

                if (direct)
                {
                    int block = 0;
                    for (int i = 0; i < count; i++)
                    {
                        var c = components[i];
                        for (int v = 0; v < c.VerticalFactor; v++)
                        {
                            for (int h = 0; h < c.HorizontalFactor; h++)
                            {
                                int bx = mx * c.HorizontalFactor + h;
                                int by = my * c.VerticalFactor + v;
                                if (bx < c.WidthInBlocks && by < c.HeightInBlocks)
                                {
                                    TransformBlock(c, mcu, block * 64, bx, by);
                                }

                                block++;
                            }
                        }
                    }
                }
            }
        }

        return FinishScan(data, ref reader, ref state, scan, frame.McusPerLine * frame.McuRows);
    }

    private unsafe void TransformBlock(JpegComponent component, short[] coefficients, int offset, int blockX, int blockY)
    {
        byte[] plane = _planes![component.Index];
        int stride = component.WidthInBlocks * 8;
        fixed (short* coef = &coefficients[offset])
        fixed (int* quant = component.Quant)
        fixed (byte* output = &plane[(blockY * 8 * stride) + blockX * 8])
        {
            JpegIdct.Transform(coef, quant, output, stride);
        }
    }

    private int DecodeProgressiveScan(ReadOnlySpan<byte> data, int dataStart, ScanHeader scan, int markerStart)
    {
        var frame = _frame!;
        var components = scan.Components;
        int count = components.Length;
        bool dcBand = scan.SpectralStart == 0;
        bool first = scan.ApproximationHigh == 0;
        var tables = new JpegHuffmanTable?[count];
        for (int i = 0; i < count; i++)
        {
            if (!dcBand)
            {
                tables[i] = RequireTable(false, components[i].AcTableSlot, markerStart);
            }
            else if (first)
            {
                tables[i] = RequireTable(true, components[i].DcTableSlot, markerStart);
            }

            components[i].DcPredictor = 0;
        }

        var reader = new JpegBitReader(data, dataStart);
        var state = new ScanState { RestartsToGo = _restartInterval, GapStart = -1 };
        int low = scan.ApproximationLow;

        if (count == 1)
        {
            var c = components[0];
            var table = tables[0];
            short[] coefficients = c.Coefficients!;
            for (int by = 0; by < c.HeightInBlocks; by++)
            {
                for (int bx = 0; bx < c.WidthInBlocks; bx++)
                {
                    BeginRestartInterval(ref reader, data, ref state, components, by * c.WidthInBlocks + bx);
                    if (state.OutOfData)
                    {
                        continue;
                    }

                    var block = coefficients.AsSpan((by * c.BlocksPerLine + bx) * 64, 64);
                    if (dcBand)
                    {
                        DecodeDcBlock(ref reader, block, c, table, first, low);
                    }
                    else if (first)
                    {
                        DecodeAcFirst(ref reader, block, table!, scan.SpectralStart, scan.SpectralEnd, low, ref state.EndOfBandRun);
                    }
                    else
                    {
                        DecodeAcRefine(ref reader, block, table!, scan.SpectralStart, scan.SpectralEnd, low, ref state.EndOfBandRun);
                    }

                    NoteConsumedPadding(ref reader, ref state, by * c.WidthInBlocks + bx);
                }
            }

            return FinishScan(data, ref reader, ref state, scan, c.WidthInBlocks * c.HeightInBlocks);
        }

        for (int my = 0; my < frame.McuRows; my++)
        {
            for (int mx = 0; mx < frame.McusPerLine; mx++)
            {
                BeginRestartInterval(ref reader, data, ref state, components, my * frame.McusPerLine + mx);
                if (state.OutOfData)
                {
                    continue;
                }

                for (int i = 0; i < count; i++)
                {
                    var c = components[i];
                    for (int v = 0; v < c.VerticalFactor; v++)
                    {
                        for (int h = 0; h < c.HorizontalFactor; h++)
                        {
                            int offset = (((my * c.VerticalFactor) + v) * c.BlocksPerLine + mx * c.HorizontalFactor + h) * 64;
                            DecodeDcBlock(ref reader, c.Coefficients.AsSpan(offset, 64), c, tables[i], first, low);
                        }
                    }
                }

                NoteConsumedPadding(ref reader, ref state, my * frame.McusPerLine + mx);
            }
        }

        return FinishScan(data, ref reader, ref state, scan, frame.McusPerLine * frame.McuRows);
    }

    private static void DecodeDcBlock(ref JpegBitReader reader, Span<short> block, JpegComponent component, JpegHuffmanTable? table, bool first, int low)
    {
        if (first)
        {
            int size = reader.DecodeHuffman(table!);
            int predictor = component.DcPredictor + reader.ReceiveExtendBuffered(size);
            component.DcPredictor = predictor;
            block[0] = (short)(predictor << low);
        }
        else if (reader.ReadBit() != 0)
        {
            block[0] |= (short)(1 << low);
        }
    }

    private static void DecodeAcFirst(ref JpegBitReader reader, Span<short> block, JpegHuffmanTable table, int start, int end, int low, ref int endOfBandRun)
    {
        if (endOfBandRun > 0)
        {
            endOfBandRun--;
            return;
        }

        byte[] natural = NaturalOrder;
        for (int k = start; k <= end; k++)
        {
            int symbol = reader.DecodeHuffman(table);
            int run = symbol >> 4;
            int size = symbol & 15;
            if (size != 0)
            {
                k += run;
                block[natural[k]] = (short)(reader.ReceiveExtendBuffered(size) << low);
            }
            else if (run == 15)
            {
                k += 15;
            }
            else
            {
                endOfBandRun = 1 << run;
                if (run != 0)
                {
                    endOfBandRun += reader.ReadBits(run);
                }

                endOfBandRun--;
                break;
            }
        }
    }

    private static void DecodeAcRefine(ref JpegBitReader reader, Span<short> block, JpegHuffmanTable table, int start, int end, int low, ref int endOfBandRun)
    {
        int plusOne = 1 << low;
        int minusOne = -1 << low;
        byte[] natural = NaturalOrder;
        int k = start;
        if (endOfBandRun == 0)
        {
            for (; k <= end; k++)
            {
                int symbol = reader.DecodeHuffman(table);
                int run = symbol >> 4;
                int size = symbol & 15;
                int value = 0;
                if (size != 0)
                {
                    // A newly non-zero coefficient is always +-1 at this bit position (size 1; libjpeg only warns otherwise).
                    value = reader.ReadBit() != 0 ? plusOne : minusOne;
                }
                else if (run != 15)
                {
                    endOfBandRun = 1 << run;
                    if (run != 0)
                    {
                        endOfBandRun += reader.ReadBits(run);
                    }

                    break;
                }

                // Skip `run` zero coefficients, refining the non-zero ones passed on the way.
                do
                {
                    int index = natural[k];
                    int coefficient = block[index];
                    if (coefficient != 0)
                    {
                        if (reader.ReadBit() != 0 && (coefficient & plusOne) == 0)
                        {
                            block[index] = (short)(coefficient >= 0 ? coefficient + plusOne : coefficient + minusOne);
                        }
                    }
                    else
                    {
                        if (--run < 0)
                        {
                            break;
                        }
                    }

                    k++;
                }
                while (k <= end);

                if (value != 0)
                {
                    block[natural[k]] = (short)value;
                }
            }
        }

        if (endOfBandRun > 0)
        {
            for (; k <= end; k++)
            {
                int index = natural[k];
                int coefficient = block[index];
                if (coefficient != 0 && reader.ReadBit() != 0 && (coefficient & plusOne) == 0)
                {
                    block[index] = (short)(coefficient >= 0 ? coefficient + plusOne : coefficient + minusOne);
                }
            }

            endOfBandRun--;
        }
    }

    /// <summary>Marks the scan out of data when the unit just decoded used padding bits, opening a gap there.</summary>
    private static void NoteConsumedPadding(ref JpegBitReader reader, ref ScanState state, int unit)
    {
        if (!reader.ConsumedPadding)
        {
            return;
        }

        state.OutOfData = true;
        if (state.GapStart < 0)
        {
            state.GapStart = unit;
            state.GapStoppedAt = reader.Position;
        }
    }

    private static void CloseGap(ref ScanState state, int lastUnit)
    {
        (state.Gaps ??= []).Add((state.GapStart, lastUnit, state.GapStoppedAt));
        state.GapStart = -1;
    }

    /// <summary>Reports what the scan had to tolerate, then returns where its data ended.</summary>
    private int FinishScan(ReadOnlySpan<byte> data, ref JpegBitReader reader, ref ScanState state, ScanHeader scan, int units)
    {
        if (state.GapStart >= 0)
        {
            CloseGap(ref state, units - 1);
        }

        _unusedAfterScan = reader.UnusedBytes;
        if (state.Gaps is null && reader.BadCodes == 0 && state.Resyncs == 0 && state.ExtraneousBytes == 0)
        {
            return reader.Position;
        }

        string label = ScanLabel(scan);
        string prefix = label.Length == 0 ? string.Empty : label + ": ";
        string suffix = label.Length == 0 ? string.Empty : " in " + label;
        int orientation = ReadOrientation(data);
        string stored = orientation == 1 ? string.Empty : $" (rows as stored; EXIF orientation {orientation} turns the image afterwards)";
        foreach (var (first, last, stoppedAt) in state.Gaps ?? [])
        {
            var (firstRow, lastRow) = GapRows(scan, first, last);
            string rows = firstRow == lastRow ? $"row {firstRow}" : $"rows {firstRow}-{lastRow}";
            string what = _frame!.IsProgressive ? $"{rows} got no data from this scan" : $"{rows} filled";
            if (stoppedAt >= data.Length)
            {
                _dataEnded = true;
                _report.Warn($"truncated JPEG: {prefix}{what}{stored}");
            }
            else
            {
                _report.Warn($"corrupt JPEG data: premature end of data segment at marker 0x{data[stoppedAt + 1]:X2} (byte {stoppedAt}): {prefix}{what}{stored}");
            }
        }

        if (reader.BadCodes > 0)
        {
            _report.Warn($"corrupt JPEG data: {reader.BadCodes} bad Huffman code{(reader.BadCodes == 1 ? string.Empty : "s")}{suffix}");
        }

        if (state.Resyncs > 0)
        {
            string more = state.Resyncs > 1 ? $" ({state.Resyncs} restart markers missing or out of sequence)" : string.Empty;
            _report.Warn($"corrupt JPEG data: {state.FirstResync}{more}{suffix}");
        }

        if (state.ExtraneousBytes > 0)
        {
            _report.Warn($"corrupt JPEG data: {state.ExtraneousBytes} extraneous bytes before restart markers{suffix}");
        }

        return reader.Position;
    }

    /// <summary>"scan N (component ..., coefficients ...)", or empty for the one scan of a single-scan sequential file.</summary>
    private string ScanLabel(ScanHeader scan)
    {
        var frame = _frame!;
        if (!frame.IsProgressive && _scanCount == 1 && scan.Components.Length == frame.Components.Length)
        {
            return string.Empty;
        }

        var text = new System.Text.StringBuilder();
        text.Append("scan ").Append(_scanCount).Append(scan.Components.Length == 1 ? " (component " : " (components ");
        for (int i = 0; i < scan.Components.Length; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append(scan.Components[i].Index);
        }

        if (frame.IsProgressive)
        {
            text.Append(scan.SpectralStart == 0 ? ", DC" : $", coefficients {scan.SpectralStart}-{scan.SpectralEnd}");
            text.Append(scan.ApproximationHigh == 0
                ? (scan.ApproximationLow == 0 ? ", first pass" : $", first pass down to bit {scan.ApproximationLow}")
                : $", refining bit {scan.ApproximationLow}");
        }

        return text.Append(')').ToString();
    }

    /// <summary>
    /// Image rows (in the stored orientation) covered by units <paramref name="firstUnit"/>..<paramref name="lastUnit"/>
    /// of a scan: MCUs of an interleaved scan, blocks of a one-component scan (libjpeg's non-interleaved MCU).
    /// </summary>
    private (int First, int Last) GapRows(ScanHeader scan, int firstUnit, int lastUnit)
    {
        var frame = _frame!;
        int unitsPerLine;
        int unitHeight;
        if (scan.Components.Length == 1)
        {
            var c = scan.Components[0];
            unitsPerLine = c.WidthInBlocks;
            unitHeight = 8 * frame.MaxVerticalFactor / c.VerticalFactor;
        }
        else
        {
            unitsPerLine = frame.McusPerLine;
            unitHeight = 8 * frame.MaxVerticalFactor;
        }

        int first = Math.Min(frame.Height - 1, firstUnit / unitsPerLine * unitHeight);
        int last = (int)Math.Min(frame.Height, ((long)(lastUnit / unitsPerLine) + 1) * unitHeight) - 1;
        return (first, last);
    }

    /// <summary>Non-fill bytes in [<paramref name="from"/>, <paramref name="to"/>): data nobody decoded (libjpeg's discarded bytes).</summary>
    private static int CountExtraneous(ReadOnlySpan<byte> data, int from, int to)
    {
        int count = 0;
        for (int i = from; i < to && i < data.Length; i++)
        {
            if (data[i] != 0xFF)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>libjpeg's JWRN_EXTRANEOUS_DATA between segments; after a scan it means the scan did not use all its data.</summary>
    private void ReportExtraneous(ReadOnlySpan<byte> data, int from, int markerStart, int marker)
    {
        int count = _unusedAfterScan + CountExtraneous(data, from, markerStart);
        _unusedAfterScan = 0;
        if (count > 0)
        {
            _report.Warn(
                $"corrupt JPEG data: {count} extraneous byte{(count == 1 ? string.Empty : "s")} before marker 0x{marker:X2} (byte {markerStart})",
                affectsPixels: _scanCount > 0);
        }
    }

    /// <summary>After the only scan of a sequential image: libjpeg reads on to EOI and warns about what it meets.</summary>
    private void CheckAfterSingleScan(ReadOnlySpan<byte> data, int position)
    {
        int markerStart = FindMarker(data, position);
        if (markerStart >= data.Length)
        {
            if (!_dataEnded)
            {
                _unusedAfterScan = 0;
                _report.Warn("truncated JPEG: the file ends after the image data without an EOI marker (all image data present)", affectsPixels: false);
            }

            return;
        }

        ReportExtraneous(data, position, markerStart, data[markerStart + 1]);
    }

    /// <summary>The file ended (libjpeg: "Premature end of JPEG file"): says which coefficients never arrived.</summary>
    private void ReportEarlyEnd(string what)
    {
        string missing = DescribeMissingCoefficients();
        if (missing.Length == 0)
        {
            if (!_dataEnded)
            {
                _report.Warn($"truncated JPEG: {what} (all coefficients had arrived)", affectsPixels: false);
            }

            return;
        }

        _report.Warn($"truncated JPEG: {what}; later scans missing: {missing}");
    }

    /// <summary>At EOI: a component no scan carried decodes as mid-grey.</summary>
    private void ReportNeverScanned()
    {
        foreach (var c in _frame!.Components)
        {
            if (Array.TrueForAll(_coefficientBits![c.Index], b => b < 0))
            {
                _report.Warn($"corrupt JPEG data: component {c.Index} was never scanned (its samples are mid-grey)");
            }
        }

        // A complete progressive file whose scans leave low-frequency coefficients unsent or unrefined is valid, and
        // libjpeg warns about nothing, but it block-smooths such images (jdcoefct.c smoothing_ok: every DC sent, some
        // coef_bits[1..9] not 0). That smoothing is not reproduced, so the pixels may differ: report them as damaged.
        if (_frame.IsProgressive
            && Array.TrueForAll(_frame.Components, c => _coefficientBits![c.Index][0] >= 0)
            && Array.Exists(_frame.Components, c => _coefficientBits![c.Index].AsSpan(1, 9).ContainsAnyExcept(0)))
        {
            _report.Warn($"incomplete progressive JPEG: {DescribeMissingCoefficients()}; libjpeg block-smooths such images, which is not reproduced (pixels may differ from OpenCV's)");
        }
    }

    private string DescribeMissingCoefficients()
    {
        var parts = new List<string>();
        foreach (var c in _frame!.Components)
        {
            int never = 0;
            int unrefined = 0;
            foreach (int bit in _coefficientBits![c.Index])
            {
                never += bit < 0 ? 1 : 0;
                unrefined += bit > 0 ? 1 : 0;
            }

            if (never == 64)
            {
                parts.Add($"component {c.Index} never scanned");
            }
            else if (never > 0 || unrefined > 0)
            {
                string sent = never > 0 ? $"{never} of 64 coefficients never sent" : string.Empty;
                string refined = unrefined > 0 ? $"{unrefined} of 64 not refined to their last bit" : string.Empty;
                parts.Add($"component {c.Index}: {sent}{(never > 0 && unrefined > 0 ? " and " : string.Empty)}{refined}");
            }
        }

        return string.Join(", ", parts);
    }

    /// <summary>libjpeg's progression bookkeeping (<c>coef_bits</c>) and its JWRN_BOGUS_PROGRESSION check.</summary>
    private void TrackProgression(ScanHeader scan)
    {
        int problems = 0;
        string? first = null;
        foreach (var c in scan.Components)
        {
            int[] bits = _coefficientBits![c.Index];
            if (scan.SpectralStart != 0 && bits[0] < 0)
            {
                problems++;
                first ??= $"component {c.Index} coefficient 0 (AC before DC)";
            }

            for (int k = scan.SpectralStart; k <= scan.SpectralEnd; k++)
            {
                int expected = bits[k] < 0 ? 0 : bits[k];
                if (scan.ApproximationHigh != expected)
                {
                    problems++;
                    first ??= $"component {c.Index} coefficient {k}";
                }

                bits[k] = scan.ApproximationLow;
            }
        }

        if (problems > 0)
        {
            _report.Warn($"corrupt JPEG data: inconsistent progression sequence in scan {_scanCount} ({first}{(problems > 1 ? $" and {problems - 1} more" : string.Empty)})");
        }
    }

    /// <summary>Inverse-transforms buffered coefficients (multi-scan images) and converts the planes to RGB.</summary>
    private RgbImage BuildImage()
    {
        var frame = _frame!;
        if (!_directOutput)
        {
            foreach (var c in frame.Components)
            {
                if (c.Quant is null)
                {
                    // Never scanned: libjpeg's IDCT sees an all-zero table, giving mid-grey samples.
                    c.Quant = new int[64];
                }

                for (int by = 0; by < c.HeightInBlocks; by++)
                {
                    for (int bx = 0; bx < c.WidthInBlocks; bx++)
                    {
                        TransformBlock(c, c.Coefficients!, (by * c.BlocksPerLine + bx) * 64, bx, by);
                    }
                }
            }
        }

        int width = frame.Width;
        int height = frame.Height;
        // Every byte is written below, so the caller's buffer need not be cleared first.
        var image = new RgbImage(width, height, GC.AllocateUninitializedArray<byte>(width * height * 3));
        var transform = ColorTransform();
        var components = frame.Components;
        var upsamplers = new JpegUpsampler[components.Length];
        var scratch = new byte[components.Length][];
        for (int i = 0; i < components.Length; i++)
        {
            var c = components[i];
            upsamplers[i] = new JpegUpsampler(c, frame, _planes![i], c.WidthInBlocks * 8);
            scratch[i] = new byte[Math.Max(width, 2 * c.SampledWidth) + 8];
        }

        for (int y = 0; y < height; y++)
        {
            var output = image.Row(y);
            if (transform == JpegColorTransform.Grayscale)
            {
                JpegColor.GrayRowToRgb(upsamplers[0].Row(y, width, scratch[0]), output, width);
            }
            else
            {
                var c0 = upsamplers[0].Row(y, width, scratch[0]);
                var c1 = upsamplers[1].Row(y, width, scratch[1]);
                var c2 = upsamplers[2].Row(y, width, scratch[2]);
                if (transform == JpegColorTransform.YCbCr)
                {
                    JpegColor.YCbCrRowToRgb(c0, c1, c2, output, width);
                }
                else if (transform == JpegColorTransform.Rgb)
                {
                    JpegColor.PlanarRowToRgb(c0, c1, c2, output, width);
                }
                else
                {
                    var c3 = upsamplers[3].Row(y, width, scratch[3]);
                    if (transform == JpegColorTransform.Cmyk)
                    {
                        JpegColor.CmykRowToRgb(c0, c1, c2, c3, output, width);
                    }
                    else
                    {
                        JpegColor.YcckRowToRgb(c0, c1, c2, c3, output, width);
                    }
                }
            }
        }

        return image;
    }
}
