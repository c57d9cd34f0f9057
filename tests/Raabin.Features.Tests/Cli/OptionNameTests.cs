using System.CommandLine;
using Raabin.Features.Cli;

namespace Raabin.Features.Tests.Cli;

/// <summary>Options that mean the same thing have the same name, alias and range in every command.</summary>
public class OptionNameTests
{
    private static IEnumerable<(Command Command, Option Option)> AllOptions() =>
        Program.BuildRoot().Subcommands.SelectMany(c => c.Options.Select(o => (c, o)));

    [Theory]
    [InlineData("--out", "-o")]
    [InlineData("--model", "-m")]
    [InlineData("--jobs", "-j")]
    public void A_shared_option_has_the_same_short_alias_everywhere(string name, string alias)
    {
        var found = AllOptions().Where(x => x.Option.Name == name).ToList();
        Assert.True(found.Count >= 3, $"{name} is shared");
        Assert.All(found, x => Assert.True(x.Option.Aliases.Contains(alias), $"{x.Command.Name} {name} lacks {alias}"));
        Assert.DoesNotContain(AllOptions(), x => x.Option.Name != name && x.Option.Aliases.Contains(alias));
    }

    [Fact]
    public void Every_jobs_option_is_validated_and_every_command_that_reads_images_takes_one()
    {
        var jobs = AllOptions().Where(x => x.Option.Name == "--jobs").ToList();
        Assert.All(jobs, x => Assert.NotEmpty(x.Option.Validators));
        Assert.Equal(["adapt", "dedup", "evaluate", "explain", "features", "info", "predict", "report", "segment", "train", "tune"], jobs.Select(x => x.Command.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_bootstrap_option_comes_with_a_bootstrap_seed()
    {
        var withBootstrap = AllOptions().Where(x => x.Option.Name == "--bootstrap").Select(x => x.Command).ToList();
        Assert.Equal(2, withBootstrap.Count);
        Assert.All(withBootstrap, c => Assert.Contains(c.Options, o => o.Name == "--bootstrap-seed"));
    }

    [Fact]
    public void The_segmenter_weight_is_named_after_the_segmenter_not_confusable_with_class_weights()
    {
        Assert.DoesNotContain(AllOptions(), x => x.Option.Name == "--weight");
        var weighted = AllOptions().Where(x => x.Option.Name == "--segmenter-weight").Select(x => x.Command.Name).Order(StringComparer.Ordinal);
        var withSegmenter = AllOptions().Where(x => x.Option.Name == "--segmenter").Select(x => x.Command.Name).Order(StringComparer.Ordinal);
        Assert.Equal(["evaluate", "features", "segment", "train"], weighted);
        Assert.Equal(withSegmenter, weighted);
    }
}
