using System.Globalization;

namespace Raabin.Features.Datasets;

/// <summary>
/// The <see cref="Shard"/> a batch scheduler gives a job through its environment:
/// <list type="bullet">
/// <item>Slurm job arrays (<c>sbatch --array=A-B[:S]</c>) set <c>SLURM_ARRAY_TASK_ID</c>, <c>SLURM_ARRAY_TASK_MIN</c>,
/// <c>SLURM_ARRAY_TASK_MAX</c>, <c>SLURM_ARRAY_TASK_COUNT</c> and <c>SLURM_ARRAY_TASK_STEP</c>. Ids need not start at 0
/// (<c>--array=1-4</c>) or be consecutive (<c>--array=0-6:2</c>): the shard is the task's position in the array,
/// <c>(ID - MIN) / STEP</c> of <c>COUNT</c>. An array whose ids are not evenly spaced (<c>--array=1,2,5</c>) is refused,
/// since a task cannot know its position from these variables.</item>
/// <item>Kubernetes Indexed Jobs (<c>completionMode: Indexed</c>) set <c>JOB_COMPLETION_INDEX</c> (0 .. completions - 1)
/// but do not export the number of completions: the count must be given (the Job's <c>spec.completions</c>).</item>
/// </list>
/// </summary>
public static class SchedulerShard
{
    /// <summary>Slurm: the task's array id.</summary>
    public const string SlurmTaskId = "SLURM_ARRAY_TASK_ID";

    /// <summary>Slurm: how many tasks the array has.</summary>
    public const string SlurmTaskCount = "SLURM_ARRAY_TASK_COUNT";

    /// <summary>Slurm: the array's lowest id.</summary>
    public const string SlurmTaskMin = "SLURM_ARRAY_TASK_MIN";

    /// <summary>Slurm: the array's highest id.</summary>
    public const string SlurmTaskMax = "SLURM_ARRAY_TASK_MAX";

    /// <summary>Slurm: the step between ids (absent or 1 for a plain range).</summary>
    public const string SlurmTaskStep = "SLURM_ARRAY_TASK_STEP";

    /// <summary>Kubernetes Indexed Job: the pod's completion index.</summary>
    public const string KubernetesIndex = "JOB_COMPLETION_INDEX";

    /// <summary>
    /// The shard the environment names, with where it came from (for messages), e.g.
    /// <c>SLURM_ARRAY_TASK_ID=3 of 4 (ids 1..4)</c>.
    /// </summary>
    /// <param name="environment">Reads an environment variable (null when unset); tests pass a dictionary.</param>
    /// <param name="count">
    /// The shard count given by the user: required for Kubernetes, which does not export it; for Slurm it must agree with
    /// <c>SLURM_ARRAY_TASK_COUNT</c> when given. Null when not given.
    /// </param>
    /// <exception cref="ArgumentException">
    /// No scheduler variables, both schedulers' variables, a malformed value, an array that is not evenly spaced, a
    /// Kubernetes index without a count, or a count that disagrees with Slurm's; the message names the variables.
    /// </exception>
    public static (Shard Shard, string Source) FromEnvironment(Func<string, string?> environment, int? count)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? slurm = environment(SlurmTaskId);
        string? kubernetes = environment(KubernetesIndex);
        if (slurm is not null && kubernetes is not null)
        {
            throw new ArgumentException($"both {SlurmTaskId} and {KubernetesIndex} are set: give the shard explicitly as --shard I/N");
        }

        if (kubernetes is not null)
        {
            int index = Number(KubernetesIndex, kubernetes);
            if (count is not { } n)
            {
                throw new ArgumentException(
                    $"{KubernetesIndex}={kubernetes}: Kubernetes does not export the number of completions; give it with --shard-count N (the Job's spec.completions)");
            }

            return (Shard.Of(index, n), $"{KubernetesIndex}={kubernetes}");
        }

        if (slurm is null)
        {
            throw new ArgumentException(
                $"no scheduler shard in the environment (neither {SlurmTaskId} of a Slurm job array nor {KubernetesIndex} of a Kubernetes Indexed Job is set): give --shard I/N");
        }

        int id = Number(SlurmTaskId, slurm);
        int tasks = Number(SlurmTaskCount, Required(environment, SlurmTaskCount));
        int min = Number(SlurmTaskMin, Required(environment, SlurmTaskMin));
        int max = Number(SlurmTaskMax, Required(environment, SlurmTaskMax));
        int step = environment(SlurmTaskStep) is { } s ? Number(SlurmTaskStep, s) : 1;
        string ids = string.Create(CultureInfo.InvariantCulture, $"{SlurmTaskMin}={min}, {SlurmTaskMax}={max}, {SlurmTaskStep}={step}, {SlurmTaskCount}={tasks}");
        if (step < 1 || tasks < 1 || (long)min + ((long)tasks - 1) * step != max || id < min || id > max || (id - min) % step != 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{SlurmTaskId}={id}: the array's ids are not an evenly spaced range ({ids}), so the task's position is unknown; use --array=0-{tasks - 1} or give --shard I/N"));
        }

        if (count is { } given && given != tasks)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"--shard-count {given} disagrees with the Slurm array's {SlurmTaskCount}={tasks}"));
        }

        var shard = Shard.Of((id - min) / step, tasks);
        return (shard, string.Create(CultureInfo.InvariantCulture, $"{SlurmTaskId}={id} ({ids})"));
    }

    private static string Required(Func<string, string?> environment, string name) =>
        environment(name) ?? throw new ArgumentException($"{SlurmTaskId} is set but {name} is not; give --shard I/N");

    private static int Number(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            ? n
            : throw new ArgumentException($"{name}='{value}' is not a whole number 0 or more");
}
