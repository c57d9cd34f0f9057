using System.CommandLine;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Cli.Commands;

/// <summary><c>raabin model show FILE</c> and <c>raabin model upgrade FILE --out FILE</c>: look inside a model, rewrite an old one.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Inspect a model file, or rewrite one of an older format in the current one.");

        var showFile = new Argument<string>("model") { Description = "A model file." };
        var show = new Command("show", "Print every step of a model: decoder, segmenter with its options, extractor, classifier, decision rule, classes, training data.") { showFile };
        show.SetAction(parse => Run(() =>
        {
            var model = PredictCommand.Load(parse.GetValue(showFile)!, null);
            Console.WriteLine(model.Describe());
            Console.WriteLine($"features:   {string.Join(", ", model.FeatureIds)}");
            return CliOutput.Success;
        }));

        var upgradeFile = new Argument<string>("model") { Description = "A model file of any format version this build reads." };
        var output = new Option<string>("--out", "-o") { Required = true, Description = "Where to write it in the current format." };
        var upgrade = new Command("upgrade", "Rewrite a model in the current format (what an old format did not record is assumed as warned).") { upgradeFile, output };
        upgrade.SetAction(parse => Run(() =>
        {
            var model = PredictCommand.Load(parse.GetValue(upgradeFile)!, null);
            string path = parse.GetValue(output)!;
            CliOutput.EnsureParent(path);
            model.Save(path);
            Console.Error.WriteLine($"{model.Source} -> {path}");
            return CliOutput.Success;
        }));

        command.Subcommands.Add(show);
        command.Subcommands.Add(upgrade);
        return command;
    }

    private static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException)
        {
            CliOutput.Error(e.Message);
            return CliOutput.Failed;
        }
    }
}
