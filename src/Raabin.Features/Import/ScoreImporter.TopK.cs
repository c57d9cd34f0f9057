using System.Globalization;

namespace Raabin.Features.Import;

// The timm inference.py top-k part of the score importer (rank columns, list cells, missing-mass policies).
public sealed partial class ScoreImporter
{
    private sealed partial class ImportRun
    {
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
    }
}
