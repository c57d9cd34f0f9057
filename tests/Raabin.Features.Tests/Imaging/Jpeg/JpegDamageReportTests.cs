using System.Buffers.Binary;
using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Jpeg;

namespace Raabin.Features.Tests.Imaging.Jpeg;

/// <summary>
/// Damaged JPEGs decode to imread's pixels and say what was filled in. Expected row ranges are worked out here from
/// the file's own bytes (restart markers, frame sampling factors) or by comparing pixels with the intact decode,
/// never with the decoder's reporting code.
/// </summary>
public class JpegDamageReportTests
{
    private static (RgbImage Image, DecodeReport Report) Decode(byte[] data, string name = "damaged.jpg")
    {
        var image = JpegDecoder.Decode(data, name, DecoderOptions.Default, out var report);
        return (image, report);
    }

    /// <summary>Positions of every <c>FF xx</c> marker with code <paramref name="code"/> (never inside entropy data, thanks to stuffing).</summary>
    private static List<int> Markers(byte[] data, Func<int, bool> code)
    {
        var found = new List<int>();
        for (int i = 2; i + 1 < data.Length; i++)
        {
            if (data[i] == 0xFF && code(data[i + 1]))
            {
                found.Add(i);
            }
        }

        return found;
    }

    /// <summary>Height of an MCU row in pixels, from the largest vertical sampling factor in the SOF segment.</summary>
    private static int McuHeight(byte[] data)
    {
        int sof = Markers(data, c => c is 0xC0 or 0xC1 or 0xC2)[0];
        int components = data[sof + 9];
        int maxV = 1;
        for (int i = 0; i < components; i++)
        {
            maxV = Math.Max(maxV, data[sof + 10 + 3 * i + 1] & 15);
        }

        return components == 1 ? 8 : 8 * maxV;
    }

    private static int Height(byte[] data)
    {
        int sof = Markers(data, c => c is 0xC0 or 0xC1 or 0xC2)[0];
        return BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(sof + 5));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Truncated_file_with_a_restart_per_mcu_row_reports_the_rows_after_the_last_complete_row(int completeRows)
    {
        byte[] full = JpegFixtures.Read("crop-restart-1row.jpg");
        var restarts = Markers(full, c => c is >= 0xD0 and <= 0xD7);
        // RST k follows MCU row k; cutting between RST k-1 and RST k leaves exactly k complete MCU rows.
        int cut = (restarts[completeRows - 1] + restarts[completeRows]) / 2;
        byte[] data = full[..cut];
        Assert.Equal(completeRows, Markers(data, c => c is >= 0xD0 and <= 0xD7).Count);
        int first = completeRows * McuHeight(full);
        int last = Height(full) - 1;

        var (_, report) = Decode(data);

        Assert.True(report.IsDamaged);
        Assert.Equal($"truncated JPEG: rows {first}-{last} filled", report.Warnings[0].Message);
        Assert.Single(report.Warnings);
    }

    [Theory]
    [InlineData("crop-grayscale.jpg", 0.3)]
    [InlineData("crop-grayscale.jpg", 0.7)]
    [InlineData("crop-420.jpg", 0.5)]
    [InlineData("pbc-444-baseline.jpg", 0.4)]
    [InlineData("pbc-420-baseline-366x369.jpg", 0.6)]
    public void Truncated_baseline_file_reports_from_the_first_mcu_row_that_lost_data(string fixture, double fraction)
    {
        byte[] full = JpegFixtures.Read(fixture);
        byte[] data = full[..(int)(full.Length * fraction)];
        var intact = Decode(full).Image;
        int mcuHeight = McuHeight(full);

        var (image, report) = Decode(data);

        // The first row that differs from the intact decode lies in the first incomplete MCU row, or (4:2:0 fancy
        // upsampling reads one chroma row ahead) on the last pixel row just above it.
        int firstDiff = 0;
        while (image.Row(firstDiff).SequenceEqual(intact.Row(firstDiff)))
        {
            firstDiff++;
        }

        int first = (firstDiff + 1) / mcuHeight * mcuHeight;
        Assert.Equal($"truncated JPEG: rows {first}-{image.Height - 1} filled", Assert.Single(report.Warnings).Message);
        Assert.True(report.IsDamaged);

        // Everything from the next MCU row on is the uniform grey libjpeg fills in.
        for (int y = first + mcuHeight + 1; y < image.Height; y++)
        {
            Assert.All(image.Row(y).ToArray(), v => Assert.Equal(128, v));
        }
    }

    [Theory]
    [InlineData("crop-progressive-420.jpg")]
    [InlineData("crop-progressive-custom.jpg")]
    [InlineData("crop-grayscale-progressive.jpg")]
    public void Truncated_progressive_file_names_the_incomplete_scan_and_what_never_arrived(string fixture)
    {
        byte[] full = JpegFixtures.Read(fixture);
        var scans = Markers(full, c => c == 0xDA);
        Assert.True(scans.Count >= 3);
        int eoi = Markers(full, c => c == 0xD9)[^1];

        // Cut inside the data of the middle scan: scan k (1-based) is incomplete, the ones after it are missing.
        int k = scans.Count / 2;
        int scanEnd = k < scans.Count ? scans[k] : eoi;
        int cut = (scans[k - 1] + 20 + scanEnd) / 2;
        var (_, report) = Decode(full[..cut]);

        Assert.True(report.IsDamaged);
        var incomplete = report.Warnings[0].Message;
        Assert.StartsWith($"truncated JPEG: scan {k} (", incomplete);
        Assert.EndsWith($"-{Height(full) - 1} got no data from this scan", incomplete);
        Assert.Contains(report.Warnings, w => w.Message.StartsWith($"truncated JPEG: the file ends after scan {k} without an EOI marker; later scans missing: component ", StringComparison.Ordinal));

        // Cut exactly between scans k and k + 1: nothing incomplete, the later scans are missing.
        var (_, between) = Decode(full[..scans[k]]);
        var only = Assert.Single(between.Warnings);
        Assert.StartsWith($"truncated JPEG: the file ends after scan {k} without an EOI marker; later scans missing: ", only.Message);
        Assert.True(between.IsDamaged);
    }

    [Fact]
    public void Sequential_file_cut_between_its_component_scans_names_the_missing_component()
    {
        byte[] full = JpegFixtures.Read("crop-sequential-3scans.jpg");
        var scans = Markers(full, c => c == 0xDA);
        Assert.Equal(3, scans.Count);

        // The third scan's component, as a 0-based index into the frame's component list.
        int sof = Markers(full, c => c == 0xC0)[0];
        int id = full[scans[2] + 5];
        int index = Enumerable.Range(0, 3).Single(i => full[sof + 10 + 3 * i] == id);

        var (_, report) = Decode(full[..scans[2]]);

        var only = Assert.Single(report.Warnings);
        Assert.Equal($"truncated JPEG: the file ends after scan 2 without an EOI marker; later scans missing: component {index} never scanned", only.Message);
    }

    [Theory]
    [InlineData("odd-37x23-420.jpg", 1)]
    [InlineData("crop-restart-1block-420.jpg", 7)]
    [InlineData("crop-progressive-custom.jpg", 5)]
    [InlineData("crop-sequential-3scans.jpg", 5)]
    [InlineData("crop-grayscale-progressive.jpg", 5)]
    public void Every_truncation_that_decodes_is_reported(string fixture, int step)
    {
        byte[] full = JpegFixtures.Read(fixture);
        int eoi = Markers(full, c => c == 0xD9)[^1];
        for (int length = full.Length - 1; length > 0; length -= step)
        {
            DecodeReport report;
            try
            {
                (_, report) = Decode(full[..length]);
            }
            catch (ImageDecodeException)
            {
                continue;
            }

            // Losing coded data damages the image; losing only the EOI marker is still reported.
            Assert.True(report.HasWarnings, $"{fixture}[..{length}]");
            Assert.Equal(length < eoi, report.IsDamaged);
        }
    }

    [Fact]
    public void Invalid_huffman_codes_are_reported()
    {
        byte[] data = JpegFixtures.Read("crop-420.jpg");
        int sos = Markers(data, c => c == 0xDA)[0];
        int middle = (sos + data.Length) / 2;
        // FF 00 is a stuffed FF: 64 one bits, and the all-ones code is never a valid JPEG Huffman code.
        for (int i = 0; i < 16; i += 2)
        {
            data[middle + i] = 0xFF;
            data[middle + i + 1] = 0x00;
        }

        var (_, report) = Decode(data);

        Assert.True(report.IsDamaged);
        Assert.Contains(report.Warnings, w => w.Message.Contains("bad Huffman code", StringComparison.Ordinal));
    }

    [Fact]
    public void A_marker_inside_the_entropy_data_is_a_premature_end_of_segment()
    {
        byte[] data = JpegFixtures.Read("crop-420.jpg");
        int sos = Markers(data, c => c == 0xDA)[0];
        int middle = (sos + data.Length) / 2;
        data[middle] = 0xFF;
        data[middle + 1] = 0xD0; // RST0 in a file without a restart interval

        var (image, report) = Decode(data);

        Assert.True(report.IsDamaged);
        Assert.Contains(report.Warnings, w => w.Message.StartsWith($"corrupt JPEG data: premature end of data segment at marker 0xD0 (byte {middle}): rows ", StringComparison.Ordinal));
        Assert.Equal(120, image.Width);
    }

    [Fact]
    public void An_out_of_sequence_restart_marker_is_reported()
    {
        byte[] data = JpegFixtures.Read("crop-restart-1row.jpg");
        int third = Markers(data, c => c is >= 0xD0 and <= 0xD7)[2];
        Assert.Equal(0xD2, data[third + 1]);
        data[third + 1] = 0xD6; // RST6 where RST2 belongs

        var (_, report) = Decode(data);

        Assert.True(report.IsDamaged);
        Assert.Contains(report.Warnings, w => w.Message.Contains($"found marker 0xD6 at byte {third} instead of RST2", StringComparison.Ordinal));
    }

    [Fact]
    public void Bytes_a_scan_did_not_use_are_extraneous()
    {
        byte[] full = JpegFixtures.Read("crop-444.jpg");
        int eoi = Markers(full, c => c == 0xD9)[^1];
        byte[] data = [.. full[..eoi], 1, 2, 3, .. full[eoi..]];

        var (image, report) = Decode(data);

        Assert.Equal(Decode(full).Image.Pixels, image.Pixels);
        var only = Assert.Single(report.Warnings);
        Assert.Equal($"corrupt JPEG data: 3 extraneous bytes before marker 0xD9 (byte {eoi + 3})", only.Message);
        Assert.True(only.AffectsPixels);
    }

    [Theory]
    [MemberData(nameof(JpegDecoderGoldenTests.Damaged), MemberType = typeof(JpegDecoderGoldenTests))]
    public void Every_cut_golden_case_is_flagged_with_imread_pixels(string file, string recipe, int width, int height, string sha256)
    {
        byte[] data = JpegFixtures.Damage(JpegFixtures.Read(file), recipe);

        var (image, report) = Decode(data, file);

        // Same pixels as the golden decode (imread), and every cut is flagged. A changed byte is flagged only when it
        // shows (a bad code, an interval that over- or under-runs its data): Huffman codes resynchronise, so a change
        // that keeps every interval the right length only alters some coefficients, which libjpeg cannot see either.
        Assert.Equal((width, height), (image.Width, image.Height));
        Assert.Equal(sha256, JpegFixtures.Sha256(image.Pixels));
        if (recipe.StartsWith("cut:", StringComparison.Ordinal))
        {
            Assert.True(report.IsDamaged, $"{file} {recipe}");
        }
    }
}
