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

    /// <summary><c>--extractor</c> and <c>--groups</c>, added by the commands that measure features.</summary>
    public ExtractorOptions Extractor { get; } = new();

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

    /// <summary>The segmenter these options name (with the weight when given), and whether the user named one at all.</summary>
    public (SegmenterSpec Spec, bool Given) ReadSegmenter(ParseResult parse)
    {
        double weight = GivenWeight(parse, Weight);
        bool given = parse.GetResult(Segmenter) is { Implicit: false } || !double.IsNaN(weight);
        return (ReadSegmenter(parse.GetValue(Segmenter)!, weight), given);
    }

    /// <summary>The value of a weight option when the user gave it, else NaN (the segmenter's own default applies).</summary>
    private static double GivenWeight(ParseResult parse, Option<double> weight) =>
        parse.GetResult(weight) is { Implicit: false } ? parse.GetValue(weight) : double.NaN;

    /// <summary>
    /// The segmenter a user named: <c>name</c> or <c>name(option=value;...)</c>, with <c>--weight</c> applied to
    /// cmyk-otsu when given (NaN: not given).
    /// </summary>
    private static SegmenterSpec ReadSegmenter(string name, double weight)
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
            var segmenter = ReadSegmenter(parse).Spec;
            var extractor = Extractor.Read(parse) ?? ExtractorSpec.Reference;
            ExtractorOptions.CheckSteps(segmenter, extractor);
            return (dataset, items, CellPipeline.From(segmenter, extractor, measureDamaged: parse.GetValue(AllowDamaged)));
        }
        catch (Exception e) when (e is IOException or ArgumentException or IO.CsvFormatException or InvalidDataException)
        {
            CliOutput.Error(e.Message);
            return null;
        }
    }
}

/// <summary>
/// <c>--extractor NAME[@VERSION][(groups=...)]</c> and <c>--groups G1,G2</c>: the feature extractor and, for
/// <c>od-groups</c>, the groups that are on.
/// </summary>
internal sealed class ExtractorOptions
{
    public Option<string?> Extractor { get; } = new("--extractor")
    {
        Description = $"Feature extractor: {ReferenceFeatureExtractor.ExtractorName} (the published 51 features, the default) or " +
            $"{OdGroupsFeatureExtractor.ExtractorName} (shape, colour and texture groups on the whole cell; needs --segmenter {OdCellSegmenter.MethodName}); " +
            "options as name(groups=shape+colour).",
    };

    public Option<string?> Groups { get; } = new("--groups")
    {
        Description = $"{OdGroupsFeatureExtractor.ExtractorName}: the groups to measure, comma-separated: {string.Join(", ", FeatureCatalog.OdGroupNames)}, or all (default: {string.Join(", ", FeatureCatalog.OdDefaultGroups)}).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Extractor);
        command.Options.Add(Groups);
    }

    /// <summary>The extractor the user named, with <c>--groups</c> applied; null when neither option was given.</summary>
    /// <exception cref="ArgumentException">An unknown extractor or group, or <c>--groups</c> for an extractor without groups.</exception>
    public ExtractorSpec? Read(ParseResult parse)
    {
        string? name = parse.GetValue(Extractor);
        string? groups = parse.GetValue(Groups);
        if (name is null && groups is null)
        {
            return null;
        }

        var spec = ExtractorSpec.Parse(name ?? ReferenceFeatureExtractor.ExtractorName);
        if (groups is null)
        {
            return spec;
        }

        if (spec.Name != OdGroupsFeatureExtractor.ExtractorName)
        {
            throw new ArgumentException($"--groups applies to the {OdGroupsFeatureExtractor.ExtractorName} extractor, not {spec.Name} (add --extractor {OdGroupsFeatureExtractor.ExtractorName})");
        }

        return new ExtractorSpec(spec.Name, spec.Version, new Dictionary<string, string> { [OdGroupsFeatureExtractor.GroupsOption] = groups }).Create().Spec;
    }

    /// <summary>Refuses, before any image is read, an extractor that needs what the segmenter does not find.</summary>
    /// <exception cref="ArgumentException">The pair cannot measure anything (message names both and the fix).</exception>
    public static void CheckSteps(SegmenterSpec segmenter, ExtractorSpec extractor)
    {
        if (extractor.Name == OdGroupsFeatureExtractor.ExtractorName && !OdGroupsFeatureExtractor.CellMaskSegmenters.Contains(segmenter.Name))
        {
            throw new ArgumentException(
                $"extractor {extractor} measures the whole cell, but segmenter '{segmenter.Name}' finds only the nucleus (use --segmenter {OdCellSegmenter.MethodName})");
        }
    }
}
