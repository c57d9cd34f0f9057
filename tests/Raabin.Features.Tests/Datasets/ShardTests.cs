using Raabin.Features.Datasets;

namespace Raabin.Features.Tests.Datasets;

/// <summary>The shard rule: balanced, independent of the listing's order, every item in exactly one shard, inverted by Interleave.</summary>
public class ShardTests
{
    private static string[] Keys(int n) => Enumerable.Range(0, n).Select(i => $"images/{(i * 7919) % 1000:D3}-{i}.jpg").ToArray();

    [Fact]
    public void Shards_are_balanced_and_every_item_lands_in_exactly_one()
    {
        foreach (int total in new[] { 0, 1, 2, 5, 29, 30, 31, 100 })
        {
            foreach (int count in new[] { 1, 2, 3, 4, 7, 40 })
            {
                var keys = Keys(total);
                var shards = Enumerable.Range(0, count).Select(i => Shard.Of(i, count).Select(keys, k => k)).ToList();
                var sizes = shards.Select(s => s.Count).ToList();
                Assert.True(sizes.Max() - sizes.Min() <= 1, $"{total} items in {count} shards: sizes {string.Join(",", sizes)}");
                Assert.Equal(Enumerable.Range(0, count).Select(i => Shard.SizeOf(total, i, count)), sizes);
                var all = shards.SelectMany(s => s).ToList();
                Assert.Equal(total, all.Count);
                Assert.Equal(keys.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
            }
        }
    }

    [Fact]
    public void The_assignment_does_not_depend_on_the_order_of_the_listing()
    {
        var keys = Keys(31);
        var random = new Random(15);
        for (int trial = 0; trial < 20; trial++)
        {
            var shuffled = keys.OrderBy(_ => random.Next()).ToArray();
            Assert.NotEqual(keys, shuffled);
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(Shard.Of(i, 4).Select(keys, k => k), Shard.Of(i, 4).Select(shuffled, k => k));
            }
        }
    }

    [Fact]
    public void Shard_i_holds_every_nth_item_in_ordinal_path_order()
    {
        // Ordinal: upper case before lower case, '/' before letters; a culture-aware sort would differ.
        string[] keys = ["b.jpg", "B.jpg", "a/z.jpg", "a.jpg", "Z.jpg", "é.jpg", "e.jpg"];
        var ordered = keys.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["B.jpg", "Z.jpg", "a.jpg", "a/z.jpg", "b.jpg", "e.jpg", "é.jpg"], ordered);
        Assert.Equal(["B.jpg", "a/z.jpg", "é.jpg"], Shard.Of(0, 3).Select(keys, k => k));
        Assert.Equal(["Z.jpg", "b.jpg"], Shard.Of(1, 3).Select(keys, k => k));
        Assert.Equal(["a.jpg", "e.jpg"], Shard.Of(2, 3).Select(keys, k => k));
    }

    [Fact]
    public void Interleaving_the_shards_gives_the_single_run_order()
    {
        foreach (int count in new[] { 1, 3, 4, 12 })
        {
            var keys = Keys(30);
            var shards = Enumerable.Range(0, count).Select(i => Shard.Of(i, count).Select(keys, k => k)).ToList();
            Assert.Equal(keys.Order(StringComparer.Ordinal), Shard.Interleave(shards));
        }

        var ex = Assert.Throws<ArgumentException>(() => Shard.Interleave<string>([["a", "c"], []]));
        Assert.Contains("shard 0/2 has 2 rows, but 2 rows in 2 shards give it 1", ex.Message);
    }

    [Fact]
    public void A_key_listed_twice_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Shard.Of(0, 2).Select(["a.jpg", "b.jpg", "a.jpg"], k => k));
        Assert.Contains("'a.jpg' is listed twice", ex.Message);
    }

    [Theory]
    [InlineData("0/4", 0, 4)]
    [InlineData("3/4", 3, 4)]
    [InlineData("0/1", 0, 1)]
    public void Parses_i_of_n(string text, int index, int count)
    {
        var shard = Shard.Parse(text);
        Assert.Equal((index, count), (shard.Index, shard.Count));
        Assert.Equal(text, shard.ToString());
    }

    [Theory]
    [InlineData("4/4", "shard index 4 is outside 0..3")]
    [InlineData("0/0", "shard count must be 1 or more, got 0")]
    [InlineData("1", "expected I/N")]
    [InlineData("-1/4", "expected I/N")]
    [InlineData("1/4/2", "expected I/N")]
    [InlineData("a/4", "expected I/N")]
    public void Refuses_bad_shards(string text, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => Shard.Parse(text));
        Assert.Contains(message, ex.Message);
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return name => map.GetValueOrDefault(name);
    }

    private static Func<string, string?> Slurm(int id, int min, int max, int count, int? step = null) => Env(
        [("SLURM_ARRAY_TASK_ID", $"{id}"), ("SLURM_ARRAY_TASK_MIN", $"{min}"), ("SLURM_ARRAY_TASK_MAX", $"{max}"), ("SLURM_ARRAY_TASK_COUNT", $"{count}"),
            .. step is { } s ? new[] { ("SLURM_ARRAY_TASK_STEP", $"{s}") } : []]);

    [Theory]
    [InlineData(0, 0, 3, 4, null, 0)] // --array=0-3
    [InlineData(3, 0, 3, 4, 1, 3)]
    [InlineData(1, 1, 4, 4, 1, 0)] // --array=1-4: ids need not start at 0
    [InlineData(4, 1, 4, 4, null, 3)]
    [InlineData(5, 1, 7, 4, 2, 2)] // --array=1-7:2 -> 1, 3, 5, 7
    public void A_slurm_array_task_is_its_position_in_the_array(int id, int min, int max, int count, int? step, int index)
    {
        var (shard, source) = SchedulerShard.FromEnvironment(Slurm(id, min, max, count, step), count: null);
        Assert.Equal((index, count), (shard.Index, shard.Count));
        Assert.StartsWith($"SLURM_ARRAY_TASK_ID={id} ", source);
    }

    [Fact]
    public void Refuses_slurm_arrays_whose_position_is_unknown_or_a_count_that_disagrees()
    {
        // --array=1,2,5: three tasks, ids 1..5, not evenly spaced.
        var ex = Assert.Throws<ArgumentException>(() => SchedulerShard.FromEnvironment(Slurm(2, 1, 5, 3), null));
        Assert.Contains("not an evenly spaced range", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => SchedulerShard.FromEnvironment(Slurm(1, 0, 3, 4), 8));
        Assert.Contains("--shard-count 8 disagrees with the Slurm array's SLURM_ARRAY_TASK_COUNT=4", ex.Message);
        Assert.Equal(1, SchedulerShard.FromEnvironment(Slurm(1, 0, 3, 4), 4).Shard.Index);
        ex = Assert.Throws<ArgumentException>(() => SchedulerShard.FromEnvironment(Env(("SLURM_ARRAY_TASK_ID", "2")), null));
        Assert.Contains("SLURM_ARRAY_TASK_COUNT is not", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => SchedulerShard.FromEnvironment(Env(("SLURM_ARRAY_TASK_ID", "x")), null));
        Assert.Contains("SLURM_ARRAY_TASK_ID='x' is not a whole number", ex.Message);
    }

    [Fact]
    public void A_kubernetes_completion_index_needs_the_count_given()
    {
        var (shard, source) = SchedulerShard.FromEnvironment(Env(("JOB_COMPLETION_INDEX", "2")), count: 3);
        Assert.Equal((2, 3), (shard.Index, shard.Count));
        Assert.Equal("JOB_COMPLETION_INDEX=2", source);
        var ex = Assert.Throws<ArgumentException>(() => SchedulerShard.FromEnvironment(Env(("JOB_COMPLETION_INDEX", "2")), null));
        Assert.Contains("Kubernetes does not export the number of completions; give it with --shard-count N", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => SchedulerShard.FromEnvironment(Env(("JOB_COMPLETION_INDEX", "3")), 3));
        Assert.Contains("shard index 3 is outside 0..2", ex.Message);
    }

    [Fact]
    public void No_scheduler_or_both_schedulers_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => SchedulerShard.FromEnvironment(Env(), 4));
        Assert.Contains("no scheduler shard in the environment", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => SchedulerShard.FromEnvironment(Env(("JOB_COMPLETION_INDEX", "0"), ("SLURM_ARRAY_TASK_ID", "0")), 4));
        Assert.Contains("both SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are set", ex.Message);
    }
}
