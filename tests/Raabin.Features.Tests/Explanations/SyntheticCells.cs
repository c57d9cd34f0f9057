using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Tests.Explanations;

/// <summary>
/// Three classes that one feature alone separates (nuc_solidity centred at 0, 4 and 8, SD 1); three more features are
/// the same Gaussian noise in every class. Small enough to know the right explanation by hand.
/// </summary>
internal static class SyntheticCells
{
    // In the od-groups extractor's order: the trainer binds by id into that order.
    public static readonly string[] Ids = ["nuc_solidity", "nuc_circularity", "nuc_convexity", "nuc_eccentricity"];

    public const int Separating = 0;

    public static readonly string[] Classes = ["a", "b", "c"];

    public static readonly double[] Centres = [0, 4, 8];

    public static List<FeatureRow> Cells(int perClass, int seed, string split, string domain = "synthetic")
    {
        var random = new Random(seed);
        var rows = new List<FeatureRow>();
        for (int c = 0; c < Classes.Length; c++)
        {
            for (int i = 0; i < perClass; i++)
            {
                var values = new double[Ids.Length];
                for (int f = 0; f < Ids.Length; f++)
                {
                    values[f] = (f == Separating ? Centres[c] : 0) + Gaussian(random);
                }

                rows.Add(new FeatureRow($"{split}/{Classes[c]}/{i}.png", Classes[c], split, domain, CellStatus.Ok, null, values));
            }
        }

        return rows;
    }

    public static FeatureTable Table(IReadOnlyList<FeatureRow> rows) =>
        new(Ids, rows, "synthetic-cells.csv", new FeatureProvenance(SegmenterSpec.Of("od-cell"), ExtractorSpec.OdGroups));

    public static FeatureTable Training { get; } = Table(Cells(60, seed: 1, "train"));

    public static FeatureTable Test { get; } = Table(Cells(40, seed: 2, "test"));

    public static PipelineModel Model(bool probability = false) => new PipelineTrainer(new PipelineTrainerOptions
    {
        Classifier = new SvmClassifierOptions { Kernel = KernelKind.Rbf, C = 10, Normalizer = NormalizerKind.ZScore, Probability = probability },
        FeatureSubset = Ids,
    }).Fit(Training);

    public static PipelineModel VoteModel { get; } = Model();

    /// <summary>The same model as an old file would load: no class statistics.</summary>
    public static PipelineModel WithoutStatistics(PipelineModel model) =>
        new(model.Decoder, model.Segmenter, model.Extractor, model.Classifier);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
