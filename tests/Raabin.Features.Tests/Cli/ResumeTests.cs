using System.Text;
using System.Text.RegularExpressions;
using Raabin.Features.Cli;
using Raabin.Features.Cli.Commands;
using Raabin.Features.Datasets;
using Raabin.Features.IO;
using Raabin.Features.Measurement;

namespace Raabin.Features.Tests.Cli;

/// <summary><c>raabin features</c> interrupted and resumed: the final CSV is the one an uninterrupted run writes.</summary>
public class ResumeTests
{
    private static string UninterruptedCsv(string dataset, string folder)
    {
        string path = Path.Combine(folder, "uninterrupted.csv");
        var r = RaabinProcess.Run("features", dataset, "--out", path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        return path;
    }

    // Runs the features command's batch in-process with the fingerprint the CLI computes for the same command line,
    // cancelling once `stopAfter` rows are written (before any when 0).
    private static PartialCsvFile Interrupt(string dataset, string output, int stopAfter)
    {
        var parse = Program.BuildRoot().Parse(["features", dataset, "--out", output]);
        var data = Dataset.Open(dataset);
        var items = data.InSplit(null);
        var pipeline = CellPipeline.Reference();
        var file = PartialCsvFile.Start(output, FeaturesCommand.Header(pipeline), FeaturesCommand.Fingerprint(parse, items));
        using var cancel = new CancellationTokenSource();
        if (stopAfter == 0)
        {
            cancel.Cancel();
        }

        FeaturesCommand.Write(data, items, pipeline, file, jobs: 2, cancel.Token, afterRow: rows =>
        {
            if (rows == stopAfter)
            {
                cancel.Cancel();
            }
        });
        file.Dispose();
        return file;
    }

    [Fact]
    public void Interrupted_at_any_row_then_resumed_writes_the_uninterrupted_file_byte_for_byte()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = TestPaths.Sample("pbc");
        byte[] expected = File.ReadAllBytes(UninterruptedCsv(dataset, tmp.Path));
        var lines = Encoding.UTF8.GetString(expected).Split('\n');
        int total = lines.Length - 2; // header and the empty string after the last line end
        Assert.Equal(30, total);
        foreach (int k in new[] { 0, 1, total / 2, total - 1 })
        {
            string output = Path.Combine(tmp.Path, $"cut{k}.csv");
            var file = Interrupt(dataset, output, k);
            Assert.False(file.IsComplete);
            Assert.Equal(k, file.RowCount);
            Assert.False(File.Exists(output), $"cut at {k}: the final file exists after an interrupted run");

            // What is on disk is the uninterrupted file's first k rows; then a kill mid-write tears the next one.
            string partial = PartialCsvFile.PartialPathOf(output);
            Assert.Equal(string.Join('\n', lines.Take(k + 1)) + "\n", File.ReadAllText(partial));
            File.AppendAllText(partial, lines[k + 1][..(lines[k + 1].Length / 2)]);

            var parse = Program.BuildRoot().Parse(["features", dataset, "--out", output, "--resume"]);
            var data = Dataset.Open(dataset);
            var pipeline = CellPipeline.Reference();
            using (var resumed = PartialCsvFile.Resume(output, FeaturesCommand.Header(pipeline), FeaturesCommand.Fingerprint(parse, data.InSplit(null))))
            {
                Assert.Equal(k, resumed.KeptRowCount);
                Assert.True(resumed.TornBytesDropped > 0);
                var (ok, failed) = FeaturesCommand.Write(data, data.InSplit(null), pipeline, resumed, jobs: 2, CancellationToken.None);
                Assert.True(resumed.IsComplete);
                Assert.Equal((total, 0), (ok, failed));
            }

            Assert.True(expected.AsSpan().SequenceEqual(File.ReadAllBytes(output)), $"cut at {k}: the resumed file differs");
            Assert.False(File.Exists(partial));
            Assert.False(File.Exists(PartialCsvFile.SidecarPathOf(output)));
        }
    }

    [Fact]
    public void The_cli_refuses_to_resume_with_other_settings_and_resumes_with_the_same()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = TestPaths.Sample("pbc");
        string output = Path.Combine(tmp.Path, "features.csv");
        Interrupt(dataset, output, 12);
        string partial = PartialCsvFile.PartialPathOf(output);
        byte[] before = File.ReadAllBytes(partial);

        var refused = RaabinProcess.Run("features", dataset, "--out", output, "--resume", "--segmenter", "cmyk-otsu");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"{partial}: cannot resume: it was made with other settings (--segmenter: 'reference' there, 'cmyk-otsu' now)", refused.Stderr);
        Assert.Equal(before, File.ReadAllBytes(partial));
        Assert.False(File.Exists(output));

        var other = RaabinProcess.Run("features", TestPaths.Sample("zheng-jtsc"), "--out", output, "--resume");
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("dataset: '", other.Stderr);
        Assert.Contains("items: 30 there, 9 now", other.Stderr);

        // Same settings (a different number of workers does not matter): continues from row 12.
        var resumed = RaabinProcess.Run("features", dataset, "--out", output, "--resume", "--jobs", "1");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains($"resuming {partial}: 12 of 30 rows kept", resumed.Stderr);
        Assert.Equal(File.ReadAllBytes(UninterruptedCsv(dataset, tmp.Path)), File.ReadAllBytes(output));
    }

    [Fact]
    public void Without_resume_an_old_partial_file_is_replaced_with_a_warning()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = TestPaths.Sample("pbc");
        string output = Path.Combine(tmp.Path, "features.csv");
        Interrupt(dataset, output, 5);
        var r = RaabinProcess.Run("features", dataset, "--out", output, "--segmenter", "cmyk-otsu");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains($"{PartialCsvFile.PartialPathOf(output)}: replacing the partial output of an interrupted run", r.Stderr);
        Assert.Equal(30, FeatureTable.Load(output).Rows.Count);
        Assert.Equal([Path.GetFileName(output)], Directory.GetFiles(tmp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Sigint_stops_the_real_cli_cleanly_and_resume_completes_the_same_file()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No kill(1) to send SIGINT with.
        }

        using var tmp = TestPaths.NewTempFolder();
        for (int copies = 100; ; copies *= 4)
        {
            string dataset = CopiesOfSample(Path.Combine(tmp.Path, $"set{copies}"), copies);
            string output = Path.Combine(tmp.Path, $"features{copies}.csv");
            string partial = PartialCsvFile.PartialPathOf(output);
            RaabinProcess.Result stopped;
            using (var run = RaabinProcess.Start("features", dataset, "--out", output, "--jobs", "2"))
            {
                // Signal once the first rows are on disk, i.e. while the batch is running.
                while (!run.HasExited && CountLineEnds(partial) < 3)
                {
                    Thread.Sleep(5);
                }

                bool sent = run.Signal("INT");
                stopped = run.WaitForExit();
                if (!sent || stopped.ExitCode == 0)
                {
                    // Finished before the signal arrived: the run was complete and left no partial file; try a bigger set.
                    Assert.True(stopped.ExitCode == 0, stopped.Stderr);
                    Assert.True(File.Exists(output));
                    Assert.False(File.Exists(partial));
                    Assert.True(copies < 10_000, "the batch kept finishing before SIGINT arrived");
                    continue;
                }
            }

            int total = copies * 30;
            Assert.True(stopped.ExitCode == CliOutput.Interrupted, stopped.Stderr);
            var message = Regex.Match(stopped.Stderr,
                $@"raabin: interrupted: (\d+) of {total} rows kept in {Regex.Escape(partial)}; run the same command with --resume to continue");
            Assert.True(message.Success, stopped.Stderr);
            int kept = int.Parse(message.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(kept, 2, total - 1);
            Assert.False(File.Exists(output));

            // A clean stop leaves whole rows only: the header and the rows it reports.
            byte[] partialBytes = File.ReadAllBytes(partial);
            Assert.Equal((byte)'\n', partialBytes[^1]);
            Assert.Equal(kept + 1, CountLineEnds(partial));

            var resumed = RaabinProcess.Run("features", dataset, "--out", output, "--resume");
            Assert.True(resumed.ExitCode == 0, resumed.Stderr);
            Assert.Contains($"resuming {partial}: {kept} of {total} rows kept", resumed.Stderr);
            byte[] final = File.ReadAllBytes(output);
            Assert.True(final.AsSpan().StartsWith(partialBytes), "the kept rows were not kept byte for byte");
            Assert.Equal(File.ReadAllBytes(UninterruptedCsv(dataset, tmp.Path)), final);
            return;
        }
    }

    // A class-folder dataset of `copies` symbolic links to each image of the shipped pbc sample.
    private static string CopiesOfSample(string root, int copies)
    {
        foreach (string classFolder in Directory.GetDirectories(TestPaths.Sample("pbc", "images")))
        {
            string target = Path.Combine(root, Path.GetFileName(classFolder));
            Directory.CreateDirectory(target);
            foreach (string image in Directory.GetFiles(classFolder))
            {
                for (int c = 0; c < copies; c++)
                {
                    File.CreateSymbolicLink(Path.Combine(target, $"{c:D5}_{Path.GetFileName(image)}"), image);
                }
            }
        }

        return root;
    }

    private static int CountLineEnds(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            int count = 0;
            int b;
            var buffered = new BufferedStream(stream);
            while ((b = buffered.ReadByte()) >= 0)
            {
                count += b == '\n' ? 1 : 0;
            }

            return count;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }
}
