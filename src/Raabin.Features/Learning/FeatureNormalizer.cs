namespace Raabin.Features.Learning;

/// <summary>How features are rescaled before the SVM sees them.</summary>
public enum NormalizerKind
{
    /// <summary>Values are used as they are.</summary>
    None,

    /// <summary>
    /// Min-max to [0, 1] on the training data, as scikit-learn's <c>MinMaxScaler</c> (the reference):
    /// <c>x' = x · s + o</c> with <c>s = 1 / (max − min)</c> (1 when max = min) and <c>o = −min · s</c>.
    /// </summary>
    MinMax,

    /// <summary>
    /// Standardisation as scikit-learn's <c>StandardScaler</c>: <c>x' = (x − mean) / sd</c>, population sd (1 when 0).
    /// </summary>
    ZScore,
}

/// <summary>
/// A fitted per-feature affine rescaling, <c>x' = x · Scale + Offset</c>. Immutable; stored in model files.
/// </summary>
public sealed class FeatureNormalizer
{
    private readonly double[] _scale;
    private readonly double[] _offset;

    /// <summary>Rebuilds a normaliser from stored parameters.</summary>
    public FeatureNormalizer(NormalizerKind kind, IReadOnlyList<double> scale, IReadOnlyList<double> offset)
    {
        if (scale.Count != offset.Count)
        {
            throw new ArgumentException($"Scale has {scale.Count} entries but offset has {offset.Count}.", nameof(offset));
        }

        Kind = kind;
        _scale = [.. scale];
        _offset = [.. offset];
        foreach (double v in _scale.Concat(_offset))
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException("Normaliser parameters must be finite.", nameof(scale));
            }
        }
    }

    /// <summary>Which rescaling this is.</summary>
    public NormalizerKind Kind { get; }

    /// <summary>Multiplier per feature.</summary>
    public IReadOnlyList<double> Scale => _scale;

    /// <summary>Added after multiplying, per feature.</summary>
    public IReadOnlyList<double> Offset => _offset;

    /// <summary>Number of features.</summary>
    public int FeatureCount => _scale.Length;

    /// <summary>Fits a normaliser on training rows (all finite).</summary>
    public static FeatureNormalizer Fit(NormalizerKind kind, IReadOnlyList<double[]> rows, int featureCount)
    {
        var scale = new double[featureCount];
        var offset = new double[featureCount];
        Array.Fill(scale, 1.0);
        if (kind == NormalizerKind.None || rows.Count == 0)
        {
            return new FeatureNormalizer(kind, scale, offset);
        }

        for (int f = 0; f < featureCount; f++)
        {
            if (kind == NormalizerKind.MinMax)
            {
                double min = double.PositiveInfinity, max = double.NegativeInfinity;
                foreach (var row in rows)
                {
                    min = Math.Min(min, row[f]);
                    max = Math.Max(max, row[f]);
                }

                double range = max - min;
                scale[f] = range == 0 ? 1.0 : 1.0 / range;
                offset[f] = 0 - (min * scale[f]); // scikit-learn's min_ = feature_range[0] − data_min · scale
            }
            else
            {
                double mean = 0;
                foreach (var row in rows)
                {
                    mean += row[f];
                }

                mean /= rows.Count;
                double ss = 0;
                foreach (var row in rows)
                {
                    double d = row[f] - mean;
                    ss += d * d;
                }

                double sd = Math.Sqrt(ss / rows.Count);
                scale[f] = sd == 0 ? 1.0 : 1.0 / sd;
                offset[f] = -mean * scale[f];
            }
        }

        return new FeatureNormalizer(kind, scale, offset);
    }

    /// <summary>Rescales one row into <paramref name="destination"/>.</summary>
    public void Transform(ReadOnlySpan<double> row, Span<double> destination)
    {
        if (row.Length != _scale.Length || destination.Length < _scale.Length)
        {
            throw new ArgumentException($"Expected {_scale.Length} features, got {row.Length}.", nameof(row));
        }

        for (int f = 0; f < _scale.Length; f++)
        {
            destination[f] = row[f] * _scale[f] + _offset[f];
        }
    }

    /// <summary>Rescales one row into a new array.</summary>
    public double[] Transform(ReadOnlySpan<double> row)
    {
        var result = new double[row.Length];
        Transform(row, result);
        return result;
    }
}
