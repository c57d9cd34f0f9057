using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Raabin.Features.Imaging;

namespace Raabin.Features.Segmentation.Geometry;

/// <summary>
/// Outer-border tracing of binary masks with the semantics of OpenCV 4.6
/// <c>findContours(mask, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE)</c>: Suzuki–Abe border following
/// (Suzuki &amp; Abe, "Topological structural analysis of digitized binary images by border following",
/// CVGIP 30(1), 1985) in the raster-scan form of OpenCV's <c>modules/imgproc/src/contours.cpp</c>.
/// </summary>
/// <remarks>
/// <para>Foreground is every nonzero pixel; 8-connected foreground pixels form one region. OpenCV 4.6 pads the
/// image with a one-pixel frame of background before tracing, so regions touching the image edge are traced
/// through their edge pixels (earlier OpenCV versions cleared the outermost pixels instead).</para>
/// <para>Only outer borders are reported, and only of regions that do not lie inside a hole of another region
/// (a blob inside a ring is skipped, as RETR_EXTERNAL does). Each contour starts at the region's first pixel in
/// raster order (top row, leftmost pixel) and runs counter-clockwise on screen (down the left side first);
/// CHAIN_APPROX_SIMPLE keeps only the pixels where the 8-direction chain code changes. A lone pixel gives a
/// one-point contour. The list comes in OpenCV's order: the reverse of the order in which the raster scan met
/// the regions, so the region met last (lowest top pixel) comes first.</para>
/// </remarks>
public static class ContourTracer
{
    // Pixel states in the padded working copy, as OpenCV marks them (signed bytes).
    private const sbyte Background = 0;
    private const sbyte Unvisited = 1;
    private const sbyte Border = 2;                       // visited border pixel
    private const sbyte RightBorder = unchecked((sbyte)(2 | 0x80)); // border pixel whose right neighbour was examined as background

    // Chain-code directions 0..7: east, north-east, north, north-west, west, south-west, south, south-east (y down).
    private static readonly int[] DirectionX = [1, 1, 0, -1, -1, -1, 0, 1];
    private static readonly int[] DirectionY = [0, -1, -1, -1, 0, 1, 1, 1];

    /// <summary>
    /// Finds the outer contours of the foreground (nonzero pixels) of <paramref name="mask"/>, as OpenCV 4.6
    /// <c>findContours(mask, RETR_EXTERNAL, CHAIN_APPROX_SIMPLE)</c> returns them: same contours, same order,
    /// same points, same starting points.
    /// </summary>
    /// <param name="mask">A single-channel image; nonzero means foreground. Not modified.</param>
    /// <returns>The contours, possibly none; coordinates are pixel positions in <paramref name="mask"/>.</returns>
    public static IReadOnlyList<Contour> FindExternalContours(GrayImage mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        int width = mask.Width;
        int height = mask.Height;
        int stride = width + 2;
        int length = checked(stride * (height + 2));
        sbyte[] image = ArrayPool<sbyte>.Shared.Rent(length);
        try
        {
            Pad(mask, image.AsSpan(0, length));
            return Trace(image, width, height);
        }
        finally
        {
            ArrayPool<sbyte>.Shared.Return(image);
        }
    }

    // The working copy: a one-pixel frame of background around the mask, foreground as Unvisited.
    private static void Pad(GrayImage mask, Span<sbyte> image)
    {
        int width = mask.Width;
        int height = mask.Height;
        int stride = width + 2;
        image[..stride].Clear();
        image[((height + 1) * stride)..].Clear();
        byte[] source = mask.Pixels;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> sourceRow = source.AsSpan(y * width, width);
            Span<sbyte> row = image.Slice((y + 1) * stride, stride);
            row[0] = Background;
            row[^1] = Background;
            ToUnvisited(sourceRow, MemoryMarshal.Cast<sbyte, byte>(row[1..^1]));
        }
    }

    /// <summary>Writes 1 (<see cref="Unvisited"/>) for every nonzero byte of <paramref name="source"/> and 0 otherwise.</summary>
    internal static void ToUnvisited(ReadOnlySpan<byte> source, Span<byte> destination, bool allowVector = true)
    {
        int x = 0;
        if (allowVector && Vector256.IsHardwareAccelerated)
        {
            var one = Vector256<byte>.One;
            for (; x + Vector256<byte>.Count <= source.Length; x += Vector256<byte>.Count)
            {
                Vector256.Min(Vector256.Create(source.Slice(x, Vector256<byte>.Count)), one).CopyTo(destination.Slice(x));
            }
        }

        for (; x < source.Length; x++)
        {
            destination[x] = source[x] != 0 ? (byte)Unvisited : (byte)Background;
        }
    }

    private static List<Contour> Trace(sbyte[] image, int width, int height)
    {
        int stride = width + 2;
        Span<int> deltas = stackalloc int[16];
        for (int s = 0; s < 8; s++)
        {
            deltas[s] = deltas[s + 8] = DirectionY[s] * stride + DirectionX[s];
        }

        var found = new List<Contour>();
        var points = new List<Point>();
        int scanWidth = width + 1;   // columns 1..width of the padded copy hold the image
        int scanHeight = height + 1;
        for (int y = 1; y < scanHeight; y++)
        {
            int row = y * stride;
            Span<sbyte> line = image.AsSpan(row, scanWidth);
            int previous = Background;
            int lastBorderX = 0; // column of the last border pixel met on this row (OpenCV's lnbd); column 0 is padding
            int x = 1;
            while (x < scanWidth)
            {
                // Skip the run of pixels equal to the previous one (the BCL search is vectorised, like OpenCV's scan).
                int run = line[x..].IndexOfAnyExcept((sbyte)previous);
                if (run < 0)
                {
                    break;
                }

                x += run;
                int current = line[x];
                if (previous == Background && current == Unvisited)
                {
                    // An outer border starts here unless the last border pixel met on this row is positive (a border
                    // pixel with foreground to its right): then this pixel lies in a hole of a traced region.
                    if (line[lastBorderX] <= 0)
                    {
                        lastBorderX = x;
                        points.Clear();
                        FollowOuterBorder(image, row + x, deltas, new Point(x - 1, y - 1), points);
                        found.Add(Contour.Own(points.ToArray()));
                        previous = line[x];
                        x++;
                        continue;
                    }
                }
                else if (current == Background && previous >= Unvisited)
                {
                    // A hole border starts at x - 1; holes are not reported in external mode.
                    if ((previous & ~1) != 0)
                    {
                        lastBorderX = x - 1;
                    }
                }

                previous = current;
                if ((previous & ~1) != 0)
                {
                    lastBorderX = x;
                }

                x++;
            }
        }

        found.Reverse();
        return found;
    }

    // Follows the outer border that starts at `start` (an unvisited pixel whose west neighbour is background),
    // marking visited pixels as OpenCV does and appending the chain-code corner points.
    private static void FollowOuterBorder(sbyte[] image, int start, ReadOnlySpan<int> deltas, Point origin, List<Point> points)
    {
        // Search clockwise from west for the first foreground neighbour.
        int direction = 4;
        int first;
        do
        {
            direction = (direction - 1) & 7;
            first = start + deltas[direction];
        }
        while (image[first] == Background && direction != 4);

        if (direction == 4)
        {
            image[start] = RightBorder; // isolated pixel
            points.Add(origin);
            return;
        }

        int current = start;
        int next = 0;
        int previousDirection = direction ^ 4;
        Point position = origin;
        while (true)
        {
            // Search counter-clockwise around `current`, starting just after the direction we came back from.
            int searchEnd = direction;
            while (direction < 15)
            {
                next = current + deltas[++direction];
                if (image[next] != Background)
                {
                    break;
                }
            }

            direction &= 7;
            if ((uint)(direction - 1) < (uint)searchEnd)
            {
                image[current] = RightBorder; // the east neighbour was passed over as background
            }
            else if (image[current] == Unvisited)
            {
                image[current] = Border;
            }

            if (direction != previousDirection)
            {
                points.Add(position);
                previousDirection = direction;
            }

            position = new Point(position.X + DirectionX[direction], position.Y + DirectionY[direction]);
            if (next == start && current == first)
            {
                break;
            }

            current = next;
            direction = (direction + 4) & 7;
        }
    }
}
