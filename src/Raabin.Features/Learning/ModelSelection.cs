namespace Raabin.Features.Learning;

/// <summary>One setting of the hyper-parameter grid.</summary>
/// <param name="Kernel">Kernel family.</param>
/// <param name="C">Box constraint.</param>
/// <param name="Gamma">γ specification.</param>
/// <param name="Degree">Polynomial degree (ignored by other kernels).</param>
public sealed record GridPoint(KernelKind Kernel, double C, GammaSpec Gamma, int Degree)
{
    /// <summary>
    /// A point of another engine's trainer (its settings are the point; the kernel fields are unused), or null for the
    /// kernel SVM.
    /// </summary>
    public IExternalClassifierTrainer? External { get; init; }

    /// <summary>A grid point that is <paramref name="trainer"/> with its settings.</summary>
    public static GridPoint Of(IExternalClassifierTrainer trainer) => new(KernelKind.Linear, double.NaN, GammaSpec.Scale, 0) { External = trainer };

    /// <summary>Short description, e.g. "poly(d=3) C=6 γ=scale", or "lightgbm leaves=31;…".</summary>
    public override string ToString() => External is { } e ? $"{e.Name} {e.Settings}" : Kernel switch
    {
        KernelKind.Polynomial => FormattableString.Invariant($"poly(d={Degree}) C={C} γ={Gamma}"),
        KernelKind.Linear => FormattableString.Invariant($"linear C={C}"),
        _ => FormattableString.Invariant($"{Kernel.ToString().ToLowerInvariant()} C={C} γ={Gamma}"),
    };
}

/// <summary>Cross-validated scores of one grid point: per fold, then mean and sample standard deviation.</summary>
/// <param name="Point">The setting.</param>
/// <param name="FoldAccuracy">Accuracy of each fold.</param>
/// <param name="FoldMacroF1">Macro-F1 of each fold, over the classes of the whole training set (F1 = 0 for a class
/// with no true positives).</param>
public sealed record CrossValidationResult(GridPoint Point, IReadOnlyList<double> FoldAccuracy, IReadOnlyList<double> FoldMacroF1)
{
    /// <summary>Mean accuracy over folds.</summary>
    public double MeanAccuracy => FoldAccuracy.Average();

    /// <summary>Sample standard deviation of fold accuracies (n − 1).</summary>
    public double StdAccuracy => SampleStd(FoldAccuracy);

    /// <summary>Mean macro-F1 over folds.</summary>
    public double MeanMacroF1 => FoldMacroF1.Average();

    /// <summary>Sample standard deviation of fold macro-F1 (n − 1).</summary>
    public double StdMacroF1 => SampleStd(FoldMacroF1);

    private static double SampleStd(IReadOnlyList<double> v)
    {
        if (v.Count < 2)
        {
            return double.NaN;
        }

        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Count - 1));
    }
}

/// <summary>
/// Stratified k-fold assignment: within each class, rows are shuffled with a seeded <see cref="Random"/> and dealt to
/// folds in turn, so every fold has each class in proportion (±1). Deterministic for a seed.
/// </summary>
public static class StratifiedKFold
{
    /// <summary>The fold (0..k−1) of every row.</summary>
    /// <exception cref="ArgumentException">k &lt; 2.</exception>
    public static int[] Assign(IReadOnlyList<string> labels, int folds, int seed)
    {
        if (folds < 2)
        {
            throw new ArgumentException($"Cross-validation needs at least 2 folds, got {folds}.", nameof(folds));
        }

        var fold = new int[labels.Count];
        var random = new Random(seed);
        int offset = 0;
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int[] rows = [.. group];
            random.Shuffle(rows);
            for (int i = 0; i < rows.Length; i++)
            {
                // Continue dealing where the previous class stopped so small classes do not all land in fold 0.
                fold[rows[i]] = (offset + i) % folds;
            }

            offset = (offset + rows.Length) % folds;
        }

        return fold;
    }
}

/// <summary>
/// Grid search by stratified k-fold cross-validation. For each fold the normaliser and γ are fitted on the training part
/// only. Runs (grid point, fold) jobs in parallel; each SVM trains single-threaded, so results do not depend on the
/// thread count. Probabilities are not fitted during the search.
/// </summary>
public sealed class GridSearch
{
    /// <summary>Creates a search.</summary>
    /// <param name="baseOptions">Everything not on the grid (normaliser, class weights, tolerance, ...).</param>
    /// <param name="grid">The points to score.</param>
    /// <param name="folds">k.</param>
    /// <param name="seed">Fold assignment seed.</param>
    public GridSearch(SvmClassifierOptions baseOptions, IReadOnlyList<GridPoint> grid, int folds = 5, int seed = 1)
    {
        BaseOptions = baseOptions;
        Grid = grid;
        Folds = folds;
        Seed = seed;
    }

    /// <summary>Settings shared by every point.</summary>
    public SvmClassifierOptions BaseOptions { get; }

    /// <summary>The grid.</summary>
    public IReadOnlyList<GridPoint> Grid { get; }

    /// <summary>k.</summary>
    public int Folds { get; }

    /// <summary>Fold seed.</summary>
    public int Seed { get; }

    /// <summary>The cartesian product of the given values (degree only varies for the polynomial kernel).</summary>
    public static List<GridPoint> Product(IEnumerable<KernelKind> kernels, IEnumerable<double> cs, IEnumerable<GammaSpec> gammas, IEnumerable<int> degrees)
    {
        var points = new List<GridPoint>();
        var gammaList = gammas.ToList();
        var degreeList = degrees.ToList();
        foreach (var kernel in kernels)
        {
            foreach (double c in cs)
            {
                foreach (var g in kernel == KernelKind.Linear ? [GammaSpec.Scale] : gammaList)
                {
                    foreach (int d in kernel == KernelKind.Polynomial ? degreeList : [3])
                    {
                        points.Add(new GridPoint(kernel, c, g, d));
                    }
                }
            }
        }

        return points;
    }

    /// <summary>Scores every grid point, in grid order.</summary>
    public IReadOnlyList<CrossValidationResult> Run(LabelledFeatures data, int maxDegreeOfParallelism = 0, Action<int, int>? progress = null)
    {
        int[] fold = StratifiedKFold.Assign(data.Labels, Folds, Seed);
        var classes = data.SortedClasses();
        var accuracy = new double[Grid.Count, Folds];
        var macroF1 = new double[Grid.Count, Folds];
        var jobs = Enumerable.Range(0, Grid.Count * Folds).ToArray();
        int done = 0;
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount }, job =>
        {
            int p = job / Folds, f = job % Folds;
            var train = Enumerable.Range(0, data.Rows.Count).Where(i => fold[i] != f).ToArray();
            var test = Enumerable.Range(0, data.Rows.Count).Where(i => fold[i] == f).ToArray();
            var point = Grid[p];
            var options = BaseOptions with
            {
                Kernel = point.Kernel,
                C = point.C,
                Gamma = point.Gamma,
                Degree = point.Degree,
                Probability = false,
                MaxDegreeOfParallelism = 1,
            };
            var model = point.External is { } external
                ? ExternalClassifierTraining.Fit(external, BaseOptions.Normalizer, data.Subset(train), BaseOptions.ClassWeights)
                : new SvmClassifierTrainer(options).Fit(data.Subset(train));
            var predicted = test.Select(i => model.Predict(data.Rows[i]).Label).ToArray();
            var truth = test.Select(i => data.Labels[i]).ToArray();
            accuracy[p, f] = predicted.Zip(truth, (a, b) => a == b ? 1.0 : 0.0).Average();
            macroF1[p, f] = MacroF1(truth, predicted, classes);
            progress?.Invoke(Interlocked.Increment(ref done), jobs.Length);
        });

        return Enumerable.Range(0, Grid.Count)
            .Select(p => new CrossValidationResult(Grid[p],
                Enumerable.Range(0, Folds).Select(f => accuracy[p, f]).ToArray(),
                Enumerable.Range(0, Folds).Select(f => macroF1[p, f]).ToArray()))
            .ToList();
    }

    /// <summary>The best result: highest mean macro-F1, then highest mean accuracy, then grid order.</summary>
    public static CrossValidationResult Best(IReadOnlyList<CrossValidationResult> results) =>
        results.Select((r, i) => (r, i)).OrderByDescending(x => x.r.MeanMacroF1).ThenByDescending(x => x.r.MeanAccuracy).ThenBy(x => x.i).First().r;

    /// <summary>Macro-F1 over <paramref name="classes"/> (F1 = 0 where precision and recall are both undefined or 0).</summary>
    internal static double MacroF1(IReadOnlyList<string> truth, IReadOnlyList<string> predicted, IReadOnlyList<string> classes)
    {
        double sum = 0;
        foreach (string c in classes)
        {
            int tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < truth.Count; i++)
            {
                bool t = truth[i] == c, p = predicted[i] == c;
                tp += t && p ? 1 : 0;
                fp += !t && p ? 1 : 0;
                fn += t && !p ? 1 : 0;
            }

            sum += tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }

        return sum / classes.Count;
    }
}
