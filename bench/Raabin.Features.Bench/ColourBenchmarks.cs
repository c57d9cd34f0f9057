using BenchmarkDotNet.Attributes;
using Raabin.Features.Imaging;

namespace Raabin.Features.Bench;

/// <summary>
/// Colour conversions and GaussianBlur on a 360×363 image (a PBC cell crop's size) of seeded random pixels.
/// ns per pixel = reported mean / 130,680. Run:
/// <c>dotnet run -c Release --project bench/Raabin.Features.Bench -- --filter *ColourBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class ColourBenchmarks
{
    private const int Width = 360;
    private const int Height = 363;
    private RgbImage _rgb = null!;
    private GrayImage _gray = null!;
    private GrayImage _p0 = null!, _p1 = null!, _p2 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var pixels = new byte[Width * Height * 3];
        random.NextBytes(pixels);
        _rgb = new RgbImage(Width, Height, pixels);
        _gray = ColorConversion.RgbToGray(_rgb);
        _p0 = new GrayImage(Width, Height);
        _p1 = new GrayImage(Width, Height);
        _p2 = new GrayImage(Width, Height);
    }

    [Benchmark]
    public void Gray() => ColorConversion.RgbToGray(_rgb, _p0);

    [Benchmark]
    public void HsvPlanes() => ColorConversion.RgbToHsv(_rgb, _p0, _p1, _p2);

    [Benchmark]
    public ThreeChannelImage HsvInterleaved() => ColorConversion.RgbToHsv(_rgb);

    [Benchmark]
    public void HlsFullPlanes() => ColorConversion.RgbToHlsFull(_rgb, _p0, _p1, _p2);

    [Benchmark]
    public void LabPlanes() => ColorConversion.RgbToLab(_rgb, _p0, _p1, _p2);

    [Benchmark]
    public void YCrCbPlanes() => ColorConversion.RgbToYCrCb(_rgb, _p0, _p1, _p2);

    [Benchmark]
    public ThreeChannelImage Bgr() => ColorConversion.RgbToBgr(_rgb);

    [Benchmark]
    [Arguments(3)]
    [Arguments(7)]
    [Arguments(15)]
    public void Blur(int kernelSize) => GaussianBlur.Apply(_gray, _p0, kernelSize);
}
