using System.CommandLine;
using Raabin.Features.Measurement;

namespace Raabin.Features.Cli.Commands;

/// <summary><c>raabin catalog</c>: the feature manual.</summary>
internal static class CatalogCommand
{
    public static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = "Write the full manual as Markdown (as in docs/features.md)." };
        var command = new Command("catalog", "List every feature: id, unit, formula, range and reference.") { markdown };
        command.SetAction(parse =>
        {
            if (parse.GetValue(markdown))
            {
                Console.Write(FeatureCatalog.ToMarkdown());
                return CliOutput.Success;
            }

            foreach (var f in FeatureCatalog.All)
            {
                Console.WriteLine($"{f.Id,-20} {f.Unit,-6} {f.Formula}");
            }

            return CliOutput.Success;
        });
        return command;
    }
}
