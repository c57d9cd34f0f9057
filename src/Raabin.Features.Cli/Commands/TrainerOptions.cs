using System.CommandLine;
using Raabin.Features.Learning;
using Raabin.Features.ML;

namespace Raabin.Features.Cli.Commands;

/// <summary>
/// <c>--trainer</c> and <c>--trainer-options</c>: the kernel SVM (default) or one of ML.NET's multiclass trainers
/// (<see cref="MlNetClassifierTrainer"/>) as the model's classifier.
/// </summary>
internal sealed class TrainerOptions
{
    /// <summary>The name of the toolkit's own trainer.</summary>
    public const string KernelSvm = "kernel-svm";

    public Option<string> Trainer { get; } = CliValidation.OneOf(new Option<string>("--trainer")
    {
        DefaultValueFactory = _ => KernelSvm,
        Description = $"The classifier: {KernelSvm} (the toolkit's LIBSVM-exact SVM) or an ML.NET trainer: {string.Join(", ", MlNetClassifierTrainer.Names)}. " +
            "The normaliser and class weights apply to every trainer; kernel, C, γ, degree and the decision rule to the kernel SVM only.",
    }, [KernelSvm, .. MlNetClassifierTrainer.Names]);

    public Option<string?> Settings { get; } = new("--trainer-options")
    {
        Description = "Settings of an ML.NET trainer, KEY=VALUE;… (" + string.Join("; ", MlNetClassifierTrainer.Names.Select(n =>
            $"{n}: {string.Join(", ", MlNetClassifierTrainer.SettingsOf(n).Select(k => $"{k.Key}={k.Default}"))}")) + "; seed=N for all).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Trainer);
        command.Options.Add(Settings);
    }

    /// <summary>
    /// The ML.NET trainer asked for, or null for the kernel SVM. <paramref name="seed"/> seeds it unless its settings do.
    /// Warns about kernel-SVM options given with an ML.NET trainer (they do not apply).
    /// </summary>
    public IExternalClassifierTrainer? Read(ParseResult parse, int seed, IEnumerable<Option> svmOnly)
    {
        string name = parse.GetValue(Trainer)!;
        string? settings = parse.GetValue(Settings);
        if (name == KernelSvm)
        {
            if (settings is not null)
            {
                throw new ArgumentException("--trainer-options sets an ML.NET trainer; the kernel SVM takes --kernel, --c, --gamma, ...");
            }

            return null;
        }

        var given = svmOnly.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (given.Count > 0)
        {
            CliOutput.Warn($"{string.Join(", ", given)} set the kernel SVM and do not apply to --trainer {name}");
        }

        return MlNetClassifierTrainer.Create(name, settings, seed);
    }
}
