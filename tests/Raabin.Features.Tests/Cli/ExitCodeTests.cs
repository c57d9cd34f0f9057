using System.CommandLine;
using Raabin.Features.Cli;

namespace Raabin.Features.Tests.Cli;

/// <summary>The exit-code contract: 0 every input done, 1 some inputs failed, 2 the command could not run.</summary>
public class ExitCodeTests
{
    [Theory]
    [InlineData("features")]
    [InlineData("segment")]
    [InlineData("predict")]
    public void A_batch_with_a_failed_image_exits_1(string command)
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = CliDatasets.Make(tmp.Path, "mixed", perClass: 1, withBrokenImage: true);
        string output = Path.Combine(tmp.Path, command == "segment" ? "seg" : "out.csv");
        var r = command switch
        {
            "predict" => RaabinProcess.Run("predict", "--model", CliDatasets.ShippedModel, dataset, "--out", output),
            "segment" => RaabinProcess.Run("segment", dataset, "--out", output, "--no-images"),
            _ => RaabinProcess.Run("features", dataset, "--out", output),
        };
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("broken.jpg", r.Stderr);
        Assert.True(File.Exists(command == "segment" ? Path.Combine(output, "segmentation.csv") : output));
    }

    [Fact]
    public void A_batch_where_every_image_worked_exits_0()
    {
        using var tmp = TestPaths.NewTempFolder();
        string dataset = CliDatasets.Make(tmp.Path, "clean", perClass: 1);
        var r = RaabinProcess.Run("features", dataset, "--out", Path.Combine(tmp.Path, "f.csv"));
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    [Fact]
    public void Compare_exits_2_naming_a_cnn_pattern_that_matches_no_file()
    {
        using var tmp = TestPaths.NewTempFolder();
        string svm = Path.Combine(tmp.Path, "svm.csv");
        File.WriteAllText(svm, "path,label,pred,status,p_a,p_b,error\nx.jpg,a,a,ok,0.9,0.1,\n");
        var r = RaabinProcess.Run("compare", "--svm", svm, "--set", "jtsc", "--cnn", "resnet=" + Path.Combine(tmp.Path, "scores_{set}.csv"), "--out", Path.Combine(tmp.Path, "o"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("scores_{set}.csv", r.Stderr);
        Assert.Contains("scores_jtsc.csv", r.Stderr);
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "o")));
    }

    [Fact]
    public void Demo_on_a_folder_with_a_bad_manifest_names_the_file_in_one_line_without_a_stack_trace()
    {
        using var tmp = TestPaths.NewTempFolder();
        Directory.CreateDirectory(Path.Combine(tmp.Path, "x"));
        File.WriteAllText(Path.Combine(tmp.Path, "x", "manifest.csv"), "path,lbl\na.jpg,b\n");
        var r = RaabinProcess.Run("demo", "--samples", tmp.Path);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("manifest.csv", r.Stderr);
        Assert.Contains("'label'", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.DoesNotContain("Unhandled exception", r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("info")]
    [InlineData("segment")]
    [InlineData("features")]
    [InlineData("train")]
    [InlineData("tune")]
    [InlineData("predict")]
    [InlineData("demo")]
    [InlineData("evaluate")]
    [InlineData("compare")]
    [InlineData("dedup")]
    [InlineData("catalog")]
    public void A_usage_error_exits_2_with_a_raabin_message_for_every_command(string command)
    {
        var r = RaabinProcess.Run(command, "--no-such-option");
        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith("raabin: ", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.Empty(r.Stdout);
        if (command is not ("info" or "dedup"))
        {
            // info and dedup take any number of paths, so an unknown option is read as a path (and reported as missing).
            Assert.Contains($"raabin {command} --help", r.Stderr);
        }
    }

    [Fact]
    public void No_command_at_all_is_a_usage_error()
    {
        var r = RaabinProcess.Run();
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("raabin --help", r.Stderr);
    }

    [Fact]
    public void An_unexpected_exception_is_one_line_with_its_type_and_a_hint_and_the_trace_only_with_debug()
    {
        static RootCommand Root()
        {
            var boom = new Command("boom");
            boom.SetAction(int (ParseResult _) => throw new InvalidOperationException("the solver lost its way"));
            var root = new RootCommand { boom };
            root.Options.Add(Program.Debug);
            return root;
        }

        var error = new StringWriter();
        Assert.Equal(2, Program.Run(Root(), ["boom"], error));
        string text = error.ToString();
        Assert.Equal(1, text.Count(c => c == '\n'));
        Assert.StartsWith("raabin: unexpected error: InvalidOperationException: the solver lost its way", text);
        Assert.Contains("--debug", text);

        var debug = new StringWriter();
        Assert.Equal(2, Program.Run(Root(), ["boom", "--debug"], debug));
        Assert.Contains("   at ", debug.ToString());
    }

    [Fact]
    public void A_data_error_escaping_a_command_is_its_message_alone()
    {
        Assert.Equal("a.csv:3: bad", Program.Describe(new InvalidDataException("a.csv:3: bad")));
        Assert.Equal("--x must be positive", Program.Describe(new ArgumentOutOfRangeException("x", "--x must be positive")));
    }
}
