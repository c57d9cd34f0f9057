using Raabin.Features.IO;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Tests.Cli;

public class ExplainCommandTests
{
    private static string Robust => Path.Combine(AppContext.BaseDirectory, "models", "robust-pbc.model.json");

    [Fact]
    public void Explain_says_why_each_cell_got_its_label_and_writes_the_table()
    {
        using var tmp = TestPaths.NewTempFolder();
        string csv = Path.Combine(tmp.Path, "why.csv");
        string[] images = Directory.GetFiles(TestPaths.Sample("pbc", "images", "eosinophil"), "*.jpg").Order(StringComparer.Ordinal).Take(3).ToArray();
        var r = RaabinProcess.Run(["explain", "--model", Robust, .. images, "--top", "2", "--out", csv]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var table = CsvTable.Load(csv);
        Assert.Equal(3, table.Rows.Count);
        Assert.Equal(["path", "label", "pred", "runner_up", "runner_up_rule", "feature_1", "support_1", "z_pred_1", "z_runner_up_1",
            "feature_2", "support_2", "z_pred_2", "z_runner_up_2", "counterfactual_feature", "counterfactual_value", "counterfactual_change_sd",
            "counterfactual_label", "status"], table.Header);

        // The label is the model's own prediction, and the first feature is the one that favours it most.
        var model = PipelineModel.Load(Robust);
        foreach (var row in table.Rows)
        {
            Assert.Equal(model.Predict(row[0]).Prediction!.Label, row[table.IndexOf("pred")]);
            Assert.NotEqual(row[table.IndexOf("pred")], row[table.IndexOf("runner_up")]);
            double s1 = double.Parse(row[table.IndexOf("support_1")], System.Globalization.CultureInfo.InvariantCulture);
            double s2 = double.Parse(row[table.IndexOf("support_2")], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(s1 >= s2);
            Assert.Contains($"{row[0]}: {row[table.IndexOf("pred")]} rather than {row[table.IndexOf("runner_up")]}", r.Stdout);
        }

        Assert.Contains("to flip: ", r.Stdout);
        Assert.Contains("nearest training cells: ", r.Stdout);

        // Without the counterfactual search: the same labels and features, and the flip says it was not searched.
        string fast = Path.Combine(tmp.Path, "fast.csv");
        r = RaabinProcess.Run(["explain", "--model", Robust, .. images, "--top", "2", "--no-counterfactual", "--out", fast]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Matches(r.Stdout, "to flip: not searched").Count);
        var quick = CsvTable.Load(fast);
        Assert.Equal(table.Rows.Select(x => x[..13]), quick.Rows.Select(x => x[..13]));
        Assert.All(quick.Rows, x => Assert.Equal(string.Empty, x[quick.IndexOf("counterfactual_feature")]));
    }

    [Fact]
    public void A_model_without_class_statistics_is_refused_by_name()
    {
        var r = RaabinProcess.Run("explain", "--model", TestPaths.Fixture("Models", "v1-sample-pbc.model.json"),
            TestPaths.Sample("pbc", "images", "basophil", "BA_238331.jpg"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("has no class feature statistics", r.Stderr);
    }
}
