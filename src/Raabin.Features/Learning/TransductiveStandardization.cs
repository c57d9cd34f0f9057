using System.Globalization;

namespace Raabin.Features.Learning;

/// <summary>How a batch of cells from one microscope is standardised before classification.</summary>
public enum TransductiveMode
{
    /// <summary>Not at all: the model's own normaliser (the default; transduction is never on unless asked for).</summary>
    None,

    /// <summary>
    /// Each feature z-scored with the batch's own mean and SD (per domain): removes the microscope's shift of every
    /// feature's location and spread, but also any difference in the class mix.
    /// </summary>
    Domain,

    /// <summary>
    /// As <see cref="Domain"/>, with every cell weighted by (training prior of its predicted class) / (estimated batch
    /// prior of that class), re-estimated until the predictions stop changing: the batch statistics are those the batch
    /// would have with the training class mix, so a different class mix is not mistaken for a shift of the features.
    /// </summary>
    ClassBalanced,
}

/// <summary>Settings of <see cref="TransductiveStandardization"/>.</summary>
public sealed record TransductiveOptions
{
    /// <summary>The default smallest batch per domain: below about 30 cells a mean and SD per feature are too noisy to standardise with.</summary>
    public const int DefaultMinimumBatch = 30;

    /// <summary>The mode (default <see cref="TransductiveMode.None"/>).</summary>
    public TransductiveMode Mode { get; init; } = TransductiveMode.None;

    /// <summary>Fewest cells of one domain that may be standardised together (default 30); a smaller batch is refused.</summary>
    public int MinimumBatch { get; init; } = DefaultMinimumBatch;

    /// <summary>Most re-estimations of the class-balanced weights (default 10).</summary>
    public int MaxIterations { get; init; } = 10;

    /// <summary>Parses <c>none</c>, <c>domain</c> or <c>class-balanced</c>.</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    public static TransductiveMode ParseMode(string name) => name.Trim().ToLowerInvariant() switch
    {
        "none" => TransductiveMode.None,
        "domain" => TransductiveMode.Domain,
        "class-balanced" => TransductiveMode.ClassBalanced,
        _ => throw new ArgumentException($"transductive mode '{name}': choose none, domain or class-balanced"),
    };

    /// <summary>The name <see cref="ParseMode"/> reads.</summary>
    public static string Name(TransductiveMode mode) => mode switch
    {
        TransductiveMode.Domain => "domain",
        TransductiveMode.ClassBalanced => "class-balanced",
        _ => "none",
    };
}

/// <summary>What <see cref="TransductiveStandardization.Fit"/> did for one domain.</summary>
/// <param name="Domain">The domain's name.</param>
/// <param name="Classifier">The model's classifier behind the batch's normaliser.</param>
/// <param name="Cells">Cells in the batch.</param>
/// <param name="Iterations">Weight re-estimations (0 for <see cref="TransductiveMode.Domain"/>).</param>
/// <param name="EstimatedPriors">The batch's estimated class mix (from the final predictions), per class.</param>
public sealed record TransductiveResult(
    string Domain, ClassifierModel Classifier, int Cells, int Iterations, IReadOnlyDictionary<string, double> EstimatedPriors);

/// <summary>
/// Transductive standardisation: a model trained on z-scored features (ideally per training domain) classifies a batch
/// of cells from one new microscope after z-scoring the batch with its own statistics. It needs the batch (at least
/// <see cref="TransductiveOptions.MinimumBatch"/> cells of that domain) and changes every cell's prediction with the
/// batch's composition, so it is an explicit option of <c>predict</c> and <c>evaluate</c>, never a default.
/// </summary>
public static class TransductiveStandardization
{
    /// <summary>
    /// Fits the batch's normaliser for <paramref name="classifier"/>. <paramref name="batch"/> holds the raw features of
    /// one domain's cells in the classifier's order (all finite).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Mode none, a classifier whose normaliser is not a z-score, a batch smaller than the minimum (the message names the
    /// domain and both numbers), or class-balanced weights without the training class counts.
    /// </exception>
    public static TransductiveResult Fit(ClassifierModel classifier, IReadOnlyList<double[]> batch, TransductiveOptions options, string domain)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mode == TransductiveMode.None)
        {
            throw new ArgumentException("transductive standardisation was asked for with mode none");
        }

        if (classifier.Normalizer.Kind != NormalizerKind.ZScore)
        {
            throw new ArgumentException(
                $"transductive standardisation replaces a z-score normaliser; this model's is {classifier.Normalizer.Kind.ToString().ToLowerInvariant()} (train with --normalizer zscore)");
        }

        if (batch.Count < options.MinimumBatch)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"transductive standardisation of domain '{domain}' needs at least {options.MinimumBatch} cells with features; it has {batch.Count}"));
        }

        int k = classifier.Classes.Count;
        var weights = new double[batch.Count];
        Array.Fill(weights, 1.0);
        var adapted = classifier.WithNormalizer(WeightedZScore(batch, weights, classifier.FeatureIds.Count));
        var predicted = batch.Select(x => adapted.Predict(x).ClassIndex).ToArray();
        int iterations = 0;
        if (options.Mode == TransductiveMode.ClassBalanced)
        {
            var trainingPriors = TrainingPriors(classifier);
            while (iterations < options.MaxIterations)
            {
                iterations++;
                var batchPriors = Priors(predicted, k);
                for (int i = 0; i < batch.Count; i++)
                {
                    weights[i] = trainingPriors[predicted[i]] / batchPriors[predicted[i]];
                }

                adapted = classifier.WithNormalizer(WeightedZScore(batch, weights, classifier.FeatureIds.Count));
                var next = batch.Select(x => adapted.Predict(x).ClassIndex).ToArray();
                bool same = next.AsSpan().SequenceEqual(predicted);
                predicted = next;
                if (same)
                {
                    break;
                }
            }
        }

        var final = Priors(predicted, k, smoothing: 0);
        return new TransductiveResult(domain, adapted, batch.Count, iterations,
            classifier.Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => final[p.i], StringComparer.Ordinal));
    }

    /// <summary>
    /// The weighted population mean and SD of each feature as a z-score normaliser (SD 0 gives scale 1).
    /// <paramref name="weights"/> are relative; equal weights give scikit-learn's <c>StandardScaler</c>.
    /// </summary>
    public static FeatureNormalizer WeightedZScore(IReadOnlyList<double[]> rows, IReadOnlyList<double> weights, int featureCount)
    {
        double total = 0;
        foreach (double w in weights)
        {
            total += w;
        }

        var scale = new double[featureCount];
        var offset = new double[featureCount];
        for (int f = 0; f < featureCount; f++)
        {
            double mean = 0;
            for (int r = 0; r < rows.Count; r++)
            {
                mean += weights[r] * rows[r][f];
            }

            mean /= total;
            double ss = 0;
            for (int r = 0; r < rows.Count; r++)
            {
                double d = rows[r][f] - mean;
                ss += weights[r] * d * d;
            }

            double sd = Math.Sqrt(ss / total);
            scale[f] = sd == 0 ? 1.0 : 1.0 / sd;
            offset[f] = -mean * scale[f];
        }

        return new FeatureNormalizer(NormalizerKind.ZScore, scale, offset);
    }

    private static double[] TrainingPriors(ClassifierModel classifier)
    {
        var counts = classifier.Classes.Select(c => classifier.Training.RowsPerClass.TryGetValue(c, out int n) ? n : 0).ToArray();
        if (counts.Sum() == 0)
        {
            throw new ArgumentException("class-balanced standardisation needs the training rows per class, which this model does not record");
        }

        return counts.Select(n => (n + 0.5) / (counts.Sum() + (0.5 * counts.Length))).ToArray();
    }

    // Add-half smoothing keeps a class the batch seems to lack from getting an infinite weight.
    private static double[] Priors(int[] predicted, int classes, double smoothing = 0.5)
    {
        var counts = new double[classes];
        foreach (int c in predicted)
        {
            counts[c]++;
        }

        double total = predicted.Length + (smoothing * classes);
        return counts.Select(n => (n + smoothing) / total).ToArray();
    }
}
