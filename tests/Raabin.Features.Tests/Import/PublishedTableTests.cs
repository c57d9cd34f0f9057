using Raabin.Features.Import;

namespace Raabin.Features.Tests.Import;

public class PublishedTableTests
{
    [Fact]
    public void Table_8_test_a_reads_as_fractions_with_two_decimals()
    {
        string path = TestPaths.Fixture("Import", "raabin-wbc-2022-table8-testA.csv");
        var t = PublishedTable.Load(path);
        Assert.Equal(50, t.Rows.Count);
        Assert.Equal(10, t.Methods.Count);
        Assert.Equal("ResNet18", t.Methods[0]);
        Assert.Equal("Tavakoli et al. (features + SVM)", t.Methods[^1]);
        Assert.Equal(["lymphocyte", "monocyte", "neutrophil", "eosinophil", "basophil"], t.Classes);
        Assert.Equal(2, t.DecimalPlaces);
        Assert.Equal(0.00005, t.RoundingHalfWidth, 1e-18);

        // ResNet18,monocyte,96.96,95.30,96.12,99.06 (line 3)
        var r = t.Find("ResNet18", "monocyte")!;
        Assert.Equal(0.9696, r.Precision, 1e-15);
        Assert.Equal(0.9530, r.Sensitivity, 1e-15);
        Assert.Equal(0.9612, r.F1, 1e-15);
        Assert.Equal(0.9906, r.Accuracy, 1e-15);
        Assert.Equal(3, r.Line);
        var svm = t.Find("Tavakoli et al. (features + SVM)", "eosinophil")!;
        Assert.Equal(0.7224, svm.Precision, 1e-15);
        Assert.Equal(0.9465, svm.Accuracy, 1e-15);
        Assert.Equal(1.0, t.Find("VGG16", "basophil")!.F1);
        Assert.Null(t.Find("VGG16", "platelet"));
        Assert.Contains(t.Assumptions, a => a.Contains("aggregate only", StringComparison.Ordinal));
    }

    [Fact]
    public void Table_9_test_b_has_whole_percentages_and_two_classes()
    {
        var t = PublishedTable.Load(TestPaths.Fixture("Import", "raabin-wbc-2022-table9-testB.csv"));
        Assert.Equal(20, t.Rows.Count);
        Assert.Equal(["lymphocyte", "neutrophil"], t.Classes);
        Assert.Equal(0, t.DecimalPlaces);
        Assert.Equal(0.005, t.RoundingHalfWidth, 1e-18);
        var vgg = t.Find("VGG16", "neutrophil")!;
        Assert.Equal(1.0, vgg.Precision);
        Assert.Equal(0.65, vgg.Sensitivity, 1e-15);
        Assert.Equal(0.79, vgg.F1, 1e-15);
        Assert.Equal(0.66, vgg.Accuracy, 1e-15);
        Assert.Contains(t.Assumptions, a => a.Contains("rounded to 0 decimal place(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_tables_name_file_line_and_column()
    {
        const string head = "method,class,precision_pct,sensitivity_pct,f1_pct,accuracy_pct\n";
        void Bad(string text, int line, string? column, string problem)
        {
            var e = Assert.Throws<ScoreImportException>(() => PublishedTable.Parse(text, "t.csv"));
            Assert.Equal(line, e.Line);
            Assert.Equal(column, e.Column);
            Assert.StartsWith(column is null ? $"t.csv:{line}: " : $"t.csv:{line} (column '{column}'): ", e.Message);
            Assert.Contains(problem, e.Message);
        }

        Bad("method,class,precision_pct,sensitivity_pct,f1_pct\nA,x,1,2,3\n", 1, "accuracy_pct", "required column 'accuracy_pct' is missing");
        Bad(head + "A,x,99.1,98,97,96\nA,y,99.1,9x,97,96\n", 3, "sensitivity_pct", "'9x' is not a percentage");
        Bad(head + "A,x,-1,98,97,96\n", 2, "precision_pct", "'-1' is not a percentage");
        Bad(head + "A,x,100.5,98,97,96\n", 2, "precision_pct", "not a percentage in [0, 100]");
        Bad(head + "A,x,99,98,,96\n", 2, "f1_pct", "missing value");
        Bad(head + "A,x,99,98,97,96\nA,x,99,98,97,96\n", 3, "class", "given twice (first at line 2)");
        Bad(head + "A,x,99,98,97,96\nA,y,99,98,97,95\n", 3, "accuracy_pct", "accuracy 95 here but 96 at line 2");
        Bad(head + "A,x,99,98,97\n", 2, null, "the row has 5 fields but the header has 6");
        Bad(head + ",x,99,98,97,96\n", 2, "method", "missing value");
        Bad("method,class,precision_pct,sensitivity_pct,f1_pct,accuracy_pct,n\nA,x,99,98,97,96,5\n", 1, "n", "unexpected column");
    }
}
