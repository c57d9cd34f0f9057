using Raabin.Features.Evaluation;

namespace Raabin.Features.Tests.Evaluation;

public class ClassLabelsUnknownTests
{
    [Fact]
    public void Unknown_lists_each_unknown_class_once_with_its_count_and_ignores_unlabelled_rows()
    {
        var unknown = ClassLabels.Unknown(["basophil", "neutrophil"], ["blast", "neutrophil", "", "blast", "Basophil"]);
        Assert.Equal([("Basophil", 1), ("blast", 2)], unknown);
        Assert.Empty(ClassLabels.Unknown(["a"], ["a", "a", ""]));
    }
}
