using BenchmarkDotNet.Attributes;
using Raabin.Features.Imaging;

namespace Raabin.Features.Bench;

/// <summary>
/// Morphology building blocks on a synthetic 400 × 400 mask (40 random discs, seeded) and a 400 × 400 random grey
/// image: erosion, dilation and opening with discs of radius 3-40, hole filling, labelling, the Euclidean distance
/// transform. Run: <c>dotnet run -c Release --project bench/Raabin.Features.Bench -- --filter *MorphologyBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class MorphologyBenchmarks
{
    private GrayImage _mask = null!;
    private GrayImage _grey = null!;
    private StructuringElement _disc = null!;

    [Params(3, 10, 20, 40)]
    public int Radius { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _mask = Discs(400, 400, 40, seed: 1);
        _grey = new GrayImage(400, 400);
        new Random(2).NextBytes(_grey.Pixels);
        _disc = StructuringElement.EllipseOfRadius(Radius);
    }

    [Benchmark]
    public GrayImage ErodeMask() => Morphology.Erode(_mask, _disc);

    [Benchmark]
    public GrayImage DilateGrey() => Morphology.Dilate(_grey, _disc);

    [Benchmark]
    public GrayImage OpenMask() => Morphology.Open(_mask, _disc);

    [Benchmark]
    public GrayImage FillHoles() => MaskOps.FillHoles(_mask);

    [Benchmark]
    public ComponentLabeling Label8() => ConnectedComponents.Label(_mask);

    [Benchmark]
    public DoubleImage Euclidean() => DistanceTransform.Euclidean(_mask);

    /// <summary>A mask of <paramref name="count"/> random filled discs (radius 5-60), some punched with holes.</summary>
    public static GrayImage Discs(int width, int height, int count, int seed)
    {
        var random = new Random(seed);
        var mask = new GrayImage(width, height);
        for (int k = 0; k < count; k++)
        {
            int cx = random.Next(width), cy = random.Next(height), r = random.Next(5, 60);
            byte value = k % 5 == 4 ? (byte)0 : (byte)255;
            for (int y = Math.Max(0, cy - r); y < Math.Min(height, cy + r + 1); y++)
            {
                for (int x = Math.Max(0, cx - r); x < Math.Min(width, cx + r + 1); x++)
                {
                    if (((x - cx) * (x - cx)) + ((y - cy) * (y - cy)) <= r * r)
                    {
                        mask[x, y] = value;
                    }
                }
            }
        }

        return mask;
    }
}
