using System.CommandLine;
using Raabin.Features.Datasets;
using Raabin.Features.Measurement;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Cli.Commands;

/// <summary>Options shared by the commands that turn a dataset into features.</summary>
internal sealed class PipelineOptions
{
    public Argument<string> Dataset { get; } = new("dataset") { Description = "Dataset folder: manifest.csv, or one sub-folder per class (optionally per split)." };

    public Option<string?> Split { get; } = new("--split") { Description = "Only items of this split (e.g. train, test, TestA)." };

    public Option<string> Segmenter { get; } = new("--segmenter")
    {
        Description = $"Nucleus segmenter: {ReferenceNucleusSegmenter.MethodName} (the published method) or {CmykOtsuSegmenter.MethodName} (Raabin-WBC ground-truth tool).",
        DefaultValueFactory = _ => ReferenceNucleusSegmenter.MethodName,
    };

    public Option<double> Weight { get; } = new("--weight")
    {
        Description = $"{CmykOtsuSegmenter.MethodName}: weight of the 2-class Otsu threshold against the upper 3-class one.",
        DefaultValueFactory = _ => CmykOtsuSegmenterOptions.Default.Weight,
    };

    public Option<int> Jobs { get; } = new("--jobs", "-j") { Description = "Parallel workers (default: all cores)." };

    public Option<bool> AllowDamaged { get; } = new("--allow-damaged")
    {
        Description = "Measure damaged images (e.g. a truncated JPEG whose missing rows decode grey) instead of writing them " +
            "with status 'damaged'; their error column still carries the decoder's warning.",
    };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Dataset);
        command.Options.Add(Split);
        command.Options.Add(Segmenter);
        command.Options.Add(Weight);
        command.Options.Add(Jobs);
        command.Options.Add(AllowDamaged);
    }

    // A NaN weight means the segmenter's documented default (CmykOtsuSegmenterOptions.Default).
    public static INucleusSegmenter CreateSegmenter(string name, double weight = double.NaN) => name switch
    {
        ReferenceNucleusSegmenter.MethodName => new ReferenceNucleusSegmenter(),
        CmykOtsuSegmenter.MethodName => new CmykOtsuSegmenter(double.IsNaN(weight) ? null : new CmykOtsuSegmenterOptions { Weight = weight }),
        _ => throw new ArgumentException(
            $"unknown segmenter '{name}' (choose {ReferenceNucleusSegmenter.MethodName} or {CmykOtsuSegmenter.MethodName})"),
    };

    /// <summary>Opens the dataset and builds the pipeline, or reports why not (returns null).</summary>
    public (Dataset Dataset, IReadOnlyList<DatasetItem> Items, CellPipeline Pipeline)? Open(ParseResult parse)
    {
        try
        {
            var dataset = Datasets.Dataset.Open(parse.GetValue(Dataset)!);
            var items = dataset.InSplit(parse.GetValue(Split));
            if (items.Count == 0)
            {
                CliOutput.Error($"{dataset.Root}: no items{(parse.GetValue(Split) is { } s ? $" in split '{s}'" : string.Empty)}");
                return null;
            }

            var segmenter = CreateSegmenter(parse.GetValue(Segmenter)!, parse.GetValue(Weight));
            return (dataset, items, new CellPipeline(segmenter, new ReferenceFeatureExtractor(), measureDamaged: parse.GetValue(AllowDamaged)));
        }
        catch (Exception e) when (e is IOException or ArgumentException or IO.CsvFormatException or InvalidDataException)
        {
            CliOutput.Error(e.Message);
            return null;
        }
    }
}
