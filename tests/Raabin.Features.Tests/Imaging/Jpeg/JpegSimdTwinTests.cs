using Raabin.Features.Imaging.Jpeg;

namespace Raabin.Features.Tests.Imaging.Jpeg;

/// <summary>Every vector path equals its scalar twin byte for byte (run on machines with AVX2; scalar-only machines use the twin).</summary>
public class JpegSimdTwinTests
{
    private static short[] RandomBlock(Random random, double density, int range)
    {
        var block = new short[64];
        for (int i = 0; i < 64; i++)
        {
            if (i == 0 || random.NextDouble() < density)
            {
                block[i] = (short)random.Next(-range, range + 1);
            }
        }

        return block;
    }

    private static unsafe byte[] Run(short[] block, int[] quant, Action<IntPtr, IntPtr, IntPtr> transform)
    {
        var output = new byte[8 * 12];
        fixed (short* c = block)
        fixed (int* q = quant)
        fixed (byte* o = output)
        {
            transform((IntPtr)c, (IntPtr)q, (IntPtr)o);
        }

        return output;
    }

    [Fact]
    public unsafe void Vector_idct_equals_scalar_idct()
    {
        // The dispatcher (DC-only shortcut + vector or scalar transform) is checked everywhere; the vector
        // transform itself where the CPU has AVX2.
        var random = new Random(11);
        for (int trial = 0; trial < 20000; trial++)
        {
            int[] quant = new int[64];
            for (int i = 0; i < 64; i++)
            {
                quant[i] = 1 + random.Next(trial % 2 == 0 ? 16 : 255);
            }

            // Coefficient magnitudes an 8-bit encoder can produce after quantisation, from sparse to dense blocks.
            short[] block = RandomBlock(random, (trial % 10) / 10.0, 1023 / quant[0] + 1);
            for (int i = 1; i < 64; i++)
            {
                block[i] = (short)Math.Clamp(block[i] * 4 / quant[i], -1023, 1023);
            }

            // Output rows have a pitch of 12 to check that the stride is honoured.
            byte[] scalar = Run(block, quant, (c, q, o) => JpegIdct.TransformScalar((short*)c, (int*)q, (byte*)o, 12));
            byte[] dispatched = Run(block, quant, (c, q, o) => JpegIdct.Transform((short*)c, (int*)q, (byte*)o, 12));
            Assert.Equal(scalar, dispatched);
            if (JpegIdct.VectorPathAvailable)
            {
                byte[] vector = Run(block, quant, (c, q, o) => JpegIdct.TransformVector((short*)c, (int*)q, (byte*)o, 12));
                Assert.Equal(scalar, vector);
            }
        }
    }

    [Fact]
    public unsafe void Vector_idct_equals_scalar_idct_on_out_of_range_input()
    {
        // Damaged files: any 16-bit coefficient and quantisers up to 65535, where the 16-bit wrap-around and
        // saturation of libjpeg-turbo's SIMD IDCT decide the result; sparse blocks reach the rows-1-to-7-empty shortcut.
        var random = new Random(12);
        for (int trial = 0; trial < 20000; trial++)
        {
            int[] quant = new int[64];
            for (int i = 0; i < 64; i++)
            {
                quant[i] = 1 + random.Next(trial % 3 == 0 ? 255 : 65535);
            }

            short[] block = RandomBlock(random, (trial % 10) / 20.0, short.MaxValue);
            if (trial % 4 == 0)
            {
                Array.Clear(block, 8, 56); // only the first row
            }

            byte[] scalar = Run(block, quant, (c, q, o) => JpegIdct.TransformScalar((short*)c, (int*)q, (byte*)o, 12));
            byte[] dispatched = Run(block, quant, (c, q, o) => JpegIdct.Transform((short*)c, (int*)q, (byte*)o, 12));
            Assert.Equal(scalar, dispatched);
            if (JpegIdct.VectorPathAvailable)
            {
                byte[] vector = Run(block, quant, (c, q, o) => JpegIdct.TransformVector((short*)c, (int*)q, (byte*)o, 12));
                Assert.Equal(scalar, vector);
            }
        }
    }

    [Fact]
    public unsafe void Dc_only_shortcut_equals_full_transform()
    {
        int[] quant = new int[64];
        Array.Fill(quant, 7);
        for (int dc = -32768; dc <= 32767; dc += 97)
        {
            var block = new short[64];
            block[0] = (short)dc;

            byte[] scalar = Run(block, quant, (c, q, o) => JpegIdct.TransformScalar((short*)c, (int*)q, (byte*)o, 12));
            byte[] dispatched = Run(block, quant, (c, q, o) => JpegIdct.Transform((short*)c, (int*)q, (byte*)o, 12));

            Assert.Equal(scalar, dispatched);
        }
    }

    [Fact]
    public void Vector_colour_conversion_equals_table_lookup()
    {
        var random = new Random(5);
        for (int width = 1; width <= 130; width++)
        {
            byte[] y = new byte[width];
            byte[] cb = new byte[width];
            byte[] cr = new byte[width];
            random.NextBytes(y);
            random.NextBytes(cb);
            random.NextBytes(cr);

            // Include the extremes, where clamping matters.
            y[0] = 255;
            cr[0] = 255;
            cb[width - 1] = 0;
            var expected = new byte[3 * width];
            var actual = new byte[3 * width];
            JpegColor.YCbCrRowToRgbScalar(y, cb, cr, expected, width);
            JpegColor.YCbCrRowToRgb(y, cb, cr, actual, width);

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Vector_interleaving_of_grey_and_rgb_rows_is_exact()
    {
        var random = new Random(6);
        for (int width = 1; width <= 70; width++)
        {
            byte[] r = new byte[width];
            byte[] g = new byte[width];
            byte[] b = new byte[width];
            random.NextBytes(r);
            random.NextBytes(g);
            random.NextBytes(b);
            var planar = new byte[3 * width];
            var grey = new byte[3 * width];
            JpegColor.PlanarRowToRgb(r, g, b, planar, width);
            JpegColor.GrayRowToRgb(g, grey, width);

            for (int x = 0; x < width; x++)
            {
                Assert.Equal(r[x], planar[3 * x]);
                Assert.Equal(g[x], planar[3 * x + 1]);
                Assert.Equal(b[x], planar[3 * x + 2]);
                Assert.Equal(g[x], grey[3 * x]);
                Assert.Equal(g[x], grey[3 * x + 1]);
                Assert.Equal(g[x], grey[3 * x + 2]);
            }
        }
    }

    [Fact]
    public void Colour_tables_match_libjpeg_formulas_at_known_points()
    {
        // Hand-computed: Cr = 255 -> x = 127, round(1.402 * 127) = 178; Cb = 0 -> x = -128, round(1.772 * -128) = -227.
        Assert.Equal(178, JpegColor.CrToR[255]);
        Assert.Equal(-227, JpegColor.CbToB[0]);
        Assert.Equal(0, JpegColor.CrToR[128]);
        Assert.Equal(0, JpegColor.CrToG[128]);
        Assert.Equal(1 << 15, JpegColor.CbToG[128]);
    }
}
