namespace VaeCfCluster.Grains.Hosting;

/// <summary>
/// How many jobs the cluster runs at once and how much memory a job may need. Give every silo the same values: the
/// queue grain reads its own silo's, and a job is checked against the settings of the silo holding it.
/// </summary>
public sealed class JobQueueOptions
{
    /// <summary>Configuration section name (environment: <c>Jobs__MaxConcurrent</c>, <c>Jobs__MemoryBudgetBytes</c>, ...).</summary>
    public const string SectionName = "Jobs";

    /// <summary>
    /// Jobs that train at once across the cluster; later ones wait in the queue (state Queued, with their position) and
    /// start in submission order as running ones end. Default 2: concurrent jobs share every silo's compute thread, so
    /// more only slows each one; too small leaves silos idle while a job validates. At least 1.
    /// </summary>
    public int MaxConcurrent { get; set; } = 2;

    /// <summary>
    /// Bytes a job may use on each silo. 0 (default): the memory the silos report free (the least of them). A job whose
    /// model, Adam state and replicas would not fit is refused before it allocates anything.
    /// </summary>
    public long MemoryBudgetBytes { get; set; }

    /// <summary>
    /// Seconds a slot or queue place lasts without renewal. Running jobs renew every third of it and waiting jobs ask
    /// every second; a job whose silo died loses its slot after this long and resumes elsewhere. Default 30; 2 to 3600.
    /// </summary>
    public double SlotLeaseSeconds { get; set; } = 30;

    /// <summary>
    /// Whether a job that was running when its silo went away goes on from its checkpoint as soon as its grain activates
    /// again (default true: on a cluster, nobody else would restart it). The client's in-process cluster turns it off:
    /// there the job's only driver is the command that started it, and a new command decides (its settings resume the
    /// job when they are the same, start it over when they differ, and <c>--fresh</c> starts over).
    /// </summary>
    public bool ResumeOnActivation { get; set; } = true;

    /// <summary>Throws naming the setting to fix.</summary>
    public void Validate()
    {
        if (MaxConcurrent < 1) throw new ArgumentException($"{SectionName}:{nameof(MaxConcurrent)} must be at least 1 (was {MaxConcurrent}).");
        if (MemoryBudgetBytes < 0)
            throw new ArgumentException($"{SectionName}:{nameof(MemoryBudgetBytes)} must be 0 (the silos' free memory) or positive (was {MemoryBudgetBytes}).");
        if (SlotLeaseSeconds is < 2 or > 3600 || double.IsNaN(SlotLeaseSeconds))
            throw new ArgumentException($"{SectionName}:{nameof(SlotLeaseSeconds)} must be between 2 and 3600 (was {SlotLeaseSeconds}).");
    }
}
