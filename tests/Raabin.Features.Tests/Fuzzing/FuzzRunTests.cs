using Raabin.Features.Fuzzing;

namespace Raabin.Features.Tests.Fuzzing;

/// <summary>
/// A small fixed fuzz run (every image fixture format and sub-format, the three text readers) that must find no crash
/// and no hang. The full run is the <c>fuzz</c> benchmark; what it found is in <see cref="FuzzRegressionTests"/>.
/// </summary>
public sealed class FuzzRunTests
{
    private const ulong Seed = 20261127;

    private static IReadOnlyList<FuzzSeed> ImageSeeds()
    {
        var seeds = new List<FuzzSeed>();
        foreach (string folder in (string[])["Jpeg", "Png", "Bmp", "Tiff"])
        {
            seeds.AddRange(FuzzSeedSet.Images(TestPaths.Fixture(folder)));
        }

        return seeds;
    }

    private static IReadOnlyList<FuzzSeed> TextSeeds() =>
    [
        .. FuzzSeedSet.ScoreFiles(TestPaths.Fixture("Import")),
        .. FuzzSeedSet.FeatureFiles([TestPaths.Fixture("Reference", "features.csv")]),
        .. FuzzSeedSet.MeasuredFeatureTables([TestPaths.Sample("zheng-jtsc", "images", "001.bmp"), TestPaths.Sample("zheng-jtsc", "images", "002.bmp")]),
        .. FuzzSeedSet.Models([TestPaths.Fixture("Models", "v1-sample-pbc.model.json")]),
    ];

    private static string Describe(IEnumerable<FuzzCase> failures) =>
        string.Join("\n", failures.Select(c => $"{c.Outcome}: {c.Seed} seed {c.RunSeed} index {c.Index} [{c.Mutation.Detail}]: {c.Message}\n{c.Exception}"));

    [Fact]
    public void Fixed_image_run_has_no_crash_and_no_hang()
    {
        var seeds = ImageSeeds();
        Assert.Equal(["bmp", "jpeg", "png", "tiff"], seeds.Select(s => s.Group).Distinct().Order(StringComparer.Ordinal));
        using var runner = new FuzzRunner(new FuzzOptions { MaxDegreeOfParallelism = 2, TimeLimit = TimeSpan.FromSeconds(10) });
        var cases = runner.Run(seeds, 3 * seeds.Count, Seed).ToList();

        Assert.Equal(3 * seeds.Count, cases.Count);
        Assert.True(cases.All(c => !c.IsFailure), Describe(cases.Where(c => c.IsFailure)));
        // The run means something: every format has mutants that still decode and mutants that are refused.
        foreach (var group in cases.GroupBy(c => c.Group))
        {
            Assert.Contains(group, c => c.Outcome is FuzzOutcome.DecodedIntact or FuzzOutcome.DecodedDamaged);
            Assert.Contains(group, c => c.Outcome == FuzzOutcome.Refused);
        }
    }

    [Fact]
    public void Fixed_text_run_has_no_crash_and_no_hang()
    {
        var seeds = TextSeeds();
        using var runner = new FuzzRunner(new FuzzOptions { TimeLimit = TimeSpan.FromSeconds(10) });
        var cases = runner.Run(seeds, 12 * seeds.Count, Seed).ToList();

        Assert.True(cases.All(c => !c.IsFailure), Describe(cases.Where(c => c.IsFailure)));
        foreach (string group in (string[])["features", "scores", "model"])
        {
            Assert.Contains(cases, c => c.Group == group && c.Outcome == FuzzOutcome.Accepted);
            Assert.Contains(cases, c => c.Group == group && c.Outcome == FuzzOutcome.Refused);
        }
    }

    [Fact]
    public void A_case_is_reproduced_from_its_seed_file_run_seed_and_index()
    {
        var seeds = ImageSeeds();
        using var runner = new FuzzRunner();
        var cases = runner.Run(seeds, 40, Seed, first: 1000).ToList();
        foreach (var c in cases.Where((_, i) => i % 7 == 0))
        {
            var again = runner.RunOne(seeds.Single(s => s.Name == c.Seed), c.RunSeed, c.Index);
            Assert.Equal(c.Mutation.Data, again.Mutation.Data);
            Assert.Equal(c.Outcome, again.Outcome);
            Assert.Equal(c.PixelSha256, again.PixelSha256);
        }
    }

    [Fact]
    public void A_hang_is_reported_and_the_run_moves_on()
    {
        // A 1 ms limit makes decoding, segmenting and measuring an intact 360 x 363 sample overrun: each is reported as
        // a hang (by the wait, or by the mutant's own clock when the wait returns late) and the next one still runs.
        var seed = FuzzSeedSet.Images(TestPaths.Sample("pbc", "images", "basophil"))[0];
        var whole = new Mutation("none", "the seed itself", seed.Data);
        using var runner = new FuzzRunner(new FuzzOptions { TimeLimit = TimeSpan.FromMilliseconds(1), MaxStuckTasks = 1000 });
        var cases = Enumerable.Range(0, 3).Select(i => runner.RunMutant(seed, whole, 1, i)).ToList();
        Assert.All(cases, c => Assert.Equal(FuzzOutcome.Hang, c.Outcome));
        Assert.All(cases, c => Assert.True(c.IsFailure));
        Assert.False(runner.Aborted);
    }
}
