using Raabin.Features.Import;

namespace Raabin.Features.Tests.Import;

/// <summary>Every refusal names the file, the line and the column (or JSON property).</summary>
public class ScoreImportErrorTests
{
    private static string F(string name) => TestPaths.Fixture("Import", name);

    private static ClassMap Map => ClassMap.FromNames(["neutrophil", "eosinophil", "lymphocyte"], "test map");

    private static ScoreImportException Csv(string text, ScoreImportOptions? options = null) =>
        Assert.Throws<ScoreImportException>(() => new ScoreImporter(options).ImportCsv(text, "in.csv"));

    private static ScoreImportException Json(string text, ScoreImportOptions? options = null) =>
        Assert.Throws<ScoreImportException>(() => new ScoreImporter(options).ImportJson(text, "in.json"));

    private static void Names(ScoreImportException e, string source, int line, string? column, string problem)
    {
        Assert.Equal(source, e.Source);
        Assert.Equal(line, e.Line);
        Assert.Equal(column, e.Column);
        string at = line > 0 ? $"{source}:{line}" : source;
        string where = column is null ? $"{at}: " : $"{at} (column '{column}'): ";
        Assert.StartsWith(where, e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Probabilities_not_summing_to_one_suggest_logits()
    {
        var e = Assert.Throws<ScoreImportException>(() => new ScoreImporter().Import(F("bad-sum.csv")));
        Names(e, F("bad-sum.csv"), 3, "p_eosinophil..p_neutrophil", "the probabilities sum to 1.0999999999999999, not 1 within 0.001");
        Assert.Contains("--logits", e.Message);
    }

    [Fact]
    public void Sum_tolerance_is_an_option()
    {
        const string text = "path,p_a,p_b\nx.jpg,0.5,0.49\n";
        Names(Csv(text), "in.csv", 2, "p_a..p_b", "sum to 0.99");
        var s = new ScoreImporter(new ScoreImportOptions { SumTolerance = 0.02 }).ImportCsv(text, "in.csv");
        Assert.Equal([0.5, 0.49], s.Rows[0].Probabilities!);
        Assert.Throws<ArgumentException>(() => new ScoreImporter(new ScoreImportOptions { SumTolerance = double.NaN }));
    }

    [Fact]
    public void Negative_and_above_one_values_are_refused()
    {
        Names(Csv("path,p_a,p_b\nx.jpg,1.1,-0.1\n"), "in.csv", 2, "p_a", "probability 1.1 is above 1; if the values are logits, import with --logits");
        Names(Csv("path,p_a,p_b\nx.jpg,0.5,0.5\ny.jpg,-0.25,1.25\n"), "in.csv", 3, "p_a", "negative probability -0.25");
    }

    [Fact]
    public void Malformed_missing_and_non_finite_numbers_are_refused()
    {
        Names(Csv("path,p_a,p_b\nx.jpg,0.5,0.5\ny.jpg,0.x,0.5\n"), "in.csv", 3, "p_a", "'0.x' is not a number");
        Names(Csv("path,p_a,p_b\nx.jpg,,0.5\n"), "in.csv", 2, "p_a", "missing value");
        Names(Csv("path,p_a,p_b\nx.jpg,inf,0\n", new ScoreImportOptions { Values = ScoreValueKind.Logits }), "in.csv", 2, "p_a", "not a finite number");
    }

    [Fact]
    public void Unknown_true_or_predicted_label_is_refused()
    {
        Names(Csv("path,label,p_a,p_b,pred\nx.jpg,a,0.5,0.5,a\ny.jpg,c,0.5,0.5,a\n"), "in.csv", 3, "label", "'c' is not one of the classes (a, b)");
        Names(Csv("path,label,p_a,p_b,pred\nx.jpg,a,0.5,0.5,B\n"), "in.csv", 2, "pred", "'B' is not one of the classes (a, b)");
        Names(Csv("path,p_a,p_b,pred\nx.jpg,0.5,0.5,\n"), "in.csv", 2, "pred", "missing class name");
    }

    [Fact]
    public void Missing_class_columns_are_named()
    {
        var options = new ScoreImportOptions { ClassMap = Map };
        Names(Csv("filename,eosinophil,lymphocyte\nx.jpg,0.5,0.5\n", options), "in.csv", 1, "neutrophil", "missing class column");
        Names(Csv("path,p_eosinophil,p_lymphocyte\nx.jpg,0.5,0.5\n", options), "in.csv", 1, "p_neutrophil", "no column 'p_neutrophil'");
        Names(Csv("path,p_eosinophil,p_lymphocyte,p_neutrophil,p_basophil\nx.jpg,0.5,0.5,0,0\n", options), "in.csv", 1, "p_basophil",
            "class 'basophil' is not in the class map");
        Names(Csv("filename,eosinophil,lymphocyte\nx.jpg,0.5,0.5\n"), "in.csv", 1, null, "bare class-name columns need a class map");
        Names(Csv("file,p_a,p_b\nx.jpg,0.5,0.5\n"), "in.csv", 1, "path", "no image key column");
        Names(Csv("path,p_a,p_b\nx.jpg,0.5,0.5\n", new ScoreImportOptions { KeyColumn = "id" }), "in.csv", 1, "id", "key column asked for is missing");
    }

    [Fact]
    public void Logit_columns_are_not_silently_read_as_probabilities()
    {
        Names(Csv("path,logit_a,logit_b\nx.jpg,2.5,-1\n"), "in.csv", 1, "logit_a", "import them with --logits");
        Names(Csv("filename,index,logit\nx.jpg,\"[0, 1, 2]\",\"[3.1, 0.2, -1]\"\n", new ScoreImportOptions { ClassMap = Map }), "in.csv", 1, "logit",
            "the file holds logits (column 'logit'): import it with --logits");
        Names(Csv("filename,index,prob\nx.jpg,0,1\n", new ScoreImportOptions { ClassMap = Map, Values = ScoreValueKind.Logits }), "in.csv", 1, "prob",
            "import it without --logits");
    }

    [Fact]
    public void Duplicate_rows_for_one_image_are_refused()
    {
        Names(Csv("path,p_a,p_b\nx.jpg,0.5,0.5\ny.jpg,0.5,0.5\nx.jpg,0.25,0.75\n"), "in.csv", 4, "path",
            "duplicate row for image 'x.jpg' and model 'in' (first at line 2)");
        // The same image under two models is not a duplicate.
        var s = new ScoreImporter().ImportCsv("path,model,p_a,p_b\nx.jpg,m1,0.5,0.5\nx.jpg,m2,0.5,0.5\n", "in.csv");
        Assert.Equal(2, s.Rows.Count);
        Names(Csv("path,p_a,p_b\n,0.5,0.5\n"), "in.csv", 2, "path", "missing image key");
    }

    [Fact]
    public void Ragged_rows_are_refused_with_their_line()
    {
        var csv = Csv("path,p_a,p_b\nx.jpg,0.5,0.5\ny.jpg,0.5\n");
        Assert.Equal(3, csv.Line);
        Assert.StartsWith("in.csv:3: ", csv.Message);
        Assert.Contains("the row has 2 fields but the header has 3", csv.Message);

        var json = Assert.Throws<ScoreImportException>(() => new ScoreImporter().Import(F("bad-ragged.json")));
        Names(json, F("bad-ragged.json"), 3, "p_neutrophil", "the record lacks this property");
        Names(Json("[{\"path\": \"a\", \"p_a\": 1, \"p_b\": 0},\n {\"path\": \"b\", \"p_a\": 1, \"p_b\": 0, \"p_c\": 0}]"), "in.json", 1, "p_c",
            "the record lacks this property");
    }

    [Fact]
    public void Malformed_json_is_refused_with_its_line()
    {
        Names(Json("[\n{\"path\": \"a\", \"p_a\": 0.5, \"p_b\": 0.5},\n{\"path\": \"b\", \"p_a\": 0.5 \"p_b\": 0.5}\n]"), "in.json", 3, null, "malformed JSON");
        Names(Json("[\n{\"path\": \"a\",\n \"p_a\": true, \"p_b\": 0.5}]"), "in.json", 3, "p_a", "a boolean is not expected here");
        Names(Json("[\n{\"path\": \"a\",\n \"p_a\": \"x\", \"p_b\": 0.5}]"), "in.json", 3, "p_a", "'x' is not a number");
        Names(Json("[\n{\"path\": \"a\",\n \"p_a\": 1.5, \"p_b\": -0.5}]"), "in.json", 3, "p_a", "above 1");
        Names(Json("[1, 2]"), "in.json", 1, null, "each element of the top-level array must be an object");
        Names(Json("[]"), "in.json", 0, null, "the file holds no records");
    }

    [Fact]
    public void Timm_rows_with_bad_indices_labels_or_order_are_refused()
    {
        var options = new ScoreImportOptions { ClassMap = Map };
        Names(Csv("filename,index,prob\nx.jpg,\"[0, 3, 1]\",\"[0.5, 0.3, 0.2]\"\n", options), "in.csv", 2, "index", "class index 3 is outside the class map (0..2)");
        Names(Csv("filename,index,prob\nx.jpg,\"[0, 1.5, 2]\",\"[0.5, 0.3, 0.2]\"\n", options), "in.csv", 2, "index", "'1.5' is not a class index");
        Names(Csv("filename,index,prob\nx.jpg,\"[0, 1, 2]\",\"[0.5, 0.5]\"\n", options), "in.csv", 2, "prob", "2 entries where 'index' has 3");
        Names(Csv("filename,index,prob\nx.jpg,\"[0, 1, 0]\",\"[0.5, 0.3, 0.2]\"\n", options), "in.csv", 2, "index", "class 'neutrophil' is listed twice");
        Names(Csv("filename,index,prob\nx.jpg,\"[0, 1, 2]\",\"[0.2, 0.5, 0.3]\"\n", options), "in.csv", 2, "prob",
            "entry 1 (0.5) is larger than entry 0 (0.2)");
        Names(Csv("filename,index,label,prob\nx.jpg,\"[0, 1, 2]\",\"['neutrophil', 'lymphocyte', 'eosinophil']\",\"[0.5, 0.3, 0.2]\"\n", options),
            "in.csv", 2, "label", "label 'lymphocyte' does not match index 1, which the class map calls 'eosinophil'");
        Names(Csv("filename,label,prob\nx.jpg,\"['neutrophil', 'basophil']\",\"[0.5, 0.3]\"\n", options), "in.csv", 2, "label",
            "'basophil' is not one of the classes");
        Names(Csv("filename,index,prob\nx.jpg,\"[0, 1\",0.5\n", options), "in.csv", 2, "index", "does not close it");
        Names(Csv("filename,prob_0,prob_1\nx.jpg,0.5,0.5\n", options), "in.csv", 2, "prob_0..prob_1",
            "2 values for 3 classes and no index or label columns");
        Names(Csv("filename,index,prob\nx.jpg,0,1\n"), "in.csv", 1, null, "give a class map");
        Names(Csv("filename,index_0,prob_0,prob_1\nx.jpg,0,0.5,0.5\n", options), "in.csv", 2, "prob_0..prob_1", "2 entries where 'index_0' has 1");
    }

    [Fact]
    public void Partial_top_k_checks_the_listed_mass_and_refuses_logits()
    {
        var spread = new ScoreImportOptions { ClassMap = Map, MissingMass = MissingMassPolicy.SpreadUniform };
        Names(Csv("filename,index,prob\nx.jpg,\"[0, 1]\",\"[0.7, 0.5]\"\n", spread), "in.csv", 2, "prob", "sum to 1.2");
        var logits = new ScoreImportOptions { ClassMap = Map, MissingMass = MissingMassPolicy.SpreadUniform, Values = ScoreValueKind.Logits };
        Names(Csv("filename,index,logit\nx.jpg,\"[0, 1]\",\"[3, 1]\"\n", logits), "in.csv", 2, "index", "use top1-only");
    }

    [Fact]
    public void Unknown_file_type_and_missing_file_are_named()
    {
        Assert.Contains("scores.txt", Assert.Throws<ScoreImportException>(() => new ScoreImporter().Import("scores.txt")).Message);
        string missing = Path.Combine(TestPaths.Fixtures, "Import", "no-such-file.csv");
        Assert.StartsWith(missing, Assert.Throws<ScoreImportException>(() => new ScoreImporter().Import(missing)).Message);
    }
}
