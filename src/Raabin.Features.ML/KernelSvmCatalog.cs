using Microsoft.ML;

namespace Raabin.Features.ML;

/// <summary>The kernel SVM in ML.NET's trainer catalog.</summary>
public static class KernelSvmCatalog
{
    /// <summary>
    /// The toolkit's LIBSVM-exact kernel SVM (one-vs-one C-SVC) as a multiclass trainer: reads a key label and a float
    /// feature vector, adds <c>Score</c> (one slot per label key value) and <c>PredictedLabel</c> (a key with the label's
    /// key values), and fits to a chain of ML.NET's own transformers, so the model saves and loads with
    /// <c>MLContext.Model.Save/Load</c>. Also registers this assembly with <c>ComponentCatalog</c> so the chain can be
    /// loaded in the same context.
    /// </summary>
    /// <param name="catalog">The multiclass trainer catalog.</param>
    /// <param name="options">Settings; null for the defaults (<see cref="KernelSvmOptions.Defaults"/>).</param>
    public static KernelSvmEstimator KernelSvm(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, KernelSvmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new KernelSvmEstimator(options ?? new KernelSvmOptions());
    }

    /// <summary>
    /// Makes the kernel SVM's mappings known to <paramref name="mlContext"/>: call it before <c>Model.Load</c> in a process
    /// that has not created the trainer (ML.NET finds custom mappings only in registered assemblies).
    /// </summary>
    public static void RegisterKernelSvm(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        mlContext.ComponentCatalog.RegisterAssembly(typeof(KernelSvmCatalog).Assembly);
    }
}
