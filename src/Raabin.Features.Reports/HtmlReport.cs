global using GenericChartT = Plotly.NET.GenericChart;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Raabin.Features.Evaluation;
using Raabin.Features.Explanations;
using Raabin.Features.IO;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Reports;

/// <summary>What <see cref="HtmlReport.Write"/> produced.</summary>
/// <param name="Kind">The folder's kind.</param>
/// <param name="Path">The HTML file.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="PlotlyBytes">Bytes of the embedded plotly.js.</param>
/// <param name="ThumbnailBytes">Bytes of the embedded thumbnails (base64).</param>
/// <param name="Cells">Prediction rows.</param>
/// <param name="GalleryCells">Cells in the gallery.</param>
/// <param name="Explained">Gallery cells with an explanation.</param>
/// <param name="Plots">Names of the plots, in page order.</param>
/// <param name="Absent">Sections left empty, each with the reason.</param>
/// <param name="Elapsed">Time taken.</param>
public sealed record ReportSummary(
    ReportFolderKind Kind, string Path, long Bytes, long PlotlyBytes, long ThumbnailBytes, int Cells, int GalleryCells, int Explained,
    IReadOnlyList<string> Plots, IReadOnlyList<string> Absent, TimeSpan Elapsed);

/// <summary>
/// One self-contained HTML page from an evaluate, predict or compare output folder: metrics with intervals, confusion
/// heatmaps, reliability, domain shift, feature distributions, permutation importance, coverage vs accuracy, the
/// differential count or the comparison table, and a filterable cell gallery whose cells open their explanation.
/// Everything is inline (plotly.js once, thumbnails as data: URIs); the page makes no network request.
/// </summary>
public static class HtmlReport
{
    /// <summary>The sections of every page, in order (id, heading); a section the folder cannot fill says why.</summary>
    public static IReadOnlyList<(string Id, string Heading)> Sections { get; } =
    [
        ("summary", "Summary"),
        ("metrics", "Metrics per test set (95 % intervals)"),
        ("confusion", "Confusion matrices"),
        ("reliability", "Reliability (calibration)"),
        ("shift", "Feature shift between domains"),
        ("distributions", "Feature distributions per class and domain"),
        ("importance", "Permutation importance"),
        ("reject", "Coverage vs accuracy (reject rule)"),
        ("differential", "Differential count"),
        ("comparison", "Model comparison"),
        ("gallery", "Cell gallery"),
    ];

    /// <summary>Reads <paramref name="folder"/> and writes the page to <paramref name="outputPath"/> (atomically).</summary>
    /// <exception cref="ReportInputException">The folder is not an output folder of evaluate, predict or compare.</exception>
    public static ReportSummary Write(string folder, string outputPath, ReportOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        log ??= _ => { };
        var watch = Stopwatch.StartNew();
        using var input = ReportFolder.Open(folder);
        string? modelPath = options.ModelPath;
        if (modelPath is null && input.Kind == ReportFolderKind.Evaluate)
        {
            // evaluate saves the model of each run; with one run it is the model of every row.
            var saved = Directory.GetFiles(input.Root, "model_*.json");
            if (saved.Length == 1)
            {
                modelPath = saved[0];
                log($"report: the model of the run: {Path.GetFileName(modelPath)}");
            }
            else if (saved.Length > 1)
            {
                log($"report: {saved.Length} runs each saved a model; give --model to choose the one to explain with");
            }
        }

        var model = modelPath is { } mp ? PipelineModel.Load(mp, options.ExternalLoader) : null;
        var page = new Page(input, options, model, log);
        string html = page.Build();
        string? dir = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        var bytes = new UTF8Encoding(false).GetBytes(html);
        AtomicFile.WriteAllBytes(outputPath, bytes);
        return new ReportSummary(input.Kind, outputPath, bytes.Length, page.PlotlyBytes, page.ThumbnailBytes, input.Predictions?.Rows.Count ?? 0,
            page.GalleryCount, page.ExplainedCount, page.PlotNames, page.Absent, watch.Elapsed);
    }

    private sealed class Page(ReportFolder input, ReportOptions options, PipelineModel? model, Action<string> log)
    {
        private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
        private readonly Plots _plots = new();
        private readonly Dictionary<string, StringBuilder> _sections = Sections.ToDictionary(s => s.Id, _ => new StringBuilder());
        private readonly List<string> _absent = [];
        private readonly List<string> _notes = [];
        private Dictionary<string, CellMeasurement> _cells = [];
        private FeatureBinding? _binding;
        private IReadOnlyList<string> _featureIds = [];
        private Dictionary<string, FeatureRow>? _csvFeatures;
        private List<int> _gallery = [];
        private string? _noExplanation;

        public long PlotlyBytes { get; private set; }

        public long ThumbnailBytes { get; private set; }

        public int GalleryCount => _gallery.Count;

        public int ExplainedCount { get; private set; }

        public IReadOnlyList<string> PlotNames => _plots.Rendered;

        public IReadOnlyList<string> Absent => _absent;

        private IReadOnlyList<PredictionRow> Rows => input.Predictions?.Rows ?? [];

        public string Build()
        {
            Prepare();
            Metrics();
            Confusion();
            Reliability();
            Shift();
            var importance = Importance();
            Distributions(importance);
            Reject();
            Differential();
            Comparison();
            Gallery();
            Summary();
            return Assemble();
        }

        private void Say(string section, string html) => _sections[section].Append(html).Append('\n');

        private void Missing(string section, string why)
        {
            _sections[section].Append("<p class=\"absent\">Not shown: ").Append(Html.Text(why)).Append("</p>\n");
            _absent.Add($"{section}: {why}");
        }

        // ---- cells: images, features, gallery sample ----
        private void Prepare()
        {
            if (Rows.Count == 0)
            {
                return;
            }

            _gallery = GallerySample(Rows, options.MaxGallery, options.Seed);
            var roots = options.ImageRoots.Count > 0 ? options.ImageRoots
                : input.Kind == ReportFolderKind.Predict ? [input.Root] : [input.Root, Directory.GetCurrentDirectory()];
            if (options.FeaturesPath is { } fp)
            {
                var table = FeatureTable.Load(fp);
                _csvFeatures = JoinFeatures(table);
                _featureIds = table.FeatureIds;
                if (model is not null)
                {
                    _binding = model.Bind(table);
                }
            }

            _cells = CellMeasurements.Measure(Rows, roots, model, _gallery.ToHashSet(), measureAll: _csvFeatures is null, options.ThumbnailSize, options.Jobs, log);
            if (model is not null && _csvFeatures is null)
            {
                _featureIds = model.ExtractorFeatureIds;
                _binding = model.Bind(_featureIds, "the measured cells");
            }

            int missing = Rows.Select(CellMeasurements.Key).Distinct().Count(k => _cells[k].FullPath is null);
            if (missing > 0)
            {
                var first = Rows.First(r => _cells[CellMeasurements.Key(r)].FullPath is null);
                _notes.Add($"{missing} images not found under {string.Join(", ", roots)} (first: {first.Path}{(first.Dataset.Length > 0 ? $" of dataset {first.Dataset}" : string.Empty)}); give --images-root");
            }
        }

        private Dictionary<string, FeatureRow> JoinFeatures(FeatureTable table)
        {
            var byPath = new Dictionary<string, FeatureRow>(StringComparer.Ordinal);
            var byName = new Dictionary<string, FeatureRow?>(StringComparer.Ordinal);
            foreach (var row in table.Rows)
            {
                byPath.TryAdd(row.Path, row);
                string name = Path.GetFileName(row.Path);
                byName[name] = byName.ContainsKey(name) ? null : row;
            }

            var joined = new Dictionary<string, FeatureRow>(StringComparer.Ordinal);
            foreach (var r in Rows)
            {
                if (byPath.TryGetValue(r.Path, out var f) || (byName.TryGetValue(Path.GetFileName(r.Path), out f) && f is not null))
                {
                    joined[CellMeasurements.Key(r)] = f;
                }
            }

            _notes.Add($"features from {table.Source}: {joined.Count} of {Rows.Select(CellMeasurements.Key).Distinct().Count()} cells joined by path (else unique file name)");
            return joined;
        }

        private FeatureRow? Features(PredictionRow r)
        {
            string key = CellMeasurements.Key(r);
            if (_csvFeatures is not null)
            {
                return _csvFeatures.GetValueOrDefault(key);
            }

            return _cells.TryGetValue(key, out var m) ? m.Row : null;
        }

        /// <summary>
        /// All rows when they fit; else the misclassified first (a seeded shuffle, up to half the cap), then the rest
        /// round-robin over (test set, class) groups in seeded order; returned in file order.
        /// </summary>
        internal static List<int> GallerySample(IReadOnlyList<PredictionRow> rows, int cap, ulong seed)
        {
            if (rows.Count <= cap)
            {
                return [.. rows.Select(r => r.Index)];
            }

            var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
            var chosen = new HashSet<int>();
            foreach (var r in rows.Where(r => r.Misclassified).OrderBy(_ => random.Next()).Take(cap / 2))
            {
                chosen.Add(r.Index);
            }

            var queues = rows.Where(r => !chosen.Contains(r.Index)).GroupBy(r => (r.TestSet, r.Label))
                .OrderBy(g => g.Key.TestSet, StringComparer.Ordinal).ThenBy(g => g.Key.Label, StringComparer.Ordinal)
                .Select(g => new Queue<PredictionRow>(g.OrderBy(_ => random.Next()))).ToList();
            while (chosen.Count < cap && queues.Count > 0)
            {
                foreach (var q in queues.ToList())
                {
                    if (chosen.Count >= cap)
                    {
                        break;
                    }

                    if (q.Count == 0)
                    {
                        queues.Remove(q);
                        continue;
                    }

                    chosen.Add(q.Dequeue().Index);
                }
            }

            return [.. chosen.Order()];
        }

        // ---- summary ----
        private void Summary()
        {
            var s = new StringBuilder("<dl class=\"facts\">");
            void Fact(string k, string v) => s.Append("<dt>").Append(Html.Text(k)).Append("</dt><dd>").Append(Html.Text(v)).Append("</dd>");
            Fact("folder", input.Root);
            Fact("written by", $"raabin {input.Kind.ToString().ToLowerInvariant()}");
            if (input.Predictions is { } p)
            {
                Fact("predictions", $"{p.Rows.Count} rows in {Path.GetFileName(p.Source)}; {p.Rows.Count(r => r.Misclassified)} misclassified (label ≠ prediction)");
            }

            if (input.Kind == ReportFolderKind.Evaluate && input.Json is { } json)
            {
                foreach (var run in json.RootElement.EnumerateArray())
                {
                    Fact($"run {Str(run, "run")}", $"trained on {string.Join(", ", run.GetProperty("train").EnumerateArray().Select(t => t.GetString()))}; " +
                        $"segmenter {Str(run, "segmenter")}, extractor {Str(run, "extractor")}, decision rule {Str(run, "decisionRule")}");
                }
            }

            Fact("model", model is null ? "none given (--model): no contours, explanations, distributions or importance from a model" : $"{model.Source}: {model.Classes.Count} classes, {model.FeatureIds.Count} features, segmenter {model.Segmenter}, extractor {model.Extractor}, decision rule {model.DecisionRule.ToString().ToLowerInvariant()}");
            if (model is not null && Rows.Count > 0)
            {
                foreach (var g in Rows.GroupBy(r => r.Run))
                {
                    var (agree, compared) = Agreement(g);
                    if (compared > 0)
                    {
                        Fact(g.Key.Length > 0 ? $"model vs run {g.Key}" : "model vs predictions",
                            $"the model repeats the prediction in the file for {agree} of {compared} measured cells" + (agree == compared ? " (it is the model that predicted them)" : " (not the same model: explanations are the given model's)"));
                    }
                }
            }

            foreach (string n in _notes)
            {
                Fact("note", n);
            }

            Fact("plotly.js", $"{Plots.PlotlyVersion}, embedded once (no network request)");
            Fact("toolkit", PipelineModel.ToolkitVersion);
            s.Append("</dl>");
            Say("summary", s.ToString());
        }

        private (int Agree, int Compared) Agreement(IEnumerable<PredictionRow> rows)
        {
            int agree = 0, compared = 0;
            foreach (var r in rows)
            {
                if (Features(r) is { } f && model!.ClassifierInput(f, _binding!) is { } values)
                {
                    compared++;
                    string label = model.Classifier.Predict(values).Label;
                    agree += string.Equals(label, r.Predicted, StringComparison.Ordinal) ? 1 : 0;
                }
            }

            return (agree, compared);
        }

        // ---- metrics ----
        private void Metrics()
        {
            if (input.Kind != ReportFolderKind.Evaluate || input.Json is null)
            {
                Missing("metrics", input.Kind == ReportFolderKind.Compare ? "see the model comparison below (compare writes metrics per model)" : "predict writes no metrics.json (labels are not known to be complete); see the differential count");
                return;
            }

            var names = new List<string>();
            var acc = new List<(double E, double L, double U)>();
            var bal = new List<(double E, double L, double U)>();
            foreach (var run in input.Json.RootElement.EnumerateArray())
            {
                var t = new StringBuilder($"<h3>{Html.Text(Str(run, "run"))}</h3><table class=\"metrics\"><tr><th>test set</th><th>cells</th><th>rejected</th><th>accuracy [95 % CI]</th><th>macro-F1 [95 % CI]</th><th>balanced accuracy [95 % CI]</th><th>Cohen κ [95 % CI]</th><th>MCC</th></tr>");
                var perClass = new StringBuilder();
                foreach (var test in run.GetProperty("tests").EnumerateArray())
                {
                    var m = test.GetProperty("metrics");
                    var ci = test.GetProperty("intervals");
                    t.Append(Inv, $"<tr><td>{Html.Text(Str(test, "name"))}</td><td>{Num(test, "images"):F0}</td><td>{Num(test, "rejected"):F0}</td>")
                        .Append($"<td>{Ci(ci, "accuracy")}</td><td>{Ci(ci, "macroF1")}</td><td>{Ci(ci, "balancedAccuracy")}</td><td>{Ci(ci, "cohenKappa")}</td><td>{Html.F(Num(m, "matthewsCorrelation"))}</td></tr>");
                    names.Add($"{Str(run, "run")} → {Str(test, "name")}");
                    acc.Add(Triple(ci, "accuracy"));
                    bal.Add(Triple(ci, "balancedAccuracy"));
                    var pc = new StringBuilder("<details><summary>per class: ").Append(Html.Text(Str(test, "name"))).Append("</summary><table><tr><th>class</th><th>n</th><th>precision</th><th>sensitivity</th><th>F1</th></tr>");
                    foreach (var c in m.GetProperty("perClass").EnumerateArray())
                    {
                        pc.Append($"<tr><td>{Html.Text(Str(c, "class"))}</td><td>{Html.F(Num(c, "support"), "F0")}</td><td>{Html.F(Num(c, "precision"))}</td><td>{Html.F(Num(c, "recall"))}</td><td>{Html.F(Num(c, "f1"))}</td></tr>");
                    }

                    perClass.Append(pc.Append("</table></details>"));
                }

                Say("metrics", t.Append("</table>").Append(perClass).ToString());
            }

            var chart = Plotly.NET.CSharp.Chart.Combine(
            [
                ErrorBars(Plotly.NET.CSharp.Chart.Column<double, string, string>(acc.Select(a => a.E), Keys: names, Name: "accuracy"), acc),
                ErrorBars(Plotly.NET.CSharp.Chart.Column<double, string, string>(bal.Select(a => a.E), Keys: names, Name: "balanced accuracy"), bal),
            ]);
            Say("metrics", _plots.Render("metrics", Titled(chart, "Accuracy and balanced accuracy with 95 % bootstrap intervals"), 720, 380));
        }

        private static GenericChartT ErrorBars(GenericChartT chart, IReadOnlyList<(double E, double L, double U)> ci) =>
            Plots.WithError(chart, "error_y", ci.Select(c => c.U - c.E), ci.Select(c => c.E - c.L));

        private static GenericChartT Titled(GenericChartT chart, string title) => Plotly.NET.Chart.withTitle(title, null).Invoke(chart);

        private static (double, double, double) Triple(JsonElement ci, string name) =>
            ci.TryGetProperty(name, out var x) ? (Num(x, "estimate"), Num(x, "lower"), Num(x, "upper")) : (double.NaN, double.NaN, double.NaN);

        private static string Ci(JsonElement ci, string name)
        {
            var (e, l, u) = Triple(ci, name);
            return Html.Interval(e, l, u);
        }

        // ---- confusion ----
        private void Confusion()
        {
            if (input.ConfusionFiles.Count == 0)
            {
                Missing("confusion", input.Kind == ReportFolderKind.Evaluate ? "no confusion_<run>_<set>.csv in the folder" : $"{input.Kind.ToString().ToLowerInvariant()} writes no confusion_*.csv");
                return;
            }

            foreach (string file in input.ConfusionFiles)
            {
                var table = CsvTable.Load(file);
                var predicted = table.Header.Skip(1).ToList();
                var truth = table.Rows.Select(r => r[0]).ToList();
                var z = table.Rows.Select((r, i) => Enumerable.Range(1, predicted.Count).Select(c => table.GetDouble(i, c)).ToArray()).ToList();
                string name = ReportFolder.Suffix(file, "confusion_");
                var chart = Plotly.NET.CSharp.Chart.Heatmap<double, string, string, string>(
                    z, X: predicted, Y: truth, ReverseYAxis: true);
                foreach (var trace in Plotly.NET.GenericChart.getTraces(chart))
                {
                    trace.SetProperty("texttemplate", "%{z}");
                }

                chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: "predicted");
                chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "true");
                Say("confusion", _plots.Render("confusion:" + name, Titled(chart, name), 520, 460));
            }
        }

        // ---- reliability ----
        private void Reliability()
        {
            var groups = Rows.Where(r => r.Probability is not null && r.Predicted is not null && r.Label.Length > 0)
                .GroupBy(r => (r.Run, r.TestSet)).ToList();
            if (groups.Count > 0)
            {
                var charts = new List<GenericChartT>
                {
                    Plotly.NET.CSharp.Chart.Line<double, double, string>([0.0, 1.0], [0.0, 1.0], Name: "perfect calibration", LineDash: Plotly.NET.StyleParam.DrawingStyle.Dash),
                };
                var text = new StringBuilder("<table><tr><th>run → test set</th><th>cells with a probability</th><th>ECE (10 bins)</th><th>MCE</th></tr>");
                foreach (var g in groups)
                {
                    var conf = g.Select(r => r.Probability!.Value).ToArray();
                    var correct = g.Select(r => !r.Misclassified).ToArray();
                    var cal = Calibration.TopLabel(conf, correct, 10);
                    var bins = cal.Bins.Where(b => b.Count > 0).ToList();
                    string name = g.Key.Run.Length > 0 ? $"{g.Key.Run} → {g.Key.TestSet}" : g.Key.TestSet;
                    charts.Add(Plotly.NET.CSharp.Chart.Line<double, double, string>(bins.Select(b => b.MeanConfidence), bins.Select(b => b.Accuracy), ShowMarkers: true, Name: name,
                        MultiText: bins.Select(b => $"{b.Count} cells").ToList()));
                    text.Append($"<tr><td>{Html.Text(name)}</td><td>{conf.Length}</td><td>{Html.F(cal.ExpectedCalibrationError)}</td><td>{Html.F(cal.MaximumCalibrationError)}</td></tr>");
                }

                var chart = Plotly.NET.CSharp.Chart.Combine(charts);
                chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: "confidence (probability of the predicted label)", MinMax: new Tuple<double, double>(0, 1));
                chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "accuracy", MinMax: new Tuple<double, double>(0, 1));
                Say("reliability", _plots.Render("reliability", Titled(chart, "Reliability diagram (top label, 10 equal-width bins; non-empty bins)"), 640, 480));
                Say("reliability", text.Append("</table>").ToString());
                return;
            }

            if (input.Kind == ReportFolderKind.Compare && input.Json is { } json)
            {
                var charts = new List<GenericChartT>
                {
                    Plotly.NET.CSharp.Chart.Line<double, double, string>([0.0, 1.0], [0.0, 1.0], Name: "perfect calibration", LineDash: Plotly.NET.StyleParam.DrawingStyle.Dash),
                };
                foreach (var set in json.RootElement.GetProperty("sets").EnumerateArray())
                {
                    foreach (var m in set.GetProperty("models").EnumerateArray())
                    {
                        if (m.TryGetProperty("calibration", out var cal) && cal.ValueKind == JsonValueKind.Object && cal.TryGetProperty("bins", out var bins))
                        {
                            var nonEmpty = bins.EnumerateArray().Where(b => Num(b, "count") > 0).ToList();
                            charts.Add(Plotly.NET.CSharp.Chart.Line<double, double, string>(nonEmpty.Select(b => Num(b, "meanConfidence")), nonEmpty.Select(b => Num(b, "accuracy")),
                                ShowMarkers: true, Name: $"{Str(set, "set")}: {Str(m, "model")}"));
                        }
                    }
                }

                if (charts.Count > 1)
                {
                    var chart = Plotly.NET.CSharp.Chart.Combine(charts);
                    chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: "confidence", MinMax: new Tuple<double, double>(0, 1));
                    chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "accuracy", MinMax: new Tuple<double, double>(0, 1));
                    Say("reliability", _plots.Render("reliability", Titled(chart, "Reliability per model (from comparison.json)"), 640, 480));
                    return;
                }
            }

            Missing("reliability", Rows.Count == 0 ? "no per-cell probabilities in this folder" : "predictions.csv has no probability column (model trained with --no-probability) or no labelled cells");
        }

        // ---- shift ----
        private void Shift()
        {
            if (input.ShiftFiles.Count == 0)
            {
                Missing("shift", input.Kind == ReportFolderKind.Evaluate ? "no shift_<run>.csv in the folder" : $"{input.Kind.ToString().ToLowerInvariant()} has no training domain to compare with (evaluate writes shift_<run>.csv)");
                return;
            }

            foreach (string file in input.ShiftFiles)
            {
                var table = CsvTable.Load(file);
                int set = table.RequireColumn("test_set"), feature = table.RequireColumn("feature"), smd = table.RequireColumn("smd"), ks = table.RequireColumn("ks_statistic");
                var rows = Enumerable.Range(0, table.Rows.Count).Select(i => (Set: table.Rows[i][set], Feature: table.Rows[i][feature], Smd: table.GetDouble(i, smd), Ks: table.GetDouble(i, ks))).ToList();
                var top = rows.GroupBy(r => r.Feature).Select(g => (Feature: g.Key, Max: g.Max(r => Math.Abs(r.Smd)))).OrderByDescending(x => x.Max).Take(15).Select(x => x.Feature).Reverse().ToList();
                var charts = rows.GroupBy(r => r.Set).Select(g =>
                {
                    var bySet = g.ToDictionary(r => r.Feature, r => r.Smd);
                    return Plotly.NET.CSharp.Chart.Bar<double, string, string>(top.Select(f => bySet.GetValueOrDefault(f, double.NaN)), Keys: top, Name: g.Key);
                }).ToList();
                var chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(Plotly.NET.CSharp.Chart.Combine(charts),
                    TitleText: "standardised mean difference (test − train) / pooled SD");
                string name = ReportFolder.Suffix(file, "shift_");
                Say("shift", _plots.Render("shift:" + name, Titled(chart, $"{name}: the 15 features that shift most"), 760, 520));
            }
        }

        // ---- importance ----
        private List<string>? Importance()
        {
            if (model is null || _binding is null)
            {
                Missing("importance", model is null ? "needs the model (--model) and features" : "needs features: images not found and no --features-csv");
                return null;
            }

            if (options.ImportanceRepeats == 0)
            {
                Missing("importance", "--importance-repeats 0");
                return null;
            }

            var explainer = new GlobalExplainer(model, new PermutationImportanceOptions { Repeats = options.ImportanceRepeats, Seed = options.Seed, MaxDegreeOfParallelism = options.Jobs == 0 ? -1 : options.Jobs });
            List<string>? ranking = null;
            var charts = new List<GenericChartT>();
            var watch = Stopwatch.StartNew();
            foreach (var g in Rows.GroupBy(r => (r.Run, r.TestSet)))
            {
                var usable = g.Where(r => model.Classes.Contains(r.Label)).Select(r => (r.Label, Values: Features(r) is { } f ? model.ClassifierInput(f, _binding) : null))
                    .Where(x => x.Values is not null).ToList();
                if (usable.Count < 2)
                {
                    continue;
                }

                string name = g.Key.Run.Length > 0 ? $"{g.Key.Run} → {g.Key.TestSet}" : g.Key.TestSet;
                var pi = explainer.PermutationImportance(usable.Select(u => u.Values!).ToList(), usable.Select(u => u.Label).ToList(), name);
                ranking ??= pi.Features.Select(f => f.FeatureId).ToList();
                var top = pi.Features.Take(15).Reverse().ToList();
                var bar = Plotly.NET.CSharp.Chart.Bar<double, string, string>(top.Select(f => f.MeanDrop), Keys: top.Select(f => f.FeatureId).ToList(), Name: name);
                charts.Add(Plots.WithError(bar, "error_x", top.Select(f => f.Upper - f.MeanDrop), top.Select(f => f.MeanDrop - f.Lower)));
            }

            if (charts.Count == 0)
            {
                Missing("importance", "no test set has two or more measured cells with a label the model knows");
                return null;
            }

            log(FormattableString.Invariant($"report: permutation importance in {watch.Elapsed.TotalSeconds:F1} s"));
            var chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(Plotly.NET.CSharp.Chart.Combine(charts),
                TitleText: "drop of macro-F1 when the feature is shuffled");
            Say("importance", _plots.Render("importance", Titled(chart, $"Permutation importance ({options.ImportanceRepeats} shuffles per feature; bars: 2.5–97.5 % of the drops), top 15 per test set"), 760, 560));
            Say("importance", "<p class=\"note\">The model given (--model) on each test set's measured cells. The interval is the spread over shuffles, not the test set's sampling error.</p>");
            return ranking;
        }

        // ---- distributions ----
        private void Distributions(List<string>? ranking)
        {
            if (_featureIds.Count == 0)
            {
                Missing("distributions", "no features: give --model (the cells are measured again with its pipeline) or --features-csv FILE.csv");
                return;
            }

            if (options.DistributionFeatures == 0)
            {
                Missing("distributions", "--distribution-features 0");
                return;
            }

            // One value per distinct image (a cell tested in several runs counts once), from the features found.
            var cells = Rows.GroupBy(CellMeasurements.Key).Select(g => (Row: g.First(), Features: Features(g.First()))).Where(x => x.Features is { IsOk: true }).ToList();
            if (cells.Count == 0)
            {
                Missing("distributions", "no cell was measured (images not found, or every segmentation failed)");
                return;
            }

            var chosen = (ranking ?? ShiftRanking() ?? _featureIds.ToList()).Where(_featureIds.Contains).Take(options.DistributionFeatures).ToList();
            foreach (string id in chosen)
            {
                int column = _featureIds.ToList().IndexOf(id);
                var charts = cells.GroupBy(c => c.Row.Domain).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
                    Plotly.NET.CSharp.Chart.BoxPlot<string, double, string>(X: g.Select(c => c.Row.Label.Length > 0 ? c.Row.Label : "(unlabelled)").ToList(),
                        Y: g.Select(c => c.Features!.Values[column]).ToList(), Name: g.Key)).ToList();
                var chart = Plots.WithLayout(Plotly.NET.CSharp.Chart.Combine(charts), "boxmode", "group");
                var entry = FeatureCatalog.Find(id);
                chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: entry is null ? id : $"{id} ({entry.Unit})");
                Say("distributions", _plots.Render("distribution:" + id, Titled(chart, $"{id} by true class, one box per domain"), 700, 400));
            }

            Say("distributions", $"<p class=\"note\">{cells.Count} measured test cells; features ranked by {(ranking is not null ? "permutation importance" : "domain shift")}. Training cells are not in the folder, so only test domains appear.</p>");
        }

        private List<string>? ShiftRanking()
        {
            if (input.ShiftFiles.Count == 0)
            {
                return null;
            }

            var table = CsvTable.Load(input.ShiftFiles[0]);
            int feature = table.RequireColumn("feature"), smd = table.RequireColumn("smd");
            return [.. Enumerable.Range(0, table.Rows.Count).Select(i => (F: table.Rows[i][feature], S: Math.Abs(table.GetDouble(i, smd))))
                .GroupBy(x => x.F).OrderByDescending(g => g.Max(x => x.S)).Select(g => g.Key)];
        }

        // ---- reject ----
        private void Reject()
        {
            if (input.RejectFiles.Count == 0)
            {
                Missing("reject", input.Kind == ReportFolderKind.Evaluate ? "no reject_<run>.csv in the folder (written by evaluate of this version)" : $"{input.Kind.ToString().ToLowerInvariant()} writes no reject_*.csv (evaluate does)");
                return;
            }

            foreach (string file in input.RejectFiles)
            {
                var table = CsvTable.Load(file);
                int set = table.RequireColumn("test_set"), threshold = table.RequireColumn("threshold"), coverage = table.RequireColumn("coverage"), accuracy = table.RequireColumn("accuracy_of_labelled");
                var charts = Enumerable.Range(0, table.Rows.Count).GroupBy(i => table.Rows[i][set]).Select(g =>
                    Plotly.NET.CSharp.Chart.Line<double, double, string>(g.Select(i => table.GetDouble(i, coverage)), g.Select(i => table.GetDouble(i, accuracy)), ShowMarkers: true, Name: g.Key,
                        MultiText: g.Select(i => "reject below " + table.Rows[i][threshold]).ToList())).ToList();
                var chart = Plotly.NET.CSharp.Chart.Combine(charts);
                chart = Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: "coverage (share of cells labelled)");
                chart = Plotly.NET.CSharp.GenericChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "accuracy of the labelled cells");
                string name = ReportFolder.Suffix(file, "reject_");
                Say("reject", _plots.Render("reject:" + name, Titled(chart, $"{name}: coverage vs accuracy per reject threshold (hover for the threshold)"), 640, 420));
            }
        }

        // ---- differential ----
        private void Differential()
        {
            if (input.DifferentialFile is not { } file)
            {
                Missing("differential", $"{input.Kind.ToString().ToLowerInvariant()} writes no differential count (predict does: NAME.differential.csv)");
                return;
            }

            var table = CsvTable.Load(file);
            int cls = table.RequireColumn("class"), cells = table.RequireColumn("cells"), fraction = table.RequireColumn("fraction"), lo = table.RequireColumn("ci_low"), hi = table.RequireColumn("ci_high");
            var rows = Enumerable.Range(0, table.Rows.Count).Select(i => (Class: table.Rows[i][cls], Cells: table.Rows[i][cells], F: table.GetDouble(i, fraction), L: table.GetDouble(i, lo), U: table.GetDouble(i, hi))).ToList();
            var t = new StringBuilder("<table><tr><th>class</th><th>cells</th><th>per 100</th><th>95 % Wilson interval</th></tr>");
            foreach (var r in rows)
            {
                t.Append(Inv, $"<tr><td>{Html.Text(r.Class)}</td><td>{Html.Text(r.Cells)}</td><td>{100 * r.F:F1}</td><td>[{100 * r.L:F1}, {100 * r.U:F1}]</td></tr>");
            }

            Say("differential", t.Append("</table><p class=\"note\">The intervals cover sampling, not misclassification.</p>").ToString());
            var chart = ErrorBars(Plotly.NET.CSharp.Chart.Column<double, string, string>(rows.Select(r => 100 * r.F), Keys: rows.Select(r => r.Class).ToList(), Name: "per 100 cells"),
                rows.Select(r => (100 * r.F, 100 * r.L, 100 * r.U)).ToList());
            Say("differential", _plots.Render("differential", Titled(chart, "Differential count per 100 cells, 95 % Wilson intervals"), 640, 400));
        }

        // ---- comparison ----
        private void Comparison()
        {
            if (input.Kind != ReportFolderKind.Compare || input.Json is null)
            {
                Missing("comparison", $"{input.Kind.ToString().ToLowerInvariant()} output; the side-by-side table comes from `raabin compare`");
                return;
            }

            var names = new List<string>();
            var acc = new List<(double E, double L, double U)>();
            foreach (var set in input.Json.RootElement.GetProperty("sets").EnumerateArray())
            {
                var t = new StringBuilder($"<h3>{Html.Text(Str(set, "set"))} ({Num(set, "pairedImages").ToString("F0", Inv)} images scored by every model)</h3>")
                    .Append("<table class=\"comparison\"><tr><th>model</th><th>kind</th><th>accuracy [95 % CI]</th><th>macro-F1 [95 % CI]</th><th>balanced accuracy</th><th>κ</th><th>MCC</th><th>ECE</th><th>rejected</th></tr>");
                foreach (var m in set.GetProperty("models").EnumerateArray())
                {
                    var metrics = m.GetProperty("metrics");
                    var ci = m.GetProperty("intervals");
                    double ece = m.TryGetProperty("calibration", out var cal) && cal.ValueKind == JsonValueKind.Object ? Num(cal, "expectedCalibrationError") : double.NaN;
                    t.Append($"<tr><td>{Html.Text(Str(m, "model"))}</td><td>{Html.Text(Str(m, "kind"))}</td><td>{Ci(ci, "accuracy")}</td><td>{Ci(ci, "macroF1")}</td>")
                        .Append($"<td>{Html.F(Num(metrics, "balancedAccuracy"))}</td><td>{Html.F(Num(metrics, "cohenKappa"))}</td><td>{Html.F(Num(metrics, "matthewsCorrelation"))}</td><td>{Html.F(ece)}</td><td>{Html.F(Num(m, "rejected"), "F0")}</td></tr>");
                    names.Add($"{Str(set, "set")}: {Str(m, "model")}");
                    acc.Add(Triple(ci, "accuracy"));
                }

                t.Append("</table><table class=\"pairs\"><tr><th>A vs B</th><th>accuracy A − B [95 % CI]</th><th>macro-F1 A − B [95 % CI]</th><th>McNemar b / c</th><th>p</th><th>κ between</th></tr>");
                foreach (var p in set.GetProperty("pairs").EnumerateArray())
                {
                    var r = p.GetProperty("result");
                    var mc = r.GetProperty("mcNemar");
                    t.Append($"<tr><td>{Html.Text(Str(p, "modelA"))} vs {Html.Text(Str(p, "modelB"))}</td><td>{Ci(r, "accuracyDifference")}</td><td>{Ci(r, "macroF1Difference")}</td>")
                        .Append($"<td>{Html.F(Num(mc, "onlyFirstCorrect"), "F0")} / {Html.F(Num(mc, "onlySecondCorrect"), "F0")}</td><td>{Html.F(Num(mc, "pValue"), "G4")}</td><td>{Html.F(Num(r, "predictionKappa"))}</td></tr>");
                }

                Say("comparison", t.Append("</table>").ToString());
            }

            Say("comparison", _plots.Render("comparison", Titled(ErrorBars(Plotly.NET.CSharp.Chart.Column<double, string, string>(acc.Select(a => a.E), Keys: names, Name: "accuracy"), acc),
                "Accuracy per model and test set, 95 % bootstrap intervals"), 760, 420));
        }

        // ---- gallery ----
        private void Gallery()
        {
            if (Rows.Count == 0)
            {
                Missing("gallery", "compare output has no per-cell rows (it reads predictions written elsewhere)");
                return;
            }

            if (options.MaxGallery == 0)
            {
                Missing("gallery", "--max-gallery 0");
                return;
            }

            CellExplainer? explainer = null;
            if (model is not null && _binding is not null)
            {
                try
                {
                    explainer = new CellExplainer(model, ExplainerOptions.Default with { SearchCounterfactual = options.Counterfactual });
                }
                catch (ArgumentException e)
                {
                    // An old model without class statistics: the gallery stays, its explanations say why they are absent.
                    _noExplanation = e.Message;
                    _notes.Add("no explanations: " + e.Message);
                }
            }

            var classes = Rows.Select(r => r.Label).Where(l => l.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
            var domains = Rows.Select(r => r.Domain).Distinct().Order(StringComparer.Ordinal).ToList();
            var g = new StringBuilder();
            g.Append(Inv, $"<p class=\"note\">{_gallery.Count} of {Rows.Count} cells")
                .Append(_gallery.Count < Rows.Count ? Html.Text($" (capped by --max-gallery: misclassified first, up to half, then every test set and class in turn; seed {options.Seed})") : string.Empty)
                .Append(Html.Text(model is null ? ". Thumbnails without contours: no model given." : $". Contours: {Reporting.SegmentationOverlay.Legend}."))
                .Append(" Click a cell for its explanation.</p>");
            g.Append("<div class=\"filters\"><label>show <select id=\"filter-view\"><option value=\"all\">all</option><option value=\"misclassified\">misclassified</option><option value=\"correct\">correct</option><option value=\"low\">low confidence</option></select></label>")
                .Append(Inv, $" <label>below <input id=\"low-confidence\" type=\"number\" min=\"0\" max=\"1\" step=\"0.05\" value=\"{ReportOptions.DefaultLowConfidence}\"></label>")
                .Append(" <label>true class <select id=\"filter-class\"><option value=\"\">any</option>").Append(string.Concat(classes.Select(c => $"<option>{Html.Text(c)}</option>"))).Append("</select></label>")
                .Append(" <label>domain <select id=\"filter-domain\"><option value=\"\">any</option>").Append(string.Concat(domains.Select(c => $"<option>{Html.Text(c)}</option>"))).Append("</select></label>")
                .Append(" <span id=\"gallery-count\"></span></div>");
            g.Append("<div id=\"explanation\" class=\"explanation\" hidden></div><div id=\"cells\" class=\"cells\">");
            var templates = new StringBuilder();
            var watch = Stopwatch.StartNew();
            foreach (int index in _gallery)
            {
                var r = Rows[index];
                var m = _cells.GetValueOrDefault(CellMeasurements.Key(r));
                string img = m?.Thumbnail is { } png ? "data:image/png;base64," + Convert.ToBase64String(png) : string.Empty;
                ThumbnailBytes += img.Length;
                string conf = r.Probability is { } p ? p.ToString("R", Inv) : string.Empty;
                g.Append(Inv, $"<figure class=\"cell{(r.Misclassified ? " wrong" : string.Empty)}\" tabindex=\"0\" data-row=\"{r.Index}\" data-label=\"{Html.Attr(r.Label)}\" data-pred=\"{Html.Attr(r.Predicted)}\" ")
                    .Append(Inv, $"data-domain=\"{Html.Attr(r.Domain)}\" data-set=\"{Html.Attr(r.TestSet)}\" data-misclassified=\"{(r.Misclassified ? "true" : "false")}\" data-confidence=\"{conf}\">");
                g.Append(img.Length > 0
                    ? $"<img src=\"{img}\" width=\"{options.ThumbnailSize}\" height=\"{options.ThumbnailSize}\" alt=\"{Html.Attr(r.Path)}\">"
                    : $"<div class=\"noimage\" style=\"width:{options.ThumbnailSize}px;height:{options.ThumbnailSize}px\">{Html.Text(m?.FullPath is null ? "image not found" : "not decoded")}</div>");
                g.Append($"<figcaption>{Html.Text(r.Label.Length > 0 ? r.Label : "?")} → {Html.Text(r.Predicted ?? r.Status)}{(r.Probability is { } q ? " " + q.ToString("F2", Inv) : string.Empty)}</figcaption></figure>");
                templates.Append(Inv, $"<template id=\"why-{r.Index}\">").Append(Explanation(r, m, explainer)).Append("</template>");
            }

            if (explainer is not null)
            {
                log(FormattableString.Invariant($"report: {ExplainedCount} cells explained in {watch.Elapsed.TotalSeconds:F1} s (counterfactual {(options.Counterfactual ? "searched" : "not searched")})"));
            }

            Say("gallery", g.Append("</div>").Append(templates).ToString());
        }

        private string Explanation(PredictionRow r, CellMeasurement? m, CellExplainer? explainer)
        {
            var e = new StringBuilder();
            e.Append($"<h3>{Html.Text(r.Path)}</h3><p>labelled <b>{Html.Text(r.Label.Length > 0 ? r.Label : "(none)")}</b>, predicted <b>{Html.Text(r.Predicted ?? "(none: " + r.Status + ")")}</b>")
                .Append(r.Probability is { } p ? $" with probability {Html.F(p, "F3")}" : string.Empty)
                .Append(Html.Text(r.Run.Length > 0 ? $" (run {r.Run}, test set {r.TestSet}, domain {r.Domain})" : $" (domain {r.Domain})")).Append("</p>");
            if (explainer is null)
            {
                string reason = model is null ? "no model given (--model)." : _noExplanation ?? "no features (images not found and no --features-csv).";
                return e.Append("<p class=\"absent\">No explanation: ").Append(Html.Text(reason)).Append("</p>").ToString();
            }

            var features = Features(r);
            if (features is null || model!.ClassifierInput(features, _binding!) is not { } values)
            {
                string why = m?.FullPath is null && _csvFeatures is null ? "image not found (--images-root)" : features is null ? "no features for this cell" : $"{features.Status}{(features.Error is null ? string.Empty : ": " + features.Error)}";
                return e.Append("<p class=\"absent\">No explanation: ").Append(Html.Text(why)).Append("</p>").ToString();
            }

            var why2 = explainer.Explain(values);
            ExplainedCount++;
            e.Append($"<p class=\"verdict\">The model says <b>{Html.Text(why2.PredictedClass)}</b> rather than <b>{Html.Text(why2.RunnerUpClass)}</b> (runner-up by {why2.RunnerUpRule.ToString().ToLowerInvariant()})")
                .Append(string.Equals(why2.PredictedClass, r.Predicted, StringComparison.Ordinal) ? "." : Html.Text($"; the file says {r.Predicted ?? "nothing"} (another model or rule made it)."))
                .Append("</p>");
            e.Append("<table class=\"why\"><tr><th>feature</th><th>value</th><th>SD from ").Append(Html.Text(why2.PredictedClass)).Append("</th><th>SD from ").Append(Html.Text(why2.RunnerUpClass)).Append("</th><th>support</th></tr>");
            foreach (var f in why2.Features.Take(6).Concat(why2.Features.TakeLast(2)))
            {
                e.Append($"<tr class=\"{(f.Support >= 0 ? "for" : "against")}\"><td>{Html.Text(f.FeatureId)}</td><td>{Html.F(f.Value, "G4")} {Html.Text(f.Unit)}</td><td>{Html.F(f.DeviationFromPredicted, "+0.0;-0.0;0.0")}</td><td>{Html.F(f.DeviationFromRunnerUp, "+0.0;-0.0;0.0")}</td><td>{Html.F(f.Support, "+0.00;-0.00;0.00")}</td></tr>");
            }

            e.Append("</table><p class=\"note\">The six features that most favour the label, then the two that most argue for the runner-up; support = |SD from runner-up| − |SD from label|.</p>");
            if (why2.NearestPredicted.Count > 0 || why2.NearestRunnerUp.Count > 0)
            {
                e.Append("<p>Nearest training cells (").Append(Html.Text(why2.NearestCellsSource)).Append("): ")
                    .Append(Html.Text(string.Join(", ", why2.NearestPredicted.Take(3).Concat(why2.NearestRunnerUp.Take(3)).Select(n => FormattableString.Invariant($"{n.Class} at {n.Distance:F2}")))))
                    .Append("</p>");
            }

            return e.Append("<p>To flip the label: ").Append(Html.Text(why2.CounterfactualText)).Append("</p>").ToString();
        }

        // ---- page ----
        private string Assemble()
        {
            string library = Plots.PlotlyLibrary();
            PlotlyBytes = Encoding.UTF8.GetByteCount(library);
            string title = options.Title ?? $"raabin report: {Path.GetFileName(input.Root.TrimEnd(Path.DirectorySeparatorChar))} ({input.Kind.ToString().ToLowerInvariant()})";
            var html = new StringBuilder(library.Length + 1 << 16);
            html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data:; font-src data:\">")
                .Append($"<title>{Html.Text(title)}</title><style>{Css}</style>\n")
                .Append("<script id=\"plotly-js\">").Append(library.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase)).Append("</script>\n</head><body>\n")
                .Append($"<h1>{Html.Text(title)}</h1><nav>")
                .Append(string.Join(" · ", Sections.Select(s => $"<a href=\"#{s.Id}\">{Html.Text(s.Heading)}</a>")))
                .Append("</nav>\n");
            foreach (var (id, heading) in Sections)
            {
                html.Append($"<section id=\"{id}\"><h2>{Html.Text(heading)}</h2>\n").Append(_sections[id]).Append("</section>\n");
            }

            html.Append("<script>").Append(Script).Append("</script>\n</body></html>\n");
            return html.ToString();
        }

        private static string Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;

        private static double Num(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) ? v.ValueKind switch
            {
                JsonValueKind.Number => v.GetDouble(),
                JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, Inv, out double d) => d,
                _ => double.NaN,
            } : double.NaN;

        private const string Css = """
            body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:1400px}
            h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
            nav a{white-space:nowrap}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}
            th{background:#f3f3f3}.absent{color:#8a6d3b;background:#fcf8e3;padding:.4em .6em}.note{color:#555;font-size:.92em}
            dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 1em}dt{font-weight:600}dd{margin:0}
            .plot{display:inline-block;vertical-align:top;margin:.3em}
            .filters{margin:.5em 0;position:sticky;top:0;background:#fff;padding:.4em 0;z-index:2}
            .cells{display:flex;flex-wrap:wrap;gap:4px}.cell{margin:0;padding:2px;border:2px solid #9c9;cursor:pointer;font-size:11px;text-align:center}
            .cell.wrong{border-color:#d55}.cell[hidden]{display:none}.cell img{display:block;image-rendering:auto}
            .noimage{display:flex;align-items:center;justify-content:center;background:#333;color:#eee}
            .explanation{border:2px solid #36c;padding:.6em 1em;margin:.5em 0;background:#f7faff}
            .explanation img.large{float:right;margin-left:1em}tr.for td:last-child{color:#070}tr.against td:last-child{color:#a00}
            """;

        private const string Script = """
            (function(){
              var cells=[].slice.call(document.querySelectorAll('#cells .cell'));
              var view=document.getElementById('filter-view'),cls=document.getElementById('filter-class'),
                  dom=document.getElementById('filter-domain'),low=document.getElementById('low-confidence'),
                  count=document.getElementById('gallery-count'),panel=document.getElementById('explanation');
              if(!view){return;}
              function apply(){
                var n=0,t=parseFloat(low.value);
                cells.forEach(function(c){
                  var d=c.dataset,show=true;
                  if(view.value==='misclassified'){show=d.misclassified==='true';}
                  else if(view.value==='correct'){show=d.misclassified!=='true';}
                  else if(view.value==='low'){show=d.confidence!==''&&parseFloat(d.confidence)<t;}
                  if(cls.value&&d.label!==cls.value){show=false;}
                  if(dom.value&&d.domain!==dom.value){show=false;}
                  c.hidden=!show;if(show){n++;}
                });
                count.textContent=n+' of '+cells.length+' cells shown';
              }
              function open(c){
                var t=document.getElementById('why-'+c.dataset.row);
                panel.innerHTML='';panel.appendChild(t.content.cloneNode(true));
                var img=c.querySelector('img');
                if(img){var big=img.cloneNode();big.className='large';big.width=img.width*2;big.height=img.height*2;panel.insertBefore(big,panel.firstChild.nextSibling);}
                panel.hidden=false;
                panel.dataset.row=c.dataset.row;panel.scrollIntoView({block:'nearest'});
              }
              [view,cls,dom,low].forEach(function(e){e.addEventListener('change',apply);e.addEventListener('input',apply);});
              cells.forEach(function(c){
                c.addEventListener('click',function(){open(c);});
                c.addEventListener('keydown',function(e){if(e.key==='Enter'){open(c);}});
              });
              apply();
            })();
            """;
    }
}
