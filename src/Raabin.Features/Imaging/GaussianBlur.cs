using System.Buffers;
using System.Runtime.Intrinsics;

namespace Raabin.Features.Imaging;

/// <summary>
/// Gaussian smoothing of 8-bit single-channel images identical to OpenCV 4.6's
/// <c>cv2.GaussianBlur(x, (k, k), sigma)</c> with the default border (reflect-101: <c>gfedcb|abcdefgh|gfedcba</c>).
/// </summary>
/// <remarks>
/// OpenCV's 8-bit Gaussian is bit-exact fixed point: the separable kernel is computed in double precision, turned
/// into integers in units of 1/256 that sum to exactly 256 (error diffusion, rounding half to even, the centre tap
/// taking the remainder), the horizontal pass sums <c>pixel * tap</c> exactly in 16 bits (8 fraction bits), the
/// vertical pass sums <c>row * tap</c> exactly in 32 bits (16 fraction bits), and the result is
/// <c>(sum + 2^15) &gt;&gt; 16</c>. Being integer sums, the order of operations does not matter.
/// </remarks>
public static partial class GaussianBlur
{
    private const int KernelFractionBits = 8;
    private const int KernelOne = 1 << KernelFractionBits;

    /// <summary>Largest supported kernel size; large enough for any sigma a cell image needs.</summary>
    public const int MaxKernelSize = 255;

    /// <summary>Blurs <paramref name="src"/> into a new image.</summary>
    /// <param name="src">The 8-bit image; any size, also smaller than the kernel.</param>
    /// <param name="kernelSize">Odd side of the square kernel, 1..<see cref="MaxKernelSize"/>; 0 derives it from
    /// <paramref name="sigma"/> as OpenCV does for 8-bit images: <c>round(6 sigma + 1) | 1</c>.</param>
    /// <param name="sigma">Standard deviation in pixels; 0 (or negative) derives it from the kernel size:
    /// <c>0.3 ((k - 1) / 2 - 1) + 0.8</c>, and for k = 3, 5, 7, 9 uses OpenCV's fixed binomial-like kernels.</param>
    public static GrayImage Apply(GrayImage src, int kernelSize, double sigma = 0)
    {
        ArgumentNullException.ThrowIfNull(src);
        var dst = new GrayImage(src.Width, src.Height);
        Apply(src, dst, kernelSize, sigma);
        return dst;
    }

    /// <summary>Blurs <paramref name="src"/> into <paramref name="dst"/> (same size; may be the same image).</summary>
    /// <param name="src">The 8-bit image.</param>
    /// <param name="dst">Receives the result; must have the size of <paramref name="src"/>.</param>
    /// <param name="kernelSize">Odd kernel side, or 0 to derive it from <paramref name="sigma"/>
    /// (see <see cref="Apply(GrayImage, int, double)"/>).</param>
    /// <param name="sigma">Standard deviation in pixels, or 0 to derive it from the kernel size.</param>
    public static void Apply(GrayImage src, GrayImage dst, int kernelSize, double sigma = 0)
    {
        ArgumentNullException.ThrowIfNull(src);
        ArgumentNullException.ThrowIfNull(dst);
        if (dst.Width != src.Width || dst.Height != src.Height)
        {
            throw new ArgumentException($"Destination is {dst.Width}x{dst.Height}, source is {src.Width}x{src.Height}.", nameof(dst));
        }

        if (double.IsNaN(sigma) || double.IsInfinity(sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Sigma must be a finite number.");
        }

        if (kernelSize <= 0 && sigma > 0)
        {
            kernelSize = (int)Math.Round(sigma * 3 * 2 + 1, MidpointRounding.ToEven) | 1;
        }

        if (kernelSize <= 0 || kernelSize % 2 == 0 || kernelSize > MaxKernelSize)
        {
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize,
                $"Kernel size must be odd and 1..{MaxKernelSize} (or 0 with a positive sigma).");
        }

        sigma = Math.Max(sigma, 0);

        // A one-pixel-wide or -high image is not smoothed across that axis (OpenCV sets the kernel side to 1).
        int kernelWidth = src.Width == 1 ? 1 : kernelSize;
        int kernelHeight = src.Height == 1 ? 1 : kernelSize;
        if (kernelWidth == 1 && kernelHeight == 1)
        {
            if (!ReferenceEquals(src, dst))
            {
                src.Pixels.AsSpan().CopyTo(dst.Pixels);
            }

            return;
        }

        int[] kx = FixedPointKernel(kernelWidth, sigma);
        int[] ky = kernelHeight == kernelWidth ? kx : FixedPointKernel(kernelHeight, sigma);
        if (IsBinomial5(kx) && IsBinomial5(ky) && !ReferenceEquals(src.Pixels, dst.Pixels))
        {
            ConvolveBinomial5(src, dst);
        }
        else if (ReferenceEquals(kx, ky) && IsThreeTaps(kx, out int outer, out int centre) && !ReferenceEquals(src.Pixels, dst.Pixels))
        {
            ConvolveThreeTaps(src, dst, outer, centre);
        }
        else
        {
            Convolve(src, dst, kx, ky);
        }
    }

    /// <summary>
    /// The Gaussian kernel as OpenCV's <c>getGaussianKernel(n, sigma, CV_64F)</c> computes it: for
    /// <c>sigma &lt;= 0</c> and n = 1, 3, 5, 7, 9 the fixed kernels [1], [1 2 1]/4, [1 4 6 4 1]/16,
    /// [8 28 56 72 56 28 8]/256 and [4 13 30 51 60 51 30 13 4]/256; otherwise <c>exp(-x^2 / (2 sigma^2))</c> normalised to sum 1,
    /// with <c>sigma = 0.15 n + 0.35</c> (one fused multiply-add) when not given. Same operations in the same order;
    /// OpenCV's software <c>exp</c> can differ from <see cref="Math.Exp"/> by a few units in the last place, which
    /// is far below the 1/256 steps of <see cref="FixedPointKernel"/>, the only form the 8-bit blur uses.
    /// </summary>
    /// <param name="n">Odd kernel size, at least 1.</param>
    /// <param name="sigma">Standard deviation in pixels, or 0 to derive it from <paramref name="n"/>.</param>
    public static double[] Kernel(int n, double sigma)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (n % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "Kernel size must be odd.");
        }

        if (sigma <= 0)
        {
            int[]? small = n switch
            {
                1 => [1],
                3 => [64, 128, 64],
                5 => [16, 64, 96, 64, 16],
                7 => [8, 28, 56, 72, 56, 28, 8],
                9 => [4, 13, 30, 51, 60, 51, 30, 13, 4],
                _ => null,
            };
            if (small is not null)
            {
                var fixedKernel = new double[n];
                double unit = n == 1 ? 1.0 : 1.0 / KernelOne;
                for (int i = 0; i < n; i++)
                {
                    fixedKernel[i] = small[i] * unit;
                }

                return fixedKernel;
            }
        }

        double sigmaX = sigma > 0 ? sigma : Math.FusedMultiplyAdd(n, 0.15, 0.35);
        double scale = -0.125 / (sigmaX * sigmaX);   // x runs over even numbers 1-n..n-1, i.e. twice the offset
        int half = (n - 1) / 2;
        var values = new double[half];
        double sum = 0;
        for (int i = 0, x = 1 - n; i < half; i++, x += 2)
        {
            double t = Math.Exp(x * x * scale);
            values[i] = t;
            sum += t;
        }

        sum = sum * 2 + 1;   // both sides plus the centre tap exp(0)
        double normaliser = 1 / sum;
        var kernel = new double[n];
        for (int i = 0; i < half; i++)
        {
            double t = values[i] * normaliser;
            kernel[i] = t;
            kernel[n - 1 - i] = t;
        }

        kernel[half] = normaliser;
        return kernel;
    }

    /// <summary>
    /// The kernel in units of 1/256 as OpenCV's 8-bit path uses it: outer taps rounded (half to even) with the
    /// rounding error carried inwards, the centre tap set so that the taps sum to exactly 256.
    /// </summary>
    /// <param name="n">Odd kernel size, at least 1.</param>
    /// <param name="sigma">Standard deviation in pixels, or 0 to derive it from <paramref name="n"/>.</param>
    public static int[] FixedPointKernel(int n, double sigma)
    {
        return ToFixedPoint(Kernel(n, sigma));
    }

    /// <summary>OpenCV's error-diffusion rounding of an odd, symmetric kernel to 1/256 units summing to 256.</summary>
    internal static int[] ToFixedPoint(double[] kernel)
    {
        int n = kernel.Length;
        var taps = new int[n];
        int half = n / 2;
        double carried = 0;
        int sum = 0;
        for (int i = 0; i < half; i++)
        {
            double adjusted = kernel[i] * KernelOne + carried;
            int tap = (int)Math.Round(adjusted, MidpointRounding.ToEven);
            carried = adjusted - tap;
            taps[i] = tap;
            taps[n - 1 - i] = tap;
            sum += tap;
        }

        taps[half] = KernelOne - 2 * sum;
        return taps;
    }

    /// <summary>Whether <paramref name="taps"/> is [16 64 96 64 16], i.e. 16 × [1 4 6 4 1] (the 5×5 kernel for sigma 0).</summary>
    private static bool IsBinomial5(int[] taps) =>
        taps.Length == 5 && taps[0] == 16 && taps[1] == 64 && taps[2] == 96 && taps[3] == 64 && taps[4] == 16;

    /// <summary>
    /// Whether <paramref name="taps"/> is [a b a] once its zero outer taps are dropped (e.g. [0 10 236 10 0], the 5-tap
    /// kernel of σ = 0.4): a zero tap adds nothing whatever pixel it reads, so the sums are those of the 3-tap kernel.
    /// </summary>
    private static bool IsThreeTaps(int[] taps, out int outer, out int centre)
    {
        int half = taps.Length / 2;
        outer = centre = 0;
        if (half < 1)
        {
            return false;
        }

        for (int i = 0; i < half - 1; i++)
        {
            if (taps[i] != 0)
            {
                return false;
            }
        }

        outer = taps[half - 1];
        centre = taps[half];
        return outer >= 0 && centre >= 0;
    }

    /// <summary>
    /// The blur with taps [a b a] (2a + b = 256, both ≥ 0) in both directions: the general path's exact sum
    /// <c>Σ_j k_j (Σ_i k_i p)</c> taken column-first (an integer sum in any order): each output row sums three source
    /// rows into a 16-bit row (at most 255 · 256) padded by reflection, then three neighbours across in 32 bits, rounded as
    /// <c>(sum + 2^15) &gt;&gt; 16</c>. Vectorised where the hardware allows, with <see cref="Convolve"/> as its scalar
    /// twin (tests prove them equal). <paramref name="src"/> and <paramref name="dst"/> must not share a buffer, and both
    /// sides must be at least 2.
    /// </summary>
    internal static void ConvolveThreeTaps(GrayImage src, GrayImage dst, int outer, int centre, bool allowVector = true)
    {
        int width = src.Width, height = src.Height;
        int[] columns = ReflectedIndices(width, 1);
        ushort[] rented = ArrayPool<ushort>.Shared.Rent(width + 2);
        try
        {
            Span<ushort> padded = rented.AsSpan(0, width + 2);
            Span<ushort> vertical = padded.Slice(1, width);
            byte[] s = src.Pixels;
            byte[] d = dst.Pixels;
            for (int y = 0; y < height; y++)
            {
                int above = Reflect101(y - 1, height), below = Reflect101(y + 1, height);
                ReadOnlySpan<byte> r0 = s.AsSpan(above * width, width);
                ReadOnlySpan<byte> r1 = s.AsSpan(y * width, width);
                ReadOnlySpan<byte> r2 = s.AsSpan(below * width, width);
                int x = allowVector ? VerticalThreeVector(r0, r1, r2, vertical, outer, centre) : 0;
                for (; x < width; x++)
                {
                    vertical[x] = (ushort)((outer * (r0[x] + r2[x])) + (centre * r1[x]));
                }

                padded[0] = vertical[columns[0]];
                padded[width + 1] = vertical[columns[width + 1]];
                Span<byte> output = d.AsSpan(y * width, width);
                x = allowVector ? HorizontalThreeVector(padded, output, outer, centre) : 0;
                for (; x < width; x++)
                {
                    int sum = (outer * (padded[x] + padded[x + 2])) + (centre * padded[x + 1]);
                    output[x] = (byte)Math.Min((sum + (1 << 15)) >> 16, 255);
                }
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(rented);
        }
    }

    // Vertical sums of 32 columns at a time (exact in 16 bits: at most 255 · 256); returns how many columns it did.
    private static int VerticalThreeVector(ReadOnlySpan<byte> r0, ReadOnlySpan<byte> r1, ReadOnlySpan<byte> r2, Span<ushort> vertical, int outer, int centre)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        var a = Vector256.Create((ushort)outer);
        var b = Vector256.Create((ushort)centre);
        int x = 0;
        for (; x + Vector256<byte>.Count <= vertical.Length; x += Vector256<byte>.Count)
        {
            (Vector256<ushort> a0, Vector256<ushort> b0) = Vector256.Widen(Vector256.Create(r0.Slice(x, 32)));
            (Vector256<ushort> a1, Vector256<ushort> b1) = Vector256.Widen(Vector256.Create(r1.Slice(x, 32)));
            (Vector256<ushort> a2, Vector256<ushort> b2) = Vector256.Widen(Vector256.Create(r2.Slice(x, 32)));
            ((a * (a0 + a2)) + (b * a1)).CopyTo(vertical.Slice(x, 16));
            ((a * (b0 + b2)) + (b * b1)).CopyTo(vertical.Slice(x + 16, 16));
        }

        return x;
    }

    // Horizontal sums (32 bits) and rounding of 16 output pixels at a time; returns how many it did.
    private static int HorizontalThreeVector(ReadOnlySpan<ushort> padded, Span<byte> output, int outer, int centre)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        var a = Vector256.Create((uint)outer);
        var b = Vector256.Create((uint)centre);
        var rounding = Vector256.Create(1u << 15);
        var most = Vector256.Create(255u);
        int x = 0;
        for (; x + 16 <= output.Length; x += 16)
        {
            (Vector256<uint> l0, Vector256<uint> h0) = Vector256.Widen(Vector256.Create(padded.Slice(x, 16)));
            (Vector256<uint> l1, Vector256<uint> h1) = Vector256.Widen(Vector256.Create(padded.Slice(x + 1, 16)));
            (Vector256<uint> l2, Vector256<uint> h2) = Vector256.Widen(Vector256.Create(padded.Slice(x + 2, 16)));
            Vector256<uint> lower = Vector256.Min(((a * (l0 + l2)) + (b * l1) + rounding) >>> 16, most);
            Vector256<uint> upper = Vector256.Min(((a * (h0 + h2)) + (b * h1) + rounding) >>> 16, most);
            Vector128<byte> bytes = Vector256.Narrow(Vector256.Narrow(lower, upper), Vector256<ushort>.Zero).GetLower();
            bytes.CopyTo(output.Slice(x, 16));
        }

        return x;
    }

    /// <summary>
    /// The 5×5 blur with taps 16 × [1 4 6 4 1] in both directions. The general path's result
    /// <c>(Σ 16 k_j (Σ 16 k_i p) + 2^15) &gt;&gt; 16</c> equals <c>(Σ_j k_j Σ_i k_i p + 128) &gt;&gt; 8</c> (at most 65,280 + 128,
    /// so 16-bit lanes suffice); being an exact integer sum it can go column-first: each output row sums five source
    /// rows with weights 1 4 6 4 1 into a 16-bit row padded by reflection, then five neighbours across. Vectorised
    /// where the hardware allows, with <see cref="Convolve"/> as its scalar twin (tests prove them equal).
    /// <paramref name="src"/> and <paramref name="dst"/> must not share a buffer.
    /// </summary>
    internal static void ConvolveBinomial5(GrayImage src, GrayImage dst, bool allowVector = true)
    {
        int width = src.Width, height = src.Height;
        int[] rows = ReflectedIndices(height, 2);
        int[] columns = ReflectedIndices(width, 2);
        ushort[] rented = ArrayPool<ushort>.Shared.Rent(width + 4);
        try
        {
            Span<ushort> padded = rented.AsSpan(0, width + 4);
            Span<ushort> vertical = padded.Slice(2, width);
            byte[] s = src.Pixels;
            byte[] d = dst.Pixels;
            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<byte> r0 = s.AsSpan(rows[y] * width, width);
                ReadOnlySpan<byte> r1 = s.AsSpan(rows[y + 1] * width, width);
                ReadOnlySpan<byte> r2 = s.AsSpan(rows[y + 2] * width, width);
                ReadOnlySpan<byte> r3 = s.AsSpan(rows[y + 3] * width, width);
                ReadOnlySpan<byte> r4 = s.AsSpan(rows[y + 4] * width, width);
                int x = allowVector ? VerticalBinomialVector(r0, r1, r2, r3, r4, vertical) : 0;
                for (; x < width; x++)
                {
                    vertical[x] = (ushort)(r0[x] + r4[x] + 4 * (r1[x] + r3[x]) + 6 * r2[x]);
                }

                // Reflect-101 padding of two values on each side (columns[i] is the source column of position i - 2).
                padded[0] = vertical[columns[0]];
                padded[1] = vertical[columns[1]];
                padded[width + 2] = vertical[columns[width + 2]];
                padded[width + 3] = vertical[columns[width + 3]];

                Span<byte> output = d.AsSpan(y * width, width);
                x = allowVector ? HorizontalBinomialVector(padded, output) : 0;
                for (; x < width; x++)
                {
                    int sum = padded[x] + padded[x + 4] + 4 * (padded[x + 1] + padded[x + 3]) + 6 * padded[x + 2];
                    output[x] = (byte)((sum + 128) >> 8);
                }
            }
        }
        finally
        {
            ArrayPool<ushort>.Shared.Return(rented);
        }
    }

    // Vertical sums of 32 columns at a time; returns how many columns it did (a multiple of 32).
    private static int VerticalBinomialVector(ReadOnlySpan<byte> r0, ReadOnlySpan<byte> r1, ReadOnlySpan<byte> r2,
        ReadOnlySpan<byte> r3, ReadOnlySpan<byte> r4, Span<ushort> vertical)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        int x = 0;
        for (; x + Vector256<byte>.Count <= vertical.Length; x += Vector256<byte>.Count)
        {
            (Vector256<ushort> a0, Vector256<ushort> b0) = Vector256.Widen(Vector256.Create(r0.Slice(x, 32)));
            (Vector256<ushort> a1, Vector256<ushort> b1) = Vector256.Widen(Vector256.Create(r1.Slice(x, 32)));
            (Vector256<ushort> a2, Vector256<ushort> b2) = Vector256.Widen(Vector256.Create(r2.Slice(x, 32)));
            (Vector256<ushort> a3, Vector256<ushort> b3) = Vector256.Widen(Vector256.Create(r3.Slice(x, 32)));
            (Vector256<ushort> a4, Vector256<ushort> b4) = Vector256.Widen(Vector256.Create(r4.Slice(x, 32)));
            Vector256<ushort> lower = a0 + a4 + ((a1 + a3) << 2) + (a2 * 6);
            Vector256<ushort> upper = b0 + b4 + ((b1 + b3) << 2) + (b2 * 6);
            lower.CopyTo(vertical.Slice(x, 16));
            upper.CopyTo(vertical.Slice(x + 16, 16));
        }

        return x;
    }

    // Horizontal sums and rounding of 32 output pixels at a time; returns how many it did (a multiple of 32).
    private static int HorizontalBinomialVector(ReadOnlySpan<ushort> padded, Span<byte> output)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        var rounding = Vector256.Create((ushort)128);
        int x = 0;
        for (; x + Vector256<byte>.Count <= output.Length; x += Vector256<byte>.Count)
        {
            Vector256<ushort> lower = HorizontalSum(padded, x) + rounding;
            Vector256<ushort> upper = HorizontalSum(padded, x + 16) + rounding;
            Vector256.Narrow(lower >>> 8, upper >>> 8).CopyTo(output.Slice(x, 32));
        }

        return x;
    }

    private static Vector256<ushort> HorizontalSum(ReadOnlySpan<ushort> padded, int x)
    {
        var p0 = Vector256.Create(padded.Slice(x, 16));
        var p1 = Vector256.Create(padded.Slice(x + 1, 16));
        var p2 = Vector256.Create(padded.Slice(x + 2, 16));
        var p3 = Vector256.Create(padded.Slice(x + 3, 16));
        var p4 = Vector256.Create(padded.Slice(x + 4, 16));
        return p0 + p4 + ((p1 + p3) << 2) + (p2 * 6);
    }

    /// <summary>The general separable fixed-point convolution (any odd kernel sizes); see the class remarks.</summary>
    internal static void Convolve(GrayImage src, GrayImage dst, int[] kx, int[] ky)
    {
        int width = src.Width, height = src.Height;
        int rx = kx.Length / 2, ry = ky.Length / 2;
        int[] columns = ReflectedIndices(width, rx);
        int[] rows = ReflectedIndices(height, ry);
        byte[] s = src.Pixels;

        // Horizontal pass: exact sums of pixel * tap, at most 255 * 256, kept as 16-bit values. Integer sums are exact
        // in any order, so columns whose window stays inside the row read it directly.
        var horizontal = new ushort[width * height];
        int kn = kx.Length;
        for (int y = 0; y < height; y++)
        {
            int rowStart = y * width;
            for (int x = 0; x < width; x++)
            {
                int acc = 0;
                if (x >= rx && x + rx < width)
                {
                    ReadOnlySpan<byte> window = s.AsSpan(rowStart + x - rx, kn);
                    for (int k = 0; k < kn; k++)
                    {
                        acc += kx[k] * window[k];
                    }
                }
                else
                {
                    for (int k = 0; k < kn; k++)
                    {
                        acc += kx[k] * s[rowStart + columns[x + k]];
                    }
                }

                horizontal[rowStart + x] = (ushort)acc;
            }
        }

        // Vertical pass, a row at a time: exact sums of row value * tap (16 fraction bits), then rounded half up to 8 bits.
        byte[] d = dst.Pixels;
        Span<int> sums = width <= 1024 ? stackalloc int[width] : new int[width];
        for (int y = 0; y < height; y++)
        {
            sums.Clear();
            for (int k = 0; k < ky.Length; k++)
            {
                ReadOnlySpan<ushort> row = horizontal.AsSpan(rows[y + k] * width, width);
                int tap = ky[k];
                for (int x = 0; x < width; x++)
                {
                    sums[x] += tap * row[x];
                }
            }

            Span<byte> output = d.AsSpan(y * width, width);
            for (int x = 0; x < width; x++)
            {
                int value = (sums[x] + (1 << 15)) >> 16;
                output[x] = (byte)Math.Min(value, 255);
            }
        }
    }

    /// <summary>
    /// Source indices for positions -radius..length-1+radius under reflect-101 (OpenCV's BORDER_DEFAULT), reflecting
    /// repeatedly when the kernel is wider than the image; a length of 1 maps everything to 0.
    /// </summary>
    internal static int[] ReflectedIndices(int length, int radius)
    {
        var map = new int[length + 2 * radius];
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = Reflect101(i - radius, length);
        }

        return map;
    }

    /// <summary>OpenCV's <c>borderInterpolate(p, len, BORDER_REFLECT_101)</c>.</summary>
    internal static int Reflect101(int p, int length)
    {
        if (length == 1)
        {
            return 0;
        }

        while ((uint)p >= (uint)length)
        {
            p = p < 0 ? -p : 2 * (length - 1) - p;
        }

        return p;
    }
}
