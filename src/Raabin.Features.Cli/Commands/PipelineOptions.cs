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
        Description = $"Segmenter: {ReferenceNucleusSegmenter.MethodName} (the published method), {CmykOtsuSegmenter.MethodName} (Raabin-WBC ground-truth tool) or {OdCellSegmenter.MethodName} (nucleus and whole cell in optical density); options as name(option=value;...).",
        DefaultValueFactory = _ => ReferenceNucleusSegmenter.MethodName,
    };

    public Option<double> Weight { get; } = CliValidation.InRange(new Option<double>("--segmenter-weight")
    {
        Description = $"{CmykOtsuSegmenter.MethodName}: weight of the 2-class Otsu threshold against the upper 3-class one, in [0, 1] (default {CmykOtsuSegmenterOptions.Default.Weight}).",
        DefaultValueFactory = _ => CmykOtsuSegmenterOptions.Default.Weight,
    }, 0, 1);

    public Option<int> Jobs { get; } = CliValidation.JobsOption();

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

    /// <summary>The value of a weight option when the user gave it, else NaN (the segmenter's own default applies).</summary>
    public static double GivenWeight(ParseResult parse, Option<double> weight) =>
        parse.GetResult(weight) is { Implicit: false } ? parse.GetValue(weight) : double.NaN;

    /// <summary>
    /// The segmenter a user named: <c>name</c> or <c>name(option=value;...)</c>, with <c>--weight</c> applied to
    /// cmyk-otsu when given (NaN: not given).
    /// </summary>
    public static SegmenterSpec ReadSegmenter(string name, double weight = double.NaN)
    {
        var spec = SegmenterSpec.Parse(name);
        if (double.IsNaN(weight))
        {
            return spec;
        }

        if (spec.Name != CmykOtsuSegmenter.MethodName)
        {
            throw new ArgumentException($"--segmenter-weight applies to the {CmykOtsuSegmenter.MethodName} segmenter, not {spec.Name}");
        }

        return spec.With(new Dictionary<string, string> { ["weight"] = weight.ToString("R", System.Globalization.CultureInfo.InvariantCulture) });
    }

    /// <summary>Opens the dataset and builds the pipeline, or reports why not (returns null).</summary>
    public (Dataset Dataset, IReadOnlyList<DatasetItem> Items, CellPipeline Pipeline)? Open(ParseResult parse)
    {
        try
        {
            var (dataset, items) = FeatureInput.OpenDataset(parse.GetValue(Dataset)!, parse.GetValue(Split));
            var segmenter = ReadSegmenter(parse.GetValue(Segmenter)!, GivenWeight(parse, Weight));
            return (dataset, items, CellPipeline.From(segmenter, ExtractorSpec.Reference, measureDamaged: parse.GetValue(AllowDamaged)));
        }
        catch (Exception e) when (e is IOException or ArgumentException or IO.CsvFormatException or InvalidDataException)
        {
            CliOutput.Error(e.Message);
            return null;
        }
    }
}
