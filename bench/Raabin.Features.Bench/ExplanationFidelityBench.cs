using System.Globalization;
using Raabin.Features.Explanations;
using Raabin.Features.Measurement;
using Raabin.Features.Pipeline;

namespace Raabin.Features.Bench;

/// <summary>
/// <c>explanation-fidelity MODEL CSV[:SPLIT]...</c>: for each feature table (written by <c>raabin features</c> with the
/// model's steps), how often replacing the top-k features of each cell's explanation by their class-neutral value flips
/// its label, against k random features (<see cref="ExplanationFidelity"/>), k = 1..5, 10 random draws per cell.
/// </summary>
internal static class ExplanationFidelityBench
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: explanation-fidelity MODEL CSV[:SPLIT]...");
            return 2;
        }

        var model = PipelineModel.Load(args[0]);
        var explainer = new CellExplainer(model, new ExplainerOptions { SearchCounterfactual = false });
        Console.WriteLine($"model {args[0]}: {model.FeatureIds.Count} features, statistics: {explainer.Basis.Source}");
        Console.WriteLine("| test set | cells | k | top-k flip rate | random-k flip rate |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (string spec in args[1..])
        {
            int colon = spec.LastIndexOf(':');
            bool hasSplit = colon > 1 && !File.Exists(spec);
            string path = hasSplit ? spec[..colon] : spec;
            string split = hasSplit ? spec[(colon + 1)..] : string.Empty;
            var table = FeatureTable.Load(path);
            var binding = model.Bind(table);
            var rows = table.Rows.Where(r => split.Length == 0 || string.Equals(r.Split, split, StringComparison.OrdinalIgnoreCase))
                .Select(r => model.ClassifierInput(r, binding)).OfType<double[]>().ToList();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var curve = ExplanationFidelity.Measure(explainer, rows);
            foreach (var p in curve.Points)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {Path.GetFileNameWithoutExtension(path)}{(split.Length > 0 ? ":" + split : string.Empty)} | {curve.Cells} | {p.K} | {p.TopFlipRate:F3} | {p.RandomFlipRate:F3} |"));
            }

            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{spec}: {curve.Cells} cells in {watch.Elapsed.TotalSeconds:F1} s"));
        }

        return 0;
    }
}
