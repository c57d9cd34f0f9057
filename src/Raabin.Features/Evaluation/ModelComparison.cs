namespace Raabin.Features.Evaluation;

/// <summary>One model's output for one image.</summary>
/// <param name="Label">True class.</param>
/// <param name="Predicted">Predicted class, or null when the model rejected the image (counted as an error).</param>
/// <param name="Probabilities">Probabilities in the owning <see cref="ModelScores.Classes"/> order, or null.</param>
public sealed record ScoredImage(string Label, string? Predicted, IReadOnlyList<double>? Probabilities);

/// <summary>A model's outputs on one test set, keyed by image path.</summary>
/// <param name="Name">Model name as shown in tables.</param>
/// <param name="Kind"><c>svm</c>, <c>cnn</c> or <c>fusion</c>.</param>
/// <param name="Classes">Class order of the probability vectors.</param>
/// <param name="Images">Outputs by image path.</param>
/// <param name="Assumptions">What was assumed to read these outputs (from the importer).</param>
public sealed record ModelScores(
    string Name, string Kind, IReadOnlyList<string> Classes, IReadOnlyDictionary<string, ScoredImage> Images, IReadOnlyList<string> Assumptions);

/// <summary>One model's scores on the paired images of a test set.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Kind">svm, cnn or fusion.</param>
/// <param name="Rejected">Images the model gave no prediction for (errors in every number).</param>
/// <param name="Metrics">All metrics of its confusion matrix.</param>
/// <param name="Intervals">Stratified bootstrap 95 % intervals.</param>
/// <param name="Calibration">Top-label calibration (15 bins), or null without probabilities.</param>
public sealed record ModelResult(string Model, string Kind, int Rejected, ClassificationMetrics Metrics, BootstrapResult Intervals, CalibrationResult? Calibration);

/// <summary>A paired comparison of two models on the same images.</summary>
/// <param name="ModelA">First model.</param>
/// <param name="ModelB">Second model.</param>
/// <param name="Result">McNemar test, bootstrap intervals of the differences (A − B), agreement and κ between them.</param>
public sealed record PairResult(string ModelA, string ModelB, PairedComparisonResult Result);

/// <summary>Every model on one test set, on the images all of them scored.</summary>
/// <param name="Set">Test set name.</param>
/// <param name="PairedImages">Images scored by every model (the only ones counted).</param>
/// <param name="Classes">Class list of the metrics.</param>
/// <param name="Models">Per-model results, in input order.</param>
/// <param name="Pairs">Paired comparisons of every two models.</param>
/// <param name="Notes">What was left out and why (unpaired images per model, label disagreements).</param>
public sealed record SetComparison(
    string Set, int PairedImages, IReadOnlyList<string> Classes, IReadOnlyList<ModelResult> Models, IReadOnlyList<PairResult> Pairs, IReadOnlyList<string> Notes);

/// <summary>
/// Scores several models on the same images of a test set with the same metrics, and compares every pair on those
/// images (exact McNemar test, paired bootstrap intervals of the accuracy and macro-F1 differences, Cohen's κ between
/// the models), with top-label calibration for models that give probabilities.
/// </summary>
public static class ModelComparison
{
    /// <summary>Compares <paramref name="models"/> on the images every one of them scored.</summary>
    public static SetComparison Compare(string set, IReadOnlyList<ModelScores> models, BootstrapOptions? bootstrap = null)
    {
        if (models.Count == 0)
        {
            throw new ArgumentException("Nothing to compare: no models.", nameof(models));
        }

        var notes = new List<string>();
        var paths = models[0].Images.Keys.Where(p => models.All(m => m.Images.ContainsKey(p))).Order(StringComparer.Ordinal).ToList();
        foreach (var m in models)
        {
            int left = m.Images.Count - paths.Count;
            if (left > 0)
            {
                notes.Add($"{m.Name}: {left} of its {m.Images.Count} images are not scored by every model and are left out");
            }
        }

        // The first model's labels are the truth; say where another model's file disagrees.
        var truth = paths.Select(p => models[0].Images[p].Label).ToArray();
        foreach (var m in models.Skip(1))
        {
            int disagree = paths.Count(p => m.Images[p].Label.Length > 0 && m.Images[p].Label != models[0].Images[p].Label);
            if (disagree > 0)
            {
                notes.Add($"{m.Name}: {disagree} images carry another true label than {models[0].Name}'s; {models[0].Name}'s labels are used");
            }
        }

        var classes = new List<string>();
        foreach (string c in models.SelectMany(m => m.Classes).Concat(truth).Concat(models.SelectMany(m => paths.Select(p => m.Images[p].Predicted ?? string.Empty))))
        {
            if (c.Length > 0 && !classes.Contains(c))
            {
                classes.Add(c);
            }
        }

        classes.Sort(StringComparer.Ordinal);
        if (models.Any(m => paths.Any(p => m.Images[p].Predicted is null)))
        {
            classes.Add(DomainEvaluation.RejectedClass);
        }

        int[] truthIndex = ClassLabels.ToIndices(classes, truth, "truth");
        var predictions = new List<int[]>();
        var results = new List<ModelResult>();
        foreach (var m in models)
        {
            var predicted = paths.Select(p => m.Images[p].Predicted ?? DomainEvaluation.RejectedClass).ToArray();
            int[] index = ClassLabels.ToIndices(classes, predicted, m.Name);
            predictions.Add(index);
            var metrics = ConfusionMatrix.FromIndices(classes, truthIndex, index).ComputeMetrics();
            var intervals = Bootstrap.StratifiedIntervals(classes, truthIndex, index, bootstrap);
            CalibrationResult? calibration = null;
            if (paths.Count > 0 && paths.All(p => m.Images[p].Probabilities is not null))
            {
                var confidence = new double[paths.Count];
                var correct = new bool[paths.Count];
                for (int i = 0; i < paths.Count; i++)
                {
                    var probs = m.Images[paths[i]].Probabilities!;
                    int best = 0;
                    for (int c = 1; c < probs.Count; c++)
                    {
                        best = probs[c] > probs[best] ? c : best;
                    }

                    confidence[i] = probs[best];
                    correct[i] = m.Classes[best] == truth[i];
                }

                calibration = Calibration.TopLabel(confidence, correct);
            }

            results.Add(new ModelResult(m.Name, m.Kind, predicted.Count(p => p == DomainEvaluation.RejectedClass), metrics, intervals, calibration));
        }

        var pairs = new List<PairResult>();
        for (int a = 0; a < models.Count; a++)
        {
            for (int b = a + 1; b < models.Count; b++)
            {
                pairs.Add(new PairResult(models[a].Name, models[b].Name, PairedComparison.Compare(classes, truthIndex, predictions[a], predictions[b], bootstrap)));
            }
        }

        return new SetComparison(set, paths.Count, classes, results, pairs, notes);
    }

    /// <summary>
    /// Late fusion: the mean of two models' probability vectors (mapped to <paramref name="a"/>'s class order), predicted
    /// class = highest mean probability (first on ties). Where one model has no probabilities for an image (e.g. the
    /// SVM's segmenter rejected it) the other model's probabilities are used alone; images neither scored are left out.
    /// </summary>
    public static ModelScores Fuse(string name, ModelScores a, ModelScores b)
    {
        var map = a.Classes.Select(c => b.Classes.ToList().IndexOf(c)).ToArray();
        if (map.Any(i => i < 0))
        {
            throw new ArgumentException($"Cannot fuse {a.Name} and {b.Name}: {b.Name} lacks classes {string.Join(", ", a.Classes.Where((c, i) => map[i] < 0))}.");
        }

        var images = new Dictionary<string, ScoredImage>(StringComparer.Ordinal);
        int alone = 0;
        foreach (var (path, sa) in a.Images)
        {
            if (!b.Images.TryGetValue(path, out var sb) || (sa.Probabilities is null && sb.Probabilities is null))
            {
                continue;
            }

            var mean = new double[a.Classes.Count];
            int best = 0;
            for (int c = 0; c < mean.Length; c++)
            {
                double pa = sa.Probabilities?[c] ?? double.NaN, pb = sb.Probabilities?[map[c]] ?? double.NaN;
                mean[c] = double.IsNaN(pa) ? pb : double.IsNaN(pb) ? pa : (pa + pb) / 2;
                best = mean[c] > mean[best] ? c : best;
            }

            alone += sa.Probabilities is null || sb.Probabilities is null ? 1 : 0;
            images[path] = new ScoredImage(sa.Label, a.Classes[best], mean);
        }

        return new ModelScores(name, "fusion", a.Classes, images,
            [$"mean of {a.Name} and {b.Name} probabilities over {a.Name}'s classes; on {alone} images only one of them had probabilities and was used alone"]);
    }
}
