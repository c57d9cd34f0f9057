using BenchmarkDotNet.Attributes;
using Raabin.Features.Datasets;
using Raabin.Features.Measurement;
using Raabin.Features.Imaging;
using Raabin.Features.Segmentation;
using Raabin.Features.Segmentation.Geometry;
using Raabin.Features.Segmentation.Thresholding;

namespace Raabin.Features.Bench;

/// <summary>
/// The reference segmentation and feature extraction on one PBC cell (the first lymphocyte of <c>shared/datasets/pbc</c>,
/// 360×363), whole and stage by stage, in pipeline order. Run:
/// <c>dotnet run -c Release --project bench/Raabin.Features.Bench -- --filter *SegmentationBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class SegmentationBenchmarks
{
    private readonly ReferenceNucleusSegmenter _segmenter = new();
    private readonly ReferenceFeatureExtractor _extractor = new();
    private readonly double[] _features = new double[51];
    private RgbImage _image = null!;
    private NucleusSegmentation _segmentation = null!;
    private RgbImage _balanced = null!;
    private GrayImage _raw = null!, _channel = null!, _mask = null!, _scratch = null!;
    private double _scaleR, _scaleG, _scaleB;

    [GlobalSetup]
    public void Setup()
    {
        var dataset = Dataset.Open(Path.Combine(EndToEnd.SharedRoot(), "datasets", "pbc"));
        DatasetItem item = dataset.Items.First(i => i.Label == "lymphocyte");
        _image = ImageDecoder.Load(dataset.FullPath(item));
        _segmentation = _segmenter.Segment(_image);
        int w = _image.Width, h = _image.Height;
        _balanced = new RgbImage(w, h);
        _raw = new GrayImage(w, h);
        _channel = new GrayImage(w, h);
        _scratch = new GrayImage(w, h);
        GrayWorldBalance.Tables(_image, stackalloc byte[256], stackalloc byte[256], stackalloc byte[256], out _scaleR, out _scaleG, out _scaleB);
        NucleusChannel.Compute(_image, _scaleR, _scaleG, _scaleB, _balanced, _raw);
        GaussianBlur.Apply(_raw, _channel, 5);
        _mask = NucleusMaskFinisher.ThresholdAtLeast(_channel, _segmentation.Threshold);
    }

    [Benchmark(Baseline = true)]
    public void SegmentAndExtract()
    {
        NucleusSegmentation s = _segmenter.Segment(_image);
        _extractor.Extract(s, _features);
    }

    [Benchmark]
    public NucleusSegmentation Segment() => _segmenter.Segment(_image);

    [Benchmark]
    public void Extract() => _extractor.Extract(_segmentation, _features);

    [Benchmark]
    public long GrayWorldSums()
    {
        GrayWorldBalance.ChannelSums(_image.Pixels, out long r, out long g, out long b, out long gray);
        return r + g + b + gray;
    }

    [Benchmark]
    public void ColourPassVector() => NucleusChannel.Compute(_image, _scaleR, _scaleG, _scaleB, _balanced, _raw, allowVector: true);

    [Benchmark]
    public void ColourPassTables() => NucleusChannel.Compute(_image, _scaleR, _scaleG, _scaleB, _balanced, _raw, allowVector: false);

    [Benchmark]
    public void Blur5() => GaussianBlur.Apply(_raw, _scratch, 5);

    [Benchmark]
    public int MultiOtsu2()
    {
        MultiOtsu.TryThresholds(_channel, 2, out int[] thresholds);
        return thresholds[0];
    }

    [Benchmark]
    public void Threshold() => NucleusMaskFinisher.ThresholdAtLeast(_channel.Pixels, _segmentation.Threshold, _scratch.Pixels);

    [Benchmark]
    public IReadOnlyList<Contour> Contours() => ContourTracer.FindExternalContours(_mask);

    [Benchmark]
    public ConvexHull Hull() => ConvexHull.OfMask(_mask);

    [Benchmark]
    public NucleusSegmentation Finish() =>
        NucleusMaskFinisher.Finish("reference", _image, _balanced, _channel, _segmentation.Threshold,
            new Dictionary<string, double>(), false, NucleusMaskFinisher.ThresholdAtLeast(_channel, _segmentation.Threshold), 100);
}
