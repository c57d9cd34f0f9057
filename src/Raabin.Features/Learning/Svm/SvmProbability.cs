namespace Raabin.Features.Learning.Svm;

/// <summary>
/// LIBSVM 3.24's probability estimates for C-SVC: Platt's sigmoid per pair (as improved by Lin, Lin and Weng,
/// Machine Learning 68:267–276, 2007) and pairwise coupling (Wu, Lin and Weng, JMLR 5:975–1005, 2004, method 2).
/// </summary>
internal static class SvmProbability
{
    /// <summary>Pairwise probabilities are clipped to [MinProbability, 1 − MinProbability] before coupling.</summary>
    public const double MinProbability = 1e-7;

    /// <summary>
    /// Fits P(y = +1 | f) = 1 / (1 + exp(A·f + B)) to decision values by Newton's method with backtracking on
    /// Platt's regularised targets (LIBSVM's <c>sigmoid_train</c>: at most 100 iterations, gradient tolerance 1e-5,
    /// Hessian ridge 1e-12, smallest step 1e-10).
    /// </summary>
    /// <param name="decisionValues">Decision values f_i.</param>
    /// <param name="positive">Whether point i is labelled +1.</param>
    /// <returns>The fitted A and B.</returns>
    public static (double A, double B) FitSigmoid(ReadOnlySpan<double> decisionValues, ReadOnlySpan<bool> positive)
    {
        int l = decisionValues.Length;
        double prior1 = 0;
        double prior0 = 0;
        for (int i = 0; i < l; i++)
        {
            if (positive[i])
            {
                prior1 += 1;
            }
            else
            {
                prior0 += 1;
            }
        }

        const int maxIterations = 100;
        const double minStep = 1e-10;
        const double sigma = 1e-12;
        const double eps = 1e-5;
        double hiTarget = (prior1 + 1.0) / (prior1 + 2.0);
        double loTarget = 1 / (prior0 + 2.0);
        var target = new double[l];

        double a = 0.0;
        double b = Math.Log((prior0 + 1.0) / (prior1 + 1.0));
        double fval = 0.0;
        for (int i = 0; i < l; i++)
        {
            target[i] = positive[i] ? hiTarget : loTarget;
            fval += Loss(decisionValues[i] * a + b, target[i]);
        }

        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            double h11 = sigma;
            double h22 = sigma;
            double h21 = 0.0;
            double g1 = 0.0;
            double g2 = 0.0;
            for (int i = 0; i < l; i++)
            {
                double fApB = decisionValues[i] * a + b;
                double p;
                double q;
                if (fApB >= 0)
                {
                    p = Math.Exp(-fApB) / (1.0 + Math.Exp(-fApB));
                    q = 1.0 / (1.0 + Math.Exp(-fApB));
                }
                else
                {
                    p = 1.0 / (1.0 + Math.Exp(fApB));
                    q = Math.Exp(fApB) / (1.0 + Math.Exp(fApB));
                }

                double d2 = p * q;
                h11 += decisionValues[i] * decisionValues[i] * d2;
                h22 += d2;
                h21 += decisionValues[i] * d2;
                double d1 = target[i] - p;
                g1 += decisionValues[i] * d1;
                g2 += d1;
            }

            if (Math.Abs(g1) < eps && Math.Abs(g2) < eps)
            {
                break;
            }

            double det = h11 * h22 - h21 * h21;
            double dA = -(h22 * g1 - h21 * g2) / det;
            double dB = -(-h21 * g1 + h11 * g2) / det;
            double gd = g1 * dA + g2 * dB;

            double stepSize = 1;
            while (stepSize >= minStep)
            {
                double newA = a + stepSize * dA;
                double newB = b + stepSize * dB;
                double newF = 0.0;
                for (int i = 0; i < l; i++)
                {
                    newF += Loss(decisionValues[i] * newA + newB, target[i]);
                }

                if (newF < fval + 0.0001 * stepSize * gd)
                {
                    a = newA;
                    b = newB;
                    fval = newF;
                    break;
                }

                stepSize /= 2.0;
            }

            if (stepSize < minStep)
            {
                break; // line search failed; LIBSVM keeps the last accepted point
            }
        }

        return (a, b);
    }

    /// <summary>P(y = +1 | f) for a fitted sigmoid, written to avoid cancellation as LIBSVM's <c>sigmoid_predict</c>.</summary>
    public static double PredictSigmoid(double decisionValue, double a, double b)
    {
        double fApB = decisionValue * a + b;
        return fApB >= 0 ? Math.Exp(-fApB) / (1.0 + Math.Exp(-fApB)) : 1.0 / (1 + Math.Exp(fApB));
    }

    /// <summary>
    /// Class probabilities p from pairwise probabilities r[i][j] ≈ P(class i | class i or j) (LIBSVM's
    /// <c>multiclass_probability</c>: fixed-point iteration, at most max(100, k) sweeps, stop at error 0.005/k).
    /// </summary>
    /// <param name="k">Number of classes.</param>
    /// <param name="r">Pairwise probabilities, k×k, row-major; the diagonal is ignored.</param>
    /// <param name="p">Receives the k class probabilities.</param>
    public static void CouplePairwise(int k, ReadOnlySpan<double> r, Span<double> p)
    {
        int maxIterations = Math.Max(100, k);
        var q = new double[k * k];
        var qp = new double[k];
        double eps = 0.005 / k;

        for (int t = 0; t < k; t++)
        {
            p[t] = 1.0 / k;
            q[t * k + t] = 0;
            for (int j = 0; j < t; j++)
            {
                q[t * k + t] += r[j * k + t] * r[j * k + t];
                q[t * k + j] = q[j * k + t];
            }

            for (int j = t + 1; j < k; j++)
            {
                q[t * k + t] += r[j * k + t] * r[j * k + t];
                q[t * k + j] = -r[j * k + t] * r[t * k + j];
            }
        }

        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            double pQp = 0;
            for (int t = 0; t < k; t++)
            {
                qp[t] = 0;
                for (int j = 0; j < k; j++)
                {
                    qp[t] += q[t * k + j] * p[j];
                }

                pQp += p[t] * qp[t];
            }

            double maxError = 0;
            for (int t = 0; t < k; t++)
            {
                double error = Math.Abs(qp[t] - pQp);
                if (error > maxError)
                {
                    maxError = error;
                }
            }

            if (maxError < eps)
            {
                break;
            }

            for (int t = 0; t < k; t++)
            {
                double diff = (-qp[t] + pQp) / q[t * k + t];
                p[t] += diff;
                pQp = (pQp + diff * (diff * q[t * k + t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
                for (int j = 0; j < k; j++)
                {
                    qp[j] = (qp[j] + diff * q[t * k + j]) / (1 + diff);
                    p[j] /= 1 + diff;
                }
            }
        }
    }

    // Platt's negative log-likelihood term for one point, in LIBSVM's overflow-safe form.
    private static double Loss(double fApB, double target)
        => fApB >= 0 ? target * fApB + Math.Log(1 + Math.Exp(-fApB)) : (target - 1) * fApB + Math.Log(1 + Math.Exp(fApB));
}
