using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Explanations;

/// <summary>
/// Explains one cell's label from the features the model used: <c>new CellExplainer(model).Explain(features)</c> →
/// <see cref="CellExplanation"/>. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para><b>Runner-up.</b> By probability when the model has Platt probabilities, else by votes, then by the pairwise
/// decision value against the predicted class (<see cref="RunnerUpRule"/>).</para>
/// <para><b>Features.</b> Deviations are (x − class mean) / pooled within-class SD of the training statistics
/// (<see cref="ExplanationBasis"/>); features are ranked by |z runner-up| − |z predicted|.</para>
/// <para><b>Nearest cells.</b> Models keep their support vectors (normalised), the compact index of training cells
/// used here: distance is Euclidean in the model's normalised space, a vector's class is known from the model's support
/// vector counts. Models do not store image paths, so <see cref="NearestCell.Path"/> is null; give the training
/// <see cref="FeatureTable"/> to the constructor to search its rows instead and get their paths.</para>
/// <para><b>Counterfactual.</b> For each feature alone, the value is walked away from the cell's in both directions on
/// a grid of <see cref="ExplainerOptions.CounterfactualGridSteps"/> steps over the observed range; the first grid value
/// with another label is refined by bisection towards the boundary. The reported value is on the far side of the
/// boundary (it does flip the label, checked with the model's own prediction). The smallest change in pooled SDs
/// wins. Deterministic; a flip region narrower than a grid step can be missed.</para>
/// <para><b>Old models.</b> A model without class statistics cannot be explained from itself: the constructor throws
/// an <see cref="ArgumentException"/> naming the model, unless a training table is given, whose statistics are then
/// used (recorded in <see cref="CellExplanation.StatisticsSource"/>).</para>
/// </remarks>
/// <example>
/// <code>
/// var model = PipelineModel.Load("models/robust-pbc.model.json");
/// var explainer = new CellExplainer(model);
/// CellExplanation why = explainer.Explain(features); // raw values in model.FeatureIds order
/// Console.WriteLine($"{why.PredictedClass} over {why.RunnerUpClass}: {why.Features[0].FeatureId}; flip: {why.CounterfactualText}");
/// </code>
/// </example>
public sealed class CellExplainer
{
    private readonly int[] _supportVectorClass;
    private readonly (double[] Normalised, int Class, int TableRow, string Path)[]? _trainingCells;

    /// <summary>An explainer from the model's own statistics and support vectors.</summary>
    /// <exception cref="ArgumentException">The model has no class statistics (an old model); the message names it.</exception>
    public CellExplainer(PipelineModel model, ExplainerOptions? options = null)
        : this(model, ExplanationBasis.FromModel(model, (options ?? ExplainerOptions.Default).RangeStandardDeviations), null, string.Empty, options)
    {
    }

    /// <summary>
    /// An explainer whose nearest cells are rows of the training table (with their image paths); class statistics are
    /// the model's, or, for a model without them, computed from the table's rows (of <paramref name="split"/>, or all).
    /// </summary>
    /// <exception cref="ArgumentException">The table lacks a model feature or has no usable labelled row.</exception>
    public CellExplainer(PipelineModel model, FeatureTable trainingCells, string split = "", ExplainerOptions? options = null)
        : this(model,
            model?.Statistics is not null
                ? ExplanationBasis.FromModel(model, (options ?? ExplainerOptions.Default).RangeStandardDeviations)
                : ExplanationBasis.FromTable(model!, trainingCells, split, (options ?? ExplainerOptions.Default).RangeStandardDeviations),
            trainingCells, split, options)
    {
    }

    /// <summary>An explainer on a given basis (e.g. statistics of another table).</summary>
    /// <exception cref="ArgumentException">A basis of other features or classes than the model's.</exception>
    public CellExplainer(PipelineModel model, ExplanationBasis basis, ExplainerOptions? options = null)
        : this(model, basis, null, string.Empty, options)
    {
    }

    private CellExplainer(PipelineModel model, ExplanationBasis basis, FeatureTable? trainingCells, string split, ExplainerOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(basis);
        Options = options ?? ExplainerOptions.Default;
        Options.Validate();
        if (!basis.Statistics.FeatureIds.SequenceEqual(model.FeatureIds) || !basis.Statistics.Classes.SequenceEqual(model.Classes))
        {
            throw new ArgumentException($"the explanation statistics ({basis.Source}) are not of the features and classes of the model {model.Source}");
        }

        Model = model;
        Basis = basis;
        // Support vectors stand in for training cells when no table is given; a classifier of another engine has none.
        _supportVectorClass = [];
        if (model.Classifier.IsKernelSvm)
        {
            var svm = model.Classifier.Svm;
            _supportVectorClass = new int[svm.SupportVectorCount];
            for (int c = 0, s = 0; c < svm.ClassCount; c++)
            {
                for (int t = 0; t < svm.SupportVectorCounts[c]; t++)
                {
                    _supportVectorClass[s++] = c;
                }
            }
        }

        if (trainingCells is not null)
        {
            var index = model.Classes.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
            _trainingCells = ExplanationBasis.UsableRows(model, trainingCells, split)
                .Select(r => (model.Classifier.Normalizer.Transform(r.Values), index[r.Row.Label], r.TableRow, r.Row.Path)).ToArray();
            NearestCellsSource = $"rows of the training table {trainingCells.Source}{(split.Length > 0 ? $" (split {split})" : string.Empty)}";
        }
        else
        {
            NearestCellsSource = model.Classifier.IsKernelSvm
                ? $"support vectors of the model {model.Source} (models do not store image paths; give the training feature table to get them)"
                : $"none: the model {model.Source} has a {model.Classifier.TrainerDescription} classifier, without support vectors; give the training feature table to get them";
        }
    }

    /// <summary>The model explained.</summary>
    public PipelineModel Model { get; }

    /// <summary>The class statistics explanations measure against.</summary>
    public ExplanationBasis Basis { get; }

    /// <summary>The settings.</summary>
    public ExplainerOptions Options { get; }

    /// <summary>What nearest cells are searched among.</summary>
    public string NearestCellsSource { get; }

    /// <summary>Explains a cell from its raw features in <see cref="PipelineModel.FeatureIds"/> order.</summary>
    /// <exception cref="ArgumentException">Wrong length or a non-finite value.</exception>
    public CellExplanation Explain(IReadOnlyList<double> rawFeatures)
    {
        ArgumentNullException.ThrowIfNull(rawFeatures);
        double[] x = [.. rawFeatures];
        var prediction = Model.Classifier.Predict(x);
        int predicted = prediction.ClassIndex;
        var (runnerUp, rule) = RunnerUp(Model.Classifier, prediction);
        var features = RankFeatures(Basis, x, predicted, runnerUp);
        double[] normalised = Model.Classifier.Normalizer.Transform(x);
        var counterfactuals = Options.SearchCounterfactual ? Counterfactuals(x, normalised, predicted) : [];
        return new CellExplanation(
            prediction, Model.Classes[predicted], Model.Classes[runnerUp], rule, features,
            Nearest(normalised, predicted), Nearest(normalised, runnerUp), NearestCellsSource,
            counterfactuals.Count > 0 ? counterfactuals[0] : null, counterfactuals, Basis.Source)
        {
            CounterfactualSearched = Options.SearchCounterfactual,
        };
    }

    /// <summary>Explains a cell given by feature id (extra ids are ignored).</summary>
    /// <exception cref="ArgumentException">A feature the model reads is missing, or a value is not finite.</exception>
    public CellExplanation Explain(IReadOnlyDictionary<string, double> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var missing = Model.FeatureIds.Where(id => !features.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"the model {Model.Source} reads feature(s) not given: {string.Join(", ", missing)}", nameof(features));
        }

        return Explain(Model.FeatureIds.Select(id => features[id]).ToArray());
    }

    /// <summary>The runner-up class of a prediction and the rule that chose it.</summary>
    internal static (int Class, RunnerUpRule Rule) RunnerUp(ClassifierModel classifier, ClassifierPrediction prediction)
    {
        int predicted = prediction.ClassIndex;
        int k = classifier.Classes.Count;
        int best = -1;
        if ((prediction.Probabilities ?? (classifier.IsKernelSvm ? null : prediction.DecisionValues)) is { } scores)
        {
            for (int c = 0; c < k; c++)
            {
                if (c != predicted && (best < 0 || scores[c] > scores[best]))
                {
                    best = c;
                }
            }

            return (best, prediction.Probabilities is null ? RunnerUpRule.Score : RunnerUpRule.Probability);
        }

        double bestMargin = double.PositiveInfinity;
        for (int c = 0; c < k; c++)
        {
            if (c == predicted)
            {
                continue;
            }

            // The pair's decision value in the predicted class's favour (> 0 votes for it); smaller = a closer race.
            double margin = predicted < c
                ? prediction.DecisionValues[classifier.Svm.PairIndex(predicted, c)]
                : -prediction.DecisionValues[classifier.Svm.PairIndex(c, predicted)];
            if (best < 0 || prediction.Votes[c] > prediction.Votes[best] || (prediction.Votes[c] == prediction.Votes[best] && margin < bestMargin))
            {
                best = c;
                bestMargin = margin;
            }
        }

        return (best, RunnerUpRule.Votes);
    }

    /// <summary>Every feature's deviations, most supporting first (stable: ties keep model order).</summary>
    internal static FeatureContribution[] RankFeatures(ExplanationBasis basis, IReadOnlyList<double> x, int predicted, int runnerUp)
    {
        var statistics = basis.Statistics;
        var result = new FeatureContribution[x.Count];
        for (int f = 0; f < x.Count; f++)
        {
            double zp = basis.Deviation(f, predicted, x[f]);
            double zr = basis.Deviation(f, runnerUp, x[f]);
            var definition = basis.Definitions[f];
            result[f] = new FeatureContribution(
                statistics.FeatureIds[f], definition?.Group ?? string.Empty, definition?.Unit ?? string.Empty, x[f],
                statistics.Means[predicted][f], statistics.Means[runnerUp][f], basis.PooledStandardDeviations[f], zp, zr, Math.Abs(zr) - Math.Abs(zp));
        }

        return [.. result.OrderByDescending(c => c.Support)];
    }

    private List<NearestCell> Nearest(double[] normalised, int classIndex)
    {
        var found = new List<NearestCell>();
        if (Options.NearestCells == 0)
        {
            return found;
        }

        if (_trainingCells is { } cells)
        {
            foreach (var cell in cells)
            {
                if (cell.Class == classIndex)
                {
                    found.Add(new NearestCell(Model.Classes[classIndex], Distance(normalised, cell.Normalised), null, cell.TableRow, cell.Path));
                }
            }
        }
        else if (Model.Classifier.IsKernelSvm)
        {
            var svm = Model.Classifier.Svm;
            for (int s = 0; s < svm.SupportVectorCount; s++)
            {
                if (_supportVectorClass[s] == classIndex)
                {
                    found.Add(new NearestCell(Model.Classes[classIndex], Distance(normalised, svm.SupportVector(s)), s, null, null));
                }
            }
        }

        // Stable sort: equal distances keep index order.
        return [.. found.OrderBy(n => n.Distance).Take(Options.NearestCells)];
    }

    private static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = a[i] - b[i];
            sum += d * d;
        }

        return Math.Sqrt(sum);
    }

    private List<Counterfactual> Counterfactuals(double[] x, double[] normalised, int predicted)
    {
        var probe = new LabelProbe(Model.Classifier, normalised);
        var found = new List<Counterfactual>();
        for (int f = 0; f < x.Length; f++)
        {
            double sd = Basis.PooledStandardDeviations[f];
            double lo = Basis.RangeLower[f], hi = Basis.RangeUpper[f];
            double step = (hi - lo) / Options.CounterfactualGridSteps;
            if (!(sd > 0) || !(step > 0))
            {
                continue;
            }

            Counterfactual? best = null;
            foreach (int direction in (ReadOnlySpan<int>)[1, -1])
            {
                double? flip = Walk(probe, f, x[f], direction, step, lo, hi, predicted);
                if (flip is not { } value)
                {
                    continue;
                }

                double change = Math.Abs(value - x[f]) / sd;
                if (best is null || change < best.ChangeInStandardDeviations)
                {
                    double[] changed = [.. x];
                    changed[f] = value;
                    var check = Model.Classifier.Predict(changed);
                    if (check.ClassIndex != predicted)
                    {
                        best = new Counterfactual(Model.FeatureIds[f], x[f], value, change, check.Label);
                    }
                }
            }

            if (best is not null)
            {
                found.Add(best);
            }
        }

        return [.. found.OrderBy(c => c.ChangeInStandardDeviations)];
    }

    // The first value of another label walking from x in one direction, refined towards the boundary; null if none.
    private double? Walk(LabelProbe probe, int feature, double x, int direction, double step, double lo, double hi, int predicted)
    {
        if ((direction > 0 && x >= hi) || (direction < 0 && x <= lo))
        {
            return null;
        }

        double same = x;
        for (int i = 1; ; i++)
        {
            double v = Math.Clamp(x + (direction * i * step), lo, hi);
            if (probe.LabelWith(feature, v) != predicted)
            {
                double flip = v;
                for (int b = 0; b < Options.CounterfactualBisections; b++)
                {
                    double mid = 0.5 * (same + flip);
                    if (probe.LabelWith(feature, mid) != predicted)
                    {
                        flip = mid;
                    }
                    else
                    {
                        same = mid;
                    }
                }

                return flip >= lo && flip <= hi ? flip : v;
            }

            same = v;
            if (v == lo || v == hi)
            {
                return null;
            }
        }
    }
}
