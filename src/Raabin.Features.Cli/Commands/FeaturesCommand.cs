using System.CommandLine;
using Raabin.Features.Measurement;
using Raabin.Features.IO;

namespace Raabin.Features.Cli.Commands;

/// <summary><c>raabin features DATASET --out FILE.csv [--resume]</c>: one row of features per image.</summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var common = new PipelineOptions();
        var output = new Option<string>("--out", "-o")
        {
            Required = true,
            Description = "Output CSV: path,label,split,domain,status,error, then one column per feature id. Rows go to FILE.csv.partial " +
                "as they finish; FILE.csv appears only when every image is done.",
        };
        var resume = new ResumableOutput();
        var shards = new ShardOptions();
        var randomise = new Option<bool>("--randomise")
        {
            Description = "Measure a randomised copy of each image instead (training-time domain randomisation: stain strength, background tint, scale, blur, " +
                "gamma, hue/saturation, noise, JPEG quality). Rows record the randomisation and get the domain suffix +randomised; train on them with `train --randomised`.",
        };
        var randomiseSeed = new Option<int>("--randomise-seed") { DefaultValueFactory = _ => 0, Description = "Seed of the randomised copies (another seed, another copy)." };
        var randomisation = new Option<string?>("--randomisation")
        {
            Description = "The randomisation's distributions, e.g. 'blur=0..3@0.8;jpeg=off' (keys not named keep their defaults; see the README). Default: " +
                Augmentation.DomainRandomizationOptions.Default.ToSpec(),
        };
        var command = new Command("features",
            "Segment every image of a dataset and measure its features (the 51 reference features, or --extractor). Ctrl+C or SIGTERM stops " +
            "cleanly (exit code 130) keeping the finished rows; --resume continues.");
        common.AddTo(command);
        common.Extractor.AddTo(command);
        command.Options.Add(output);
        resume.AddTo(command);
        shards.AddTo(command);
        command.Options.Add(randomise);
        command.Options.Add(randomiseSeed);
        command.Options.Add(randomisation);
        command.SetAction(parse =>
        {
            var opened = common.Open(parse);
            if (opened is not { } o)
            {
                return CliOutput.Failed;
            }

            var pipeline = o.Pipeline;
            if (parse.GetValue(randomise))
            {
                try
                {
                    var spec = parse.GetValue(randomisation) is { } text ? Augmentation.DomainRandomizationOptions.Parse(text) : Augmentation.DomainRandomizationOptions.Default;
                    pipeline = pipeline.WithRandomization(spec, parse.GetValue(randomiseSeed));
                }
                catch (ArgumentException e)
                {
                    CliOutput.Error($"--randomisation: {e.Message}");
                    return CliOutput.Failed;
                }
            }
            else if (parse.GetValue(randomisation) is not null || parse.GetResult(randomiseSeed) is { Implicit: false })
            {
                CliOutput.Error("--randomisation and --randomise-seed go with --randomise");
                return CliOutput.Failed;
            }

            Datasets.Shard? shard;
            try
            {
                shard = shards.Resolve(parse);
            }
            catch (ArgumentException e)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }

            string path = parse.GetValue(output)!;
            CliOutput.EnsureParent(path);
            var items = ShardOptions.Select(shard, o.Items);
            var fingerprint = Fingerprint(parse, items, shard);
            using var batch = resume.Open(parse, path, Header(pipeline), fingerprint);
            if (batch is null)
            {
                return CliOutput.Failed;
            }

            ShardOptions.Forget(path);

            using var interruption = Interruption.Listen();
            var (ok, failed) = Write(o.Dataset, items, pipeline, batch, parse.GetValue(common.Jobs), interruption.Token);
            if (!batch.IsComplete)
            {
                return ResumableOutput.Interrupted(batch);
            }

            if (shard is not null)
            {
                ShardOptions.WriteManifest(command.Name, shard, parse.GetValue(common.Dataset)!, o.Items,
                    ShardOptions.ManifestSettings(fingerprint, common.Dataset.Name), path, batch.RowCount, []);
            }

            Console.Error.WriteLine($"{ok} images measured, {failed} without features -> {path}");
            return CliOutput.Finished(failed);
        });
        return command;
    }

    /// <summary>
    /// What a partial output of this command is checked against on <c>--resume</c>: every setting but <c>--out</c> and
    /// <c>--jobs</c> (rows do not depend on the number of workers), the dataset's full path, the shard if any, and the items
    /// (the shard's, when sharded).
    /// </summary>
    internal static BatchFingerprint Fingerprint(ParseResult parse, IReadOnlyList<Datasets.DatasetItem> items, Datasets.Shard? shard = null) =>
        ResumableOutput.Fingerprint(parse, items.Select(i => i.Path).ToArray(), excluded: ["--out", "--jobs"], paths: ["dataset"],
            ShardOptions.FingerprintSettings(shard));

    /// <summary>The header row of the features CSV.</summary>
    internal static string[] Header(CellPipeline pipeline) => [.. FeatureTable.Header(pipeline.FeatureIds, pipeline.Provenance)];

    /// <summary>
    /// Measures the items <paramref name="output"/> does not hold yet and streams their rows to it as they complete (in
    /// input order), then completes it. Memory does not grow with the number of items: at most the pipeline's reorder
    /// window of images is in flight (<see cref="IO.OrderedParallel.DefaultWindow"/>) and each row is written and dropped. Cancelling stops at a row boundary and leaves the output incomplete (not
    /// <see cref="PartialCsvFile.IsComplete"/>), its finished rows on disk. Returns the counts over all rows, kept ones included.
    /// </summary>
    /// <param name="dataset">The dataset the items belong to.</param>
    /// <param name="items">Every item of the run, in output order (the kept rows are the first of them).</param>
    /// <param name="pipeline">Decoder, segmenter and extractor.</param>
    /// <param name="output">The partial output, fresh or resumed.</param>
    /// <param name="jobs">Parallel workers; 0 means one per core.</param>
    /// <param name="cancellation">Stops the batch at a row boundary.</param>
    /// <param name="afterRow">Called after each row is written with the output's row count (tests cut runs short with it).</param>
    internal static (int Ok, int Failed) Write(
        Datasets.Dataset dataset, IReadOnlyList<Datasets.DatasetItem> items, CellPipeline pipeline, PartialCsvFile output, int jobs,
        CancellationToken cancellation, Action<int>? afterRow = null)
    {
        int status = FeatureTable.LeadingColumns.ToList().IndexOf("status");
        int ok = output.KeptRows.Count(r => r[status] == CellStatus.Ok);
        int failed = output.KeptRowCount - ok;
        var remaining = items.Skip(output.KeptRowCount).ToArray();
        var provenance = pipeline.Provenance;
        var progress = ProgressReporter.OnStderr("measured", items.Count, output.KeptRowCount);
        try
        {
            foreach (var result in pipeline.ProcessAll(dataset, remaining, jobs, cancellation: cancellation))
            {
                // Checked per row as well: results already computed are not written once a stop is asked for.
                cancellation.ThrowIfCancellationRequested();
                FeatureTable.WriteRow(output.Writer, result.Row, provenance);
                if (result.Row.IsOk)
                {
                    ok++;
                }
                else
                {
                    failed++;
                    CliOutput.Warn($"{result.Row.Path}: {result.Row.Status}: {result.Row.Error}");
                }

                progress.Report(output.RowCount);
                afterRow?.Invoke(output.RowCount);
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return (ok, failed);
        }

        output.Complete();
        return (ok, failed);
    }
}
