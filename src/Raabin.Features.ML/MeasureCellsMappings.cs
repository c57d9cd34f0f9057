using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Raabin.Features.ML;

/// <summary>Names of the columns the cell-measurement chain uses internally (all dropped from its output).</summary>
public static class MeasureCellsColumns
{
    /// <summary>A copy of the path column under a fixed name (a CustomMapping's input names are fixed at compile time).</summary>
    public const string Path = "__MeasureCells_Path";

    /// <summary>The constant key the settings text is looked up by.</summary>
    public const string SettingsKey = "__MeasureCells_SettingsKey";

    /// <summary>The settings text (one shared value, from the ValueMapping).</summary>
    public const string Settings = "__MeasureCells_Settings";

    /// <summary>The status word, before it is copied to the user's status column.</summary>
    public const string Status = "__MeasureCells_Status";

    /// <summary>The message, before it is copied to the user's message column.</summary>
    public const string Error = "__MeasureCells_Error";

    /// <summary>Prefix of the scalar feature-slot columns ("000" … "127").</summary>
    public const string SlotPrefix = "__MeasureCells_F";
}

/// <summary>Input row of the settings-key mapping: it reads nothing.</summary>
public sealed class MeasureCellsNoInput
{
}

/// <summary>Output row of the settings-key mapping.</summary>
public sealed class MeasureCellsSettingsKeyOutput
{
    /// <summary>The constant lookup key of the settings text.</summary>
    [ColumnName(MeasureCellsColumns.SettingsKey)]
    public string SettingsKey = string.Empty;
}

/// <summary>Input row of the measuring mapping.</summary>
public sealed class MeasureCellsInput
{
    /// <summary>The image file's path.</summary>
    [ColumnName(MeasureCellsColumns.Path)]
    public string Path = string.Empty;

    /// <summary>The settings text (read as memory: the shared text is never copied per row).</summary>
    [ColumnName(MeasureCellsColumns.Settings)]
    public ReadOnlyMemory<char> Settings;
}

/// <summary>
/// The stateless mapping that gives every row the settings' lookup key, registered under its contract name so that
/// <c>MLContext.Model.Load</c> finds it again (after <see cref="MeasureCellsCatalog.RegisterMeasureCells"/>).
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class MeasureCellsSettingsKeyMapping : CustomMappingFactory<MeasureCellsNoInput, MeasureCellsSettingsKeyOutput>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "Raabin.Features.ML.MeasureCells.SettingsKey.v1";

    /// <summary>The one lookup key (each chain has its own one-row lookup table).</summary>
    public const string Key = "settings";

    /// <summary>Sets the key.</summary>
    public static void Map(MeasureCellsNoInput input, MeasureCellsSettingsKeyOutput output) => output.SettingsKey = Key;

    /// <inheritdoc />
    public override Action<MeasureCellsNoInput, MeasureCellsSettingsKeyOutput> GetMapping() => Map;
}

/// <summary>
/// The stateless mapping that measures the image a row names with the settings its text column holds (parsed once per
/// settings text): <see cref="MeasureCellsOutput.SlotCount"/> scalar feature slots, the status and the message. It never
/// throws for a bad image: a missing, unreadable, corrupt or unsegmentable file is a row with NaN features and a status.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class MeasureCellsMapping : CustomMappingFactory<MeasureCellsInput, MeasureCellsOutput>
{
    /// <summary>The contract name stored in saved models (its number changes if the slot layout does).</summary>
    public const string ContractName = "Raabin.Features.ML.MeasureCells.Measure.v1";

    /// <summary>Measures one row.</summary>
    public static void Map(MeasureCellsInput input, MeasureCellsOutput output) =>
        MeasureCellsSettings.Measurer(input.Settings).Measure(input.Path, output);

    /// <inheritdoc />
    public override Action<MeasureCellsInput, MeasureCellsOutput> GetMapping() => Map;
}
