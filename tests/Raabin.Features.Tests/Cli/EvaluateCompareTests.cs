using System.Globalization;
using System.Text.Json;
using Raabin.Features.Evaluation;
using Raabin.Features.IO;

namespace Raabin.Features.Tests.Cli;

public class EvaluateCompareTests
{
    [Fact]
    public void Evaluate_trains_on_one_domain_and_reports_each_test_domain()
    {
        using var tmp = TestPaths.NewTempFolder();
        var r = RaabinProcess.Run("evaluate", "--train", TestPaths.Sample("pbc"), "--test", TestPaths.Sample("zheng-jtsc"),
            "--test", TestPaths.Sample("bccd"), "--class-weight", "neutrophil=10", "--bootstrap", "200", "--out", tmp.Path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("zheng-jtsc: 9 cells, 0 rejected", r.Stdout);
        Assert.Contains("(fewer than 10 test images)", r.Stdout);

        var predictions = CsvTable.Load(Path.Combine(tmp.Path, "predictions.csv"));
        Assert.Equal(19, predictions.Rows.Count);
        Assert.Equal(["run", "test_set", "dataset", "path", "domain", "split", "label", "pred", "status"], predictions.Header.Take(9));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(tmp.Path, "metrics.json")));
        var tests = json.RootElement[0].GetProperty("tests");
        Assert.Equal(2, tests.GetArrayLength());
        Assert.Equal("reference(blurKernelSize=5;minimumArea=100)", json.RootElement[0].GetProperty("segmenter").GetString());
        Assert.Equal("reference-51@1", json.RootElement[0].GetProperty("extractor").GetString());
        Assert.Equal("vote", json.RootElement[0].GetProperty("decisionRule").GetString());
        // The accuracy in metrics.json is the share of rows whose prediction equals the label.
        foreach (var test in tests.EnumerateArray())
        {
            string name = test.GetProperty("name").GetString()!;
            var rows = predictions.Rows.Where(row => row[1] == name).ToList();
            double accuracy = rows.Count(row => row[6] == row[7]) / (double)rows.Count;
            Assert.Equal(accuracy, test.GetProperty("metrics").GetProperty("accuracy").GetDouble(), 12);
        }

        var shift = CsvTable.Load(Path.Combine(tmp.Path, "shift_train_pbc.csv"));
        Assert.Equal(2 * 51, shift.Rows.Count);
        Assert.True(File.Exists(Path.Combine(tmp.Path, "confusion_train_pbc_bccd.csv")));
    }

    [Fact]
    public void Leave_one_domain_out_runs_once_per_domain()
    {
        using var tmp = TestPaths.NewTempFolder();
        var r = RaabinProcess.Run("evaluate", "--lodo", TestPaths.Sample("pbc"), "--lodo", TestPaths.Sample("bccd"), "--bootstrap", "100", "--out", tmp.Path);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("lodo:pbc: trained on 10 cells", r.Stdout);
        Assert.Contains("lodo:bccd: trained on 30 cells", r.Stdout);
    }

    [Fact]
    public void Compare_lines_up_svm_and_cnn_on_the_same_images_with_exact_mcnemar()
    {
        using var tmp = TestPaths.NewTempFolder();
        string svm = Path.Combine(tmp.Path, "svm.csv");
        string shipped = Path.Combine(AppContext.BaseDirectory, "models", "reference-pbc.model.json");
        Assert.Equal(0, RaabinProcess.Run("predict", "--model", shipped, TestPaths.Sample("zheng-jtsc"), "--out", svm).ExitCode);

        // A made-up CNN that is right on the first five images (in path order) and says neutrophil otherwise,
        // listed with file names only (as timm writes them) and in another row order.
        var ours = CsvTable.Load(svm);
        string[] classes = ["basophil", "eosinophil", "lymphocyte", "monocyte", "neutrophil"];
        var lines = new List<string> { "filename,label," + string.Join(",", classes.Select(c => "p_" + c)) };
        for (int i = ours.Rows.Count - 1; i >= 0; i--)
        {
            string label = ours.Rows[i][1];
            string predicted = i < 5 ? label : "neutrophil";
            lines.Add($"{Path.GetFileName(ours.Rows[i][0])},{label}," + string.Join(",", classes.Select(c => c == predicted ? "0.8" : "0.05")));
        }

        string cnn = Path.Combine(tmp.Path, "cnn.csv");
        File.WriteAllLines(cnn, lines);
        string outDir = Path.Combine(tmp.Path, "cmp");
        var r = RaabinProcess.Run("compare", "--svm", svm, "--set", "zheng-jtsc", "--cnn", "mycnn=" + cnn,
            "--published", "Table 8=" + TestPaths.Fixture("Import", "raabin-wbc-2022-table8-testA.csv"), "--bootstrap", "200", "--out", outDir);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("| svm vs mycnn |", r.Stdout);
        Assert.Contains("Tavakoli et al. (features + SVM)", r.Stdout);
        Assert.Contains("matched by unique file name", r.Stdout);

        // b = SVM right and CNN wrong, c = the other way round, counted here directly.
        int b = 0, c = 0;
        for (int i = 0; i < ours.Rows.Count; i++)
        {
            bool svmRight = ours.Rows[i][1] == ours.Rows[i][2];
            bool cnnRight = i < 5 || ours.Rows[i][1] == "neutrophil";
            b += svmRight && !cnnRight ? 1 : 0;
            c += !svmRight && cnnRight ? 1 : 0;
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "comparison.json")));
        var pair = json.RootElement.GetProperty("sets")[0].GetProperty("pairs")
            .EnumerateArray().Single(p => p.GetProperty("modelB").GetString() == "mycnn").GetProperty("result").GetProperty("mcNemar");
        Assert.Equal(b, pair.GetProperty("onlyFirstCorrect").GetInt64());
        Assert.Equal(c, pair.GetProperty("onlySecondCorrect").GetInt64());
        Assert.Equal(McNemarTest.ExactPValue(b, c), pair.GetProperty("pValue").GetDouble(), 15);
    }

    [Fact]
    public void Compare_names_file_line_and_column_of_bad_scores()
    {
        using var tmp = TestPaths.NewTempFolder();
        string svm = Path.Combine(tmp.Path, "svm.csv");
        File.WriteAllText(svm, "path,label,pred,status,p_a,p_b\nx.png,a,a,ok,0.9,0.1\n");
        string cnn = Path.Combine(tmp.Path, "cnn.csv");
        File.WriteAllText(cnn, "path,p_a,p_b\nx.png,0.7,0.7\n");
        var r = RaabinProcess.Run("compare", "--svm", svm, "--cnn", "bad=" + cnn, "--out", Path.Combine(tmp.Path, "o"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("cnn.csv:2", r.Stderr);
        Assert.Contains("sum", r.Stderr);
    }
}
