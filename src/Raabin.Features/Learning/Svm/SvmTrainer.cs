namespace Raabin.Features.Learning.Svm;

/// <summary>
/// Trains a multi-class C-SVC one-vs-one exactly as LIBSVM 3.24's <c>svm_train</c> (scikit-learn's <c>SVC</c>) does:
/// given the same doubles and parameters it finds the same support vectors, coefficients and ρ.
/// </summary>
/// <remarks>
/// <para>Labels are class indices 0..k−1, k = the largest index + 1; every class must occur. LIBSVM orders classes by
/// first occurrence in the data, this trainer by index: the two agree when the training rows are sorted by class
/// index (for class names, sort the names, number them in that order and sort the rows by that number, stably), which
/// is what scikit-learn's sorted labels amount to. Within a class, rows keep their order.</para>
/// <para>Pairs (i, j), i &lt; j, are independent problems; they are solved in parallel (largest first) and stored in
/// pair order, so the model is identical for any degree of parallelism.</para>
/// </remarks>
public sealed class SvmTrainer
{
    private const int FoldCount = 5;

    private readonly SvmTrainerOptions options;

    /// <summary>Creates a trainer; the options are validated here.</summary>
    /// <param name="options">Kernel, C, weights, tolerance and the rest.</param>
    public SvmTrainer(SvmTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
    }

    /// <summary>The settings in use.</summary>
    public SvmTrainerOptions Options => options;

    /// <summary>Trains on dense feature rows.</summary>
    /// <param name="features">One row per sample, all of the same length (at least 1), finite values.</param>
    /// <param name="classIndices">The class index of each row, 0..k−1, k ≥ 2, each class present.</param>
    /// <returns>The trained model.</returns>
    public SvmModel Fit(IReadOnlyList<double[]> features, IReadOnlyList<int> classIndices)
    {
        var problem = GroupedProblem.Create(features, classIndices, options.ClassWeights);
        int k = problem.ClassCount;
        var weightedCost = new double[k];
        for (int c = 0; c < k; c++)
        {
            // LIBSVM: weighted_C = C, then multiplied by the class's weight when one is given.
            weightedCost[c] = options.Cost;
            if (options.ClassWeights is not null)
            {
                weightedCost[c] *= options.ClassWeights[c];
            }
        }

        int pairCount = k * (k - 1) / 2;
        var pairs = new (int I, int J)[pairCount];
        for (int i = 0, p = 0; i < k; i++)
        {
            for (int j = i + 1; j < k; j++)
            {
                pairs[p++] = (i, j);
            }
        }

        // One seed per pair drawn up front, so the shuffles do not depend on scheduling.
        var pairSeeds = new int[pairCount];
        var seedSource = new Random(options.Seed);
        for (int p = 0; p < pairCount; p++)
        {
            pairSeeds[p] = seedSource.Next();
        }

        // Largest problems first so the slowest pair does not start last.
        var order = new int[pairCount];
        for (int p = 0; p < pairCount; p++)
        {
            order[p] = p;
        }

        Array.Sort(order, (a, b) =>
        {
            int sizeA = problem.Counts[pairs[a].I] + problem.Counts[pairs[a].J];
            int sizeB = problem.Counts[pairs[b].I] + problem.Counts[pairs[b].J];
            return sizeA != sizeB ? sizeB.CompareTo(sizeA) : a.CompareTo(b);
        });

        var alphas = new double[pairCount][];
        var rho = new double[pairCount];
        double[]? probabilityA = options.Probability ? new double[pairCount] : null;
        double[]? probabilityB = options.Probability ? new double[pairCount] : null;
        long cacheBytes = (long)(options.CacheSizeMegabytes * (1 << 20));

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        Parallel.For(0, pairCount, parallel, n =>
        {
            int p = order[n];
            (int i, int j) = pairs[p];
            int[] rows = PairRows(problem, i, j, out sbyte[] labels);
            if (probabilityA is not null && probabilityB is not null)
            {
                (probabilityA[p], probabilityB[p]) = BinaryProbability(problem, rows, labels, weightedCost[i], weightedCost[j], cacheBytes, pairSeeds[p]);
            }

            SmoSolution solution = SolveBinary(problem, rows, labels, weightedCost[i], weightedCost[j], cacheBytes);
            for (int t = 0; t < solution.Alpha.Length; t++)
            {
                solution.Alpha[t] *= labels[t];
            }

            alphas[p] = solution.Alpha;
            rho[p] = solution.Rho;
        });

        return BuildModel(problem, pairs, alphas, rho, probabilityA, probabilityB);
    }

    /// <summary>Rows of pair (i, j) in LIBSVM's order (class i then class j) with labels +1 for i, −1 for j.</summary>
    private static int[] PairRows(GroupedProblem problem, int i, int j, out sbyte[] labels)
    {
        int ci = problem.Counts[i];
        int cj = problem.Counts[j];
        var rows = new int[ci + cj];
        labels = new sbyte[ci + cj];
        for (int t = 0; t < ci; t++)
        {
            rows[t] = problem.Starts[i] + t;
            labels[t] = +1;
        }

        for (int t = 0; t < cj; t++)
        {
            rows[ci + t] = problem.Starts[j] + t;
            labels[ci + t] = -1;
        }

        return rows;
    }

    private SmoSolution SolveBinary(GroupedProblem problem, int[] rows, sbyte[] labels, double costPositive, double costNegative, long cacheBytes)
    {
        var q = new SvcQMatrix(problem.Features, problem.FeatureCount, rows, labels, options.Kernel, cacheBytes);
        var solver = new SmoSolver(q, labels, costPositive, costNegative, options.Tolerance, options.Shrinking, options.VectorSelection);
        return solver.Solve();
    }

    /// <summary>
    /// LIBSVM's <c>svm_binary_svc_probability</c>: decision values from 5-fold cross-validation on a shuffled copy of
    /// the pair's problem (each fold trained with the pair's two costs), then Platt's sigmoid fitted to them.
    /// </summary>
    private (double A, double B) BinaryProbability(GroupedProblem problem, int[] rows, sbyte[] labels, double costPositive, double costNegative, long cacheBytes, int seed)
    {
        int l = rows.Length;
        var random = new Random(seed);
        var perm = new int[l];
        for (int t = 0; t < l; t++)
        {
            perm[t] = t;
        }

        for (int t = 0; t < l; t++)
        {
            int s = t + random.Next(l - t);
            (perm[t], perm[s]) = (perm[s], perm[t]);
        }

        var decisionValues = new double[l];
        for (int fold = 0; fold < FoldCount; fold++)
        {
            int begin = (int)((long)fold * l / FoldCount);
            int end = (int)((long)(fold + 1) * l / FoldCount);

            // Training part of the fold grouped as LIBSVM's svm_train regroups it: +1 points first, then −1,
            // each in shuffled order.
            var positives = new List<int>(l);
            var negatives = new List<int>(l);
            for (int t = 0; t < l; t++)
            {
                if (t >= begin && t < end)
                {
                    continue;
                }

                (labels[perm[t]] > 0 ? positives : negatives).Add(perm[t]);
            }

            if (positives.Count == 0 || negatives.Count == 0)
            {
                double constant = positives.Count > 0 ? 1 : negatives.Count > 0 ? -1 : 0;
                for (int t = begin; t < end; t++)
                {
                    decisionValues[perm[t]] = constant;
                }

                continue;
            }

            int n = positives.Count + negatives.Count;
            var foldRows = new int[n];
            var foldLabels = new sbyte[n];
            for (int t = 0; t < positives.Count; t++)
            {
                foldRows[t] = rows[positives[t]];
                foldLabels[t] = +1;
            }

            for (int t = 0; t < negatives.Count; t++)
            {
                foldRows[positives.Count + t] = rows[negatives[t]];
                foldLabels[positives.Count + t] = -1;
            }

            SmoSolution solution = SolveBinary(problem, foldRows, foldLabels, costPositive, costNegative, cacheBytes);
            for (int t = begin; t < end; t++)
            {
                ReadOnlySpan<double> x = problem.Row(rows[perm[t]]);
                double sum = 0;
                for (int s = 0; s < n; s++)
                {
                    if (Math.Abs(solution.Alpha[s]) > 0)
                    {
                        sum += solution.Alpha[s] * foldLabels[s] * options.Kernel.EvaluateForPrediction(x, problem.Row(foldRows[s]));
                    }
                }

                decisionValues[perm[t]] = sum - solution.Rho;
            }
        }

        var positive = new bool[l];
        for (int t = 0; t < l; t++)
        {
            positive[t] = labels[t] > 0;
        }

        return SvmProbability.FitSigmoid(decisionValues, positive);
    }

    /// <summary>LIBSVM's model assembly: a row is a support vector if it has a nonzero α in any pair.</summary>
    private SvmModel BuildModel(GroupedProblem problem, (int I, int J)[] pairs, double[][] alphas, double[] rho, double[]? probabilityA, double[]? probabilityB)
    {
        int k = problem.ClassCount;
        int l = problem.RowCount;
        var nonzero = new bool[l];
        for (int p = 0; p < pairs.Length; p++)
        {
            (int i, int j) = pairs[p];
            int ci = problem.Counts[i];
            for (int t = 0; t < ci; t++)
            {
                nonzero[problem.Starts[i] + t] |= Math.Abs(alphas[p][t]) > 0;
            }

            for (int t = 0; t < problem.Counts[j]; t++)
            {
                nonzero[problem.Starts[j] + t] |= Math.Abs(alphas[p][ci + t]) > 0;
            }
        }

        var svCounts = new int[k];
        var svStarts = new int[k];
        int total = 0;
        for (int c = 0; c < k; c++)
        {
            svStarts[c] = total;
            for (int t = 0; t < problem.Counts[c]; t++)
            {
                if (nonzero[problem.Starts[c] + t])
                {
                    svCounts[c]++;
                }
            }

            total += svCounts[c];
        }

        var supportVectors = new double[total][];
        var supportVectorRows = new int[total];
        for (int r = 0, s = 0; r < l; r++)
        {
            if (nonzero[r])
            {
                supportVectors[s] = problem.Row(r).ToArray();
                supportVectorRows[s] = problem.OriginalRow[r];
                s++;
            }
        }

        var coefficients = new double[k - 1][];
        for (int c = 0; c < k - 1; c++)
        {
            coefficients[c] = new double[total];
        }

        for (int p = 0; p < pairs.Length; p++)
        {
            (int i, int j) = pairs[p];
            int ci = problem.Counts[i];
            int position = svStarts[i];
            for (int t = 0; t < ci; t++)
            {
                if (nonzero[problem.Starts[i] + t])
                {
                    coefficients[j - 1][position++] = alphas[p][t];
                }
            }

            position = svStarts[j];
            for (int t = 0; t < problem.Counts[j]; t++)
            {
                if (nonzero[problem.Starts[j] + t])
                {
                    coefficients[i][position++] = alphas[p][ci + t];
                }
            }
        }

        return new SvmModel(k, options.Kernel, supportVectors, svCounts, coefficients, rho, probabilityA, probabilityB, supportVectorRows);
    }

    /// <summary>The training rows regrouped by class (stable), in one contiguous row-major buffer.</summary>
    private sealed class GroupedProblem
    {
        private GroupedProblem(double[] features, int featureCount, int[] counts, int[] starts, int[] originalRow)
        {
            Features = features;
            FeatureCount = featureCount;
            Counts = counts;
            Starts = starts;
            OriginalRow = originalRow;
        }

        public double[] Features { get; }

        public int FeatureCount { get; }

        public int[] Counts { get; }

        public int[] Starts { get; }

        public int[] OriginalRow { get; }

        public int ClassCount => Counts.Length;

        public int RowCount => OriginalRow.Length;

        public ReadOnlySpan<double> Row(int groupedRow) => new(Features, groupedRow * FeatureCount, FeatureCount);

        public static GroupedProblem Create(IReadOnlyList<double[]> features, IReadOnlyList<int> classIndices, IReadOnlyList<double>? classWeights)
        {
            ArgumentNullException.ThrowIfNull(features);
            ArgumentNullException.ThrowIfNull(classIndices);
            int l = features.Count;
            if (classIndices.Count != l)
            {
                throw new ArgumentException($"Got {l} feature rows but {classIndices.Count} class indices.", nameof(classIndices));
            }

            if (l == 0)
            {
                throw new ArgumentException("No training rows.", nameof(features));
            }

            int featureCount = features[0]?.Length ?? throw new ArgumentException("Feature row 0 is null.", nameof(features));
            if (featureCount == 0)
            {
                throw new ArgumentException("Feature rows are empty.", nameof(features));
            }

            if ((long)l * featureCount > Array.MaxLength)
            {
                throw new ArgumentException($"{l} rows of {featureCount} features are too many for one buffer.", nameof(features));
            }

            int k = 0;
            for (int r = 0; r < l; r++)
            {
                int c = classIndices[r];
                if (c < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(classIndices), c, $"Row {r} has a negative class index.");
                }

                k = Math.Max(k, c + 1);
            }

            var counts = new int[k];
            for (int r = 0; r < l; r++)
            {
                counts[classIndices[r]]++;
            }

            if (k < 2)
            {
                throw new ArgumentException("Training needs at least two classes; all rows have class 0.", nameof(classIndices));
            }

            for (int c = 0; c < k; c++)
            {
                if (counts[c] == 0)
                {
                    throw new ArgumentException($"Class {c} has no rows; class indices must be 0..{k - 1} with every class present.", nameof(classIndices));
                }
            }

            if (classWeights is not null && classWeights.Count != k)
            {
                throw new ArgumentException($"Got {classWeights.Count} class weights for {k} classes.", nameof(classWeights));
            }

            var starts = new int[k];
            for (int c = 1; c < k; c++)
            {
                starts[c] = starts[c - 1] + counts[c - 1];
            }

            var next = (int[])starts.Clone();
            var buffer = new double[l * featureCount];
            var originalRow = new int[l];
            for (int r = 0; r < l; r++)
            {
                double[] row = features[r] ?? throw new ArgumentException($"Feature row {r} is null.", nameof(features));
                if (row.Length != featureCount)
                {
                    throw new ArgumentException($"Feature row {r} has {row.Length} values, row 0 has {featureCount}.", nameof(features));
                }

                for (int f = 0; f < featureCount; f++)
                {
                    if (!double.IsFinite(row[f]))
                    {
                        throw new ArgumentException($"Feature row {r}, column {f} is not a finite number ({row[f]}).", nameof(features));
                    }
                }

                int target = next[classIndices[r]]++;
                row.CopyTo(buffer, target * featureCount);
                originalRow[target] = r;
            }

            return new GroupedProblem(buffer, featureCount, counts, starts, originalRow);
        }
    }
}
