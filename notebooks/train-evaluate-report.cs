#:project ../src/Raabin.Features.Cli/Raabin.Features.Cli.csproj
#:property PublishAot=false

// Train on one microscope, test on others, and read the report.
// Run from the repository root: dotnet run notebooks/train-evaluate-report.cs [OUT_FOLDER]
//   (default: a folder under the system's temporary folder; the shipped sample's pbc cells train, jtsc and bccd test)
using Raabin.Features.Evaluation;
using Raabin.Features.Evaluation.CrossDomain;
using Raabin.Features.Learning;

string outDir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "raabin-train-evaluate-report");

// 1. The cross-domain protocol as library calls: every image measured once, a model trained on pbc (the published
//    settings), each other microscope scored on its own.
var runs = CrossDomainProtocol.Plan("samples/pbc", ["samples/zheng-jtsc", "samples/bccd"], []);
var protocol = new CrossDomainProtocol(runs, new CrossDomainOptions
{
    Classifier = SvmClassifierOptions.Reference,
    Bootstrap = new BootstrapOptions { Replicates = 200 },
});
protocol.Open();
protocol.Measure();
var result = protocol.Execute(runs[0]);
foreach (var test in result.Tests)
{
    var e = test.Evaluation;
    Console.WriteLine($"{e.Name}: accuracy {e.Metrics.Accuracy:F3} [{e.Intervals.Accuracy.Lower:F3}, {e.Intervals.Accuracy.Upper:F3}], macro-F1 {e.MacroF1:F3}");
}

// 2. Why it drops: the features that moved most between the training microscope and each test one (standardised
//    mean difference: how many pooled SDs the mean moved).
foreach (var group in result.Shift.GroupBy(s => s.Test))
{
    var top = group.OrderBy(s => s.Rank).First().Shift;
    Console.WriteLine($"{group.Key}: most shifted feature {top.FeatureId}, SMD {top.StandardizedMeanDifference:F2}");
}

// 3. The same run as the command line does it writes a folder (predictions, metrics, the model); `raabin report` turns
//    it into one offline HTML page: plots, and a gallery where each cell opens the reasons for its label.
var console = Console.Out;
Console.SetOut(TextWriter.Null);   // evaluate prints its tables; they are in the folder and the page
int evaluated = Raabin.Features.Cli.Program.Main(
    ["evaluate", "--train", "samples/pbc", "--test", "samples/zheng-jtsc", "--test", "samples/bccd", "--bootstrap", "200", "--out", outDir]);
Console.SetOut(console);
string page = Path.Combine(outDir, "report.html");
int reported = evaluated == 0 ? Raabin.Features.Cli.Program.Main(["report", outDir, "--images-root", "samples", "--out", page]) : evaluated;
Console.WriteLine(reported == 0 ? $"open in a browser (works offline): {page}" : $"failed (exit code {reported})");
