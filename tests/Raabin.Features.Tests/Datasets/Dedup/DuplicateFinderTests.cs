using System.Text.Json;
using Raabin.Features.Datasets.Dedup;
using Raabin.Features.IO;

namespace Raabin.Features.Tests.Datasets.Dedup;

public class DuplicateFinderTests
{
    private static readonly DuplicateFinderOptions Limits = new() { MaxAverageHashDistance = 3, MaxPerceptualHashDistance = 2 };

    [Fact]
    public void Pairs_need_both_distances_within_their_limits_inclusive()
    {
        var finder = new DuplicateFinder(Limits);
        var a = F("a.jpg", 0, 0);
        Assert.True(finder.IsDuplicatePair(a, F("b.jpg", 0b111, 0b11)));      // 3 and 2: on both limits
        Assert.False(finder.IsDuplicatePair(a, F("c.jpg", 0b1111, 0)));       // aHash 4
        Assert.False(finder.IsDuplicatePair(a, F("d.jpg", 0, 0b111)));        // pHash 3
        Assert.True(finder.IsDuplicatePair(a, F("e.jpg", 0, 0)));
    }

    [Fact]
    public void Pairs_are_joined_into_connected_components_and_the_sharpest_is_kept()
    {
        // a–b and b–c are pairs, a–c is not (pHash 4): one group of three through b. d is far from all; e–f a second group.
        var images = new[]
        {
            F("a.jpg", 0, 0b0000, sharpness: 10),
            F("b.jpg", 0, 0b0011, sharpness: 30),
            F("c.jpg", 0, 0b1111, sharpness: 20),
            F("d.jpg", ulong.MaxValue, ulong.MaxValue, sharpness: 99),
            F("e.jpg", 0xFF00, 0xFF00, sharpness: 5),
            F("f.jpg", 0xFF01, 0xFF01, sharpness: 7),
        };
        var finder = new DuplicateFinder(Limits);
        Assert.False(finder.IsDuplicatePair(images[0], images[2]));
        var report = finder.Find(images);

        Assert.Equal(2, report.Groups.Count);
        Assert.Equal(3, report.DuplicatePairs);
        Assert.Equal(15, report.PairsCompared);
        Assert.Equal(["a.jpg", "b.jpg", "c.jpg"], report.Groups[0].Members.Select(m => m.Image.Path));
        Assert.Equal("b.jpg", report.Groups[0].Kept.Path);
        Assert.Equal([false, true, false], report.Groups[0].Members.Select(m => m.Kept));
        Assert.Equal([2, 0, 2], report.Groups[0].Members.Select(m => m.PerceptualHashDistanceToKept));
        Assert.Equal(["e.jpg", "f.jpg"], report.Groups[1].Members.Select(m => m.Image.Path));
        Assert.Equal("f.jpg", report.Groups[1].Kept.Path);
        Assert.Equal([1, 2], report.Groups.Select(g => g.Id));
        Assert.Equal(5, report.ImagesInvolved);
        Assert.Equal(3, report.ImagesMarked);
    }

    [Fact]
    public void Equal_sharpness_keeps_the_first_by_dataset_then_path()
    {
        var report = new DuplicateFinder(Limits).Find(
        [
            F("z.jpg", 0, 0, sharpness: 4, dataset: "b"),
            F("y.jpg", 0, 0, sharpness: 4, dataset: "a"),
            F("B.jpg", 0, 0, sharpness: 4, dataset: "b"),
        ]);
        var group = Assert.Single(report.Groups);
        Assert.Equal(("a", "y.jpg"), (group.Kept.Dataset, group.Kept.Path));
        // Ordinal order: "B.jpg" sorts before "z.jpg".
        Assert.Equal(["a/y.jpg", "b/B.jpg", "b/z.jpg"], group.Members.Select(m => m.Image.Dataset + "/" + m.Image.Path));
    }

    [Fact]
    public void Groups_are_classified_by_split_dataset_and_label()
    {
        var report = new DuplicateFinder(Limits).Find(
        [
            // Group 1: one split, one label.
            F("1a.jpg", 0x1, 0x1, split: "train"), F("1b.jpg", 0x1, 0x1, split: "train"),
            // Group 2: across splits, labels disagree.
            F("2a.jpg", 0xF000, 0xF000, split: "train", label: "monocyte"), F("2b.jpg", 0xF000, 0xF000, split: "test", label: "lymphocyte"),
            // Group 3: across datasets (and splits).
            F("3a.jpg", 0xFF0000, 0xFF0000, split: "val"), F("3b.jpg", 0xFF0000, 0xFF0000, dataset: "other"),
        ]);
        Assert.Equal(3, report.Groups.Count);
        Assert.Equal([DuplicateScope.SameSplit, DuplicateScope.AcrossSplits, DuplicateScope.AcrossDatasets], report.Groups.Select(g => g.Scope));
        Assert.Equal([false, true, false], report.Groups.Select(g => g.LabelsDisagree));
        Assert.Equal(["lymphocyte", "monocyte"], report.Groups[1].Labels);
        Assert.Equal(["ds:test", "ds:train"], report.Groups[1].Locations);
        Assert.Equal((1, 1, 1, 1), (report.GroupsWithinSplit, report.GroupsAcrossSplits, report.GroupsAcrossDatasets, report.LabelConflicts));
        Assert.Equal(
            [new KeyValuePair<string, int>("ds:test + ds:train", 1), new KeyValuePair<string, int>("ds:val + other:", 1)],
            report.CrossingCombinations());
    }

    [Fact]
    public void Result_does_not_depend_on_input_order()
    {
        var random = new Random(1234);
        var images = new List<ImageFingerprint>();
        for (int i = 0; i < 300; i++)
        {
            // 300 values out of 4096 with 12 one-bit neighbours each: many pairs, chains and singletons.
            ulong h = (ulong)random.Next(0, 4096);
            images.Add(F($"{i:D3}.jpg", h | (h << 8), h, sharpness: random.Next(0, 5), split: i % 3 == 0 ? "test" : "train"));
        }

        var finder = new DuplicateFinder(new DuplicateFinderOptions { MaxAverageHashDistance = 2, MaxPerceptualHashDistance = 1 });
        string expected = Csv(finder.Find(images));
        for (int trial = 0; trial < 3; trial++)
        {
            var shuffled = images.OrderBy(_ => random.Next()).ToList();
            Assert.Equal(expected, Csv(finder.Find(shuffled)));
        }

        // Every group is a connected component: each member pairs with some other member, and no pair crosses groups.
        var report = finder.Find(images);
        var groupOf = new Dictionary<string, int>();
        foreach (var g in report.Groups)
        {
            foreach (var m in g.Members)
            {
                groupOf[m.Image.Path] = g.Id;
                Assert.Contains(g.Members, o => !ReferenceEquals(o, m) && finder.IsDuplicatePair(o.Image, m.Image));
            }
        }

        for (int i = 0; i < images.Count; i++)
        {
            for (int j = i + 1; j < images.Count; j++)
            {
                if (finder.IsDuplicatePair(images[i], images[j]))
                {
                    Assert.Equal(groupOf[images[i].Path], groupOf[images[j].Path]);
                }
            }
        }
    }

    [Fact]
    public void Bad_limits_and_repeated_images_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DuplicateFinder(new DuplicateFinderOptions { MaxAverageHashDistance = 65 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DuplicateFinder(new DuplicateFinderOptions { MaxPerceptualHashDistance = -1 }));
        var e = Assert.Throws<ArgumentException>(() => new DuplicateFinder().Find([F("a.jpg", 0, 0), F("a.jpg", 5, 5)]));
        Assert.Contains("ds/a.jpg", e.Message);
    }

    [Fact]
    public void No_images_or_no_duplicates_give_an_empty_report()
    {
        var empty = new DuplicateFinder().Find([]);
        Assert.Empty(empty.Groups);
        Assert.Equal(0, empty.PairsCompared);
        var none = new DuplicateFinder().Find([F("a.jpg", 0, 0), F("b.jpg", ulong.MaxValue, ulong.MaxValue)]);
        Assert.Empty(none.Groups);
        Assert.Equal(1, none.PairsCompared);
        Assert.Equal(0, none.ImagesMarked);
    }

    [Fact]
    public void Csv_and_json_outputs_carry_every_member_and_the_counts()
    {
        var report = new DuplicateFinder(Limits).Find(
        [
            F("a,b.jpg", 0xAB, 0x1, sharpness: 0.1 + 0.2, split: "train"), F("c.jpg", 0xAB, 0x1, sharpness: 1, split: "test", label: "x"),
            F("d.jpg", 0xFFFF0000, 0xFFFF0000),
        ]);
        var csv = CsvTable.Parse(Csv(report), "duplicates.csv");
        Assert.Equal(DuplicateReport.Columns, csv.Header);
        Assert.Equal(2, csv.Rows.Count);
        Assert.Equal(["1", "ds", "a,b.jpg", "neutrophil", "train", "00000000000000ab", "0000000000000001", "0.30000000000000004", "false", "0", "0"], csv.Rows[0]);
        Assert.Equal("true", csv.Rows[1][8]);

        using var stream = new MemoryStream();
        report.WriteSummaryJson(stream, ["ds"], [new FingerprintFailure("ds", "bad.jpg", "truncated")]);
        using var json = JsonDocument.Parse(stream.ToArray());
        var root = json.RootElement;
        Assert.Equal(3, root.GetProperty("max_ahash_distance").GetInt32());
        Assert.Equal(3, root.GetProperty("images_compared").GetInt32());
        Assert.Equal(1, root.GetProperty("images_failed").GetInt32());
        Assert.Equal(1, root.GetProperty("groups").GetInt32());
        Assert.Equal(2, root.GetProperty("images_involved").GetInt32());
        Assert.Equal(1, root.GetProperty("groups_across_splits").GetInt32());
        Assert.Equal(1, root.GetProperty("label_conflicts").GetInt32());
        Assert.Equal(1, root.GetProperty("crossing_combinations").GetProperty("ds:test + ds:train").GetInt32());
        Assert.Equal("bad.jpg", root.GetProperty("failures")[0].GetProperty("path").GetString());
        Assert.Equal("ds/c.jpg", root.GetProperty("group_list")[0].GetProperty("kept").GetString());
        Assert.Equal(3, root.GetProperty("datasets")[0].GetProperty("images").GetInt32());
    }

    [Fact]
    public void Disjoint_sets_join_and_count()
    {
        var sets = new DisjointSets(6);
        Assert.True(sets.Union(0, 1));
        Assert.True(sets.Union(2, 3));
        Assert.True(sets.Union(1, 3));
        Assert.False(sets.Union(0, 2));
        Assert.Equal(sets.Find(0), sets.Find(3));
        Assert.NotEqual(sets.Find(0), sets.Find(4));
        Assert.Equal(4, sets.SizeOf(2));
        Assert.Equal(1, sets.SizeOf(5));
    }

    private static ImageFingerprint F(string path, ulong aHash, ulong pHash, double sharpness = 1, string dataset = "ds", string split = "",
        string label = "neutrophil") => new(dataset, path, label, split, aHash, pHash, sharpness);

    private static string Csv(DuplicateReport report)
    {
        using var writer = new StringWriter();
        report.WriteCsv(writer);
        return writer.ToString();
    }
}
