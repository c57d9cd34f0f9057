using Raabin.Features.Imaging;

namespace Raabin.Features.Segmentation.Geometry;

/// <summary>
/// Image moments up to order 3 with the fields and arithmetic of OpenCV 4.6 <c>cv2.moments</c>: spatial
/// <c>m_pq = Σ x^p y^q</c>, central <c>mu_pq</c> about the centroid and scale-normalised
/// <c>nu_pq = mu_pq / m00^(1 + (p + q) / 2)</c>; plus the seven Hu invariants (<c>cv2.HuMoments</c>). Immutable.
/// Coordinates are pixel positions (x = column, y = row, origin at the top-left pixel centre); units are pixels to
/// the power p + q (spatial, central) or none (normalised, Hu).
/// </summary>
/// <remarks>
/// <para>From a mask (<see cref="Of(GrayImage)"/>, <c>cv2.moments(mask, binaryImage=True)</c>): every nonzero pixel
/// counts 1. The spatial moments are exact integer sums (OpenCV's are too, while below 2^53), so they are
/// bit-identical to cv2.</para>
/// <para>From a contour (<see cref="Of(IReadOnlyList{Point})"/>, <c>cv2.moments(contour)</c>): Green's-theorem
/// integrals over the polygon, in OpenCV's order of operations; with integer vertices every partial sum is an exact
/// integer, so they are bit-identical to cv2 too. A polygon of area below FLT_EPSILON gives all zeros, as in OpenCV.</para>
/// <para>Central and normalised moments follow OpenCV's <c>completeMomentState</c> formulas operation for operation
/// (bit-identical in tests); the Hu invariants use OpenCV's formulas and agree to 1e-12 relative or better.
/// With m00 = 0 the centroid is taken as (0, 0) and the normalised moments are 0, as in OpenCV.</para>
/// </remarks>
public sealed class ImageMoments
{
    private ImageMoments(double m00, double m10, double m01, double m20, double m11, double m02, double m30,
        double m21, double m12, double m03)
    {
        M00 = m00; M10 = m10; M01 = m01; M20 = m20; M11 = m11; M02 = m02; M30 = m30; M21 = m21; M12 = m12; M03 = m03;

        // OpenCV's completeMomentState.
        double cx = 0, cy = 0, inverse = 0;
        if (Math.Abs(m00) > 2.220446049250313e-16) // DBL_EPSILON
        {
            inverse = 1.0 / m00;
            cx = m10 * inverse;
            cy = m01 * inverse;
        }

        double mu20 = m20 - m10 * cx;
        double mu11 = m11 - m10 * cy;
        double mu02 = m02 - m01 * cy;
        Mu20 = mu20;
        Mu11 = mu11;
        Mu02 = mu02;
        Mu30 = m30 - cx * (3 * mu20 + cx * m10);
        double twoMu11 = mu11 + mu11;
        Mu21 = m21 - cx * (twoMu11 + cx * m01) - cy * mu20;
        Mu12 = m12 - cy * (twoMu11 + cy * m10) - cx * mu02;
        Mu03 = m03 - cy * (3 * mu02 + cy * m01);

        // OpenCV's Moments constructor.
        double s2 = inverse * inverse, s3 = s2 * Math.Sqrt(Math.Abs(inverse));
        Nu20 = Mu20 * s2; Nu11 = Mu11 * s2; Nu02 = Mu02 * s2;
        Nu30 = Mu30 * s3; Nu21 = Mu21 * s3; Nu12 = Mu12 * s3; Nu03 = Mu03 * s3;
    }

    /// <summary>Area: the number of foreground pixels (mask) or the polygon area (contour), in square pixels.</summary>
    public double M00 { get; }

    /// <summary>Σ x (m00 times the centroid x).</summary>
    public double M10 { get; }

    /// <summary>Σ y.</summary>
    public double M01 { get; }

    /// <summary>Σ x².</summary>
    public double M20 { get; }

    /// <summary>Σ x y.</summary>
    public double M11 { get; }

    /// <summary>Σ y².</summary>
    public double M02 { get; }

    /// <summary>Σ x³.</summary>
    public double M30 { get; }

    /// <summary>Σ x² y.</summary>
    public double M21 { get; }

    /// <summary>Σ x y².</summary>
    public double M12 { get; }

    /// <summary>Σ y³.</summary>
    public double M03 { get; }

    /// <summary>Σ (x - x̄)².</summary>
    public double Mu20 { get; }

    /// <summary>Σ (x - x̄)(y - ȳ).</summary>
    public double Mu11 { get; }

    /// <summary>Σ (y - ȳ)².</summary>
    public double Mu02 { get; }

    /// <summary>Σ (x - x̄)³.</summary>
    public double Mu30 { get; }

    /// <summary>Σ (x - x̄)² (y - ȳ).</summary>
    public double Mu21 { get; }

    /// <summary>Σ (x - x̄)(y - ȳ)².</summary>
    public double Mu12 { get; }

    /// <summary>Σ (y - ȳ)³.</summary>
    public double Mu03 { get; }

    /// <summary>mu20 / m00².</summary>
    public double Nu20 { get; }

    /// <summary>mu11 / m00².</summary>
    public double Nu11 { get; }

    /// <summary>mu02 / m00².</summary>
    public double Nu02 { get; }

    /// <summary>mu30 / m00^2.5.</summary>
    public double Nu30 { get; }

    /// <summary>mu21 / m00^2.5.</summary>
    public double Nu21 { get; }

    /// <summary>mu12 / m00^2.5.</summary>
    public double Nu12 { get; }

    /// <summary>mu03 / m00^2.5.</summary>
    public double Nu03 { get; }

    /// <summary>Centroid x (m10 / m00) in pixels; NaN when m00 = 0.</summary>
    public double CentroidX => M00 != 0 ? M10 / M00 : double.NaN;

    /// <summary>Centroid y (m01 / m00) in pixels; NaN when m00 = 0.</summary>
    public double CentroidY => M00 != 0 ? M01 / M00 : double.NaN;

    /// <summary>The seven Hu moment invariants h1..h7 (<c>cv2.HuMoments</c>), from the normalised moments.</summary>
    /// <returns>A new array of 7 values.</returns>
    public double[] HuMoments()
    {
        double t0 = Nu30 + Nu12;
        double t1 = Nu21 + Nu03;
        double q0 = t0 * t0, q1 = t1 * t1;
        double n4 = 4 * Nu11;
        double s = Nu20 + Nu02;
        double d = Nu20 - Nu02;
        var hu = new double[7];
        hu[0] = s;
        hu[1] = d * d + n4 * Nu11;
        hu[3] = q0 + q1;
        hu[5] = d * (q0 - q1) + n4 * t0 * t1;
        t0 *= q0 - 3 * q1;
        t1 *= 3 * q0 - q1;
        q0 = Nu30 - 3 * Nu12;
        q1 = 3 * Nu21 - Nu03;
        hu[2] = q0 * q0 + q1 * q1;
        hu[4] = q0 * t0 + q1 * t1;
        hu[6] = q1 * t0 - q0 * t1;
        return hu;
    }

    /// <summary>The moments of the foreground (nonzero pixels, each counting 1) of <paramref name="mask"/>:
    /// <c>cv2.moments(mask, binaryImage=True)</c>. An empty mask gives all zeros.</summary>
    /// <param name="mask">A single-channel mask. Sums are exact integers, converted to double exactly while below 2^53 (any mask up to 2000×2000 pixels).</param>
    /// <returns>The moments.</returns>
    public static ImageMoments Of(GrayImage mask)
    {
        ArgumentNullException.ThrowIfNull(mask);

        // Exact integer sums: per row the column sums Σx^k (k = 0..3), then weighted by powers of y.
        Int128 m00 = 0, m10 = 0, m01 = 0, m20 = 0, m11 = 0, m02 = 0, m30 = 0, m21 = 0, m12 = 0, m03 = 0;
        for (int y = 0; y < mask.Height; y++)
        {
            ReadOnlySpan<byte> row = mask.Row(y);
            long s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (int x = 0; x < row.Length; x++)
            {
                if (row[x] != 0)
                {
                    long x2 = (long)x * x;
                    s0++;
                    s1 += x;
                    s2 += x2;
                    s3 += x2 * x;
                }
            }

            if (s0 == 0)
            {
                continue;
            }

            Int128 yy = y, y2 = yy * yy;
            m00 += s0; m10 += s1; m20 += s2; m30 += s3;
            m01 += yy * s0; m11 += yy * s1; m21 += yy * s2;
            m02 += y2 * s0; m12 += y2 * s1;
            m03 += y2 * yy * s0;
        }

        return new ImageMoments((double)m00, (double)m10, (double)m01, (double)m20, (double)m11, (double)m02,
            (double)m30, (double)m21, (double)m12, (double)m03);
    }

    /// <summary>The moments of the polygon through <paramref name="contour"/> (closed implicitly):
    /// <c>cv2.moments(contour)</c> on an integer contour, by Green's theorem. The sign convention makes the moments
    /// of a polygon independent of its orientation. Fewer than three distinct points give all zeros.</summary>
    /// <param name="contour">Vertices in order; coordinates within ±2^20 keep every sum exact.</param>
    /// <returns>The moments.</returns>
    public static ImageMoments Of(IReadOnlyList<Point> contour)
    {
        ArgumentNullException.ThrowIfNull(contour);
        int count = contour.Count;
        if (count == 0)
        {
            return new ImageMoments(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        double a00 = 0, a10 = 0, a01 = 0, a20 = 0, a11 = 0, a02 = 0, a30 = 0, a21 = 0, a12 = 0, a03 = 0;
        double xp = contour[count - 1].X, yp = contour[count - 1].Y;
        double xp2 = xp * xp, yp2 = yp * yp;
        for (int i = 0; i < count; i++)
        {
            double xi = contour[i].X, yi = contour[i].Y;
            double xi2 = xi * xi, yi2 = yi * yi;
            double dxy = xp * yi - xi * yp;
            double xs = xp + xi, ys = yp + yi;
            a00 += dxy;
            a10 += dxy * xs;
            a01 += dxy * ys;
            a20 += dxy * (xp * xs + xi2);
            a11 += dxy * (xp * (ys + yp) + xi * (ys + yi));
            a02 += dxy * (yp * ys + yi2);
            a30 += dxy * xs * (xp2 + xi2);
            a03 += dxy * ys * (yp2 + yi2);
            a21 += dxy * (xp2 * (3 * yp + yi) + 2 * xi * xp * ys + xi2 * (yp + 3 * yi));
            a12 += dxy * (yp2 * (3 * xp + xi) + 2 * yi * yp * xs + yi2 * (xp + 3 * xi));
            xp = xi;
            yp = yi;
            xp2 = xi2;
            yp2 = yi2;
        }

        if (!(Math.Abs(a00) > 1.1920928955078125e-07)) // FLT_EPSILON
        {
            return new ImageMoments(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        double sign = a00 > 0 ? 1 : -1;
        double d2 = sign * 0.5, d6 = sign * 0.16666666666666666666666666666667, d12 = sign * 0.083333333333333333333333333333333;
        double d24 = sign * 0.041666666666666666666666666666667, d20 = sign * 0.05, d60 = sign * 0.016666666666666666666666666666667;
        return new ImageMoments(a00 * d2, a10 * d6, a01 * d6, a20 * d12, a11 * d24, a02 * d12, a30 * d20, a21 * d60,
            a12 * d60, a03 * d20);
    }
}
