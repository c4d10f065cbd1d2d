namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>
/// The job queue's slots, as job grains use them (internal; the same grain as <see cref="IJobQueueGrain"/>). A job
/// asks for a slot before it builds anything and keeps asking while it waits; once granted it renews the slot's lease
/// while it runs and gives the slot back when it ends, however it ends. A slot or place whose lease runs out (the job's
/// silo died) is reclaimed, and the job is woken so that it resumes and asks again.
/// </summary>
public interface IJobSlotGrain : IGrainWithStringKey
{
    /// <summary>
    /// Grants a slot to <paramref name="jobId"/> when one is free and no job submitted earlier waits; otherwise puts it
    /// in the queue (or keeps its place, renewing the place's lease) and answers its position.
    /// </summary>
    Task<SlotAnswer> AcquireAsync(string jobId);

    /// <summary>Renews the lease of the slot <paramref name="jobId"/> holds (taking one back if it was reclaimed).</summary>
    Task RenewAsync(string jobId);

    /// <summary>Gives back the slot or queue place of <paramref name="jobId"/>; the next job in the queue may start.</summary>
    Task ReleaseAsync(string jobId);
}
