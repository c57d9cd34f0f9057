using System.Text.Json.Nodes;
using Raabin.Features.IO;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;
using Raabin.Features.Segmentation;
using Raabin.Features.Tests.Cli;

namespace Raabin.Features.Tests.Pipeline;

/// <summary>Issue 10's findings about the model, each reproduced end to end through the real CLI.</summary>
public class PipelineFindingsTests
{
    private static string ShippedModel => Path.Combine(AppContext.BaseDirectory, "models", "reference-pbc.model.json");

    [Fact]
    public void A_model_trained_from_a_column_reordered_csv_predicts_images_exactly_as_one_from_the_canonical_csv()
    {
        // Finding 1: ids used to be stored in CSV order and images fed in extractor order (every pbc cell "monocyte").
        using var tmp = TestPaths.NewTempFolder();
        string canonical = Path.Combine(tmp.Path, "pbc.csv");
        Assert.Equal(0, RaabinProcess.Run("features", TestPaths.Sample("pbc"), "--out", canonical).ExitCode);
        string reordered = Path.Combine(tmp.Path, "reordered.csv");
        WriteReversedFeatureColumns(canonical, reordered);
        Assert.NotEqual(CsvTable.Load(canonical).Header, CsvTable.Load(reordered).Header);

        string a = Path.Combine(tmp.Path, "a.json"), b = Path.Combine(tmp.Path, "b.json");
        Assert.Equal(0, RaabinProcess.Run("train", canonical, "--model", a, "--class-weight", "neutrophil=10").ExitCode);
        var t = RaabinProcess.Run("train", reordered, "--model", b, "--class-weight", "neutrophil=10");
        Assert.True(t.ExitCode == 0, t.Stderr);
        Assert.Equal(FeatureCatalog.ReferenceIds, PipelineModel.Load(b).FeatureIds);

        string pa = Path.Combine(tmp.Path, "pa.csv"), pb = Path.Combine(tmp.Path, "pb.csv");
        Assert.Equal(0, RaabinProcess.Run("predict", "--model", a, TestPaths.Sample("pbc"), "--out", pa).ExitCode);
        Assert.Equal(0, RaabinProcess.Run("predict", "--model", b, TestPaths.Sample("pbc"), "--out", pb).ExitCode);
        Assert.Equal(File.ReadAllText(pa), File.ReadAllText(pb));
        var predicted = CsvTable.Load(pb);
        // Trained on these same 30 cells: most are right, and they are not all one class.
        Assert.True(predicted.Rows.Count(r => r[0 + 1] == r[2]) >= 25, File.ReadAllText(pb));
        Assert.True(predicted.Rows.Select(r => r[2]).Distinct().Count() == 5);
    }

    [Fact]
    public void The_shipped_model_predicts_through_a_reordered_feature_csv_as_through_images()
    {
        using var tmp = TestPaths.NewTempFolder();
        string canonical = Path.Combine(tmp.Path, "pbc.csv");
        Assert.Equal(0, RaabinProcess.Run("features", TestPaths.Sample("pbc"), "--out", canonical).ExitCode);
        string reordered = Path.Combine(tmp.Path, "reordered.csv");
        WriteReversedFeatureColumns(canonical, reordered);
        string fromImages = Path.Combine(tmp.Path, "i.csv"), fromCsv = Path.Combine(tmp.Path, "c.csv");
        Assert.Equal(0, RaabinProcess.Run("predict", "--model", ShippedModel, TestPaths.Sample("pbc"), "--out", fromImages).ExitCode);
        var r = RaabinProcess.Run("predict", "--model", ShippedModel, reordered, "--out", fromCsv);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(File.ReadAllText(fromImages), File.ReadAllText(fromCsv));
        Assert.Equal(30, CsvTable.Load(fromCsv).Rows.Count(row => row[1] == row[2]));
    }

    [Fact]
    public void A_model_with_a_foreign_feature_id_or_extractor_is_refused_on_images_and_on_csvs()
    {
        using var tmp = TestPaths.NewTempFolder();
        string features = Path.Combine(tmp.Path, "pbc.csv");
        Assert.Equal(0, RaabinProcess.Run("features", TestPaths.Sample("pbc"), "--out", features).ExitCode);

        var json = JsonNode.Parse(File.ReadAllText(ShippedModel))!;
        json["featureIds"]![50] = "nucleus_lobes";
        string foreignId = Path.Combine(tmp.Path, "foreign-id.json");
        File.WriteAllText(foreignId, json.ToJsonString());

        json = JsonNode.Parse(File.ReadAllText(ShippedModel))!;
        json["pipeline"]!["extractor"]!["version"] = 7;
        string foreignExtractor = Path.Combine(tmp.Path, "foreign-extractor.json");
        File.WriteAllText(foreignExtractor, json.ToJsonString());

        json = JsonNode.Parse(File.ReadAllText(ShippedModel))!;
        json["pipeline"]!["colourStep"] = new JsonObject { ["name"] = "stain-normalise" };
        string foreignStep = Path.Combine(tmp.Path, "foreign-step.json");
        File.WriteAllText(foreignStep, json.ToJsonString());

        foreach (var (model, expected) in new[] { (foreignId, "nucleus_lobes"), (foreignExtractor, "reference-51@7"), (foreignStep, "colourStep") })
        {
            foreach (string input in new[] { TestPaths.Sample("pbc"), features })
            {
                var r = RaabinProcess.Run("predict", "--model", model, input, "--out", Path.Combine(tmp.Path, "p.csv"));
                Assert.Equal(2, r.ExitCode);
                Assert.Contains(expected, r.Stderr);
                Assert.Contains(Path.GetFileName(model), r.Stderr);
                Assert.DoesNotContain("   at ", r.Stderr);
            }
        }

        Assert.False(File.Exists(Path.Combine(tmp.Path, "p.csv")));
    }

    [Fact]
    public void Train_refuses_a_csv_missing_a_feature_unless_a_subset_is_named()
    {
        // Finding 2: a missing column used to train silently on 50 and then fail on images with an internal message.
        using var tmp = TestPaths.NewTempFolder();
        string features = Path.Combine(tmp.Path, "pbc.csv");
        Assert.Equal(0, RaabinProcess.Run("features", TestPaths.Sample("pbc"), "--out", features).ExitCode);
        string partial = Path.Combine(tmp.Path, "partial.csv");
        WithoutColumn(features, partial, "solidity");

        string model = Path.Combine(tmp.Path, "m.json");
        var refused = RaabinProcess.Run("train", partial, "--model", model);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("partial.csv", refused.Stderr);
        Assert.Contains("solidity", refused.Stderr);
        Assert.False(File.Exists(model));

        var subset = FeatureCatalog.ReferenceIds.Where(id => id != "solidity").Reverse().ToArray();
        var t = RaabinProcess.Run("train", partial, "--model", model, "--features", string.Join(',', subset));
        Assert.True(t.ExitCode == 0, t.Stderr);
        var trained = PipelineModel.Load(model);
        Assert.Equal(FeatureCatalog.ReferenceIds.Where(id => id != "solidity"), trained.FeatureIds);

        // The 50-feature model predicts images: the extractor measures 51 and the model binds its 50 by id.
        string p = Path.Combine(tmp.Path, "p.csv");
        var r = RaabinProcess.Run("predict", "--model", model, TestPaths.Sample("pbc"), "--out", p);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(30, CsvTable.Load(p).Rows.Count(row => row[3] == "ok"));
    }

    [Fact]
    public void A_cmyk_otsu_model_records_its_segmenter_and_weight_from_images_and_from_a_csv()
    {
        // Finding 3: the CSV did not record its segmenter and the weight was never stored.
        using var tmp = TestPaths.NewTempFolder();
        string features = Path.Combine(tmp.Path, "cmyk.csv");
        Assert.Equal(0, RaabinProcess.Run("features", TestPaths.Sample("pbc"), "--segmenter", "cmyk-otsu", "--segmenter-weight", "0.3", "--out", features).ExitCode);
        var table = FeatureTable.Load(features);
        var expected = SegmenterSpec.Of("cmyk-otsu", new CmykOtsuSegmenterOptions { Weight = 0.3 });
        Assert.Equal(expected, table.Provenance.Segmenter);

        string fromCsv = Path.Combine(tmp.Path, "csv.json"), fromImages = Path.Combine(tmp.Path, "img.json");
        var t = RaabinProcess.Run("train", features, "--model", fromCsv);
        Assert.True(t.ExitCode == 0, t.Stderr);
        Assert.Equal(expected, PipelineModel.Load(fromCsv).Segmenter);
        Assert.Equal(0, RaabinProcess.Run("train", TestPaths.Sample("pbc"), "--segmenter", "cmyk-otsu(weight=0.3)", "--model", fromImages).ExitCode);
        Assert.Equal(expected, PipelineModel.Load(fromImages).Segmenter);
        Assert.Equal(File.ReadAllText(fromCsv).Replace("cmyk.csv", "pbc"), File.ReadAllText(fromImages));

        // Naming another segmenter for a CSV that records its own is an error, not a silent restamp.
        var conflict = RaabinProcess.Run("train", features, "--segmenter", "reference", "--model", Path.Combine(tmp.Path, "x.json"));
        Assert.Equal(2, conflict.ExitCode);
        Assert.Contains("cmyk-otsu(weight=0.3", conflict.Stderr);

        // The shipped reference model refuses the cmyk-otsu table.
        var refused = RaabinProcess.Run("predict", "--model", ShippedModel, features, "--out", Path.Combine(tmp.Path, "p.csv"));
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("segmenter", refused.Stderr);
    }

    [Fact]
    public void Predictions_write_the_label_by_the_rule_its_probability_and_the_other_rules_label()
    {
        // Finding 6: pred was the vote winner while p_* were Platt probabilities, disagreeing silently.
        using var tmp = TestPaths.NewTempFolder();
        foreach (string rule in new[] { "vote", "probability" })
        {
            string p = Path.Combine(tmp.Path, rule + ".csv");
            var r = RaabinProcess.Run("predict", "--model", ShippedModel, TestPaths.Sample("bccd"), "--decision-rule", rule, "--out", p);
            Assert.True(r.ExitCode == 0, r.Stderr);
            var t = CsvTable.Load(p);
            var classes = t.Header.Where(h => h.StartsWith("p_", StringComparison.Ordinal)).Select(h => h[2..]).ToList();
            int disagreements = 0;
            for (int i = 0; i < t.Rows.Count; i++)
            {
                var probs = classes.Select(c => t.GetDouble(i, t.RequireColumn("p_" + c))).ToList();
                string byProbability = classes[probs.IndexOf(probs.Max())];
                string pred = t.Rows[i][t.RequireColumn("pred")];
                string other = t.Rows[i][t.RequireColumn("other_rule_pred")];
                Assert.Equal(rule, t.Rows[i][t.RequireColumn("rule")]);
                Assert.Equal(probs[classes.IndexOf(pred)], t.GetDouble(i, t.RequireColumn("probability")));
                if (rule == "probability")
                {
                    Assert.Equal(byProbability, pred);
                }
                else
                {
                    Assert.Equal(byProbability == pred ? string.Empty : byProbability, other);
                }

                disagreements += other.Length > 0 ? 1 : 0;
            }

            // The shipped sample holds at least one such cell (BloodImage_00278_1: vote lymphocyte, probability monocyte).
            Assert.True(disagreements > 0);
            Assert.Contains("other rule disagrees", r.Stderr);
        }
    }

    [Fact]
    public void Demo_says_when_the_other_rule_disagrees()
    {
        var r = RaabinProcess.Run("demo");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("BloodImage_00278_1.jpg", r.Stdout);
        Assert.Matches(@"BloodImage_00278_1\.jpg +monocyte +-> lymphocyte +p=0\.\d\d.*\(probability rule: monocyte\)", r.Stdout);
        Assert.Contains("decision rule vote", r.Stdout);
    }

    private static void WriteReversedFeatureColumns(string from, string to)
    {
        var csv = CsvTable.Load(from);
        var ids = new HashSet<string>(FeatureCatalog.ReferenceIds);
        var order = Enumerable.Range(0, csv.Header.Count).Where(i => !ids.Contains(csv.Header[i]))
            .Concat(Enumerable.Range(0, csv.Header.Count).Where(i => ids.Contains(csv.Header[i])).Reverse()).ToArray();
        using var w = new CsvWriter(to);
        w.Row(order.Select(i => csv.Header[i]));
        foreach (var row in csv.Rows)
        {
            w.Row(order.Select(i => row[i]));
        }

        w.Commit();
    }

    private static void WithoutColumn(string from, string to, string column)
    {
        var csv = CsvTable.Load(from);
        int drop = csv.RequireColumn(column);
        using var w = new CsvWriter(to);
        w.Row(csv.Header.Where((_, i) => i != drop));
        foreach (var row in csv.Rows)
        {
            w.Row(row.Where((_, i) => i != drop));
        }

        w.Commit();
    }
}
