using Raabin.Features.IO;

namespace Raabin.Features.Bench;

/// <summary>
/// <c>prediction-agreement PREDICTIONS.csv</c>: per-image agreement of an <c>raabin evaluate</c> run with the published
/// classifier's own predictions in <c>../shared/reference/predictions/</c>. <c>prediction-agreement DATASET=PREDICT.csv ...</c>
/// does the same for <c>raabin predict</c> outputs (no dataset column), one per dataset.
/// </summary>
public static class PredictionAgreement
{
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: prediction-agreement PREDICTIONS.csv (from raabin evaluate) | DATASET=PREDICT.csv... (from raabin predict)");
            return 2;
        }

        var byKey = new Dictionary<(string, string), string>();
        foreach (string arg in args)
        {
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            var ours = CsvTable.Load(eq > 0 ? arg[(eq + 1)..] : arg);
            int dataset = eq > 0 ? -1 : ours.RequireColumn("dataset"), path = ours.RequireColumn("path"), pred = ours.RequireColumn("pred");
            foreach (var row in ours.Rows)
            {
                byKey[(dataset >= 0 ? row[dataset] : arg[..eq], row[path])] = row[pred];
            }
        }

        string folder = Path.Combine(EndToEnd.SharedRoot(), "reference", "predictions");
        int total = 0, agree = 0, missing = 0;
        foreach (string file in Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal))
        {
            string set = Path.GetFileNameWithoutExtension(file);
            string name = set.StartsWith("pbc-", StringComparison.Ordinal) ? "pbc" : set;
            var reference = CsvTable.Load(file);
            int rp = reference.RequireColumn("path"), rpred = reference.RequireColumn("pred");
            int n = 0, a = 0, m = 0;
            foreach (var row in reference.Rows)
            {
                if (!byKey.TryGetValue((name, row[rp]), out string? p))
                {
                    m++;
                    continue;
                }

                n++;
                a += p == row[rpred] ? 1 : 0;
            }

            if (n == 0)
            {
                continue;
            }

            Console.WriteLine($"{set}: {a} of {n} agree ({100.0 * a / n:F2} %){(m > 0 ? $", {m} not in this run" : string.Empty)}");
            total += n;
            agree += a;
            missing += m;
        }

        Console.WriteLine($"all: {agree} of {total} ({100.0 * agree / Math.Max(total, 1):F2} %)");
        return 0;
    }
}
