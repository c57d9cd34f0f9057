using Raabin.Features.Evaluation;
using Raabin.Features.Learning;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Adaptation;

/// <summary>A cell of a labelled test set for <see cref="FewShotSimulation"/>.</summary>
/// <param name="Path">Its image.</param>
/// <param name="Label">Its true class.</param>
/// <param name="Values">Raw features in the model's order, or null when it was not measured (scored as an error).</param>
public sealed record FewShotCell(string Path, string Label, double[]? Values);

/// <summary>Settings of <see cref="FewShotSimulation"/>.</summary>
public sealed record FewShotSimulationOptions
{
    /// <summary>Seeded draws of the labelled cells (default 10).</summary>
    public int Draws { get; init; } = 10;

    /// <summary>Base seed of the draws (default 0; see <see cref="FewShotSimulation.DrawSeed"/>).</summary>
    public int Seed { get; init; }

    /// <summary>The adaptation's settings.</summary>
    public FewShotOptions Adapter { get; init; } = new();

    /// <summary>Classes with fewer scored cells are left out of F1_large (default 10: F1₁₀).</summary>
    public int SmallClassThreshold { get; init; } = BootstrapOptions.DefaultSmallClassThreshold;

    /// <summary>Threads for the draws (≤ 0: all cores); the results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; }
}

/// <summary>A mean over draws and its sample SD (NaN for one draw).</summary>
/// <param name="Mean">The mean.</param>
/// <param name="Sd">The sample standard deviation.</param>
public readonly record struct MeanSd(double Mean, double Sd)
{
    /// <summary>The mean and SD of <paramref name="values"/>.</summary>
    public static MeanSd Of(IReadOnlyList<double> values)
    {
        double m = values.Average();
        return new MeanSd(m, values.Count > 1 ? Math.Sqrt(values.Sum(x => (x - m) * (x - m)) / (values.Count - 1)) : double.NaN);
    }
}

/// <summary>What <see cref="FewShotSimulation.Run"/> measured.</summary>
/// <param name="TestSet">The test set.</param>
/// <param name="Shots">Labelled cells per class drawn.</param>
/// <param name="Draws">Draws.</param>
/// <param name="Scored">Cells scored per draw (those not drawn).</param>
/// <param name="F1Large">Macro-F1 over the classes with at least the threshold of scored cells.</param>
/// <param name="MacroF1">Macro-F1 over all classes of the model and the set.</param>
/// <param name="Accuracy">Accuracy.</param>
/// <param name="Methods">How often each method was chosen, e.g. <c>affine-map 7, joint 3</c>.</param>
public sealed record FewShotSummary(string TestSet, int Shots, int Draws, int Scored, MeanSd F1Large, MeanSd MacroF1, MeanSd Accuracy, string Methods);

/// <summary>
/// Simulates a lab adapting a model with k labelled cells per class of a new microscope: repeated seeded draws of k cells
/// of each class (that has more than k), <see cref="FewShotAdapter.Adapt"/> with the other cells as unlabelled, and the
/// adapted model scored on the cells not drawn; mean ± SD over the draws, since which cells are drawn matters when k is small.
/// </summary>
public static class FewShotSimulation
{
    /// <summary>Runs the draws (in parallel; results do not depend on the thread count).</summary>
    /// <exception cref="ArgumentException">k &lt; 1, no draws, or fewer than two classes with more than k cells.</exception>
    public static FewShotSummary Run(PipelineModel model, string testSet, IReadOnlyList<FewShotCell> cells, int k, FewShotSimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(cells);
        options ??= new FewShotSimulationOptions();
        if (k < 1 || options.Draws < 1)
        {
            throw new ArgumentException($"few-shot simulation needs k ≥ 1 and at least one draw (k = {k}, draws = {options.Draws})");
        }

        var adapter = new FewShotAdapter(options.Adapter);
        var results = new (double F1Large, double MacroF1, double Accuracy, int Scored, string Method)[options.Draws];
        Parallel.For(0, options.Draws, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism > 0 ? options.MaxDegreeOfParallelism : -1 }, d =>
        {
            var labelled = Draw(cells, k, DrawSeed(options.Seed, testSet, k, d));
            var data = new LabelledFeatures(model.FeatureIds, labelled.Select(i => cells[i].Values!).ToList(), labelled.Select(i => cells[i].Label).ToList(),
                labelled.Select(_ => testSet).ToList());
            var isLabelled = labelled.ToHashSet();
            var rest = Enumerable.Range(0, cells.Count).Where(i => !isLabelled.Contains(i)).ToList();
            var unlabelled = rest.Where(i => cells[i].Values is not null).Select(i => cells[i].Values!).ToList();
            var adapted = adapter.Adapt(model, data, unlabelled, testSet);
            var scored = rest.Select(i => cells[i]).ToList();
            var evaluated = scored.Select(c =>
            {
                string? predicted = c.Values is null ? null : adapted.Model.Classifier.Predict(c.Values).Label;
                return new EvaluatedCell(testSet, c.Path, string.Empty, string.Empty, c.Label, predicted, predicted is null ? "no features" : "ok", null, null);
            }).ToList();
            var e = DomainEvaluation.Score(testSet, model.Classes, evaluated, new BootstrapOptions { Replicates = 1, SmallClassThreshold = options.SmallClassThreshold });
            results[d] = (e.MacroF1OverLargeClasses, e.MacroF1, e.Metrics.Accuracy, scored.Count, adapted.Record.Method);
        });
        string methods = string.Join(", ", results.GroupBy(r => r.Method).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count()}"));
        return new FewShotSummary(testSet, k, options.Draws, results[0].Scored, MeanSd.Of(results.Select(r => r.F1Large).ToArray()),
            MeanSd.Of(results.Select(r => r.MacroF1).ToArray()), MeanSd.Of(results.Select(r => r.Accuracy).ToArray()), methods);
    }

    /// <summary>
    /// The seed of draw <paramref name="draw"/> of k cells per class from <paramref name="test"/>: a function of the base
    /// seed, the set's name (FNV-1a, stable across runs), k and the draw, so a draw never depends on which others ran.
    /// </summary>
    public static int DrawSeed(int seed, string test, int k, int draw)
    {
        uint h = 2166136261;
        foreach (char c in $"{seed}/{test}/{k}/{draw}")
        {
            h = (h ^ c) * 16777619;
        }

        return (int)(h & 0x7fffffff);
    }

    /// <summary>
    /// k cells (with features) of each class that has more than k of them, chosen with the seed; classes with k or fewer
    /// get none (some of every class must remain to be scored).
    /// </summary>
    private static List<int> Draw(IReadOnlyList<FewShotCell> cells, int k, int seed)
    {
        var random = new Random(seed);
        var chosen = new List<int>();
        foreach (var group in Enumerable.Range(0, cells.Count).Where(i => cells[i].Values is not null)
                     .GroupBy(i => cells[i].Label, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            if (members.Length <= k)
            {
                continue;
            }

            random.Shuffle(members);
            chosen.AddRange(members.Take(k));
        }

        return chosen;
    }
}
