using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Tests.Adaptation;

/// <summary>
/// Two-feature, three-class Gaussian blobs standing in for cells of one microscope, and the same classes seen through
/// another (each feature scaled and shifted): the situation adaptation is for, small enough to reason about by hand.
/// </summary>
internal static class SyntheticDomains
{
    public static readonly string[] Ids = ["nuc_solidity", "nuc_circularity"];

    public static readonly string[] Classes = ["a", "b", "c"];

    private static readonly double[][] Centres = [[0, 0], [4, 0], [2, 4]];

    /// <summary>Cells of each class (counts per class), features transformed by x·gain + shift, seeded.</summary>
    public static List<FeatureRow> Cells(int[] perClass, double[] gain, double[] shift, int seed, string domain, string split = "train")
    {
        var random = new Random(seed);
        var rows = new List<FeatureRow>();
        for (int c = 0; c < Classes.Length; c++)
        {
            for (int i = 0; i < perClass[c]; i++)
            {
                var values = new double[2];
                for (int f = 0; f < 2; f++)
                {
                    values[f] = ((Centres[c][f] + Gaussian(random)) * gain[f]) + shift[f];
                }

                rows.Add(new FeatureRow($"{domain}/{Classes[c]}/{i}.png", Classes[c], split, domain, CellStatus.Ok, null, values));
            }
        }

        return rows;
    }

    public static FeatureTable Table(IReadOnlyList<FeatureRow> rows, string? randomization = null) =>
        new(Ids, rows, "synthetic.csv", new FeatureProvenance(SegmenterSpec.Of("od-cell"), ExtractorSpec.OdGroups) { Randomization = randomization });

    public static PipelineTrainerOptions Options(bool perDomain = false) => new()
    {
        Classifier = new SvmClassifierOptions { Kernel = KernelKind.Rbf, C = 10, Normalizer = NormalizerKind.ZScore, Probability = false },
        FeatureSubset = Ids,
        PerDomainStandardization = perDomain,
    };

    /// <summary>A model trained on 100 cells per class of the source domain (gain 1, shift 0).</summary>
    public static PipelineModel SourceModel(bool perDomain = false) =>
        new PipelineTrainer(Options(perDomain)).Fit(Table(Cells([100, 100, 100], [1, 1], [0, 0], seed: 1, "source")));

    public static double Accuracy(Func<double[], string> predict, IReadOnlyList<FeatureRow> rows) =>
        rows.Count(r => predict(r.Values) == r.Label) / (double)rows.Count;

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
