using System.CommandLine;
using System.Globalization;
using Raabin.Features.Measurement;
using Raabin.Features.Learning;

namespace Raabin.Features.Cli.Commands;

/// <summary><c>raabin train INPUT --model FILE</c>: fit the normaliser and SVM and save a self-describing model.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "A dataset folder (images are segmented and measured) or a feature CSV (columns matched by feature id)." };
        var model = new Option<string>("--model", "-m") { Required = true, Description = "Where to write the model (JSON)." };
        var svm = new SvmOptions();
        var split = new Option<string?>("--split") { Description = "Train only on rows of this split (e.g. train)." };
        var manifest = new Option<string?>("--manifest") { Description = "A manifest.csv whose split and domain columns are joined to a feature CSV by path." };
        var segmenter = new Option<string>("--segmenter") { DefaultValueFactory = _ => Segmentation.ReferenceNucleusSegmenter.MethodName, Description = "Segmenter for a dataset folder." };
        var jobs = CliValidation.JobsOption();
        var command = new Command("train", "Train the SVM classifier (defaults: the published settings, min-max, polynomial degree 3, γ = scale, C = 6).")
        {
            input, model, split, manifest, segmenter, jobs,
        };
        svm.AddTo(command);
        command.SetAction(parse =>
        {
            try
            {
                var options = svm.Read(parse);
                var pipeline = new CellPipeline(PipelineOptions.CreateSegmenter(parse.GetValue(segmenter)!), new ReferenceFeatureExtractor());
                var (rows, ids, source) = FeatureInput.Load([parse.GetValue(input)!], parse.GetValue(split), parse.GetValue(manifest), pipeline, null, parse.GetValue(jobs));
                var usable = rows.Where(r => r.IsOk && r.Label.Length > 0 && r.Values.All(double.IsFinite)).ToList();
                int skipped = rows.Count - usable.Count;
                if (skipped > 0)
                {
                    CliOutput.Warn($"{skipped} rows left out of training (no features, no label or a non-finite value)");
                }

                var data = new LabelledFeatures(ids, usable.Select(r => r.Values).ToList(), usable.Select(r => r.Label).ToList(), usable.Select(r => r.Domain).ToList());
                var summary = SvmClassifierTrainer.Summarise(data, source, parse.GetValue(split) ?? string.Empty, skipped);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var trained = new SvmClassifierTrainer(options).Fit(data, summary, parse.GetValue(segmenter)!, "reference-51");
                watch.Stop();
                string path = parse.GetValue(model)!;
                CliOutput.EnsureParent(path);
                trained.Save(path);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"trained on {data.Rows.Count} rows, {trained.Classes.Count} classes, γ = {trained.Gamma:R}, " +
                    $"{trained.Svm.SupportVectorCount} support vectors ({string.Join(", ", trained.Classes.Select((c, i) => $"{c} {trained.Svm.SupportVectorCounts[i]}"))}) " +
                    $"in {watch.Elapsed.TotalSeconds:F2} s -> {path}"));
                return CliOutput.Finished(rows.Count(r => !r.IsOk || !r.Values.All(double.IsFinite)));
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException or FormatException or IO.CsvFormatException)
            {
                CliOutput.Error(e.Message);
                return CliOutput.Failed;
            }
        });
        return command;
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

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Kernel, Degree, Gamma, Coef0, C, ClassWeight, Normalizer, NoProbability, Seed })
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
