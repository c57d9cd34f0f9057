using System.Text;
using Raabin.Features.Datasets;
using Raabin.Features.Imaging;
using Raabin.Features.IO;

namespace Raabin.Features.Datasets.Dedup;

/// <summary>An image that could not be fingerprinted (it is left out of the duplicate search).</summary>
/// <param name="Dataset">Dataset name.</param>
/// <param name="Path">Image path relative to the dataset folder.</param>
/// <param name="Problem">What went wrong, without the file name.</param>
public sealed record FingerprintFailure(string Dataset, string Path, string Problem);

/// <summary>Fingerprints of every readable image of one or more datasets, and the images that could not be read.</summary>
public sealed class FingerprintScan
{
    private FingerprintScan(IReadOnlyList<ImageFingerprint> fingerprints, IReadOnlyList<FingerprintFailure> failures, IReadOnlyList<string> datasets)
    {
        Fingerprints = fingerprints;
        Failures = failures;
        Datasets = datasets;
    }

    /// <summary>Fingerprints in input order: datasets as given, items sorted by path within each.</summary>
    public IReadOnlyList<ImageFingerprint> Fingerprints { get; }

    /// <summary>Images that could not be decoded, in the same order.</summary>
    public IReadOnlyList<FingerprintFailure> Failures { get; }

    /// <summary>Names of the scanned datasets, as given.</summary>
    public IReadOnlyList<string> Datasets { get; }

    /// <summary>Columns of <see cref="WriteCsv(TextWriter)"/>.</summary>
    public static readonly IReadOnlyList<string> Columns = ["dataset", "path", "label", "split", "ahash", "phash", "sharpness"];

    /// <summary>Writes one row per fingerprint (hashes as 16 hex digits as imagehash prints them, sharpness round-trip).</summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var csv = new CsvWriter(writer);
        csv.Row(Columns);
        foreach (var f in Fingerprints)
        {
            csv.Field(f.Dataset).Field(f.Path).Field(f.Label).Field(f.Split)
                .Field(ImageHash.ToHex(f.AverageHash)).Field(ImageHash.ToHex(f.PerceptualHash)).Field(f.Sharpness).EndRow();
        }

        csv.Flush();
    }

    /// <summary>Writes the fingerprint CSV to a file atomically (it appears, or replaces an older one, only when complete).</summary>
    public void WriteCsv(string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        WriteCsv(writer);
    });

    /// <summary>
    /// Decodes and fingerprints every item of every dataset. A file that cannot be decoded becomes a
    /// <see cref="FingerprintFailure"/>; it never stops the scan. The result does not depend on <paramref name="jobs"/>.
    /// </summary>
    /// <param name="datasets">Datasets with distinct names.</param>
    /// <param name="jobs">Parallel decoders; 0 or less means one per core.</param>
    /// <param name="progress">Called on the calling thread after each image with (done, total); may be null.</param>
    /// <exception cref="ArgumentException">Two datasets have the same name.</exception>
    public static FingerprintScan Run(IReadOnlyList<Dataset> datasets, int jobs = 0, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var work = new List<(Dataset Dataset, DatasetItem Item)>();
        foreach (var dataset in datasets)
        {
            if (!names.Add(dataset.Name))
            {
                throw new ArgumentException(
                    $"{dataset.Root}: another dataset is also named '{dataset.Name}'; duplicates are reported by dataset name, so names must differ");
            }

            foreach (var item in dataset.Items)
            {
                work.Add((dataset, item));
            }
        }

        var fingerprints = new List<ImageFingerprint>(work.Count);
        var failures = new List<FingerprintFailure>();
        var results = OrderedParallel.Select(work, jobs, w => Fingerprint(w.Dataset, w.Item));
        int done = 0;
        foreach (var (fingerprint, failure) in results)
        {
            if (fingerprint is not null)
            {
                fingerprints.Add(fingerprint);
            }
            else
            {
                failures.Add(failure!);
            }

            progress?.Invoke(++done, work.Count);
        }

        var datasetNames = new List<string>(datasets.Count);
        foreach (var dataset in datasets)
        {
            datasetNames.Add(dataset.Name);
        }

        return new FingerprintScan(fingerprints, failures, datasetNames);
    }

    private static (ImageFingerprint? Fingerprint, FingerprintFailure? Failure) Fingerprint(Dataset dataset, DatasetItem item)
    {
        try
        {
            var image = ImageDecoder.Load(dataset.FullPath(item));
            return (ImageFingerprint.Compute(image, dataset.Name, item), null);
        }
        catch (ImageDecodeException e)
        {
            return (null, new FingerprintFailure(dataset.Name, item.Path, e.Problem));
        }
    }
}
