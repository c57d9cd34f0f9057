using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Raabin.Features.Learning.Svm;

/// <summary>The solution of one binary C-SVC dual problem.</summary>
/// <param name="Alpha">Dual variables α_i in problem order, each in [0, C_i].</param>
/// <param name="Rho">The offset ρ: the decision value is Σ y_i·α_i·K(x_i, x) − ρ.</param>
/// <param name="Objective">Value of the dual objective ½αᵀQα − Σα at the solution.</param>
/// <param name="Iterations">SMO iterations taken.</param>
/// <param name="ReachedIterationLimit">Whether the iteration guard stopped the solver before the tolerance was met.</param>
internal sealed record SmoSolution(double[] Alpha, double Rho, double Objective, int Iterations, bool ReachedIterationLimit);

/// <summary>
/// LIBSVM 3.24's <c>Solver</c> for the C-SVC dual (Fan, Chen and Lin, JMLR 6:1889–1918, 2005):
/// minimise ½αᵀQα − eᵀα subject to yᵀα = 0 and 0 ≤ α_i ≤ C_i, starting from α = 0. Working sets are chosen by
/// second-order information (WSS2), inactive bounded points are shrunk every min(l, 1000) iterations and the
/// gradient is rebuilt when they return; the loop stops when the maximal violation m(α) − M(α) drops below eps.
/// Every floating-point operation is done in LIBSVM's order so that the same data give the same α and ρ.
/// </summary>
internal sealed class SmoSolver
{
    // LIBSVM's TAU: replaces a non-positive curvature in the working-set step.
    private const double Tau = 1e-12;

    private const byte LowerBound = 0;
    private const byte UpperBound = 1;
    private const byte Free = 2;

    private readonly SvcQMatrix q;
    private readonly double[] diagonal;
    private readonly int length;
    private readonly double costPositive;
    private readonly double costNegative;
    private readonly double eps;
    private readonly bool shrinking;

    private readonly sbyte[] y;
    private readonly double[] gradient;
    private readonly double[] gradientBar;
    private readonly double[] alpha;
    private readonly byte[] alphaStatus;
    private readonly double[] linearTerm;
    private readonly int[] activeSet;
    private readonly bool vectorSelection;

    // Mirrors of y and alpha_status for the SIMD selection: y as ±1.0, and all-ones masks for membership of
    // I_up = {y=+1, a<C} ∪ {y=-1, a>0} and I_low = {y=+1, a>0} ∪ {y=-1, a<C}.
    private readonly double[] sign;
    private readonly ulong[] inUp;
    private readonly ulong[] inLow;
    private int activeSize;
    private bool unshrunk;

    /// <summary>Prepares a solver for the problem held by <paramref name="q"/>.</summary>
    /// <param name="q">The Q matrix; its positions are permuted while solving.</param>
    /// <param name="labels">+1 or −1 per point, in the order <paramref name="q"/> was built.</param>
    /// <param name="costPositive">Upper bound C for points labelled +1.</param>
    /// <param name="costNegative">Upper bound C for points labelled −1.</param>
    /// <param name="eps">Stopping tolerance on the maximal violating pair.</param>
    /// <param name="shrinking">Whether to use LIBSVM's shrinking heuristic.</param>
    /// <param name="vectorSelection">Use the SIMD working-set selection when the hardware has it (same result as the scalar one).</param>
    public SmoSolver(SvcQMatrix q, ReadOnlySpan<sbyte> labels, double costPositive, double costNegative, double eps, bool shrinking, bool vectorSelection = true)
    {
        this.vectorSelection = vectorSelection && Vector256.IsHardwareAccelerated;
        this.q = q;
        diagonal = q.Diagonal;
        length = labels.Length;
        this.costPositive = costPositive;
        this.costNegative = costNegative;
        this.eps = eps;
        this.shrinking = shrinking;
        y = labels.ToArray();
        gradient = new double[length];
        gradientBar = new double[length];
        alpha = new double[length];
        alphaStatus = new byte[length];
        sign = new double[length];
        inUp = new ulong[length];
        inLow = new ulong[length];
        linearTerm = new double[length];
        activeSet = new int[length];
    }

    /// <summary>LIBSVM's iteration guard: max(10,000,000, 100·l).</summary>
    internal static int IterationLimit(int length) => Math.Max(10_000_000, length > int.MaxValue / 100 ? int.MaxValue : 100 * length);

    /// <summary>Solves from α = 0 and returns α in the original problem order.</summary>
    public SmoSolution Solve()
    {
        int l = length;
        for (int i = 0; i < l; i++)
        {
            alpha[i] = 0;
            linearTerm[i] = -1;
            UpdateAlphaStatus(i);
            activeSet[i] = i;
        }

        activeSize = l;
        unshrunk = false;

        // With α = 0 the gradient is p and Ḡ is 0; LIBSVM's initialisation loop only adds terms for α_i > 0.
        for (int i = 0; i < l; i++)
        {
            gradient[i] = linearTerm[i];
            gradientBar[i] = 0;
        }

        for (int i = 0; i < l; i++)
        {
            if (!IsLowerBound(i))
            {
                float[] qi = q.GetColumn(i, l);
                GradientMath.AddScaledColumn(gradient.AsSpan(0, l), qi, alpha[i]);
                if (IsUpperBound(i))
                {
                    GradientMath.AddScaledColumn(gradientBar.AsSpan(0, l), qi, Cost(i));
                }
            }
        }

        int iteration = 0;
        int maxIterations = IterationLimit(l);
        int counter = Math.Min(l, 1000) + 1;

        while (iteration < maxIterations)
        {
            if (--counter == 0)
            {
                counter = Math.Min(l, 1000);
                if (shrinking)
                {
                    Shrink();
                }
            }

            if (!SelectWorkingSet(out int i, out int j))
            {
                ReconstructGradient();
                activeSize = l;
                if (!SelectWorkingSet(out i, out j))
                {
                    break;
                }

                counter = 1; // shrink on the next iteration
            }

            ++iteration;
            TakeStep(i, j);
        }

        bool hitLimit = iteration >= maxIterations;
        if (hitLimit && activeSize < l)
        {
            ReconstructGradient();
            activeSize = l;
        }

        double rho = CalculateRho();

        double objective = 0;
        for (int i = 0; i < l; i++)
        {
            objective += alpha[i] * (gradient[i] + linearTerm[i]);
        }

        objective /= 2;

        var result = new double[l];
        for (int i = 0; i < l; i++)
        {
            result[activeSet[i]] = alpha[i];
        }

        return new SmoSolution(result, rho, objective, iteration, hitLimit);
    }

    private double Cost(int i) => y[i] > 0 ? costPositive : costNegative;

    private bool IsUpperBound(int i) => alphaStatus[i] == UpperBound;

    private bool IsLowerBound(int i) => alphaStatus[i] == LowerBound;

    private bool IsFree(int i) => alphaStatus[i] == Free;

    private void UpdateAlphaStatus(int i)
    {
        if (alpha[i] >= Cost(i))
        {
            alphaStatus[i] = UpperBound;
        }
        else if (alpha[i] <= 0)
        {
            alphaStatus[i] = LowerBound;
        }
        else
        {
            alphaStatus[i] = Free;
        }

        bool positive = y[i] == +1;
        sign[i] = positive ? 1.0 : -1.0;
        bool up = positive ? alphaStatus[i] != UpperBound : alphaStatus[i] != LowerBound;
        bool low = positive ? alphaStatus[i] != LowerBound : alphaStatus[i] != UpperBound;
        inUp[i] = up ? ulong.MaxValue : 0;
        inLow[i] = low ? ulong.MaxValue : 0;
    }

    /// <summary>The analytic two-variable update of α_i, α_j (clipped to the box) and the gradient updates.</summary>
    private void TakeStep(int i, int j)
    {
        int active = activeSize;
        float[] qi = q.GetColumn(i, active);
        float[] qj = q.GetColumn(j, active);

        double ci = Cost(i);
        double cj = Cost(j);
        double oldAlphaI = alpha[i];
        double oldAlphaJ = alpha[j];

        if (y[i] != y[j])
        {
            // LIBSVM computes 2*Q_i[j] in float (an exact doubling) before adding to the doubles.
            double quadCoef = diagonal[i] + diagonal[j] + (2 * qi[j]);
            if (quadCoef <= 0)
            {
                quadCoef = Tau;
            }

            double delta = (-gradient[i] - gradient[j]) / quadCoef;
            double diff = alpha[i] - alpha[j];
            alpha[i] += delta;
            alpha[j] += delta;

            if (diff > 0)
            {
                if (alpha[j] < 0)
                {
                    alpha[j] = 0;
                    alpha[i] = diff;
                }
            }
            else if (alpha[i] < 0)
            {
                alpha[i] = 0;
                alpha[j] = -diff;
            }

            if (diff > ci - cj)
            {
                if (alpha[i] > ci)
                {
                    alpha[i] = ci;
                    alpha[j] = ci - diff;
                }
            }
            else if (alpha[j] > cj)
            {
                alpha[j] = cj;
                alpha[i] = cj + diff;
            }
        }
        else
        {
            double quadCoef = diagonal[i] + diagonal[j] - (2 * qi[j]);
            if (quadCoef <= 0)
            {
                quadCoef = Tau;
            }

            double delta = (gradient[i] - gradient[j]) / quadCoef;
            double sum = alpha[i] + alpha[j];
            alpha[i] -= delta;
            alpha[j] += delta;

            if (sum > ci)
            {
                if (alpha[i] > ci)
                {
                    alpha[i] = ci;
                    alpha[j] = sum - ci;
                }
            }
            else if (alpha[j] < 0)
            {
                alpha[j] = 0;
                alpha[i] = sum;
            }

            if (sum > cj)
            {
                if (alpha[j] > cj)
                {
                    alpha[j] = cj;
                    alpha[i] = sum - cj;
                }
            }
            else if (alpha[i] < 0)
            {
                alpha[i] = 0;
                alpha[j] = sum;
            }
        }

        double deltaAlphaI = alpha[i] - oldAlphaI;
        double deltaAlphaJ = alpha[j] - oldAlphaJ;
        GradientMath.AddTwoScaledColumns(gradient.AsSpan(0, active), qi, deltaAlphaI, qj, deltaAlphaJ);

        bool wasUpperI = IsUpperBound(i);
        bool wasUpperJ = IsUpperBound(j);
        UpdateAlphaStatus(i);
        UpdateAlphaStatus(j);
        int l = length;
        if (wasUpperI != IsUpperBound(i))
        {
            qi = q.GetColumn(i, l);
            if (wasUpperI)
            {
                GradientMath.SubtractScaledColumn(gradientBar.AsSpan(0, l), qi, ci);
            }
            else
            {
                GradientMath.AddScaledColumn(gradientBar.AsSpan(0, l), qi, ci);
            }
        }

        if (wasUpperJ != IsUpperBound(j))
        {
            qj = q.GetColumn(j, l);
            if (wasUpperJ)
            {
                GradientMath.SubtractScaledColumn(gradientBar.AsSpan(0, l), qj, cj);
            }
            else
            {
                GradientMath.AddScaledColumn(gradientBar.AsSpan(0, l), qj, cj);
            }
        }
    }

    /// <summary>
    /// WSS2: i maximises −y_t·∇f_t over I_up; j minimises the second-order objective decrease over I_low among points
    /// violating with i. Returns false when optimal within eps (LIBSVM's return value 1).
    /// </summary>
    private bool SelectWorkingSet(out int outI, out int outJ)
        => vectorSelection ? SelectWorkingSetVector(out outI, out outJ) : SelectWorkingSetScalar(out outI, out outJ);

    /// <summary>
    /// <see cref="SelectWorkingSetScalar"/> with Vector256: every candidate's score is computed with the same
    /// operations as the scalar loop (a subtraction written as addition of the negation, which IEEE defines as the
    /// same), the maximum/minimum is found per lane, and ties go to the last index as the scalar loop's
    /// <c>&gt;=</c>/<c>&lt;=</c> updates do.
    /// </summary>
    private bool SelectWorkingSetVector(out int outI, out int outJ)
    {
        int active = activeSize;
        ref double g = ref MemoryMarshal.GetArrayDataReference(gradient);
        ref double sg = ref MemoryMarshal.GetArrayDataReference(sign);
        ref ulong up = ref MemoryMarshal.GetArrayDataReference(inUp);
        ref ulong low = ref MemoryMarshal.GetArrayDataReference(inLow);
        ref double qd = ref MemoryMarshal.GetArrayDataReference(diagonal);
        var negativeInfinity = Vector256.Create(double.NegativeInfinity);
        var positiveInfinity = Vector256.Create(double.PositiveInfinity);

        // i = argmax over I_up of -y_t G_t (last index on ties).
        int vectorEnd = active & ~3;
        var best = negativeInfinity;
        for (int t = 0; t < vectorEnd; t += 4)
        {
            var score = -(Vector256.LoadUnsafe(ref sg, (nuint)t) * Vector256.LoadUnsafe(ref g, (nuint)t));
            best = Vector256.Max(best, Vector256.ConditionalSelect(Vector256.LoadUnsafe(ref up, (nuint)t).AsDouble(), score, negativeInfinity));
        }

        double gMax = Math.Max(Math.Max(best[0], best[1]), Math.Max(best[2], best[3]));
        for (int t = vectorEnd; t < active; t++)
        {
            if (Unsafe.Add(ref up, t) != 0)
            {
                gMax = Math.Max(gMax, -(Unsafe.Add(ref sg, t) * Unsafe.Add(ref g, t)));
            }
        }

        int i = -1;
        if (gMax != double.NegativeInfinity)
        {
            for (int t = active - 1; t >= 0; t--)
            {
                if (Unsafe.Add(ref up, t) != 0 && -(Unsafe.Add(ref sg, t) * Unsafe.Add(ref g, t)) == gMax)
                {
                    i = t;
                    break;
                }
            }
        }

        if (i == -1)
        {
            outI = -1;
            outJ = -1;
            return false;
        }

        // Keep the winner's own value (its zero sign, should it be zero), as the scalar loop does.
        gMax = -(sign[i] * gradient[i]);

        float[] qiArray = q.GetColumn(i, active);
        ref float qi = ref MemoryMarshal.GetArrayDataReference(qiArray);
        double qdI = diagonal[i];
        double twoYI = 2.0 * sign[i];
        var gMaxVector = Vector256.Create(gMax);
        var qdIVector = Vector256.Create(qdI);
        var twoYIVector = Vector256.Create(twoYI);
        var zero = Vector256<double>.Zero;
        var tau = Vector256.Create(Tau);
        var bestLow = negativeInfinity;
        var bestObj = positiveInfinity;
        for (int j = 0; j < vectorEnd; j += 4)
        {
            var inLowMask = Vector256.LoadUnsafe(ref low, (nuint)j).AsDouble();
            var yj = Vector256.LoadUnsafe(ref sg, (nuint)j);
            var yG = yj * Vector256.LoadUnsafe(ref g, (nuint)j);
            bestLow = Vector256.Max(bestLow, Vector256.ConditionalSelect(inLowMask, yG, negativeInfinity));
            var gradDiff = gMaxVector + yG;
            var qij = Vector256.WidenLower(Vector128.LoadUnsafe(ref qi, (nuint)j).ToVector256Unsafe());
            var quad = (qdIVector + Vector256.LoadUnsafe(ref qd, (nuint)j)) + (-yj * (twoYIVector * qij));
            var numerator = -(gradDiff * gradDiff);
            var obj = Vector256.ConditionalSelect(Vector256.GreaterThan(quad, zero), numerator / quad, numerator / tau);
            var candidate = inLowMask & Vector256.GreaterThan(gradDiff, zero);
            bestObj = Vector256.Min(bestObj, Vector256.ConditionalSelect(candidate, obj, positiveInfinity));
        }

        double gMax2 = Math.Max(Math.Max(bestLow[0], bestLow[1]), Math.Max(bestLow[2], bestLow[3]));
        double objMin = Math.Min(Math.Min(bestObj[0], bestObj[1]), Math.Min(bestObj[2], bestObj[3]));
        for (int j = vectorEnd; j < active; j++)
        {
            if (Unsafe.Add(ref low, j) != 0)
            {
                double yG = Unsafe.Add(ref sg, j) * Unsafe.Add(ref g, j);
                gMax2 = Math.Max(gMax2, yG);
                double obj = ObjectiveDecrease(gMax, yG, qdI, Unsafe.Add(ref qd, j), twoYI, Unsafe.Add(ref sg, j), Unsafe.Add(ref qi, j));
                objMin = Math.Min(objMin, obj);
            }
        }

        int gMinIndex = -1;
        if (objMin != double.PositiveInfinity)
        {
            for (int j = active - 1; j >= 0; j--)
            {
                if (Unsafe.Add(ref low, j) != 0)
                {
                    double obj = ObjectiveDecrease(gMax, Unsafe.Add(ref sg, j) * Unsafe.Add(ref g, j), qdI, Unsafe.Add(ref qd, j), twoYI, Unsafe.Add(ref sg, j), Unsafe.Add(ref qi, j));
                    if (obj == objMin)
                    {
                        gMinIndex = j;
                        break;
                    }
                }
            }
        }

        outI = i;
        outJ = gMinIndex;
        return !(gMax + gMax2 < eps || gMinIndex == -1);
    }

    /// <summary>
    /// The second-order decrease −(gradDiff²)/quad for a j in I_low, or +∞ when j does not violate with i
    /// (gradDiff ≤ 0). Same operations as the scalar selection: gradDiff = gMax + y_j·G_j and
    /// quad = (QD_i + QD_j) + (−y_j)·(2·y_i·Q_ij).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double ObjectiveDecrease(double gMax, double yG, double qdI, double qdJ, double twoYI, double yJ, float qij)
    {
        double gradDiff = gMax + yG;
        if (!(gradDiff > 0))
        {
            return double.PositiveInfinity;
        }

        double quad = (qdI + qdJ) + (-yJ * (twoYI * qij));
        double numerator = -(gradDiff * gradDiff);
        return quad > 0 ? numerator / quad : numerator / Tau;
    }

    /// <summary>LIBSVM's select_working_set as written (the scalar twin of <see cref="SelectWorkingSetVector"/>).</summary>
    private bool SelectWorkingSetScalar(out int outI, out int outJ)
    {
        double gMax = double.NegativeInfinity;
        double gMax2 = double.NegativeInfinity;
        int gMaxIndex = -1;
        int gMinIndex = -1;
        double objDiffMin = double.PositiveInfinity;
        int active = activeSize;
        ref double g = ref MemoryMarshal.GetArrayDataReference(gradient);
        ref sbyte ys = ref MemoryMarshal.GetArrayDataReference(y);
        ref byte status = ref MemoryMarshal.GetArrayDataReference(alphaStatus);
        ref double qd = ref MemoryMarshal.GetArrayDataReference(diagonal);

        for (int t = 0; t < active; t++)
        {
            byte st = Unsafe.Add(ref status, t);
            double gt = Unsafe.Add(ref g, t);
            if (Unsafe.Add(ref ys, t) == +1)
            {
                if (st != UpperBound && -gt >= gMax)
                {
                    gMax = -gt;
                    gMaxIndex = t;
                }
            }
            else if (st != LowerBound && gt >= gMax)
            {
                gMax = gt;
                gMaxIndex = t;
            }
        }

        int i = gMaxIndex;
        if (i == -1)
        {
            // Nothing in I_up: LIBSVM's second loop can then only update Gmax2, and m(a) - M(a) is -inf < eps.
            outI = -1;
            outJ = -1;
            return false;
        }

        float[] qiArray = q.GetColumn(i, active);
        ref float qi = ref MemoryMarshal.GetArrayDataReference(qiArray);
        double qdI = diagonal[i];
        double yI = y[i];

        for (int j = 0; j < active; j++)
        {
            byte st = Unsafe.Add(ref status, j);
            double gj = Unsafe.Add(ref g, j);
            if (Unsafe.Add(ref ys, j) == +1)
            {
                if (st != LowerBound)
                {
                    double gradDiff = gMax + gj;
                    if (gj >= gMax2)
                    {
                        gMax2 = gj;
                    }

                    if (gradDiff > 0)
                    {
                        double quadCoef = qdI + Unsafe.Add(ref qd, j) - (2.0 * yI * Unsafe.Add(ref qi, j));
                        double objDiff = quadCoef > 0 ? -(gradDiff * gradDiff) / quadCoef : -(gradDiff * gradDiff) / Tau;
                        if (objDiff <= objDiffMin)
                        {
                            gMinIndex = j;
                            objDiffMin = objDiff;
                        }
                    }
                }
            }
            else if (st != UpperBound)
            {
                double gradDiff = gMax - gj;
                if (-gj >= gMax2)
                {
                    gMax2 = -gj;
                }

                if (gradDiff > 0)
                {
                    double quadCoef = qdI + Unsafe.Add(ref qd, j) + (2.0 * yI * Unsafe.Add(ref qi, j));
                    double objDiff = quadCoef > 0 ? -(gradDiff * gradDiff) / quadCoef : -(gradDiff * gradDiff) / Tau;
                    if (objDiff <= objDiffMin)
                    {
                        gMinIndex = j;
                        objDiffMin = objDiff;
                    }
                }
            }
        }

        outI = gMaxIndex;
        outJ = gMinIndex;
        return !(gMax + gMax2 < eps || gMinIndex == -1);
    }

    /// <summary>Rebuilds the gradient of the shrunk (inactive) points from Ḡ and the free α (LIBSVM's reconstruct_gradient).</summary>
    private void ReconstructGradient()
    {
        int l = length;
        int active = activeSize;
        if (active == l)
        {
            return;
        }

        for (int j = active; j < l; j++)
        {
            gradient[j] = gradientBar[j] + linearTerm[j];
        }

        int freeCount = 0;
        for (int j = 0; j < active; j++)
        {
            if (IsFree(j))
            {
                freeCount++;
            }
        }

        // LIBSVM picks the cheaper of row-wise and column-wise accumulation by this (int) comparison.
        if ((long)freeCount * l > 2L * active * (l - active))
        {
            for (int i = active; i < l; i++)
            {
                float[] qi = q.GetColumn(i, active);
                double sum = gradient[i];
                for (int j = 0; j < active; j++)
                {
                    if (IsFree(j))
                    {
                        sum += alpha[j] * qi[j];
                    }
                }

                gradient[i] = sum;
            }
        }
        else
        {
            for (int i = 0; i < active; i++)
            {
                if (IsFree(i))
                {
                    float[] qi = q.GetColumn(i, l);
                    GradientMath.AddScaledColumn(gradient.AsSpan(active, l - active), qi.AsSpan(active, l - active), alpha[i]);
                }
            }
        }
    }

    private bool BeShrunk(int i, double gMax1, double gMax2)
    {
        if (IsUpperBound(i))
        {
            return y[i] == +1 ? -gradient[i] > gMax1 : -gradient[i] > gMax2;
        }

        if (IsLowerBound(i))
        {
            return y[i] == +1 ? gradient[i] > gMax2 : gradient[i] > gMax1;
        }

        return false;
    }

    /// <summary>LIBSVM's do_shrinking, including the one-time unshrink when m(α) − M(α) ≤ 10·eps.</summary>
    private void Shrink()
    {
        double gMax1 = double.NegativeInfinity; // max { -y_i * grad(f)_i | i in I_up }
        double gMax2 = double.NegativeInfinity; // max { y_i * grad(f)_i | i in I_low }
        double[] g = gradient;
        for (int i = 0; i < activeSize; i++)
        {
            if (y[i] == +1)
            {
                if (!IsUpperBound(i) && -g[i] >= gMax1)
                {
                    gMax1 = -g[i];
                }

                if (!IsLowerBound(i) && g[i] >= gMax2)
                {
                    gMax2 = g[i];
                }
            }
            else
            {
                if (!IsUpperBound(i) && -g[i] >= gMax2)
                {
                    gMax2 = -g[i];
                }

                if (!IsLowerBound(i) && g[i] >= gMax1)
                {
                    gMax1 = g[i];
                }
            }
        }

        if (!unshrunk && gMax1 + gMax2 <= eps * 10)
        {
            unshrunk = true;
            ReconstructGradient();
            activeSize = length;
        }

        for (int i = 0; i < activeSize; i++)
        {
            if (BeShrunk(i, gMax1, gMax2))
            {
                activeSize--;
                while (activeSize > i)
                {
                    if (!BeShrunk(activeSize, gMax1, gMax2))
                    {
                        SwapIndex(i, activeSize);
                        break;
                    }

                    activeSize--;
                }
            }
        }
    }

    private void SwapIndex(int i, int j)
    {
        q.SwapIndex(i, j);
        (y[i], y[j]) = (y[j], y[i]);
        (gradient[i], gradient[j]) = (gradient[j], gradient[i]);
        (alphaStatus[i], alphaStatus[j]) = (alphaStatus[j], alphaStatus[i]);
        (alpha[i], alpha[j]) = (alpha[j], alpha[i]);
        (linearTerm[i], linearTerm[j]) = (linearTerm[j], linearTerm[i]);
        (activeSet[i], activeSet[j]) = (activeSet[j], activeSet[i]);
        (sign[i], sign[j]) = (sign[j], sign[i]);
        (inUp[i], inUp[j]) = (inUp[j], inUp[i]);
        (inLow[i], inLow[j]) = (inLow[j], inLow[i]);
        (gradientBar[i], gradientBar[j]) = (gradientBar[j], gradientBar[i]);
    }

    /// <summary>ρ: the mean of y_i·∇f_i over free α, or the midpoint of the feasible interval when none is free.</summary>
    private double CalculateRho()
    {
        int freeCount = 0;
        double upper = double.PositiveInfinity;
        double lower = double.NegativeInfinity;
        double sumFree = 0;
        for (int i = 0; i < activeSize; i++)
        {
            double yG = y[i] * gradient[i];
            if (IsUpperBound(i))
            {
                if (y[i] == -1)
                {
                    upper = Math.Min(upper, yG);
                }
                else
                {
                    lower = Math.Max(lower, yG);
                }
            }
            else if (IsLowerBound(i))
            {
                if (y[i] == +1)
                {
                    upper = Math.Min(upper, yG);
                }
                else
                {
                    lower = Math.Max(lower, yG);
                }
            }
            else
            {
                ++freeCount;
                sumFree += yG;
            }
        }

        return freeCount > 0 ? sumFree / freeCount : (upper + lower) / 2;
    }
}
