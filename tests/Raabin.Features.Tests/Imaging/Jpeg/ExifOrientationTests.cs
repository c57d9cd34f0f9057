using System.Buffers.Binary;
using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Jpeg;

namespace Raabin.Features.Tests.Imaging.Jpeg;

/// <summary>OpenCV 4.6's EXIF reading rules, on hand-made APP1 payloads.</summary>
public class ExifOrientationTests
{
    /// <summary>"Exif\0\0", a little-endian TIFF header and IFD0 holding the given (tag, type, count, value) entries.</summary>
    private static byte[] Payload(params (ushort Tag, ushort Type, uint Count, uint Value)[] entries)
    {
        var data = new byte[6 + 8 + 2 + 12 * entries.Length + 4];
        "Exif\0\0"u8.CopyTo(data);
        var tiff = data.AsSpan(6);
        tiff[0] = (byte)'I';
        tiff[1] = (byte)'I';
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[2..], 0x2A);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff[4..], 8);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff[8..], (ushort)entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            var entry = tiff.Slice(10 + 12 * i, 12);
            BinaryPrimitives.WriteUInt16LittleEndian(entry, entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], entries[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], entries[i].Count);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[8..], entries[i].Value);
        }

        return data;
    }

    [Fact]
    public void Orientation_entry_is_read()
    {
        Assert.Equal(6, ExifOrientation.Read(Payload((0x0112, 3, 1, 6))));
    }

    [Fact]
    public void Out_of_range_string_before_orientation_ends_the_walk()
    {
        // A Make string of 100 bytes at offset 5000, far outside the segment: OpenCV stops before the orientation.
        Assert.Equal(1, ExifOrientation.Read(Payload((0x010F, 2, 100, 5000), (0x0112, 3, 1, 6))));
    }

    [Fact]
    public void Entries_read_before_a_broken_one_are_kept()
    {
        Assert.Equal(8, ExifOrientation.Read(Payload((0x0112, 3, 1, 8), (0x010F, 2, 100, 5000))));
    }

    [Fact]
    public void Values_outside_1_to_8_and_short_payloads_mean_no_rotation()
    {
        Assert.Equal(1, ExifOrientation.Read(Payload((0x0112, 3, 1, 9))));
        Assert.Equal(1, ExifOrientation.Read("Exif\0\0"u8));
        Assert.Equal(1, ExifOrientation.Read([]));
    }

    [Fact]
    public void Orientation_6_rotates_clockwise()
    {
        // 2x1 image: left pixel (1,2,3), right pixel (4,5,6). Rotated 90 degrees clockwise it is 1x2, left on top.
        var image = new RgbImage(2, 1, [1, 2, 3, 4, 5, 6]);

        var rotated = ExifOrientation.Apply(image, 6);

        Assert.Equal(1, rotated.Width);
        Assert.Equal(2, rotated.Height);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, rotated.Pixels);
    }

    [Fact]
    public void Orientation_8_rotates_counter_clockwise()
    {
        var image = new RgbImage(2, 1, [1, 2, 3, 4, 5, 6]);

        var rotated = ExifOrientation.Apply(image, 8);

        Assert.Equal(new byte[] { 4, 5, 6, 1, 2, 3 }, rotated.Pixels);
    }
}
