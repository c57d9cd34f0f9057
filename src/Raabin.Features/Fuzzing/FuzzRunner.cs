using System.Diagnostics;
using System.Security.Cryptography;
using Raabin.Features.Datasets;
using Raabin.Features.Imaging;
using Raabin.Features.Import;
using Raabin.Features.IO;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Fuzzing;

/// <summary>
/// Feeds mutants of real inputs to the code that reads them and classifies what happens. Images go through
/// <see cref="ImageDecoder.Decode(ReadOnlySpan{byte}, string, out ImageFormat, out DecodeReport, DecoderOptions?)"/>,
/// then, when decoded, through the reference pipeline and the od-cell/od-groups pipeline (segment and measure); feature
/// CSVs through <see cref="FeatureTable.Load"/>, score files through <see cref="ScoreImporter.Import(string)"/>, model
/// files through <see cref="PipelineModel.Load(Stream, string, Learning.IExternalClassifierLoader?)"/>. The only
/// acceptable failures are the documented ones: <see cref="ImageDecodeException"/>, <see cref="CsvFormatException"/>
/// (any <see cref="DataFileException"/>), <see cref="ScoreImportException"/> and <see cref="InvalidDataException"/>;
/// anything else is a <see cref="FuzzOutcome.Crash"/>, and a mutant still running after
/// <see cref="FuzzOptions.TimeLimit"/> is a <see cref="FuzzOutcome.Hang"/>.
/// </summary>
/// <remarks>
/// Mutant <c>i</c> of a run is made from seed <c>i mod seeds.Count</c> by <see cref="FuzzSeed.Mutate"/>(runSeed, i),
/// so every result can be rebuilt from (seed, run seed, index). Each mutant runs on a thread of its own; one that
/// overruns is left running (a thread cannot be aborted) and the run stops once <see cref="FuzzOptions.MaxStuckTasks"/>
/// are stuck (<see cref="Aborted"/>).
/// </remarks>
public sealed class FuzzRunner : IDisposable
{
    private readonly CellPipeline _reference;
    private readonly CellPipeline _odGroups;
    private readonly List<Task> _stuck = [];
    private readonly string _work;
    private readonly bool _ownsWork;

    /// <summary>Creates a runner.</summary>
    public FuzzRunner(FuzzOptions? options = null)
    {
        Options = options ?? new FuzzOptions();
        _reference = new CellPipeline(new ReferenceNucleusSegmenter(), new ReferenceFeatureExtractor(), Options.DecoderOptions, measureDamaged: true);
        _odGroups = CellPipeline.From(SegmenterSpec.Of(OdCellSegmenter.MethodName), ExtractorSpec.OdGroups, Options.DecoderOptions, measureDamaged: true);
        _ownsWork = Options.WorkFolder is null;
        _work = Options.WorkFolder ?? Path.Combine(Path.GetTempPath(), "raabin-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_work);
    }

    /// <summary>The options in use.</summary>
    public FuzzOptions Options { get; }

    /// <summary>True once the run stopped because <see cref="FuzzOptions.MaxStuckTasks"/> hung mutants were still running.</summary>
    public bool Aborted { get; private set; }

    /// <summary>
    /// Runs mutants <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 of
    /// <paramref name="seeds"/> with run seed <paramref name="seed"/>, yielding results in index order.
    /// </summary>
    public IEnumerable<FuzzCase> Run(IReadOnlyList<FuzzSeed> seeds, long count, ulong seed, long first = 0, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        if (seeds.Count == 0 || count <= 0)
        {
            return [];
        }

        var indices = LongRange(first, count);
        return OrderedParallel.Select(indices, Options.MaxDegreeOfParallelism, index =>
        {
            if (Aborted)
            {
                return null;
            }

            return RunOne(seeds[(int)(index % seeds.Count)], seed, index);
        }, cancellation).TakeWhile(c => c is not null).Select(c => c!);
    }

    /// <summary>Builds and runs one mutant (the reproducer of a reported case).</summary>
    public FuzzCase RunOne(FuzzSeed seedFile, ulong seed, long index)
    {
        ArgumentNullException.ThrowIfNull(seedFile);
        var mutation = seedFile.Mutate(seed, index);
        return RunMutant(seedFile, mutation, seed, index);
    }

    /// <summary>Runs given bytes as if they were a mutant of <paramref name="seedFile"/> (e.g. a minimised crash).</summary>
    public FuzzCase RunMutant(FuzzSeed seedFile, Mutation mutation, ulong seed = 0, long index = 0)
    {
        ArgumentNullException.ThrowIfNull(seedFile);
        ArgumentNullException.ThrowIfNull(mutation);
        lock (_stuck)
        {
            _stuck.RemoveAll(t => t.IsCompleted);
        }

        var task = Task.Factory.StartNew(() => Execute(seedFile, mutation, seed, index), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (task.Wait(Options.TimeLimit))
        {
            // The wait can return late on a busy machine: the mutant's own clock decides whether it overran.
            var done = task.Result;
            return done.Milliseconds <= Options.TimeLimit.TotalMilliseconds ? done
                : done with { Outcome = FuzzOutcome.Hang, Message = $"took {done.Milliseconds:F0} ms, over the {Options.TimeLimit.TotalMilliseconds:F0} ms limit ({done.Outcome})" };
        }

        lock (_stuck)
        {
            _stuck.Add(task);
            if (_stuck.Count >= Options.MaxStuckTasks)
            {
                Aborted = true;
            }
        }

        return new FuzzCase(seedFile.Name, seedFile.Group, seed, index, mutation, FuzzOutcome.Hang, Options.TimeLimit.TotalMilliseconds,
            $"still running after {Options.TimeLimit.TotalMilliseconds:F0} ms");
    }

    private FuzzCase Execute(FuzzSeed seedFile, Mutation mutation, ulong seed, long index)
    {
        var watch = Stopwatch.StartNew();
        FuzzCase Case(FuzzOutcome outcome, string? message, Exception? e = null) =>
            new(seedFile.Name, seedFile.Group, seed, index, mutation, outcome, watch.Elapsed.TotalMilliseconds, message, Exception: e);
        try
        {
            return seedFile.Target switch
            {
                FuzzTarget.Image => Image(seedFile, mutation, seed, index, watch),
                FuzzTarget.FeatureTable => Read(seedFile, mutation, index, path => FeatureTable.Load(path)) is { } refused
                    ? Case(FuzzOutcome.Refused, refused) : Case(FuzzOutcome.Accepted, null),
                FuzzTarget.Scores => Read(seedFile, mutation, index, path => new ScoreImporter(seedFile.ScoreOptions).Import(path)) is { } refused
                    ? Case(FuzzOutcome.Refused, refused) : Case(FuzzOutcome.Accepted, null),
                _ => Model(seedFile, mutation) is { } refused ? Case(FuzzOutcome.Refused, refused) : Case(FuzzOutcome.Accepted, null),
            };
        }
        catch (Exception e)
        {
            return Case(FuzzOutcome.Crash, $"{e.GetType().Name}: {e.Message}", e);
        }
    }

    private FuzzCase Image(FuzzSeed seedFile, Mutation mutation, ulong seed, long index, Stopwatch watch)
    {
        string source = $"{seedFile.Name}#{index}";
        RgbImage image;
        DecodeReport report;
        ImageFormat format;
        try
        {
            image = ImageDecoder.Decode(mutation.Data, source, out format, out report, Options.DecoderOptions);
        }
        catch (ImageDecodeException e)
        {
            return new FuzzCase(seedFile.Name, seedFile.Group, seed, index, mutation, FuzzOutcome.Refused, watch.Elapsed.TotalMilliseconds, e.Problem);
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(image.Pixels));
        if (Options.Measure)
        {
            var item = new DatasetItem(source, string.Empty, string.Empty, string.Empty, null);
            _reference.Process(image, item, format);
            _odGroups.Process(image, item, format);
        }

        return new FuzzCase(seedFile.Name, seedFile.Group, seed, index, mutation,
            report.IsDamaged ? FuzzOutcome.DecodedDamaged : FuzzOutcome.DecodedIntact, watch.Elapsed.TotalMilliseconds,
            report.HasWarnings ? report.Summary : null, hash, image.Width, image.Height);
    }

    // The readers take paths (the extension picks the score format): write the mutant, read it, delete it.
    private string? Read(FuzzSeed seedFile, Mutation mutation, long index, Action<string> read)
    {
        string path = Path.Combine(_work, $"m{index}{seedFile.Extension}");
        File.WriteAllBytes(path, mutation.Data);
        try
        {
            read(path);
            return null;
        }
        catch (DataFileException e)
        {
            return e.Message;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string? Model(FuzzSeed seedFile, Mutation mutation)
    {
        try
        {
            using var stream = new MemoryStream(mutation.Data, writable: false);
            PipelineModel.Load(stream, seedFile.Name);
            return null;
        }
        catch (InvalidDataException e)
        {
            return e.Message;
        }
    }

    private static IEnumerable<long> LongRange(long first, long count)
    {
        for (long i = first; i < first + count; i++)
        {
            yield return i;
        }
    }

    /// <summary>Removes the work folder when the runner made it.</summary>
    public void Dispose()
    {
        if (_ownsWork)
        {
            try
            {
                Directory.Delete(_work, recursive: true);
            }
            catch (IOException)
            {
                // A stuck reader may still hold a file; a leftover temp folder is harmless.
            }
        }
    }
}
