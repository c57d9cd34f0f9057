using System.Globalization;
using System.Text;

namespace Raabin.Features.Evaluation.Import;

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
public sealed class ScoreImporter
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
    private sealed class ImportRun
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

        // ---------------------------------------------------------------- timm inference.py top-k output

        private (IReadOnlyList<string>, List<RowCore>, bool) ReadTopK()
        {
            string outName = Logits ? "logit" : "prob";
            string otherName = Logits ? "prob" : "logit";
            if (!_t.Has(outName) && !_t.Has(outName + "_0") && (_t.Has(otherName) || _t.Has(otherName + "_0")))
            {
                string col = _t.Has(otherName) ? otherName : otherName + "_0";
                throw new ScoreImportException(_t.Source, 1, col, Logits
                    ? "--logits was given but the file holds probabilities (column 'prob'): import it without --logits"
                    : "the file holds logits (column 'logit'): import it with --logits");
            }

            bool separate = _t.Has("index_0") || _t.Has(outName + "_0") || _t.Has("label_0");
            bool lists = _t.Has("index") || _t.Has(outName) || _t.Has("label");
            if (separate && lists)
            {
                throw new ScoreImportException(_t.Source, 1, null,
                    "the file mixes timm's separate columns (index_0, prob_0, label_0) with list columns (index, prob, label)");
            }

            if (_o.ClassMap is not { } map)
            {
                throw new ScoreImportException(_t.Source, 1, null,
                    "timm top-k output refers to classes by index: give a class map file or the folder names the network was trained on");
            }

            int classCount = map.Count;
            int[]? indexCols = separate ? SeparateColumns("index") : Single("index");
            int[]? outCols = separate ? SeparateColumns(outName) : Single(outName);
            int[]? labelCols = separate ? SeparateColumns("label") : Single("label");
            _assumptions.Add(separate
                ? $"layout: timm inference.py output with one column per rank ({Describe(indexCols, outCols, labelCols, outName)})"
                : $"layout: timm inference.py output with list-valued cells ({Describe(indexCols, outCols, labelCols, outName)})");
            if (labelCols is not null)
            {
                _assumptions.Add("column 'label' read as timm's predicted class names (by rank), not as the true label");
            }

            _assumptions.Add(map.Origin);
            bool fullVector = indexCols is null && labelCols is null;
            if (fullVector)
            {
                if (outCols is null)
                {
                    throw new ScoreImportException(_t.Source, 1, null, "no index, label or output columns: nothing to import");
                }

                _assumptions.Add($"no index or label columns: the values in '{outName}' read as the full output vector in class-index order; predicted label = the class with the highest value (ties go to the lowest index)");
            }
            else
            {
                _assumptions.Add("predicted label = the first (top-1) entry of each row");
            }

            if (outCols is null && _o.MissingMass != MissingMassPolicy.Top1Only)
            {
                throw new ScoreImportException(_t.Source, 1, outName,
                    $"the file has no '{outName}' values (timm --exclude-output): only the top-1 prediction is known; import with the top1-only policy");
            }

            string outSpan = outCols is null ? outName : Span(outCols, outName);
            bool anyPartial = false;
            bool hasProbabilities = outCols is not null && _o.MissingMass != MissingMassPolicy.Top1Only;
            var cores = new List<RowCore>(_t.Records.Count);
            foreach (var record in _t.Records)
            {
                var (indices, outs, k, line, rankColumn) = ReadRanks(record, indexCols, outCols, labelCols, map, outName, fullVector);
                if (outs is not null && !fullVector)
                {
                    for (int i = 1; i < k; i++)
                    {
                        if (outs[i] > outs[0])
                        {
                            throw new ScoreImportException(_t.Source, line, outCols!.Length > 1 ? _t.Columns[outCols[i]] : outName,
                                $"entry {i} ({Format(outs[i])}) is larger than entry 0 ({Format(outs[0])}): top-k values must come in descending order");
                        }
                    }
                }

                if (fullVector)
                {
                    double[] vector = MakeVector(outs!, line, outSpan, k => outCols!.Length > 1 ? _t.Columns[outCols[k]] : outName);
                    cores.Add(_o.MissingMass == MissingMassPolicy.Top1Only ? new RowCore(null, ArgMax(vector)) : new RowCore(vector, -1));
                    continue;
                }

                int top1 = indices[0];
                if (_o.MissingMass == MissingMassPolicy.Top1Only)
                {
                    cores.Add(new RowCore(null, top1));
                    continue;
                }

                double[] values = outs!; // present: a file without output values was refused above unless top1-only
                if (k == classCount)
                {
                    var full = new double[classCount];
                    for (int i = 0; i < k; i++)
                    {
                        full[indices[i]] = values[i];
                    }

                    cores.Add(new RowCore(MakeVector(full, line, outSpan, _ => outSpan), top1));
                    continue;
                }

                anyPartial = true;
                if (_o.MissingMass == MissingMassPolicy.Refuse)
                {
                    throw new ScoreImportException(_t.Source, line, rankColumn,
                        $"top-{k} output for {classCount} classes: the probabilities of the other {classCount - k} classes are unknown; " +
                        "choose how to treat the missing mass (spread-uniform, or top1-only to keep just the prediction)");
                }

                if (Logits)
                {
                    throw new ScoreImportException(_t.Source, line, rankColumn,
                        $"top-{k} logits for {classCount} classes: the logits of the other classes are unknown, so no softmax can be taken; use top1-only");
                }

                cores.Add(new RowCore(SpreadUniform(indices, values, k, classCount, line, outSpan), top1));
            }

            if (outCols is not null && _o.MissingMass == MissingMassPolicy.Top1Only)
            {
                _assumptions.Add($"top1-only: the '{outName}' values were not kept; rows carry the predicted label only");
            }
            else if (outCols is null)
            {
                _assumptions.Add("top1-only: the file has no output values; rows carry the predicted label only");
            }
            else
            {
                AddValueAssumption();
                if (anyPartial)
                {
                    _assumptions.Add("spread-uniform: the probability mass a top-k row leaves (1 − sum of its k values) was shared equally among the classes it does not list");
                }
            }

            return (map.Names, cores, hasProbabilities);
        }

        private (int[] Indices, double[]? Outs, int K, int Line, string RankColumn) ReadRanks(
            RawRecord record, int[]? indexCols, int[]? outCols, int[]? labelCols, ClassMap map, string outName, bool fullVector)
        {
            int line = record.Line;
            int[]? indices = null;
            string[]? labels = null;
            double[]? outs = null;
            int k = -1;
            string kColumn = "";

            void Count(int n, string column, int at)
            {
                if (k >= 0 && n != k)
                {
                    throw new ScoreImportException(_t.Source, at, column, $"{n} entries where '{kColumn}' has {k}");
                }

                if (n == 0)
                {
                    throw new ScoreImportException(_t.Source, at, column, "an empty list");
                }

                if (k < 0)
                {
                    kColumn = column;
                }

                k = n;
            }

            if (indexCols is not null)
            {
                var texts = Items(record, indexCols, "index", out int at);
                Count(texts.Count, Span(indexCols, "index"), at);
                indices = new int[texts.Count];
                for (int i = 0; i < texts.Count; i++)
                {
                    string col = indexCols.Length > 1 ? _t.Columns[indexCols[i]] : "index";
                    if (!int.TryParse(texts[i].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v))
                    {
                        throw new ScoreImportException(_t.Source, at, col, $"'{texts[i]}' is not a class index (an integer)");
                    }

                    if (v < 0 || v >= map.Count)
                    {
                        throw new ScoreImportException(_t.Source, at, col, $"class index {v} is outside the class map (0..{map.Count - 1})");
                    }

                    indices[i] = v;
                }
            }

            if (labelCols is not null)
            {
                var texts = Items(record, labelCols, "label", out int at);
                Count(texts.Count, Span(labelCols, "label"), at);
                labels = [.. texts];
                var fromLabels = new int[labels.Length];
                for (int i = 0; i < labels.Length; i++)
                {
                    string col = labelCols.Length > 1 ? _t.Columns[labelCols[i]] : "label";
                    fromLabels[i] = map.IndexOf(labels[i]);
                    if (fromLabels[i] < 0)
                    {
                        throw new ScoreImportException(_t.Source, at, col, $"'{labels[i]}' is not one of the classes ({string.Join(", ", map.Names)})");
                    }

                    if (indices is not null && indices[i] != fromLabels[i])
                    {
                        throw new ScoreImportException(_t.Source, at, col,
                            $"label '{labels[i]}' does not match index {indices[i]}, which the class map calls '{map.Names[indices[i]]}'");
                    }
                }

                indices ??= fromLabels;
            }

            if (outCols is not null)
            {
                var texts = Items(record, outCols, outName, out int at);
                Count(texts.Count, Span(outCols, outName), at);
                outs = new double[texts.Count];
                for (int i = 0; i < texts.Count; i++)
                {
                    string col = outCols.Length > 1 ? _t.Columns[outCols[i]] : outName;
                    outs[i] = ParseNumber(texts[i], at, col);
                }

                line = at;
            }

            if (fullVector && k != map.Count)
            {
                throw new ScoreImportException(_t.Source, line, Span(outCols!, outName),
                    $"{k} values for {map.Count} classes and no index or label columns: cannot tell which classes they belong to");
            }

            if (k > map.Count)
            {
                throw new ScoreImportException(_t.Source, line, kColumn, $"{k} entries but the class map has {map.Count} classes");
            }

            if (indices is not null)
            {
                var seen = new bool[map.Count];
                for (int i = 0; i < indices.Length; i++)
                {
                    if (seen[indices[i]])
                    {
                        throw new ScoreImportException(_t.Source, line, kColumn, $"class '{map.Names[indices[i]]}' is listed twice in one row");
                    }

                    seen[indices[i]] = true;
                }
            }

            return (indices ?? [], outs, k, line, kColumn);
        }

        /// <summary>The items of one rank field: separate columns (one item each) or one list-valued cell.</summary>
        private List<string> Items(RawRecord record, int[] cols, string name, out int line)
        {
            line = record.Values[cols[0]].Line;
            var items = new List<string>(cols.Length);
            if (cols.Length > 1 || _t.Columns[cols[0]] != name)
            {
                foreach (int c in cols)
                {
                    var v = record.Values[c];
                    if (v.Text is null)
                    {
                        throw new ScoreImportException(_t.Source, v.Line, _t.Columns[c], v.Items is null ? "missing value" : "a list where one value is expected");
                    }

                    items.Add(v.Text);
                }

                return items;
            }

            var cell = record.Values[cols[0]];
            if (cell.Items is { } listed)
            {
                items.AddRange(listed);
                return items;
            }

            if (cell.Text is null)
            {
                throw new ScoreImportException(_t.Source, cell.Line, name, "missing value");
            }

            return SplitList(cell.Text, cell.Line, name);
        }

        /// <summary>
        /// Splits a list-valued text cell: Python's "[3, 1, 0]", numpy's "[3 1 0]" or "['a' 'b']", or a bare scalar
        /// (timm writes top-1 results without brackets).
        /// </summary>
        private List<string> SplitList(string text, int line, string column)
        {
            string s = text.Trim();
            var items = new List<string>();
            if (!s.StartsWith('['))
            {
                items.Add(s);
                return items;
            }

            if (!s.EndsWith(']'))
            {
                throw new ScoreImportException(_t.Source, line, column, $"'{text}' opens a list with '[' but does not close it");
            }

            int i = 1;
            int end = s.Length - 1;
            while (i < end)
            {
                char c = s[i];
                if (c == ',' || char.IsWhiteSpace(c))
                {
                    i++;
                    continue;
                }

                if (c is '\'' or '"')
                {
                    int close = s.IndexOf(c, i + 1);
                    if (close < 0 || close >= end)
                    {
                        throw new ScoreImportException(_t.Source, line, column, $"an unclosed quote in the list '{text}'");
                    }

                    items.Add(s[(i + 1)..close]);
                    i = close + 1;
                    continue;
                }

                int start = i;
                while (i < end && s[i] != ',' && !char.IsWhiteSpace(s[i]))
                {
                    if (s[i] is '[' or ']')
                    {
                        throw new ScoreImportException(_t.Source, line, column, $"nested lists are not expected: '{text}'");
                    }

                    i++;
                }

                items.Add(s[start..i]);
            }

            return items;
        }

        /// <summary>The columns name_0, name_1, ... present (stopping at the first gap), or null.</summary>
        private int[]? SeparateColumns(string name)
        {
            var cols = new List<int>();
            while (_t.IndexOf(string.Create(CultureInfo.InvariantCulture, $"{name}_{cols.Count}")) is int c and >= 0)
            {
                cols.Add(c);
                _usedColumns.Add(c);
            }

            return cols.Count == 0 ? null : [.. cols];
        }

        private int[]? Single(string name)
        {
            int c = _t.IndexOf(name);
            if (c < 0)
            {
                return null;
            }

            _usedColumns.Add(c);
            return [c];
        }

        /// <summary>How a rank field's columns are named in messages: "prob" or "prob_0..prob_2".</summary>
        private string Span(int[] cols, string name) =>
            cols.Length == 1 ? _t.Columns[cols[0]] : $"{name}_0..{name}_{cols.Length - 1}";

        private string Describe(int[]? index, int[]? outs, int[]? labels, string outName)
        {
            var parts = new List<string>(3);
            foreach (var (cols, name) in (ReadOnlySpan<(int[]?, string)>)[(index, "index"), (outs, outName), (labels, "label")])
            {
                if (cols is not null)
                {
                    parts.Add(Span(cols, name));
                }
            }

            return string.Join(", ", parts);
        }

        private double[] MakeVector(double[] values, int line, string span, Func<int, string> columnOf) =>
            Logits ? Softmax(values, line, span) : CheckProbabilities(values, line, span, columnOf, requireFullSum: true);

        private double[] SpreadUniform(int[] indices, double[] outs, int k, int classCount, int line, string outSpan)
        {
            CheckProbabilities(outs, line, outSpan, _ => outSpan, requireFullSum: false);
            double sum = 0;
            for (int i = 0; i < k; i++)
            {
                sum += outs[i];
            }

            double share = Math.Max(0.0, 1.0 - sum) / (classCount - k);
            var full = new double[classCount];
            Array.Fill(full, share);
            for (int i = 0; i < k; i++)
            {
                full[indices[i]] = outs[i];
            }

            return full;
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
