using System.Text.Json;
using Raabin.Features.Import;

namespace Raabin.Features.Tests.Import;

public class ScoreImporterTests
{
    private static string F(string name) => TestPaths.Fixture("Import", name);

    private static ClassMap TxtMap => ClassMap.Load(F("classes.txt"));

    private static void Probabilities(double[] expected, ImportedScore row, double tolerance = 0)
    {
        Assert.NotNull(row.Probabilities);
        Assert.Equal(expected.Length, row.Probabilities!.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - row.Probabilities[i]) <= tolerance,
                $"class {i}: expected {expected[i]:R}, got {row.Probabilities[i]:R}");
        }
    }

    private static bool Says(ImportedScores s, string fragment) => s.Assumptions.Any(a => a.Contains(fragment, StringComparison.Ordinal));

    [Fact]
    public void Probability_columns_are_read_with_labels_pred_model_and_dataset()
    {
        var s = new ScoreImporter().Import(F("probs.csv"));
        Assert.Equal(["eosinophil", "lymphocyte", "neutrophil"], s.Classes);
        Assert.Equal("path", s.KeyColumn);
        Assert.True(s.HasProbabilities);
        Assert.Equal(4, s.Rows.Count);

        var first = s.Rows[0];
        Assert.Equal("images/eosinophil/EO_1.jpg", first.Key);
        Assert.Equal("pbc", first.Dataset);
        Assert.Equal("eosinophil", first.TrueLabel);
        Assert.Equal("eosinophil", first.PredictedLabel);
        Assert.Equal("netA", first.Model);
        Assert.Equal(2, first.Line);
        Probabilities([0.7, 0.2, 0.1], first);

        Assert.Null(s.Rows[2].TrueLabel); // empty label cell = unknown
        Probabilities([0.0, 0.4, 0.6], s.Rows[2]);

        // The last row's pred (eosinophil) is not its highest probability (neutrophil, 0.3333334): kept, and said.
        Assert.Equal("eosinophil", s.Rows[3].PredictedLabel);
        Assert.True(Says(s, "on 1 rows it is not the class with the highest probability (first at line 5)"));
        Assert.True(Says(s, "image keys read from column 'path'"));
        Assert.True(Says(s, "class order taken from the order of the p_<class> columns"));
        Assert.True(Says(s, "model name read from column 'model'"));
    }

    [Fact]
    public void Bare_class_columns_follow_the_class_map_order_and_predict_the_arg_max()
    {
        foreach (string map in (string[])["classes.txt", "classes.json", "class_to_idx.json"])
        {
            var s = new ScoreImporter(new ScoreImportOptions { ClassMap = ClassMap.Load(F(map)) }).Import(F("bare-columns.csv"));
            Assert.Equal(["neutrophil", "eosinophil", "lymphocyte"], s.Classes);
            Assert.Equal("filename", s.KeyColumn);
            Assert.Equal(["EO_1.jpg", "NE_3.jpg", "LY_2.jpg"], s.Rows.Select(r => r.Key));
            Probabilities([0.05, 0.9, 0.05], s.Rows[0]);
            Probabilities([0.8, 0.1, 0.1], s.Rows[1]);
            Probabilities([0.2, 0.2, 0.6], s.Rows[2]);
            Assert.Equal(["eosinophil", "neutrophil", "lymphocyte"], s.Rows.Select(r => r.PredictedLabel));
            Assert.All(s.Rows, r => Assert.Null(r.TrueLabel));
            Assert.All(s.Rows, r => Assert.Equal("bare-columns", r.Model));
            Assert.True(Says(s, "class-map file"));
            Assert.True(Says(s, "columns ignored: note"));
            Assert.True(Says(s, "model name 'bare-columns' taken from the file name"));
            Assert.True(Says(s, "predicted label = the class with the highest probability"));
        }
    }

    [Fact]
    public void Class_map_on_p_columns_reorders_the_classes()
    {
        var s = new ScoreImporter(new ScoreImportOptions { ClassMap = TxtMap }).Import(F("probs.csv"));
        Assert.Equal(["neutrophil", "eosinophil", "lymphocyte"], s.Classes);
        Probabilities([0.1, 0.7, 0.2], s.Rows[0]);
    }

    [Fact]
    public void Logits_get_a_stable_softmax_and_the_assumption_is_recorded()
    {
        // softmax(0, ln 2, ln 5) = (1, 2, 5) / 8; adding 1000 to every logit changes nothing.
        var s = new ScoreImporter(new ScoreImportOptions { Values = ScoreValueKind.Logits, ModelName = "netL" }).Import(F("logits.csv"));
        Assert.Equal("image", s.KeyColumn);
        Assert.Equal(["eosinophil", "lymphocyte", "neutrophil"], s.Classes);
        Probabilities([0.125, 0.25, 0.625], s.Rows[0], 1e-15);
        Probabilities([0.125, 0.25, 0.625], s.Rows[1], 1e-12);
        Probabilities([1.0 / 3, 1.0 / 3, 1.0 / 3], s.Rows[2], 1e-16);
        Assert.Equal("neutrophil", s.Rows[0].PredictedLabel);
        Assert.Equal("eosinophil", s.Rows[2].PredictedLabel); // a tie goes to the first class
        Assert.Equal("netL", s.Rows[0].Model);
        Assert.True(Says(s, "applied a numerically stable softmax to the logits"));
        Assert.True(Says(s, "model name 'netL' given by the caller"));
    }

    [Fact]
    public void Timm_list_cells_in_csv_json_index_and_json_lines_give_the_same_scores()
    {
        var importer = new ScoreImporter(new ScoreImportOptions { ClassMap = TxtMap });
        foreach (string file in (string[])["timm-lists.csv", "timm-index.json", "timm-records.jsonl"])
        {
            var s = importer.Import(F(file));
            Assert.Equal(["neutrophil", "eosinophil", "lymphocyte"], s.Classes);
            Assert.Equal("filename", s.KeyColumn);
            Assert.Equal(["EO_1.jpg", "NE_3.jpg"], s.Rows.Select(r => r.Key));
            // Written from float32, so JSON holds e.g. 0.6999999881: compare at float32 precision.
            Probabilities([0.1, 0.7, 0.2], s.Rows[0], 1e-7);
            Probabilities([0.6, 0.0, 0.4], s.Rows[1], 1e-7);
            Assert.Equal(["eosinophil", "neutrophil"], s.Rows.Select(r => r.PredictedLabel));
            Assert.All(s.Rows, r => Assert.Null(r.TrueLabel));
            Assert.True(Says(s, "column 'label' read as timm's predicted class names"), file);
            Assert.True(Says(s, "list-valued cells"), file);
        }

        Assert.True(Says(importer.Import(F("timm-index.json")), "orient=index"));
        Assert.True(Says(importer.Import(F("timm-records.jsonl")), "JSON Lines"));
    }

    [Fact]
    public void Timm_separate_columns_with_full_k_are_placed_by_index()
    {
        const string text = "filename,index_0,index_1,index_2,prob_0,prob_1,prob_2\nEO_1.jpg,1,2,0,0.7,0.2,0.1\n";
        var s = new ScoreImporter(new ScoreImportOptions { ClassMap = TxtMap }).ImportCsv(text, "sep.csv");
        Probabilities([0.1, 0.7, 0.2], s.Rows[0]);
        Assert.Equal("eosinophil", s.Rows[0].PredictedLabel);
        Assert.True(Says(s, "one column per rank (index_0..index_2, prob_0..prob_2)"));
    }

    [Fact]
    public void Timm_full_output_vector_without_indices_is_in_class_index_order()
    {
        // inference.py --topk 0 --results-separate-col: prob_i is class i's probability.
        const string text = "filename,prob_0,prob_1,prob_2\nx.jpg,0.2,0.5,0.3\n";
        var s = new ScoreImporter(new ScoreImportOptions { ClassMap = TxtMap }).ImportCsv(text, "full.csv");
        Probabilities([0.2, 0.5, 0.3], s.Rows[0]);
        Assert.Equal("eosinophil", s.Rows[0].PredictedLabel);
        Assert.True(Says(s, "full output vector in class-index order"));
    }

    [Fact]
    public void Timm_top_k_below_the_class_count_needs_an_explicit_policy()
    {
        var refused = Assert.Throws<ScoreImportException>(() =>
            new ScoreImporter(new ScoreImportOptions { ClassMap = TxtMap }).Import(F("timm-top2.csv")));
        Assert.Equal(2, refused.Line);
        Assert.Equal("index_0..index_1", refused.Column);
        Assert.Contains("timm-top2.csv:2 (column 'index_0..index_1')", refused.Message);
        Assert.Contains("top-2 output for 3 classes", refused.Message);
        Assert.Contains("spread-uniform", refused.Message);

        // spread-uniform: EO_1 lists eosinophil 0.7, lymphocyte 0.2, so neutrophil gets 1 - 0.9; NE_3 sums to 1.
        var spread = new ScoreImporter(new ScoreImportOptions { ClassMap = TxtMap, MissingMass = MissingMassPolicy.SpreadUniform })
            .Import(F("timm-top2.csv"));
        Probabilities([0.1, 0.7, 0.2], spread.Rows[0], 1e-15);
        Probabilities([0.6, 0.0, 0.4], spread.Rows[1], 1e-15);
        Assert.True(spread.HasProbabilities);
        Assert.True(Says(spread, "spread-uniform"));

        var top1 = new ScoreImporter(new ScoreImportOptions { ClassMap = TxtMap, MissingMass = MissingMassPolicy.Top1Only })
            .Import(F("timm-top2.csv"));
        Assert.False(top1.HasProbabilities);
        Assert.All(top1.Rows, r => Assert.Null(r.Probabilities));
        Assert.Equal(["eosinophil", "neutrophil"], top1.Rows.Select(r => r.PredictedLabel));
        Assert.True(Says(top1, "top1-only"));
    }

    [Fact]
    public void Spread_uniform_shares_the_remainder_equally()
    {
        // Top-1 of 3: 0.5 listed for lymphocyte (index 2); the other two get 0.25 each.
        const string text = "filename,index,prob\nx.jpg,2,0.5\n";
        var s = new ScoreImporter(new ScoreImportOptions { ClassMap = TxtMap, MissingMass = MissingMassPolicy.SpreadUniform })
            .ImportCsv(text, "top1.csv");
        Probabilities([0.25, 0.25, 0.5], s.Rows[0]);
        Assert.Equal("lymphocyte", s.Rows[0].PredictedLabel);
    }

    [Fact]
    public void Timm_label_names_alone_identify_the_classes()
    {
        // timm's default output has no index column: label names (from the model's label_names) and probabilities.
        const string text = "filename,label,prob\nx.jpg,\"['lymphocyte', 'neutrophil', 'eosinophil']\",\"[0.5, 0.3, 0.2]\"\n";
        var s = new ScoreImporter(new ScoreImportOptions { ClassMap = TxtMap }).ImportCsv(text, "labels.csv");
        Probabilities([0.3, 0.2, 0.5], s.Rows[0]);
        Assert.Equal("lymphocyte", s.Rows[0].PredictedLabel);
    }

    [Fact]
    public void Timm_output_with_only_indices_needs_top1_only()
    {
        const string text = "filename,index\nx.jpg,\"[1, 0, 2]\"\n";
        var e = Assert.Throws<ScoreImportException>(() =>
            new ScoreImporter(new ScoreImportOptions { ClassMap = TxtMap }).ImportCsv(text, "idx.csv"));
        Assert.StartsWith("idx.csv:1 (column 'prob'): ", e.Message);
        Assert.Contains("top1-only", e.Message);
        var s = new ScoreImporter(new ScoreImportOptions { ClassMap = TxtMap, MissingMass = MissingMassPolicy.Top1Only }).ImportCsv(text, "idx.csv");
        Assert.Equal("eosinophil", s.Rows[0].PredictedLabel);
        Assert.False(s.HasProbabilities);
    }

    [Fact]
    public void Json_records_read_like_csv_rows()
    {
        var s = new ScoreImporter().Import(F("records.json"));
        Assert.Equal(["eosinophil", "lymphocyte", "neutrophil"], s.Classes);
        Probabilities([0.7, 0.2, 0.1], s.Rows[0]);
        Probabilities([0.25, 0.5, 0.25], s.Rows[1]);
        Assert.Equal("eosinophil", s.Rows[0].TrueLabel);
        Assert.Null(s.Rows[1].TrueLabel);
        Assert.Equal(2, s.Rows[0].Line);
        Assert.Equal(3, s.Rows[1].Line);
        Assert.Equal("records", s.Rows[0].Model);
        Assert.True(Says(s, "JSON array of records"));
    }

    [Fact]
    public void Key_column_preference_and_override_are_recorded()
    {
        const string text = "image,filename,p_a,p_b\nimg/x.jpg,x.jpg,0.5,0.5\n";
        var auto = new ScoreImporter().ImportCsv(text, "k.csv");
        Assert.Equal("filename", auto.KeyColumn);
        Assert.Equal("x.jpg", auto.Rows[0].Key);
        Assert.True(Says(auto, "image keys read from column 'filename' (also present and not used as key: image)"));
        var asked = new ScoreImporter(new ScoreImportOptions { KeyColumn = "image" }).ImportCsv(text, "k.csv");
        Assert.Equal("img/x.jpg", asked.Rows[0].Key);
    }

    [Fact]
    public void Reordering_to_our_classes_moves_the_probabilities()
    {
        var s = new ScoreImporter().Import(F("probs.csv")).WithClassOrder(["neutrophil", "lymphocyte", "eosinophil"]);
        Probabilities([0.1, 0.2, 0.7], s.Rows[0]);
        Assert.Equal("eosinophil", s.Rows[0].PredictedLabel);
        Assert.Throws<ArgumentException>(() => s.WithClassOrder(["neutrophil", "lymphocyte", "basophil"]));
        Assert.Throws<ArgumentException>(() => s.WithClassOrder(["neutrophil", "lymphocyte"]));
    }

    [Fact]
    public void Excerpt_of_the_project_cnn_scores_imports_as_python_read_it()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(F("scores_resnet18_pbc-test.excerpt.expected.json")));
        var expected = doc.RootElement;
        var s = new ScoreImporter().Import(F("scores_resnet18_pbc-test.excerpt.csv"));

        Assert.Equal(expected.GetProperty("rows").GetInt32(), s.Rows.Count);
        Assert.Equal(expected.GetProperty("classes").EnumerateArray().Select(e => e.GetString()!), s.Classes);
        Assert.Equal(expected.GetProperty("correct").GetInt32(), s.Rows.Count(r => r.TrueLabel == r.PredictedLabel));
        Assert.True(Says(s, "it agrees with the highest probability on every row"));
        Assert.All(s.Rows, r => Assert.Equal("resnet18", r.Model));
        Assert.All(s.Rows, r => Assert.Equal("pbc", r.Dataset));
        double maxError = s.Rows.Max(r => Math.Abs(r.Probabilities!.Sum() - 1));
        Assert.Equal(expected.GetProperty("max_abs_sum_error").GetDouble(), maxError, 1e-12);

        var last = expected.GetProperty("last_row");
        Assert.Equal(last.GetProperty("path").GetString(), s.Rows[^1].Key);
        Assert.Equal(last.GetProperty("label").GetString(), s.Rows[^1].TrueLabel);
        Assert.Equal(last.GetProperty("pred").GetString(), s.Rows[^1].PredictedLabel);
        Assert.Equal(last.GetProperty("p").EnumerateArray().Select(e => e.GetDouble()), s.Rows[^1].Probabilities!);
    }

    [Fact]
    public void Policy_names_round_trip_and_unknown_names_are_refused()
    {
        foreach (var policy in Enum.GetValues<MissingMassPolicy>())
        {
            Assert.Equal(policy, ScoreImportOptions.ParseMissingMass(ScoreImportOptions.Name(policy)));
        }

        Assert.Equal(MissingMassPolicy.SpreadUniform, ScoreImportOptions.ParseMissingMass("spread-uniform"));
        Assert.Contains("spread-uniform", Assert.Throws<ArgumentException>(() => ScoreImportOptions.ParseMissingMass("uniform")).Message);
    }
}
