using System.Diagnostics;
using Raabin.Features.Cli;
using Raabin.Features.Cli.Commands;
using Raabin.Features.Datasets;
using Raabin.Features.IO;
using Raabin.Features.Measurement;

namespace Raabin.Features.Tests.Cli;

/// <summary>
/// <c>--shard</c> on features, segment and predict, and <c>raabin merge</c>: the merged shards are the single run's output
/// byte for byte (side files included); bad shards are refused naming the files; the shard can come from the
/// scheduler's environment; a shard's run resumes like any run.
/// </summary>
public class ShardCommandTests
{
    private static readonly string[] SchedulerVariables =
    [
        "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_STEP", "JOB_COMPLETION_INDEX",
    ];

    // Runs raabin as a child process with the given scheduler variables and none inherited (the tests may run inside a job array).
    private static RaabinProcess.Result Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "raabin.dll"));
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (string name in SchedulerVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"raabin {string.Join(' ', args)} did not finish");
        }

        return new RaabinProcess.Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static RaabinProcess.Result Run(params string[] args) => Run(null, args);

    private static void Ok(RaabinProcess.Result r) => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Stderr}");

    private static void Refused(RaabinProcess.Result r, params string[] messages)
    {
        Assert.True(r.ExitCode == 2, $"exit {r.ExitCode}, expected 2: {r.Stderr}");
        foreach (string m in messages)
        {
            Assert.Contains(m, r.Stderr);
        }
    }

    private static void SameBytes(string expected, string actual) =>
        Assert.True(File.ReadAllBytes(expected).AsSpan().SequenceEqual(File.ReadAllBytes(actual)), $"{actual} differs from {expected}");

    // Every file under the folder, relative, '/'-separated, sorted.
    private static string[] FilesUnder(string folder) =>
        [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    private static string[] FeatureShards(string dataset, string folder, int count, params string[] options)
    {
        var outputs = new string[count];
        for (int i = 0; i < count; i++)
        {
            outputs[i] = Path.Combine(folder, $"features-{i}.csv");
            Ok(Run(["features", dataset, "--shard", $"{i}/{count}", "--out", outputs[i], .. options]));
        }

        return outputs;
    }

    [Fact]
    public void Features_shards_merged_are_the_single_run_byte_for_byte_whatever_the_order_given()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = TestPaths.Sample("pbc");
        string single = Path.Combine(tmp.Path, "single.csv");
        Ok(Run("features", dataset, "--out", single));
        var shards = FeatureShards(dataset, Path.Combine(tmp.Path, "shards"), 4);

        // Every image in exactly one shard, sizes 8, 8, 7, 7.
        var rows = shards.Select(s => CsvTable.Load(s).Rows.Select(r => r[0]).ToList()).ToList();
        Assert.Equal([8, 8, 7, 7], rows.Select(r => r.Count));
        Assert.Equal(Dataset.Open(dataset).Items.Select(i => i.Path).Order(StringComparer.Ordinal), rows.SelectMany(r => r).Order(StringComparer.Ordinal));

        string merged = Path.Combine(tmp.Path, "merged.csv");
        var r = Run(["merge", shards[2], shards[0], shards[3], shards[1], "--out", merged]);
        Ok(r);
        Assert.Contains("merged 4 shards of features (30 rows of 30 images, 0 failed)", r.Stderr);
        SameBytes(single, merged);
        Assert.False(File.Exists(ShardManifest.PathOf(merged)));

        // The manifests too can be given (a glob of *.shard.json).
        string viaManifests = Path.Combine(tmp.Path, "via-manifests.csv");
        Ok(Run(["merge", .. shards.Select(ShardManifest.PathOf), "--out", viaManifests]));
        SameBytes(single, viaManifests);
    }

    [Fact]
    public void More_shards_than_images_leaves_some_empty_and_still_merges_to_the_single_run()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = TestPaths.Sample("zheng-cellavision");
        string single = Path.Combine(tmp.Path, "single.csv");
        Ok(Run("features", dataset, "--out", single));
        var shards = FeatureShards(dataset, tmp.Path, 7);
        Assert.Equal([1, 1, 1, 1, 1, 0, 0], shards.Select(s => CsvTable.Load(s).Rows.Count));
        string merged = Path.Combine(tmp.Path, "merged.csv");
        Ok(Run(["merge", .. shards, "--out", merged]));
        SameBytes(single, merged);
    }

    [Fact]
    public void Randomised_copies_do_not_depend_on_the_shard_an_image_falls_in()
    {
        // Each copy's seed comes from --randomise-seed and the image's path, not its position in the run.
        using var tmp = TestPaths.NewTempFolder();
        string dataset = TestPaths.Sample("zheng-cellavision");
        string single = Path.Combine(tmp.Path, "single.csv");
        Ok(Run("features", dataset, "--randomise", "--randomise-seed", "7", "--out", single));
        var shards = FeatureShards(dataset, Path.Combine(tmp.Path, "shards"), 2, "--randomise", "--randomise-seed", "7");
        string merged = Path.Combine(tmp.Path, "merged.csv");
        Ok(Run(["merge", .. shards, "--out", merged]));
        SameBytes(single, merged);
    }

    [Fact]
    public void Segment_shards_merged_are_the_single_run_folder_masks_and_overlays_included()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = TestPaths.Sample("zheng-jtsc");
        string single = Path.Combine(tmp.Path, "single");
        Ok(Run("segment", dataset, "--out", single));
        var shards = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            shards.Add(Path.Combine(tmp.Path, "shards", $"segment-{i}"));
            Ok(Run("segment", dataset, "--shard", $"{i}/3", "--out", shards[i]));
            Assert.True(File.Exists(Path.Combine(shards[i], "segmentation.csv.shard.json")));
        }

        string merged = Path.Combine(tmp.Path, "merged");
        Ok(Run(["merge", .. shards, "--out", merged]));
        var files = FilesUnder(single);
        Assert.Equal(1 + 2 * 9, files.Length);
        Assert.Equal(files, FilesUnder(merged));
        foreach (string file in files)
        {
            SameBytes(Path.Combine(single, file), Path.Combine(merged, file));
        }
    }

    [Fact]
    public void Predict_shards_merged_are_the_single_run_and_its_differential_count_is_recomputed()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = TestPaths.Sample("pbc");
        string model = CliDatasets.ShippedModel;
        string single = Path.Combine(tmp.Path, "single.csv");
        var whole = Run("predict", "--model", model, dataset, "--out", single);
        Ok(whole);
        var shards = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            shards.Add(Path.Combine(tmp.Path, $"predict-{i}.csv"));
            Ok(Run("predict", "--model", model, dataset, "--shard", $"{i}/3", "--out", shards[i]));

            // A shard's differential count would describe a third of the cells: only merge writes one.
            Assert.False(File.Exists(PredictCommand.DifferentialPath(shards[i])));
        }

        string merged = Path.Combine(tmp.Path, "merged.csv");
        var r = Run(["merge", .. shards, "--out", merged]);
        Ok(r);
        SameBytes(single, merged);
        SameBytes(PredictCommand.DifferentialPath(single), PredictCommand.DifferentialPath(merged));
        Assert.Equal(whole.Stdout.Replace(PredictCommand.DifferentialPath(single), "OUT"), r.Stdout.Replace(PredictCommand.DifferentialPath(merged), "OUT"));
    }

    [Fact]
    public void Merge_refuses_a_missing_shard_a_shard_given_twice_and_a_changed_shard_naming_them()
    {
        using var tmp = TestPaths.NewTempFolder();
        var shards = FeatureShards(TestPaths.Sample("zheng-jtsc"), tmp.Path, 3);
        string merged = Path.Combine(tmp.Path, "merged.csv");

        Refused(Run("merge", shards[0], shards[2], "--out", merged), $"missing shard 1/3 of 3 (given: {shards[0]} = 0/3, {shards[2]} = 2/3)");
        Refused(Run("merge", shards[0], shards[1], "--out", merged), "missing shard 2/3 of 3");
        Refused(Run("merge", shards[0], shards[1], shards[1], shards[2], "--out", merged), $"{shards[1]} given twice (shard 1/3)");

        // Another file holding shard 1/3 of the same run.
        string copy = Path.Combine(tmp.Path, "copy-1.csv");
        File.Copy(shards[1], copy);
        File.Copy(ShardManifest.PathOf(shards[1]), ShardManifest.PathOf(copy));
        Refused(Run("merge", shards[0], shards[1], copy, shards[2], "--out", merged), $"shard 1/3 given twice: {shards[1]} and {copy}");

        // An output without a manifest, an unfinished shard, and a shard edited after it finished.
        File.Delete(ShardManifest.PathOf(copy));
        Refused(Run("merge", shards[0], copy, shards[2], "--out", merged), $"{copy}: it has no shard manifest copy-1.csv.shard.json");
        File.Move(copy, PartialCsvFile.PartialPathOf(copy));
        Refused(Run("merge", shards[0], copy, shards[2], "--out", merged), $"{copy}: the shard did not finish (copy-1.csv.partial is there): run its job again with --resume");
        File.AppendAllText(shards[2], "extra,row\n");
        Refused(Run("merge", shards[0], shards[1], shards[2], "--out", merged), $"{Path.GetFullPath(shards[2])}: changed since shard 2/3 finished");
        Refused(Run("merge", shards[0], shards[1], shards[2], "--out", shards[0]), "is one of the shards");
        Assert.False(File.Exists(merged));
    }

    [Fact]
    public void Merge_refuses_shards_of_another_dataset_other_options_another_count_or_another_command()
    {
        using var tmp = TestPaths.NewTempFolder();
        string pbc = TestPaths.Sample("pbc");
        var shards = FeatureShards(pbc, Path.Combine(tmp.Path, "a"), 2);
        string merged = Path.Combine(tmp.Path, "merged.csv");

        var bccd = FeatureShards(TestPaths.Sample("bccd"), Path.Combine(tmp.Path, "bccd"), 2);
        Refused(Run("merge", shards[0], bccd[1], "--out", merged),
            $"{bccd[1]} is not a shard of the same run as {shards[0]} (dataset listing: 30 images ({pbc}) in {shards[0]}, 10 images ({TestPaths.Sample("bccd")}) in {bccd[1]})");

        // The same images relabelled: same count and paths, another listing.
        string relabelled = CliDatasets.Make(tmp.Path, "relabelled", perClass: 6, relabel: l => l == "basophil" ? "eosinophil" : l);
        string original = CliDatasets.Make(tmp.Path, "original", perClass: 6);
        var o = FeatureShards(original, Path.Combine(tmp.Path, "o"), 2);
        var re = FeatureShards(relabelled, Path.Combine(tmp.Path, "re"), 2);
        Refused(Run("merge", o[0], re[1], "--out", merged), "dataset listing: 30 images in both, but not the same images, labels, splits, domains or masks");

        var other = FeatureShards(pbc, Path.Combine(tmp.Path, "b"), 2, "--segmenter", "cmyk-otsu");
        Refused(Run("merge", shards[0], other[1], "--out", merged),
            $"{other[1]} is not a shard of the same run as {shards[0]} (--segmenter: 'reference' in {shards[0]}, 'cmyk-otsu' in {other[1]})");

        var three = FeatureShards(pbc, Path.Combine(tmp.Path, "c"), 3);
        Refused(Run("merge", shards[0], three[1], "--out", merged), $"shard count: '2' in {shards[0]}, '3' in {three[1]}");

        string segment = Path.Combine(tmp.Path, "segment-1");
        Ok(Run("segment", pbc, "--shard", "1/2", "--no-images", "--out", segment));
        Refused(Run("merge", shards[0], segment, "--out", merged), $"command: 'features' in {shards[0]}, 'segment' in {segment}");
        Assert.False(File.Exists(merged));
    }

    [Fact]
    public void Merge_refuses_predict_shards_of_another_model()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = TestPaths.Sample("zheng-cellavision");
        string a = Path.Combine(tmp.Path, "a-0.csv"), b = Path.Combine(tmp.Path, "b-1.csv");
        Ok(Run("predict", "--model", CliDatasets.ShippedModel, dataset, "--shard", "0/2", "--out", a));

        // The same model file at another path is the same model.
        string sameModel = Path.Combine(tmp.Path, "copy.model.json");
        File.Copy(CliDatasets.ShippedModel, sameModel);
        Ok(Run("predict", "--model", sameModel, dataset, "--shard", "1/2", "--out", b));
        Ok(Run("merge", a, b, "--out", Path.Combine(tmp.Path, "merged.csv")));

        string robust = Path.Combine(Path.GetDirectoryName(CliDatasets.ShippedModel)!, "robust-pbc.model.json");
        Ok(Run("predict", "--model", robust, dataset, "--shard", "1/2", "--out", b));
        Refused(Run("merge", a, b, "--out", Path.Combine(tmp.Path, "merged2.csv")), $"{b} is not a shard of the same run as {a} (--model: 'sha256:");
    }

    [Fact]
    public void Bad_shards_and_unshardable_uses_exit_2_with_a_clear_message()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = TestPaths.Sample("zheng-cellavision");
        string output = Path.Combine(tmp.Path, "f.csv");
        Refused(Run("features", dataset, "--shard", "4/4", "--out", output), "shard index 4 is outside 0..3");
        Refused(Run("features", dataset, "--shard", "0/0", "--out", output), "shard count must be 1 or more, got 0");
        Refused(Run("features", dataset, "--shard", "two/4", "--out", output), "shard 'two/4': expected I/N");
        Refused(Run("features", dataset, "--shard", "1/4", "--shard-count", "4", "--out", output), "--shard-count goes with --shard auto");
        Refused(Run("features", dataset, "--shard", "auto", "--out", output), "no scheduler shard in the environment");
        Refused(Run("segment", dataset, "--shard", "0/2", "--contact-sheet", "--out", tmp.Path), "--contact-sheet needs every cell at once");
        Refused(Run("predict", "--model", CliDatasets.ShippedModel, dataset, "--shard", "0/2", "--transductive", "domain", "--out", output), "cannot run in shards");
        string image = Directory.GetFiles(Path.Combine(dataset, "images"))[0];
        Refused(Run("predict", "--model", CliDatasets.ShippedModel, image, "--shard", "0/2", "--out", output), "--shard splits a dataset folder");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void The_shard_can_come_from_a_slurm_array_or_a_kubernetes_indexed_job()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = TestPaths.Sample("zheng-jtsc");
        string explicitShard = Path.Combine(tmp.Path, "explicit.csv");
        Ok(Run("features", dataset, "--shard", "2/4", "--out", explicitShard));

        // sbatch --array=1-4: task 3 is the third task, shard 2/4.
        var slurm = new Dictionary<string, string>
        {
            ["SLURM_ARRAY_TASK_ID"] = "3", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_MAX"] = "4", ["SLURM_ARRAY_TASK_COUNT"] = "4",
            ["SLURM_ARRAY_TASK_STEP"] = "1",
        };
        string fromSlurm = Path.Combine(tmp.Path, "slurm.csv");
        var r = Run(slurm, "features", dataset, "--shard", "auto", "--out", fromSlurm);
        Ok(r);
        Assert.Contains("shard 2/4 from SLURM_ARRAY_TASK_ID=3", r.Stderr);
        SameBytes(explicitShard, fromSlurm);

        string fromKubernetes = Path.Combine(tmp.Path, "k8s.csv");
        var k8s = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "2" };
        Refused(Run(k8s, "features", dataset, "--shard", "auto", "--out", fromKubernetes), "give it with --shard-count N");
        r = Run(k8s, "features", dataset, "--shard", "auto", "--shard-count", "4", "--out", fromKubernetes);
        Ok(r);
        Assert.Contains("shard 2/4 from JOB_COMPLETION_INDEX=2", r.Stderr);
        SameBytes(explicitShard, fromKubernetes);

        // Without --shard the environment is not read: a job array running one whole dataset per task stays whole.
        string whole = Path.Combine(tmp.Path, "whole.csv");
        Ok(Run(slurm, "features", dataset, "--out", whole));
        Assert.Equal(9, CsvTable.Load(whole).Rows.Count);
        Assert.False(File.Exists(ShardManifest.PathOf(whole)));
    }

    [Fact]
    public void An_interrupted_shard_resumes_and_still_merges_to_the_single_run_and_another_shard_cannot_take_over_its_partial_file()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = TestPaths.Sample("pbc");
        string single = Path.Combine(tmp.Path, "single.csv");
        Ok(Run("features", dataset, "--out", single));
        var shards = FeatureShards(dataset, tmp.Path, 3);
        string manifest = ShardManifest.PathOf(shards[1]);
        byte[] finished = File.ReadAllBytes(shards[1]);

        // Shard 1/3 interrupted after 4 of its 10 rows, in-process with the fingerprint the CLI computes.
        var parse = Program.BuildRoot().Parse(["features", dataset, "--shard", "1/3", "--out", shards[1]]);
        var data = Dataset.Open(dataset);
        var shard = Shard.Parse("1/3");
        var items = shard.Select(data.Items, i => i.Path);
        var pipeline = CellPipeline.Reference();
        File.Delete(shards[1]);
        File.Delete(manifest);
        using (var cancel = new CancellationTokenSource())
        using (var file = PartialCsvFile.Start(shards[1], FeaturesCommand.Header(pipeline), FeaturesCommand.Fingerprint(parse, items, shard)))
        {
            FeaturesCommand.Write(data, items, pipeline, file, jobs: 1, cancel.Token, afterRow: rows =>
            {
                if (rows == 4)
                {
                    cancel.Cancel();
                }
            });
            Assert.False(file.IsComplete);
        }

        string merged = Path.Combine(tmp.Path, "merged.csv");
        Refused(Run(["merge", .. shards, "--out", merged]), "the shard did not finish");

        // Another shard's run cannot resume this partial file; the same shard's can.
        Refused(Run("features", dataset, "--shard", "2/3", "--resume", "--out", shards[1]), "cannot resume: it was made with other settings (shard: '1/3' there, '2/3' now");
        var resumed = Run("features", dataset, "--shard", "1/3", "--resume", "--out", shards[1]);
        Ok(resumed);
        Assert.Contains("4 of 10 rows kept", resumed.Stderr);
        Assert.Equal(finished, File.ReadAllBytes(shards[1]));
        Assert.True(File.Exists(manifest));
        Ok(Run(["merge", .. shards, "--out", merged]));
        SameBytes(single, merged);

        // An unsharded run over a shard's output leaves no manifest to vouch for it.
        Ok(Run("features", TestPaths.Sample("zheng-cellavision"), "--out", shards[1]));
        Assert.False(File.Exists(manifest));
    }

    [Fact]
    public void The_kubernetes_job_in_the_docs_is_a_valid_features_command_line_whose_shard_count_is_its_completions()
    {
        string? root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "Raabin.Features.sln")))
        {
            root = Path.GetDirectoryName(root);
        }

        Assert.NotNull(root);
        var lines = File.ReadAllLines(Path.Combine(root, "docs", "k8s-indexed-job.yaml"));
        Assert.Contains(lines, l => l.Trim() == "completionMode: Indexed");
        string completions = lines.Select(l => l.Trim()).Single(l => l.StartsWith("completions:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        int at = Array.FindIndex(lines, l => l.Trim() == "args:");
        var args = lines.Skip(at + 1).TakeWhile(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal))
            .Select(l => l.Trim()[2..].Trim('"')).ToArray();
        Assert.Equal("features", args[0]);
        var parse = Program.BuildRoot().Parse(args);
        Assert.Empty(parse.Errors);
        Assert.Equal("auto", parse.GetValue<string?>("--shard"));
        Assert.Equal(int.Parse(completions, System.Globalization.CultureInfo.InvariantCulture), parse.GetValue<int?>("--shard-count"));
        Assert.Contains("$(SHARD_INDEX)", parse.GetValue<string>("--out"));
    }
}
