using Raabin.Features.IO;
using Raabin.Features.Learning;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Tests.Adaptation;

public class DomainTrainingTests
{
    [Fact]
    public void Randomised_copies_are_trained_on_beside_the_images_and_recorded_in_the_model()
    {
        var real = SyntheticDomains.Cells([30, 30, 30], [1, 1], [0, 0], seed: 1, "scope");
        var copies = SyntheticDomains.Cells([30, 30, 30], [1.3, 0.8], [1, -1], seed: 2, "scope+randomised");
        var model = new PipelineTrainer(SyntheticDomains.Options())
            .Fit(SyntheticDomains.Table(real), "train", null, [SyntheticDomains.Table(copies, "seed=3;scale=0.5..1")]);
        Assert.Equal(180, model.Training.Rows);
        Assert.Equal(["scope", "scope+randomised"], model.Training.Domains);
        Assert.Equal("seed=3;scale=0.5..1 (90 rows)", model.Domain.Randomization);
        Assert.False(model.Domain.PerDomainStandardization);

        // Statistics are the real images' own: class a's mean of the first feature, by hand.
        double expected = real.Where(r => r.Label == "a").Average(r => r.Values[0]);
        Assert.Equal(expected, model.Statistics!.Means[0][0], 12);
        Assert.Equal(30, model.Statistics.Counts[0]);
    }

    [Fact]
    public void A_table_that_is_not_of_randomised_copies_is_refused_as_one_and_the_reverse()
    {
        var real = SyntheticDomains.Table(SyntheticDomains.Cells([10, 10, 10], [1, 1], [0, 0], seed: 1, "s"));
        var e = Assert.Throws<ArgumentException>(() => new PipelineTrainer(SyntheticDomains.Options()).Fit(real, "", null, [real]));
        Assert.Contains("not a table of randomised copies", e.Message);
        var copies = SyntheticDomains.Table(SyntheticDomains.Cells([10, 10, 10], [1, 1], [0, 0], seed: 1, "s"), "seed=1");
        e = Assert.Throws<ArgumentException>(() => new PipelineTrainer(SyntheticDomains.Options()).Fit(copies));
        Assert.Contains("holds randomised copies", e.Message);
    }

    [Fact]
    public void Per_domain_standardisation_z_scores_each_domain_and_keeps_the_real_images_statistics_as_the_normaliser()
    {
        var one = SyntheticDomains.Cells([30, 30, 30], [1, 1], [0, 0], seed: 1, "one");
        var two = SyntheticDomains.Cells([30, 30, 30], [3, 3], [10, -10], seed: 2, "two");
        var model = new PipelineTrainer(SyntheticDomains.Options(perDomain: true)).Fit(SyntheticDomains.Table([.. one, .. two]));
        Assert.True(model.Domain.PerDomainStandardization);
        var both = FeatureNormalizer.Fit(NormalizerKind.ZScore, [.. one.Select(r => r.Values), .. two.Select(r => r.Values)], 2);
        Assert.Equal(both.Scale, model.Classifier.Normalizer.Scale);

        // Each domain standardised alone lands on the same classes: the second domain, standardised with its own
        // statistics, is classified as well as the first.
        var zTwo = TransductiveStandardization.Fit(model.Classifier, two.Select(r => r.Values).ToList(), new TransductiveOptions { Mode = TransductiveMode.Domain }, "two");
        Assert.True(SyntheticDomains.Accuracy(x => zTwo.Classifier.Predict(x).Label, two) > 0.9);
    }

    [Fact]
    public void Domain_steps_and_class_statistics_survive_save_and_load_and_are_shown()
    {
        var real = SyntheticDomains.Cells([20, 20, 20], [1, 1], [0, 0], seed: 1, "scope");
        var copies = SyntheticDomains.Cells([20, 20, 20], [1, 1], [0.5, 0], seed: 2, "scope+randomised");
        var model = new PipelineTrainer(SyntheticDomains.Options(perDomain: true)).Fit(SyntheticDomains.Table(real), "", null, [SyntheticDomains.Table(copies, "seed=0;noise=off")]);
        using var stream = new MemoryStream();
        model.Save(stream);
        string json = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("\"domain\"", json);
        Assert.Contains("\"classStatistics\"", json);
        stream.Position = 0;
        var loaded = PipelineModel.Load(stream, "m.json");
        Assert.Equal(model.Domain, loaded.Domain);
        Assert.Equal(model.Statistics!.Means.SelectMany(m => m), loaded.Statistics!.Means.SelectMany(m => m));
        Assert.Equal(model.Statistics.StandardDeviations.SelectMany(m => m), loaded.Statistics.StandardDeviations.SelectMany(m => m));
        Assert.Contains("randomised training copies (seed=0;noise=off (60 rows)); trained on per-domain standardised features", loaded.Describe());
    }

    [Fact]
    public void A_model_without_domain_steps_writes_none_and_an_old_model_loads_without_statistics()
    {
        var model = new PipelineTrainer(SyntheticDomains.Options()).Fit(SyntheticDomains.Table(SyntheticDomains.Cells([10, 10, 10], [1, 1], [0, 0], 1, "s")));
        using var stream = new MemoryStream();
        model.Save(stream);
        Assert.DoesNotContain("\"domain\"", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        var old = PipelineModel.Load(TestPaths.Fixture("Models", "v1-sample-pbc.model.json"));
        Assert.Null(old.Statistics);
        Assert.True(old.Domain.IsNone);
    }

    [Fact]
    public void The_randomisation_column_round_trips_through_a_feature_csv()
    {
        using var tmp = TestPaths.NewTempFolder();
        string path = Path.Combine(tmp.Path, "dr.csv");
        var table = SyntheticDomains.Table(SyntheticDomains.Cells([2, 2, 2], [1, 1], [0, 0], 1, "s+randomised"), "seed=4;jpeg=off;blur=0..1@0.5");
        table.Save(path);
        var csv = CsvTable.Load(path);
        Assert.Equal(FeatureTable.RandomizationColumn, csv.Header[FeatureTable.LeadingColumns.Count]);
        var loaded = FeatureTable.Load(path);
        Assert.Equal("seed=4;jpeg=off;blur=0..1@0.5", loaded.Provenance.Randomization);
        Assert.Equal(SyntheticDomains.Ids, loaded.FeatureIds);
    }
}
