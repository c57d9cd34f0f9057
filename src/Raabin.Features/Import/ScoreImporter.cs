using System.Globalization;
using System.Text;

namespace Raabin.Features.Import;

/// <summary>
/// Imports per-image scores of another classifier (CNN outputs from PyTorch/timm, or any table of per-class
/// scores) so they can be lined up with our predictions. Strict: anything the file does not say is taken from
/// <see cref="ScoreImportOptions"/>, and every decision is written to <see cref="ImportedScores.Assumptions"/>.
/// </summary>
/// <remarks>
/// Layouts, CSV or JSON (an array of record objects, JSON Lines, or timm's object keyed by file name):
/// <list type="bullet">
/// <item>one column per class named <c>p_&lt;class&gt;</c> (with <see cref="ScoreValueKind.Logits"/> also
/// <c>logit_&lt;class&gt;</c>); optional <c>label</c> (true class), <c>pred</c>, <c>model</c>, <c>dataset</c>;</item>
/// <item>bare class-name columns, named by <see cref="ScoreImportOptions.ClassMap"/>; same optional columns;</item>
/// <item>timm <c>inference.py</c> output: top-k <c>index_i</c> / <c>prob_i</c> (or <c>logit_i</c>) / <c>label_i</c>
/// columns, or list-valued <c>index</c> / <c>prob</c> / <c>label</c> cells such as <c>[3, 1, 0]</c> or numpy's
/// <c>[3 1 0]</c>; indices mapped through the class map. There <c>label</c> holds predicted names, not the truth.</item>
/// </list>
/// The image key column is <c>path</c>, else <c>filename</c>, else <c>image</c>, unless
/// <see cref="ScoreImportOptions.KeyColumn"/> names one.
/// </remarks>
public sealed partial class ScoreImporter
{
    private static readonly string[] KeyColumnCandidates = ["path", "filename", "image"];

    /// <summary>Creates an importer; null options mean the defaults (probabilities, tolerance 1e-3, refuse partial top-k).</summary>
    public ScoreImporter(ScoreImportOptions? options = null)
    {
        Options = options ?? new ScoreImportOptions();
        if (!(Options.SumTolerance >= 0) || double.IsInfinity(Options.SumTolerance))
        {
            throw new ArgumentException($"the sum tolerance must be a finite number >= 0, not {Options.SumTolerance}", nameof(options));
        }
    }

    /// <summary>The options in use.</summary>
    public ScoreImportOptions Options { get; }

    /// <summary>Imports a <c>.csv</c>, <c>.json</c> or <c>.jsonl</c> file (format chosen by the extension).</summary>
    /// <exception cref="ScoreImportException">Any problem, naming the file, line and column.</exception>
    public ImportedScores Import(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not (".csv" or ".json" or ".jsonl"))
        {
            throw new ScoreImportException(path, 0, null, $"unknown score file type '{ext}' (expected .csv, .json or .jsonl)");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScoreImportException(path, 0, null, e.Message, e);
        }

        return ext == ".csv"
            ? Import(RawTable.FromCsv(Encoding.UTF8.GetString(bytes), path))
            : Import(RawTable.FromJson(bytes, path));
    }

    /// <summary>Imports CSV text; <paramref name="source"/> names it in errors and is the default model name.</summary>
    public ImportedScores ImportCsv(string text, string source) => Import(RawTable.FromCsv(text, source));

    /// <summary>Imports JSON text; <paramref name="source"/> names it in errors and is the default model name.</summary>
    public ImportedScores ImportJson(string text, string source) => Import(RawTable.FromJson(Encoding.UTF8.GetBytes(text), source));

    private ImportedScores Import(RawTable table)
    {
        var run = new ImportRun(this, table);
        return run.Execute();
    }

    /// <summary>The state of one import: the table, the columns chosen, and the assumptions collected.</summary>
    private sealed partial class ImportRun
    {
        private readonly ScoreImportOptions _o;
        private readonly RawTable _t;
        private readonly List<string> _assumptions = new();
        private readonly HashSet<int> _usedColumns = new();

        public ImportRun(ScoreImporter importer, RawTable table)
        {
            _o = importer.Options;
            _t = table;
        }

        private bool Logits => _o.Values == ScoreValueKind.Logits;

        public ImportedScores Execute()
        {
            _assumptions.Add($"input read as {_t.Kind}");
            int keyCol = ChooseKeyColumn();
            string prefix = ClassColumnPrefix();
            bool timm = prefix.Length == 0 && IsTimmLayout();

            List<RowCore> cores;
            IReadOnlyList<string> classes;
            bool hasProbabilities = true;
            if (prefix.Length > 0 || !timm)
            {
                (classes, cores) = ReadClassColumns(prefix);
            }
            else
            {
                (classes, cores, hasProbabilities) = ReadTopK();
            }

            var rows = Finish(keyCol, classes, cores, readTrueLabel: !timm);
            ReportIgnoredColumns();
            return new ImportedScores(_t.Source, _t.Columns[keyCol], classes, rows, _assumptions, hasProbabilities);
        }

        /// <summary>Per-row result of the layout-specific part: probabilities (or null) and the top-1 class if known.</summary>
        private readonly record struct RowCore(double[]? Probabilities, int PredictedIndex);

        private int ChooseKeyColumn()
        {
            if (_o.KeyColumn is { } asked)
            {
                int i = _t.IndexOf(asked);
                if (i < 0)
                {
                    throw new ScoreImportException(_t.Source, 1, asked, $"the key column asked for is missing (columns: {string.Join(",", _t.Columns)})");
                }

                _usedColumns.Add(i);
                _assumptions.Add($"image keys read from column '{asked}' as asked");
                return i;
            }

            var present = new List<string>();
            foreach (string c in KeyColumnCandidates)
            {
                if (_t.Has(c))
                {
                    present.Add(c);
                }
            }

            if (present.Count == 0)
            {
                throw new ScoreImportException(_t.Source, 1, "path",
                    $"no image key column: expected 'path', 'filename' or 'image' (columns: {string.Join(",", _t.Columns)})");
            }

            int key = _t.IndexOf(present[0]);
            _usedColumns.Add(key);
            _assumptions.Add(present.Count == 1
                ? $"image keys read from column '{present[0]}'"
                : $"image keys read from column '{present[0]}' (also present and not used as key: {string.Join(", ", present.GetRange(1, present.Count - 1))})");
            return key;
        }

        /// <summary>"p_" or "logit_" when the file has per-class columns with that prefix, else "".</summary>
        private string ClassColumnPrefix()
        {
            bool hasP = HasPrefix("p_");
            bool hasLogit = HasPrefix("logit_") && !_t.Has("logit_0");
            if (Logits)
            {
                return hasLogit ? "logit_" : hasP ? "p_" : "";
            }

            if (!hasP && hasLogit)
            {
                throw new ScoreImportException(_t.Source, 1, FirstWithPrefix("logit_"),
                    "the file holds logits (logit_<class> columns): import them with --logits");
            }

            return hasP ? "p_" : "";
        }

        private bool HasPrefix(string prefix) => FirstWithPrefix(prefix) is not null;

        private string? FirstWithPrefix(string prefix)
        {
            foreach (string c in _t.Columns)
            {
                if (c.Length > prefix.Length && c.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return c;
                }
            }

            return null;
        }

        private bool IsTimmLayout()
        {
            foreach (string c in (string[])["index", "index_0", "prob", "prob_0", "logit", "logit_0", "label_0"])
            {
                if (_t.Has(c))
                {
                    return true;
                }
            }

            return false;
        }

        // ---------------------------------------------------------------- per-class columns (p_<class> or bare names)

        private (IReadOnlyList<string>, List<RowCore>) ReadClassColumns(string prefix)
        {
            var classes = new List<string>();
            var columns = new List<int>();
            if (prefix.Length > 0)
            {
                _assumptions.Add(Logits
                    ? $"layout: one column per class ({prefix}<class>), values read as logits as asked"
                    : $"layout: one probability column per class ({prefix}<class>)");
                if (_o.ClassMap is { } map)
                {
                    foreach (string name in map.Names)
                    {
                        int c = _t.IndexOf(prefix + name);
                        if (c < 0)
                        {
                            throw new ScoreImportException(_t.Source, 1, prefix + name,
                                $"the class map names class '{name}' but the file has no column '{prefix}{name}'");
                        }

                        classes.Add(name);
                        columns.Add(c);
                    }

                    foreach (string c in _t.Columns)
                    {
                        if (c.StartsWith(prefix, StringComparison.Ordinal) && map.IndexOf(c[prefix.Length..]) < 0)
                        {
                            throw new ScoreImportException(_t.Source, 1, c, $"class '{c[prefix.Length..]}' is not in the class map ({string.Join(", ", map.Names)})");
                        }
                    }

                    _assumptions.Add(map.Origin);
                }
                else
                {
                    for (int c = 0; c < _t.Columns.Count; c++)
                    {
                        string name = _t.Columns[c];
                        if (name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.Ordinal))
                        {
                            classes.Add(name[prefix.Length..]);
                            columns.Add(c);
                        }
                    }

                    _assumptions.Add($"class order taken from the order of the {prefix}<class> columns in the file: {string.Join(", ", classes)}");
                }
            }
            else
            {
                if (_o.ClassMap is not { } map)
                {
                    throw new ScoreImportException(_t.Source, 1, null,
                        "no p_<class> columns and no timm columns (index/prob/label): bare class-name columns need a class map " +
                        "(a JSON object index → name, or a text file with one name per line)");
                }

                foreach (string name in map.Names)
                {
                    int c = _t.IndexOf(name);
                    if (c < 0)
                    {
                        throw new ScoreImportException(_t.Source, 1, name,
                            $"missing class column: the class map names class '{name}' but the file has no such column (columns: {string.Join(",", _t.Columns)})");
                    }

                    classes.Add(name);
                    columns.Add(c);
                }

                _assumptions.Add(Logits
                    ? "layout: one column per class, named by the class map; values read as logits as asked"
                    : "layout: one probability column per class, named by the class map");
                _assumptions.Add(map.Origin);
            }

            if (classes.Count < 2)
            {
                throw new ScoreImportException(_t.Source, 1, null, $"only {classes.Count} class column found; scores need at least two classes");
            }

            foreach (int c in columns)
            {
                _usedColumns.Add(c);
            }

            string span = columns.Count == 1 ? _t.Columns[columns[0]] : $"{_t.Columns[columns[0]]}..{_t.Columns[columns[^1]]}";
            var cores = new List<RowCore>(_t.Records.Count);
            foreach (var record in _t.Records)
            {
                var values = new double[columns.Count];
                for (int k = 0; k < columns.Count; k++)
                {
                    values[k] = Number(record.Values[columns[k]], _t.Columns[columns[k]]);
                }

                int line = record.Values[columns[0]].Line;
                double[] p = Logits
                    ? Softmax(values, line, span)
                    : CheckProbabilities(values, line, span, k => _t.Columns[columns[k]], requireFullSum: true);
                cores.Add(new RowCore(p, -1));
            }

            AddValueAssumption();
            return (classes, cores);
        }

        // ---------------------------------------------------------------- shared row handling

        private List<ImportedScore> Finish(int keyCol, IReadOnlyList<string> classes, List<RowCore> cores, bool readTrueLabel)
        {
            int labelCol = readTrueLabel ? _t.IndexOf("label") : -1;
            int predCol = readTrueLabel ? _t.IndexOf("pred") : -1;
            int modelCol = _t.IndexOf("model");
            int datasetCol = _t.IndexOf("dataset");
            foreach (int c in (int[])[labelCol, predCol, modelCol, datasetCol])
            {
                if (c >= 0)
                {
                    _usedColumns.Add(c);
                }
            }

            string defaultModel = _o.ModelName ?? Path.GetFileNameWithoutExtension(_t.Source);
            if (modelCol >= 0)
            {
                _assumptions.Add("model name read from column 'model'");
            }
            else
            {
                _assumptions.Add(_o.ModelName is not null
                    ? $"model name '{defaultModel}' given by the caller (no 'model' column)"
                    : $"no 'model' column: model name '{defaultModel}' taken from the file name");
            }

            if (readTrueLabel && labelCol < 0)
            {
                _assumptions.Add("no 'label' column: the true classes are not known from this file");
            }

            int disagreements = 0;
            int firstDisagreement = 0;
            var rows = new List<ImportedScore>(cores.Count);
            var seen = new Dictionary<(string, string, string), int>();
            for (int r = 0; r < _t.Records.Count; r++)
            {
                var record = _t.Records[r];
                var core = cores[r];
                var keyValue = record.Values[keyCol];
                string key = keyValue.Text ?? throw new ScoreImportException(_t.Source, keyValue.Line, _t.Columns[keyCol], "missing image key");
                string? dataset = datasetCol >= 0 ? record.Values[datasetCol].Text : null;
                string model = modelCol >= 0
                    ? record.Values[modelCol].Text ?? throw new ScoreImportException(_t.Source, record.Values[modelCol].Line, "model", "missing model name")
                    : defaultModel;
                if (!seen.TryAdd((model, dataset ?? "", key), keyValue.Line))
                {
                    throw new ScoreImportException(_t.Source, keyValue.Line, _t.Columns[keyCol],
                        $"duplicate row for image '{key}'{(dataset is null ? "" : $" of dataset '{dataset}'")} and model '{model}' (first at line {seen[(model, dataset ?? "", key)]})");
                }

                string? trueLabel = labelCol >= 0 ? KnownClass(record.Values[labelCol], "label", classes, optional: true) : null;
                int argMax = core.Probabilities is { } p ? ArgMax(p) : core.PredictedIndex;
                string predicted;
                if (predCol >= 0)
                {
                    predicted = KnownClass(record.Values[predCol], "pred", classes, optional: false)!;
                    if (core.Probabilities is { } probs && probs[IndexOf(classes, predicted)] < probs[argMax])
                    {
                        if (disagreements++ == 0)
                        {
                            firstDisagreement = record.Values[predCol].Line;
                        }
                    }
                }
                else
                {
                    predicted = classes[argMax];
                }

                rows.Add(new ImportedScore(keyValue.Line, key, dataset, trueLabel, predicted, core.Probabilities, model));
            }

            if (predCol >= 0)
            {
                _assumptions.Add(disagreements == 0
                    ? "predicted label read from column 'pred' (it agrees with the highest probability on every row)"
                    : $"predicted label read from column 'pred' as given; on {disagreements} rows it is not the class with the highest probability (first at line {firstDisagreement})");
            }
            else if (readTrueLabel)
            {
                _assumptions.Add("no 'pred' column: predicted label = the class with the highest probability (ties go to the first class in class order)");
            }

            return rows;
        }

        private string? KnownClass(RawValue value, string column, IReadOnlyList<string> classes, bool optional)
        {
            if (value.Text is null)
            {
                if (optional && value.Items is null)
                {
                    return null;
                }

                throw new ScoreImportException(_t.Source, value.Line, column, value.Items is null ? "missing class name" : "a list where one class name is expected");
            }

            if (IndexOf(classes, value.Text) < 0)
            {
                throw new ScoreImportException(_t.Source, value.Line, column, $"'{value.Text}' is not one of the classes ({string.Join(", ", classes)})");
            }

            return value.Text;
        }

        private void AddValueAssumption()
        {
            _assumptions.Add(Logits
                ? "applied a numerically stable softmax to the logits (subtract the row maximum, exponentiate, divide by the sum)"
                : string.Create(CultureInfo.InvariantCulture,
                    $"values read as probabilities and kept as given: each checked to lie in [0, 1], each row's sum within {_o.SumTolerance:R} of 1"));
        }

        private void ReportIgnoredColumns()
        {
            var ignored = new List<string>();
            for (int c = 0; c < _t.Columns.Count; c++)
            {
                if (!_usedColumns.Contains(c))
                {
                    ignored.Add(_t.Columns[c]);
                }
            }

            if (ignored.Count > 0)
            {
                _assumptions.Add($"columns ignored: {string.Join(", ", ignored)}");
            }
        }

        private double Number(RawValue value, string column)
        {
            if (value.Text is null)
            {
                throw new ScoreImportException(_t.Source, value.Line, column, value.Items is null ? "missing value" : "a list where one number is expected");
            }

            return ParseNumber(value.Text, value.Line, column);
        }

        private double ParseNumber(string text, int line, string column)
        {
            string trimmed = text.Trim();
            if (trimmed.ToLowerInvariant() is "nan" or "inf" or "+inf" or "-inf" or "infinity" or "-infinity")
            {
                throw new ScoreImportException(_t.Source, line, column, $"'{text}' is not a finite number");
            }

            if (!RawTable.TryParseNumber(trimmed, out double v))
            {
                throw new ScoreImportException(_t.Source, line, column, $"'{text}' is not a number");
            }

            if (!double.IsFinite(v))
            {
                throw new ScoreImportException(_t.Source, line, column, $"'{text}' is not a finite number");
            }

            return v;
        }

        private double[] CheckProbabilities(double[] values, int line, string span, Func<int, string> columnOf, bool requireFullSum)
        {
            double sum = 0;
            for (int k = 0; k < values.Length; k++)
            {
                double v = values[k];
                if (v < 0)
                {
                    throw new ScoreImportException(_t.Source, line, columnOf(k),
                        $"negative probability {Format(v)}; if the values are logits, import with --logits");
                }

                if (v > 1)
                {
                    throw new ScoreImportException(_t.Source, line, columnOf(k),
                        $"probability {Format(v)} is above 1; if the values are logits, import with --logits");
                }

                sum += v;
            }

            double tolerance = _o.SumTolerance;
            if (requireFullSum ? Math.Abs(sum - 1) > tolerance : sum > 1 + tolerance)
            {
                throw new ScoreImportException(_t.Source, line, span, string.Create(CultureInfo.InvariantCulture,
                    $"the probabilities sum to {sum:R}, not 1 within {tolerance:R}{(requireFullSum ? "" : " (or less)")}; if the values are logits, import with --logits"));
            }

            return values;
        }

        private double[] Softmax(double[] logits, int line, string span)
        {
            // Subtracting the maximum keeps every exponent <= 0, so nothing overflows and the largest term is exactly 1.
            double max = double.NegativeInfinity;
            foreach (double x in logits)
            {
                max = Math.Max(max, x);
            }

            var p = new double[logits.Length];
            double sum = 0;
            for (int k = 0; k < logits.Length; k++)
            {
                p[k] = Math.Exp(logits[k] - max);
                sum += p[k];
            }

            if (!double.IsFinite(sum) || sum <= 0)
            {
                throw new ScoreImportException(_t.Source, line, span, "the logits give no finite softmax");
            }

            for (int k = 0; k < p.Length; k++)
            {
                p[k] /= sum;
            }

            return p;
        }

        private static int ArgMax(double[] p)
        {
            int best = 0;
            for (int k = 1; k < p.Length; k++)
            {
                if (p[k] > p[best])
                {
                    best = k;
                }
            }

            return best;
        }

        private static int IndexOf(IReadOnlyList<string> classes, string name)
        {
            for (int i = 0; i < classes.Count; i++)
            {
                if (string.Equals(classes[i], name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    }
}
