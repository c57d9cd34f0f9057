using Raabin.Features.Import;

namespace Raabin.Features.Fuzzing;

/// <summary>What a fuzzed input is fed to.</summary>
public enum FuzzTarget
{
    /// <summary>An image: decoded, segmented and measured.</summary>
    Image,

    /// <summary>A feature CSV read by <see cref="Measurement.FeatureTable.Load"/>.</summary>
    FeatureTable,

    /// <summary>A score CSV or JSON read by <see cref="ScoreImporter.Import(string)"/>.</summary>
    Scores,

    /// <summary>A model file read by <see cref="Pipeline.PipelineModel.Load(Stream, string, Learning.IExternalClassifierLoader?)"/>.</summary>
    Model,
}

/// <summary>A real input that mutants are made from.</summary>
/// <param name="Name">Names the seed in reports (a file name; for scores its extension picks CSV or JSON).</param>
/// <param name="Data">Its bytes.</param>
/// <param name="Target">What it is fed to.</param>
/// <param name="ScoreOptions">For <see cref="FuzzTarget.Scores"/>: the importer options the file needs (class map, logits); null for the defaults.</param>
public sealed record FuzzSeed(string Name, byte[] Data, FuzzTarget Target, ScoreImportOptions? ScoreOptions = null)
{
    /// <summary>The seed's group in reports: the image format (jpeg, png, bmp, tiff) or the reader (features, scores, model).</summary>
    public string Group => Target switch
    {
        FuzzTarget.Image => Imaging.ImageDecoder.FormatName(Imaging.ImageDecoder.DetectFormat(Data)),
        FuzzTarget.FeatureTable => "features",
        FuzzTarget.Scores => "scores",
        _ => "model",
    };

    /// <summary>The file extension of the seed's name (".csv", ".json", ...), lower case.</summary>
    public string Extension => Path.GetExtension(Name).ToLowerInvariant();

    /// <summary>Reads an image seed from a file; its name in reports is <paramref name="name"/> (default: the file name).</summary>
    public static FuzzSeed Image(string path, string? name = null) => new(name ?? Path.GetFileName(path), File.ReadAllBytes(path), FuzzTarget.Image);

    /// <summary>Mutant <paramref name="index"/> of this seed in a run with <paramref name="seed"/>.</summary>
    public Mutation Mutate(ulong seed, long index) => Target switch
    {
        FuzzTarget.Image => ImageMutator.Mutate(Data, seed, index),
        _ => TextMutator.Mutate(Data, Extension is ".json" or ".jsonl" ? TextSyntax.Json : TextSyntax.Csv, seed, index),
    };
}
