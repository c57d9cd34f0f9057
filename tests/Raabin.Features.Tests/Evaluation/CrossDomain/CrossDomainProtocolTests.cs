using Raabin.Features.Evaluation.CrossDomain;
using Raabin.Features.Measurement;

namespace Raabin.Features.Tests.Evaluation.CrossDomain;

public class CrossDomainProtocolTests
{
    [Fact]
    public void Plan_makes_one_run_or_one_per_held_out_set_and_refuses_mixtures()
    {
        var one = CrossDomainProtocol.Plan("data/pbc:train", ["data/pbc:test", "data/bccd"], []);
        var run = Assert.Single(one);
        Assert.Equal("train:pbc:train", run.Name);
        Assert.Equal([new EvaluationSet("data/pbc", "test"), new EvaluationSet("data/bccd", null)], run.Tests);

        var lodo = CrossDomainProtocol.Plan(null, [], ["a", "b", "c"]);
        Assert.Equal(["lodo:a", "lodo:b", "lodo:c"], lodo.Select(r => r.Name));
        Assert.Equal(["a", "c"], lodo[1].Train.Select(s => s.Folder));

        Assert.Throws<ArgumentException>(() => CrossDomainProtocol.Plan("a", ["b"], ["c", "d"]));
        Assert.Throws<ArgumentException>(() => CrossDomainProtocol.Plan(null, [], ["a"]));
        Assert.Throws<ArgumentException>(() => CrossDomainProtocol.Plan("a", [], []));
    }

    [Fact]
    public void Execute_scores_every_test_cell_and_measures_drops_from_the_same_folder()
    {
        // Train on the shipped pbc sample, test on it (in-domain, same folder) and on zheng-jtsc.
        var runs = CrossDomainProtocol.Plan(TestPaths.Sample("pbc"), [TestPaths.Sample("pbc") + ":test", TestPaths.Sample("zheng-jtsc")], []);
        var protocol = new CrossDomainProtocol(runs, new CrossDomainOptions { OverlapCheck = OverlapCheck.Exact, Jobs = 2 });
        var warnings = new List<string>();
        protocol.Open(warnings.Add);
        var overlap = protocol.CheckOverlap(warnings.Add)[runs[0].Name];
        Assert.Equal(30, overlap[0].SameFile);
        Assert.Equal(0, overlap[1].SharedImages);
        Assert.Contains(warnings, w => w.Contains("30 of 30 images of test set pbc:test are also in training", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("classes the training set lacks", StringComparison.Ordinal));

        protocol.Measure();
        var result = protocol.Execute(runs[0]);
        Assert.Equal(30, result.Model.Training.Rows);
        Assert.Equal(FeatureCatalog.ReferenceIds, result.Model.FeatureIds);
        Assert.Equal([30, 9], result.Tests.Select(t => t.Cells.Count));
        Assert.All(result.Tests.SelectMany(t => t.Cells), c => Assert.Equal(CellStatus.Ok, c.Status));

        // Every cell's label is the model's own decision for its features.
        var jtsc = result.Tests[1];
        var table = protocol.Measured.Values.Single(t => t.Source.EndsWith("zheng-jtsc", StringComparison.Ordinal));
        for (int i = 0; i < jtsc.Cells.Count; i++)
        {
            var row = table.Rows.Single(r => r.Path == jtsc.Cells[i].Path);
            Assert.Equal(result.Model.Classify(row).Prediction!.Label, jtsc.Cells[i].Predicted);
        }

        var drop = Assert.Single(result.Drops);
        Assert.Equal("zheng-jtsc", drop.Test);
        Assert.Equal(result.Tests[0].Evaluation.Metrics.Accuracy - jtsc.Evaluation.Metrics.Accuracy, drop.AccuracyDrop);
        Assert.Equal(FeatureCatalog.ReferenceIds.Count, result.Shift.Count(s => s.Test == "zheng-jtsc"));
        Assert.Equal(Enumerable.Range(1, 51), result.Shift.Where(s => s.Test == "zheng-jtsc").Select(s => s.Rank));
    }
}
