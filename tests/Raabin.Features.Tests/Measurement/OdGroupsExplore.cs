using Raabin.Features.Imaging;
using Raabin.Features.Measurement;
using Raabin.Features.Segmentation;
using Xunit.Abstractions;

namespace Raabin.Features.Tests.Measurement;

public class OdGroupsExplore(ITestOutputHelper output)
{
    [Fact]
    public void Explore()
    {
        foreach (int radius in new[] { 10, 20, 32 })
        {
            var disc = new GrayImage(100, 100);
            for (int y = 0; y < 100; y++) for (int x = 0; x < 100; x++) if ((x - 50) * (x - 50) + (y - 50) * (y - 50) <= radius * radius) disc[x, y] = 255;
            var v = new double[12];
            OdGroupsFeatureExtractor.MeasureMaskShape(disc, v);
            output.WriteLine($"disc r={radius}: " + string.Join(" ", v.Select(x => x.ToString("G6"))));
        }
        var rect = new GrayImage(100, 100);
        for (int y = 30; y < 50; y++) for (int x = 20; x < 60; x++) rect[x, y] = 255;
        var rv = new double[12];
        OdGroupsFeatureExtractor.MeasureMaskShape(rect, rv);
        output.WriteLine("rect 40x20: " + string.Join(" ", rv.Select(x => x.ToString("G6"))));
        var two = new GrayImage(100, 60);
        for (int y = 0; y < 60; y++) for (int x = 0; x < 100; x++) if ((x - 25) * (x - 25) + (y - 30) * (y - 30) <= 225 || (x - 70) * (x - 70) + (y - 30) * (y - 30) <= 225) two[x, y] = 255;
        OdGroupsFeatureExtractor.MeasureMaskShape(two, rv);
        output.WriteLine("two discs: " + string.Join(" ", rv.Select(x => x.ToString("G6"))));

        var seg = new OdCellSegmenter();
        var ex = new OdGroupsFeatureExtractor();
        foreach (var file in Directory.EnumerateFiles(TestPaths.Samples, "*.*", SearchOption.AllDirectories).Where(f => f.EndsWith(".jpg") || f.EndsWith(".bmp") || f.EndsWith(".png")).Order().Take(6))
        {
            var img = ImageDecoder.Load(file);
            var s = seg.Segment(img);
            if (!s.Succeeded) { output.WriteLine(file + " failed"); continue; }
            var view = OdGroupsFeatureExtractor.Canonicalise(s);
            var f = new double[ex.Features.Count];
            var sw = System.Diagnostics.Stopwatch.StartNew();
            ex.Extract(s, f);
            output.WriteLine($"{Path.GetFileName(file)} {img.Width}x{img.Height} k={view.Scale:F3} view {view.Nucleus.Width}x{view.Nucleus.Height} {sw.Elapsed.TotalMilliseconds:F1} ms");
            output.WriteLine(string.Join(" ", ex.Features.Select((d, i) => $"{d.Id}={f[i]:G4}")));
        }
    }
}
