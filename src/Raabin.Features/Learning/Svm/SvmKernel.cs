namespace Raabin.Features.Learning.Svm;

/// <summary>
/// A kernel function K(x, y) of an SVM, evaluated exactly as LIBSVM 3.24 evaluates it: the dot product is one
/// running sum over the features in index order (no reordering, no fused multiply-add), the integer polynomial
/// degree is applied by repeated squaring (LIBSVM's <c>powi</c>), and RBF has two forms, one for training and one
/// for prediction (see <see cref="Rbf"/>).
/// </summary>
/// <remarks>
/// LIBSVM stores vectors sparsely and skips absent (zero) entries; adding a zero product to the running sum leaves
/// it unchanged, so summing all dense entries gives the same double.
/// </remarks>
public abstract record SvmKernel
{
    // Closed hierarchy: only the nested kinds below.
    private protected SvmKernel()
    {
    }

    /// <summary>LIBSVM's kernel-type number as written in model files (<c>-t</c>): 0 linear, 1 polynomial, 2 RBF, 3 sigmoid.</summary>
    public abstract int LibSvmKernelType { get; }

    /// <summary>
    /// K(x, y) as LIBSVM's prediction path computes it (<c>Kernel::k_function</c>, used by <c>svm-predict</c> and
    /// for decision values).
    /// </summary>
    /// <param name="x">First vector.</param>
    /// <param name="y">Second vector, same length.</param>
    /// <returns>The kernel value.</returns>
    public double Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"Vectors differ in length ({x.Length} and {y.Length}).", nameof(y));
        }

        return EvaluateForPrediction(x, y);
    }

    /// <summary>Prediction-path evaluation without the length check.</summary>
    internal abstract double EvaluateForPrediction(ReadOnlySpan<double> x, ReadOnlySpan<double> y);

    /// <summary>
    /// Training-path evaluation (LIBSVM's <c>Kernel::kernel_*</c> member functions) from the precomputed dot product
    /// of the two vectors and, for RBF, their squared norms (LIBSVM's <c>x_square</c> cache).
    /// </summary>
    internal abstract double FromDot(double dot, double squareX, double squareY);

    /// <summary>Whether <see cref="FromDot"/> needs the squared norms.</summary>
    internal virtual bool NeedsSquaredNorms => false;

    /// <summary>Throws when a parameter is out of LIBSVM's accepted range.</summary>
    internal abstract void Validate();

    /// <summary>The linear kernel K(x, y) = &lt;x, y&gt; (LIBSVM <c>-t 0</c>).</summary>
    public sealed record Linear : SvmKernel
    {
        /// <inheritdoc />
        public override int LibSvmKernelType => 0;

        internal override double EvaluateForPrediction(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => KernelMath.Dot(x, y);

        internal override double FromDot(double dot, double squareX, double squareY) => dot;

        internal override void Validate()
        {
        }
    }

    /// <summary>
    /// The polynomial kernel K(x, y) = (Gamma·&lt;x, y&gt; + Coef0)^Degree (LIBSVM <c>-t 1 -g -r -d</c>); the power is
    /// taken by repeated squaring as LIBSVM's <c>powi</c> does, not by <see cref="Math.Pow"/>.
    /// </summary>
    /// <param name="Gamma">Scale of the dot product, at least 0 (scikit-learn's numeric <c>gamma</c>).</param>
    /// <param name="Coef0">Additive constant (scikit-learn's <c>coef0</c>).</param>
    /// <param name="Degree">Integer power, at least 0.</param>
    public sealed record Polynomial(double Gamma, double Coef0, int Degree) : SvmKernel
    {
        /// <inheritdoc />
        public override int LibSvmKernelType => 1;

        internal override double EvaluateForPrediction(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
            => KernelMath.Powi(Gamma * KernelMath.Dot(x, y) + Coef0, Degree);

        internal override double FromDot(double dot, double squareX, double squareY) => KernelMath.Powi(Gamma * dot + Coef0, Degree);

        internal override void Validate()
        {
            KernelMath.RequireGamma(Gamma);
            KernelMath.RequireFinite(Coef0, nameof(Coef0));
            if (Degree < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(Degree), Degree, "The polynomial degree must be at least 0.");
            }
        }
    }

    /// <summary>
    /// The radial basis function kernel K(x, y) = exp(−Gamma·‖x − y‖²) (LIBSVM <c>-t 2 -g</c>). Like LIBSVM, training
    /// computes ‖x − y‖² as ‖x‖² + ‖y‖² − 2&lt;x, y&gt; from cached squared norms, while prediction sums the squared
    /// differences feature by feature; the two can differ in the last bits.
    /// </summary>
    /// <param name="Gamma">Width parameter, at least 0.</param>
    public sealed record Rbf(double Gamma) : SvmKernel
    {
        /// <inheritdoc />
        public override int LibSvmKernelType => 2;

        internal override bool NeedsSquaredNorms => true;

        internal override double EvaluateForPrediction(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
        {
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double d = x[i] - y[i];
                sum += d * d;
            }

            return Math.Exp(-Gamma * sum);
        }

        internal override double FromDot(double dot, double squareX, double squareY) => Math.Exp(-Gamma * (squareX + squareY - 2 * dot));

        internal override void Validate() => KernelMath.RequireGamma(Gamma);
    }

    /// <summary>The sigmoid kernel K(x, y) = tanh(Gamma·&lt;x, y&gt; + Coef0) (LIBSVM <c>-t 3 -g -r</c>).</summary>
    /// <param name="Gamma">Scale of the dot product, at least 0.</param>
    /// <param name="Coef0">Additive constant.</param>
    public sealed record Sigmoid(double Gamma, double Coef0) : SvmKernel
    {
        /// <inheritdoc />
        public override int LibSvmKernelType => 3;

        internal override double EvaluateForPrediction(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
            => Math.Tanh(Gamma * KernelMath.Dot(x, y) + Coef0);

        internal override double FromDot(double dot, double squareX, double squareY) => Math.Tanh(Gamma * dot + Coef0);

        internal override void Validate()
        {
            KernelMath.RequireGamma(Gamma);
            KernelMath.RequireFinite(Coef0, nameof(Coef0));
        }
    }
}
