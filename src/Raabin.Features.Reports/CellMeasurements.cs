using Raabin.Features.Datasets;
using Raabin.Features.Imaging;
using Raabin.Features.Imaging.Png;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;
using Raabin.Features.Reporting;

namespace Raabin.Features.Reports;

/// <summary>What the report learned about one image: its features (or why none), and its thumbnail if it is in the gallery.</summary>
/// <param name="FullPath">The image file found, or null when no image root holds it.</param>
/// <param name="Row">Its feature row (status and error included), or null when not measured.</param>
/// <param name="Thumbnail">A PNG tile with the contours drawn, or null.</param>
internal sealed record CellMeasurement(string? FullPath, FeatureRow? Row, byte[]? Thumbnail);

/// <summary>
/// Finds the predictions' images, segments and measures them with the model's own pipeline (or joins a feature CSV),
/// and draws the gallery's thumbnails: the image scaled into a square tile with the nucleus (green) and cell (cyan)
/// contours drawn at the tile's scale (<see cref="SegmentationOverlay.DrawTile"/>), encoded as PNG.
/// </summary>
internal static class CellMeasurements
{
    /// <summary>Where a row's image is: an absolute path as is, else ROOT/DATASET/PATH, then ROOT/PATH for each root in order.</summary>
    public static string? Resolve(PredictionRow row, IReadOnlyList<string> roots)
    {
        if (Path.IsPathRooted(row.Path))
        {
            return File.Exists(row.Path) ? row.Path : null;
        }

        foreach (string root in roots)
        {
            if (row.Dataset.Length > 0 && Path.Combine(root, row.Dataset, row.Path) is var inDataset && File.Exists(inDataset))
            {
                return Path.GetFullPath(inDataset);
            }

            if (Path.Combine(root, row.Path) is var direct && File.Exists(direct))
            {
                return Path.GetFullPath(direct);
            }
        }

        return null;
    }

    /// <summary>
    /// One measurement per distinct image of <paramref name="rows"/> (keyed by full path): with a model, every image is
    /// measured when <paramref name="measureAll"/> (else only the gallery's); thumbnails only for <paramref name="gallery"/>.
    /// </summary>
    public static Dictionary<string, CellMeasurement> Measure(
        IReadOnlyList<PredictionRow> rows, IReadOnlyList<string> roots, PipelineModel? model, ISet<int> gallery, bool measureAll,
        int thumbnailSize, int jobs, Action<string> log)
    {
        var found = new Dictionary<string, string?>(StringComparer.Ordinal);
        var wanted = new Dictionary<string, (DatasetItem Item, bool Thumbnail, bool Features)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            string? full = Resolve(row, roots);
            found[Key(row)] = full;
            if (full is null)
            {
                continue;
            }

            bool inGallery = gallery.Contains(row.Index);
            bool features = model is not null && measureAll;
            if (!inGallery && !features)
            {
                continue;
            }

            var item = new DatasetItem(full, row.Label, string.Empty, row.Domain, null);
            wanted[full] = wanted.TryGetValue(full, out var had) ? (had.Item, had.Thumbnail || inGallery, had.Features || features) : (item, inGallery, features);
        }

        var result = new Dictionary<string, CellMeasurement>(StringComparer.Ordinal);
        foreach (var (key, full) in found)
        {
            result[key] = new CellMeasurement(full, null, null);
        }

        var items = wanted.Values.Select(w => w.Item).ToList();
        if (items.Count == 0)
        {
            return result;
        }

        var byPath = new Dictionary<string, CellMeasurement>(StringComparer.Ordinal);
        var dataset = Dataset.FromItems(Path.GetPathRoot(items[0].Path) ?? "/", "report", items);
        var started = DateTime.UtcNow;
        if (model is not null)
        {
            var pipeline = model.CreateCellPipeline();
            int done = 0;
            foreach (var r in pipeline.ProcessAll(dataset, items, jobs, c => wanted[c.Item.Path].Thumbnail ? Tile(c, thumbnailSize) : null))
            {
                byPath[r.Item.Path] = new CellMeasurement(r.Item.Path, r.Row, r.Tag as byte[]);
                if (++done % 500 == 0)
                {
                    log($"report: measured {done} of {items.Count} cells");
                }
            }
        }
        else
        {
            // No model, no segmenter: the gallery shows the images alone.
            var tiles = IO.OrderedParallel.Select(items, jobs, item => (item.Path, Tile: PlainTile(item.Path, thumbnailSize)));
            foreach (var (path, tile) in tiles)
            {
                byPath[path] = new CellMeasurement(path, null, tile);
            }
        }

        log(FormattableString.Invariant($"report: {items.Count} images read in {(DateTime.UtcNow - started).TotalSeconds:F1} s"));
        foreach (var (key, full) in found)
        {
            if (full is not null && byPath.TryGetValue(full, out var m))
            {
                result[key] = m;
            }
        }

        return result;
    }

    /// <summary>The key of a row's image before it is resolved (dataset and path).</summary>
    public static string Key(PredictionRow row) => row.Dataset + "\u001f" + row.Path;

    private static byte[]? Tile(CellResult result, int size)
    {
        var seg = result.Segmentation;
        if (seg is null)
        {
            return null;
        }

        return PngEncoder.Encode(SegmentationOverlay.DrawTile(seg.Input, seg.Succeeded ? seg : null, null, size));
    }

    private static byte[]? PlainTile(string path, int size)
    {
        try
        {
            return PngEncoder.Encode(SegmentationOverlay.DrawTile(ImageDecoder.Load(path), null, null, size));
        }
        catch (ImageDecodeException)
        {
            return null;
        }
    }
}
