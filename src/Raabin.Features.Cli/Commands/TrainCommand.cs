using System.CommandLine;
using System.Globalization;
using Raabin.Features.Measurement;
using Raabin.Features.Learning;
using Raabin.Features.Pipeline;
using Raabin.Features.Segmentation;

namespace Raabin.Features.Cli.Commands;

/// <summary><c>raabin train INPUT --model FILE</c>: fit the normaliser and SVM and save a self-describing model.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A dataset folder (images are segmented and measured) or a feature CSV (columns matched by feature id)." };
        var model = new Option<string>("--model", "-m") { Required = true, Description = "Where to write the model (JSON): every step from image to label." };
        var svm = new SvmOptions();
        var trainerChoice = new TrainerOptions();
        var split = new Option<string?>("--split") { Description = "Train only on rows of this split (e.g. train)." };
        var manifest = new Option<string?>("--manifest") { Description = "A manifest.csv whose split and domain columns are joined to a feature CSV by path." };
        // The segmenter of a dataset folder; for a feature CSV the one it records is used, and naming another is an error.
        var pipeline = new PipelineOptions();
        var features = new Option<string[]>("--features")
        {
            Description = "Train on these feature ids only (comma-separated or repeated). Without it every feature of the extractor is required.",
            AllowMultipleArgumentsPerToken = true,
        };
        var allowDamaged = new Option<bool>("--allow-damaged") { Description = "Measure damaged images (e.g. truncated JPEGs) of a dataset folder instead of leaving them out." };
        var extractor = new ExtractorOptions();
        var randomised = new Option<string[]>("--randomised")
        {
            Description = "Also train on features of randomised copies of the training images (a CSV written by `raabin features --randomise`, same split selected; repeatable). Recorded in the model.",
        };
        var perDomain = new Option<bool>("--per-domain-standardisation")
        {
            Description = "Standardise each training domain (randomised copies are one) with its own mean and SD before the SVM: for models used with `predict --transductive`. Needs --normalizer zscore.",
        };
        var rejectBelow = new Option<double?>("--reject-below")
        {
            Description = "Reject rule stored in the model: a cell whose best label has a probability below this (0-1) is written 'not_recognised' with no label.",
        };
        var rejectOutside = RejectOutsideOption();
        var jobs = CliValidation.JobsOption();
        var command = new Command("train", "Train the classifier: the kernel SVM (defaults: the published settings, min-max, polynomial degree 3, γ = scale, C = 6) or an ML.NET trainer (--trainer).")
        {
            input, model, split, manifest, pipeline.Segmenter, pipeline.Weight, features, allowDamaged, randomised, perDomain, rejectBelow, rejectOutside, jobs,
        };
        svm.AddTo(command);
        trainerChoice.AddTo(command);
        extractor.AddTo(command);
        command.SetAction(parse =>
        {
            try
            {
                string inputPath = parse.GetValue(input)!;
                var external = trainerChoice.Read(parse, parse.GetValue(svm.Seed), svm.KernelSvmOnly);
                var extractorSpec = extractor.Read(parse);
                var (segmenterSpec, segmenterGiven) = pipeline.ReadSegmenter(parse);
                string[] subset = (parse.GetValue(features) ?? []).SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
                var options = new PipelineTrainerOptions
                {
                    Classifier = svm.Read(parse),
                    ExternalTrainer = external,
                    Segmenter = segmenterSpec,
                    SegmenterGiven = segmenterGiven,
                    Extractor = extractorSpec ?? ExtractorSpec.Reference,
                    ExtractorGiven = extractorSpec is not null,
                    FeatureSubset = subset.Length > 0 ? subset : null,
                    PerDomainStandardization = parse.GetValue(perDomain),
                    RejectOutsideQuantile = parse.GetValue(rejectOutside),
                };
                if (options.PerDomainStandardization && options.Classifier.Normalizer != NormalizerKind.ZScore)
                {
                    throw new ArgumentException("--per-domain-standardisation standardises with z-scores: give --normalizer zscore");
                }

                var copies = (parse.GetValue(randomised) ?? []).Select(f => FeatureInput.LoadTable(f, parse.GetValue(split), parse.GetValue(manifest))).ToList();
                string path = parse.GetValue(model)!;
                var trainer = new PipelineTrainer(options);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                FeatureTable table;
                if (FeatureInput.IsFeatureCsv([inputPath]))
                {
                    table = FeatureInput.LoadTable(inputPath, parse.GetValue(split), parse.GetValue(manifest));
                }
                else
                {
                    if (parse.GetValue(manifest) is not null)
                    {
                        throw new ArgumentException("--manifest joins a feature CSV; a dataset folder has its own manifest");
                    }

                    ExtractorOptions.CheckSteps(options.Segmenter, options.Extractor);
                    var (dataset, items) = FeatureInput.OpenDataset(inputPath, parse.GetValue(split));
                    table = FeatureBatch.Measure(CellPipeline.From(options.Segmenter, options.Extractor, options.Decoder, parse.GetValue(allowDamaged)), dataset, items,
                        parse.GetValue(jobs), CliOutput.Warn, (done, total) => CliOutput.Progress($"{dataset.Name}: measured", done, total));
                }

                var trained = trainer.Fit(table, parse.GetValue(split) ?? string.Empty, CliOutput.Warn, copies).WithRejectBelow(parse.GetValue(rejectBelow));

                watch.Stop();
                CliOutput.EnsureParent(path);
                trained.Save(path);
                var c = trained.Classifier;
                string classifier = c.External is { } e
                    ? $"{e.Engine} {e.Trainer} ({e.Settings})"
                    : string.Create(CultureInfo.InvariantCulture, $"γ = {c.Gamma:R}, {c.Svm.SupportVectorCount} support vectors ({string.Join(", ", c.Classes.Select((k, i) => $"{k} {c.Svm.SupportVectorCounts[i]}"))})");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"trained on {c.Training.Rows} rows, {c.Classes.Count} classes, {c.FeatureIds.Count} features, {classifier} in {watch.Elapsed.TotalSeconds:F2} s -> {path}"));
                Console.WriteLine($"  segmenter {trained.Segmenter}, extractor {trained.Extractor}, decision rule {PredictionColumns.RuleName(trained.DecisionRule)}");
                if (!trained.Domain.IsNone)
                {
                    Console.WriteLine($"  domain steps: {trained.Domain}");
                }
                return CliOutput.Finished(table.Rows.Count(r => !r.IsOk));
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or FormatException or IO.CsvFormatException)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }
        });
        return command;
    }

    /// <summary><c>--reject-outside Q</c>: the out-of-distribution reject rule at training quantile Q (train and evaluate).</summary>
    internal static Option<double?> RejectOutsideOption()
    {
        var option = new Option<double?>("--reject-outside")
        {
            Description = "Reject rule stored in the model: a cell farther from its predicted class's mean (RMS deviation in pooled within-class SDs) than this quantile (e.g. 0.99) of the training cells is 'not_recognised', whatever its probability.",
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } q && !(q > 0 && q <= 1))
            {
                r.AddError($"--reject-outside {q.ToString(CultureInfo.InvariantCulture)}: a quantile in (0, 1], e.g. 0.99");
            }
        });
        return option;
    }
}

/// <summary>The SVM settings as command-line options; defaults come from <see cref="SvmClassifierOptions"/>.</summary>
internal sealed class SvmOptions
{
    private static readonly SvmClassifierOptions Defaults = new();

    public Option<string> Kernel { get; } = new("--kernel") { DefaultValueFactory = _ => "poly", Description = "linear, poly, rbf or sigmoid." };

    public Option<int> Degree { get; } = CliValidation.AtLeast(new Option<int>("--degree") { DefaultValueFactory = _ => Defaults.Degree, Description = "Polynomial degree (1 or more)." }, 1);

    public Option<string> Gamma { get; } = new("--gamma") { DefaultValueFactory = _ => Defaults.Gamma.ToString(), Description = "γ: scale, auto or a number." };

    public Option<double> Coef0 { get; } = CliValidation.Finite(new Option<double>("--coef0") { DefaultValueFactory = _ => Defaults.Coef0, Description = "coef0 of poly and sigmoid kernels." });

    public Option<double> C { get; } = CliValidation.Positive(new Option<double>("--c", "-C") { DefaultValueFactory = _ => Defaults.C, Description = "C, the box constraint (greater than 0)." });

    public Option<string[]> ClassWeight { get; } = new("--class-weight") { Description = "CLASS=WEIGHT multiplier of C for one class (repeatable), e.g. neutrophil=10." };

    public Option<string> Normalizer { get; } = new("--normalizer") { DefaultValueFactory = _ => "minmax", Description = "minmax, zscore or none." };

    public Option<bool> NoProbability { get; } = new("--no-probability") { Description = "Do not fit probability estimates (faster)." };

    public Option<int> Seed { get; } = CliValidation.AtLeast(new Option<int>("--seed") { DefaultValueFactory = _ => Defaults.Seed, Description = "Seed of the probability cross-validation (0 or more)." }, 0);

    public Option<string> DecisionRule { get; } = new("--decision-rule")
    {
        DefaultValueFactory = _ => "vote",
        Description = "How the model picks a label: vote (one-vs-one winner, LIBSVM/scikit-learn predict, the published method) or probability (highest Platt probability).",
    };

    /// <summary>The options that set the kernel SVM alone (not an ML.NET trainer).</summary>
    public IEnumerable<Option> KernelSvmOnly => [Kernel, Degree, Gamma, Coef0, C, NoProbability, DecisionRule];

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Kernel, Degree, Gamma, Coef0, C, ClassWeight, Normalizer, NoProbability, Seed, DecisionRule })
        {
            command.Options.Add(option);
        }
    }

    public SvmClassifierOptions Read(ParseResult parse)
    {
        var weights = TuneCommand.ParseWeights(parse.GetValue(ClassWeight) ?? []);

        return new SvmClassifierOptions
        {
            Kernel = ParseKernel(parse.GetValue(Kernel)!),
            Degree = parse.GetValue(Degree),
            Gamma = GammaSpec.Parse(parse.GetValue(Gamma)!),
            Coef0 = parse.GetValue(Coef0),
            C = parse.GetValue(C),
            ClassWeights = weights,
            Normalizer = ParseNormalizer(parse.GetValue(Normalizer)!),
            Probability = !parse.GetValue(NoProbability),
            Seed = parse.GetValue(Seed),
            DecisionRule = PredictionColumns.ParseRule(parse.GetValue(DecisionRule)!),
        };
    }

    public static NormalizerKind ParseNormalizer(string name) => name.ToLowerInvariant() switch
    {
        "minmax" => NormalizerKind.MinMax,
        "zscore" => NormalizerKind.ZScore,
        "none" => NormalizerKind.None,
        _ => throw new ArgumentException($"--normalizer '{name}': choose minmax, zscore or none"),
    };

    public static KernelKind ParseKernel(string name) => name.ToLowerInvariant() switch
    {
        "linear" => KernelKind.Linear,
        "poly" or "polynomial" => KernelKind.Polynomial,
        "rbf" => KernelKind.Rbf,
        "sigmoid" => KernelKind.Sigmoid,
        _ => throw new ArgumentException($"unknown kernel '{name}' (linear, poly, rbf, sigmoid)"),
    };
}
