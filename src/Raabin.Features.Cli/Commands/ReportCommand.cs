using System.CommandLine;
using System.Globalization;
using Raabin.Features.IO;
using Raabin.Features.Reports;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// <c>raabin report FOLDER --out report.html</c>: one self-contained HTML page (no network request) from an evaluate,
/// predict or compare output folder; the library's <see cref="HtmlReport"/> does the work.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "An output folder of `raabin evaluate` (predictions.csv, metrics.json), `compare` (comparison.json) or `predict` (NAME.csv with NAME.differential.csv)." };
        var output = new Option<string>("--out", "-o") { Required = true, Description = "The HTML file to write (self-contained: plotly.js and the thumbnails are inside)." };
        var model = new Option<string?>("--model", "-m") { Description = "The model (`raabin train`) whose pipeline segments and measures the cells: gallery contours, explanations, feature distributions, permutation importance. Default: an evaluate folder's model_<run>.json when it holds one; without a model those are left out (and the page says so)." };
        var roots = new Option<string[]>("--images-root") { Description = "Where the images are: a path is tried as ROOT/DATASET/PATH, then ROOT/PATH (repeatable; default: the folder and the current directory)." };
        var features = new Option<string?>("--features-csv") { Description = "A feature CSV (`raabin features`) joined by path, instead of measuring the cells again with the model's pipeline." };
        var maxGallery = CliValidation.AtLeast(new Option<int>("--max-gallery") { DefaultValueFactory = _ => ReportOptions.DefaultMaxGallery, Description = "At most this many cells in the gallery (misclassified first, up to half; 0 = no gallery)." }, 0);
        var thumbnail = CliValidation.InRange(new Option<int>("--thumbnail-size") { DefaultValueFactory = _ => ReportOptions.DefaultThumbnailSize, Description = "Thumbnail side in pixels (16-256)." }, 16, 256);
        var counterfactual = new Option<bool>("--counterfactual") { Description = "Search each gallery cell's counterfactual (the smallest one-feature change that flips it; ~0.3 s per cell on the robust model)." };
        var distributions = CliValidation.AtLeast(new Option<int>("--distribution-features") { DefaultValueFactory = _ => ReportOptions.DefaultDistributionFeatures, Description = "Features whose distributions per class and domain are plotted (the most important first)." }, 0);
        var repeats = CliValidation.AtLeast(new Option<int>("--importance-repeats") { DefaultValueFactory = _ => ReportOptions.DefaultImportanceRepeats, Description = "Permutation-importance shuffles per feature (0 = leave importance out)." }, 0);
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 1UL, Description = "Seed of the gallery sample and of the shuffles." };
        var title = new Option<string?>("--title") { Description = "Page title (default: from the folder)." };
        var jobs = CliValidation.JobsOption();
        var command = new Command("report", "Write one self-contained HTML report (works offline) of an evaluate, predict or compare output folder: metrics, plots and a cell gallery with explanations.")
        {
            folder, output, model, roots, features, maxGallery, thumbnail, counterfactual, distributions, repeats, seed, title, jobs,
        };
        command.SetAction(parse =>
        {
            try
            {
                var options = new ReportOptions
                {
                    ModelPath = parse.GetValue(model),
                    ExternalLoader = ML.MlNetClassifiers.Loader,
                    ImageRoots = parse.GetValue(roots) ?? [],
                    FeaturesPath = parse.GetValue(features),
                    MaxGallery = parse.GetValue(maxGallery),
                    ThumbnailSize = parse.GetValue(thumbnail),
                    Counterfactual = parse.GetValue(counterfactual),
                    DistributionFeatures = parse.GetValue(distributions),
                    ImportanceRepeats = parse.GetValue(repeats),
                    Seed = parse.GetValue(seed),
                    Title = parse.GetValue(title),
                    Jobs = parse.GetValue(jobs),
                };
                string path = parse.GetValue(output)!;
                var summary = HtmlReport.Write(parse.GetValue(folder)!, path, options, line => Console.Error.WriteLine(line));
                foreach (string absent in summary.Absent)
                {
                    Console.Error.WriteLine($"report: not shown: {absent}");
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{summary.Kind.ToString().ToLowerInvariant()} report: {summary.Plots.Count} plots, {summary.GalleryCells} of {summary.Cells} cells in the gallery ({summary.Explained} explained), " +
                    $"{summary.Bytes / 1024.0 / 1024.0:F1} MB (plotly.js {summary.PlotlyBytes / 1024.0 / 1024.0:F1} MB, thumbnails {summary.ThumbnailBytes / 1024.0 / 1024.0:F1} MB) in {summary.Elapsed.TotalSeconds:F1} s -> {path}"));
                return CliOutput.Success;
            }
            catch (ReportInputException e)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or FormatException or CsvFormatException or DataFileException)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }
        });
        return command;
    }
}
