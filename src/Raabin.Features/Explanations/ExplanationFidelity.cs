using Raabin.Features.Evaluation.Statistics;
using Raabin.Features.Measurement;

namespace Raabin.Features.Explanations;

/// <summary>Settings of <see cref="ExplanationFidelity"/>.</summary>
public sealed record FidelityOptions
{
    /// <summary>The defaults: k = 1..5, 10 random draws per cell, seed 1.</summary>
    public static FidelityOptions Default { get; } = new();

    /// <summary>Largest k (≥ 1; capped at the number of features).</summary>
    public int MaxFeatures { get; init; } = 5;

    /// <summary>Random feature orders drawn per cell (≥ 1).</summary>
    public int Repeats { get; init; } = 10;

    /// <summary>Seed: cell i's draws come from SplitMix64 stream i of it, so results do not depend on threads.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Upper bound on worker threads; −1 lets the runtime decide. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        if (MaxFeatures < 1 || Repeats < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxFeatures), $"need k ≥ 1 and at least one repeat (got {MaxFeatures}, {Repeats})");
        }

        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "Use −1 or a positive thread count.");
        }
    }
}

/// <summary>One point of a fidelity curve.</summary>
/// <param name="K">Features replaced.</param>
/// <param name="TopFlipRate">Fraction of cells whose label changes when their explanation's top k features are replaced by the class-neutral value.</param>
/// <param name="RandomFlipRate">The same for k features drawn at random, averaged over the repeats.</param>
public sealed record FidelityPoint(int K, double TopFlipRate, double RandomFlipRate);

/// <summary>A fidelity curve, k = 1..K.</summary>
/// <param name="Cells">Cells measured.</param>
/// <param name="Repeats">Random draws per cell.</param>
/// <param name="Seed">The seed.</param>
/// <param name="StatisticsSource">Where the class-neutral values came from.</param>
/// <param name="Points">One point per k, ascending.</param>
public sealed record FidelityCurve(int Cells, int Repeats, ulong Seed, string StatisticsSource, IReadOnlyList<FidelityPoint> Points);

/// <summary>
/// Measures whether explanations point at what the model uses: replacing the top-k features of each cell's explanation
/// (<see cref="CellExplanation.Features"/> order) by the class-neutral value (the training grand mean,
/// <see cref="ExplanationBasis.NeutralValues"/>) should change the label more often than replacing k random features.
/// </summary>
public static class ExplanationFidelity
{
    /// <summary>The curve on cells given as raw vectors in the model's feature order (labels are not needed).</summary>
    /// <exception cref="ArgumentException">No cells, or a bad vector.</exception>
    public static FidelityCurve Measure(CellExplainer explainer, IReadOnlyList<double[]> rows, FidelityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(explainer);
        ArgumentNullException.ThrowIfNull(rows);
        options ??= FidelityOptions.Default;
        options.Validate();
        if (rows.Count == 0)
        {
            throw new ArgumentException("fidelity needs at least one cell", nameof(rows));
        }

        var model = explainer.Model;
        var basis = explainer.Basis;
        int features = model.FeatureIds.Count, maxK = Math.Min(options.MaxFeatures, features), repeats = options.Repeats;
        var position = model.FeatureIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        var topFlips = new int[rows.Count][];
        var randomFlips = new int[rows.Count][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        Parallel.For(0, rows.Count, parallel, i =>
        {
            double[] x = [.. ExplanationBasis.CheckRow(model, rows[i], "fidelity")];
            var prediction = model.Classifier.Predict(x);
            int predicted = prediction.ClassIndex;
            var (runnerUp, _) = CellExplainer.RunnerUp(model.Classifier, prediction);
            int[] top = [.. CellExplainer.RankFeatures(basis, x, predicted, runnerUp).Select(c => position[c.FeatureId])];
            topFlips[i] = Flips(model, basis, x, predicted, top, maxK);
            randomFlips[i] = new int[maxK];
            var random = SplitMix64.ForStream(options.Seed, i);
            var order = new int[features];
            for (int r = 0; r < repeats; r++)
            {
                for (int f = 0; f < features; f++)
                {
                    order[f] = f;
                }

                for (int f = features - 1; f > 0; f--)
                {
                    int j = random.NextIndex(f + 1);
                    (order[f], order[j]) = (order[j], order[f]);
                }

                var flips = Flips(model, basis, x, predicted, order, maxK);
                for (int k = 0; k < maxK; k++)
                {
                    randomFlips[i][k] += flips[k];
                }
            }
        });

        var points = new FidelityPoint[maxK];
        for (int k = 0; k < maxK; k++)
        {
            double top = 0, random = 0;
            for (int i = 0; i < rows.Count; i++)
            {
                top += topFlips[i][k];
                random += randomFlips[i][k];
            }

            points[k] = new FidelityPoint(k + 1, top / rows.Count, random / ((double)rows.Count * repeats));
        }

        return new FidelityCurve(rows.Count, repeats, options.Seed, basis.Source, points);
    }

    /// <summary>The curve on the usable rows of a table (of <paramref name="split"/>, or all), bound to the model by id.</summary>
    /// <exception cref="ArgumentException">The table does not serve the model, or has no usable labelled row.</exception>
    public static FidelityCurve Measure(CellExplainer explainer, FeatureTable table, string split = "", FidelityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(explainer);
        ArgumentNullException.ThrowIfNull(table);
        var rows = ExplanationBasis.UsableRows(explainer.Model, table, split);
        if (rows.Count == 0)
        {
            throw new ArgumentException($"{table.Source}: no usable labelled row{(split.Length > 0 ? $" in split '{split}'" : string.Empty)}");
        }

        return Measure(explainer, rows.Select(r => r.Values).ToList(), options);
    }

    // flips[k − 1] = 1 when replacing the first k features of the order changes the label.
    private static int[] Flips(Pipeline.PipelineModel model, ExplanationBasis basis, double[] x, int predicted, int[] order, int maxK)
    {
        var changed = (double[])x.Clone();
        var flips = new int[maxK];
        for (int k = 0; k < maxK; k++)
        {
            changed[order[k]] = basis.NeutralValues[order[k]];
            flips[k] = model.Classifier.Predict(changed).ClassIndex != predicted ? 1 : 0;
        }

        return flips;
    }
}
