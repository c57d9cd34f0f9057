using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Raabin.Features.ML;

/// <summary>Names of the columns the cell-measurement chain uses internally (all dropped from its output).</summary>
public static class MeasureCellsColumns
{
    /// <summary>A copy of the path column under a fixed name (a CustomMapping's input names are fixed at compile time).</summary>
    public const string Path = "__MeasureCells_Path";

    /// <summary>A copy of the image column (<see cref="MLImage"/>) under a fixed name.</summary>
    public const string Image = "__MeasureCells_Image";

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

/// <summary>Input row of the image-measuring mapping.</summary>
public sealed class MeasureCellsImageInput
{
    // Bound as a variable-size image column by MLImageColumnType (ImageAnalytics' [ImageType] without a size fails).
    /// <summary>The decoded image (any size), as ML.NET's <c>LoadImages</c> makes it; null when the row has none.</summary>
    [ColumnName(MeasureCellsColumns.Image)]
    public MLImage? Image;

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

/// <summary>
/// The stateless mapping that measures a row's decoded <see cref="MLImage"/> with the settings its text column holds:
/// as <see cref="MeasureCellsMapping"/>, from the pixels ML.NET decoded instead of a file.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class MeasureCellsImageMapping : CustomMappingFactory<MeasureCellsImageInput, MeasureCellsOutput>
{
    /// <summary>The contract name stored in saved models (its number changes if the slot layout does).</summary>
    public const string ContractName = "Raabin.Features.ML.MeasureCells.MeasureImage.v1";

    /// <summary>Creates the factory (as <c>Model.Load</c> does), making sure <see cref="MLImage"/> binds to an image column.</summary>
    public MeasureCellsImageMapping() => MLImageColumnType.EnsureRegistered();

    /// <summary>Measures one row.</summary>
    public static void Map(MeasureCellsImageInput input, MeasureCellsOutput output) =>
        MeasureCellsSettings.Measurer(input.Settings).Measure(input.Image, output);

    /// <inheritdoc />
    public override Action<MeasureCellsImageInput, MeasureCellsOutput> GetMapping() => Map;
}

/// <summary>
/// Makes a plain <see cref="MLImage"/> field (no attribute) bind to a variable-size image column. ImageAnalytics 5.0.1
/// registers <see cref="MLImage"/> only through <c>[ImageType(height, width)]</c>, and its parameterless form (meant
/// for any size) throws "Must be positive"; a measuring mapping must take images of any size.
/// </summary>
internal static class MLImageColumnType
{
    private static readonly Lock Gate = new();
    private static bool registered;

    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (!registered)
            {
                // Registering the same pair again is a no-op in ML.NET; a conflicting registration throws, and then the
                // binding error that follows names the column.
                DataViewTypeManager.Register(new Microsoft.ML.Transforms.Image.ImageDataViewType(), typeof(MLImage), (DataViewTypeAttribute?)null);
                registered = true;
            }
        }
    }
}
