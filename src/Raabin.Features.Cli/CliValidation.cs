using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Raabin.Features.Datasets;

namespace Raabin.Features.Cli;

/// <summary>
/// Checks that run before any image is read: option ranges (as System.CommandLine validators, so a bad value is a
/// usage error with exit code 2), dataset folders and their splits, and class lists. Shared by every command.
/// </summary>
internal static class CliValidation
{
    /// <summary>The shared <c>--jobs</c>/<c>-j</c> option: 0 (the default) means one worker per core.</summary>
    public static Option<int> JobsOption(string what = "Parallel workers") =>
        AtLeast(new Option<int>("--jobs", "-j") { Description = $"{what} (0 = one per core, the default)." }, 0);

    /// <summary>Adds a validator refusing values below <paramref name="minimum"/>.</summary>
    public static Option<int> AtLeast(Option<int> option, int minimum)
    {
        option.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value < minimum)
            {
                result.AddError($"{option.Name} must be {minimum} or more, got {value}.");
            }
        });
        return option;
    }

    /// <summary>Adds a validator refusing values outside <paramref name="minimum"/>..<paramref name="maximum"/>.</summary>
    public static Option<int> InRange(Option<int> option, int minimum, int maximum)
    {
        option.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value < minimum || value > maximum)
            {
                result.AddError($"{option.Name} must be in {minimum}..{maximum}, got {value}.");
            }
        });
        return option;
    }

    /// <summary>Adds a validator refusing values that are not finite and greater than 0.</summary>
    public static Option<double> Positive(Option<double> option)
    {
        option.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!double.IsFinite(value) || value <= 0)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be a finite number greater than 0, got {value}."));
            }
        });
        return option;
    }

    /// <summary>Adds a validator refusing values that are not finite.</summary>
    public static Option<double> Finite(Option<double> option)
    {
        option.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!double.IsFinite(value))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be a finite number, got {value}."));
            }
        });
        return option;
    }

    /// <summary>Adds a validator refusing values outside [<paramref name="minimum"/>, <paramref name="maximum"/>] (NaN included).</summary>
    public static Option<double> InRange(Option<double> option, double minimum, double maximum)
    {
        option.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!(value >= minimum && value <= maximum))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be in [{minimum}, {maximum}], got {value}."));
            }
        });
        return option;
    }

    /// <summary>Adds a validator accepting only the given values (ordinal), with a message naming the option.</summary>
    public static Option<string> OneOf(Option<string> option, params string[] values)
    {
        option.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string>();
            if (value is null || !values.Contains(value, StringComparer.Ordinal))
            {
                result.AddError($"{option.Name} must be one of {string.Join(", ", values)}, got '{value}'.");
            }
        });
        return option;
    }

    /// <summary>Opens a dataset folder and prints its <see cref="Dataset.Warnings"/> on stderr.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static Dataset OpenDataset(string folder)
    {
        var dataset = Dataset.Open(folder);
        foreach (string warning in dataset.Warnings)
        {
            CliOutput.Warn(warning);
        }

        return dataset;
    }

    /// <summary>
    /// Warns on stderr about labelled rows whose class the model does not know (they can never be predicted right),
    /// naming each class and its count. Unlabelled rows are ignored. Returns the unknown classes.
    /// </summary>
    public static IReadOnlyList<(string Class, int Count)> WarnUnknownClasses(string what, IReadOnlyList<string> known, IEnumerable<string> labels)
    {
        var unknown = Evaluation.ClassLabels.Unknown(known, labels);
        if (unknown.Count > 0)
        {
            CliOutput.Warn($"{what}: {unknown.Sum(u => u.Count)} labelled images are of classes the model does not know " +
                $"({string.Join(", ", unknown.Select(u => $"{u.Class} {u.Count}"))}; the model knows {string.Join(", ", known)}); " +
                "no prediction can match their label");
        }

        return unknown;
    }

    /// <summary>A comma-separated list of whole numbers of at least <paramref name="minimum"/> (empty or null: none).</summary>
    /// <exception cref="ArgumentException">An entry that is not one; the message names the option.</exception>
    public static List<int> WholeNumbers(string option, string? text, int minimum) =>
        (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) && v >= minimum
                ? v
                : throw new ArgumentException($"{option}: '{s}' is not a whole number ≥ {minimum}"))
            .ToList();
}
