namespace VaeCfCluster.Grains.Hosting;

/// <summary>
/// Where jobs keep what must outlive a silo: the uploaded split, settings, status, the resumable checkpoint, the
/// epoch log and the trained model. With files, give every silo the same folder (on Kubernetes, a volume they share)
/// so a job can continue on another silo; with Redis, the silos need no shared volume.
/// </summary>
public sealed class JobStorageOptions
{
    /// <summary>Configuration section name (environment: <c>Storage__Provider</c>, <c>Storage__Directory</c>, ...).</summary>
    public const string SectionName = "Storage";

    /// <summary>"Files" (default) or "Redis".</summary>
    public JobStorageProvider Provider { get; set; } = JobStorageProvider.Files;

    /// <summary>Files: root folder of the job folders. Default "vaecf-jobs" under the working directory.</summary>
    public string Directory { get; set; } = "vaecf-jobs";

    /// <summary>Redis: connection string, e.g. "127.0.0.1:6379" (often the membership Redis). Required for Redis.</summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>Throws naming the setting to fix.</summary>
    public void Validate()
    {
        if (Provider == JobStorageProvider.Files && string.IsNullOrWhiteSpace(Directory))
            throw new ArgumentException($"{SectionName}:{nameof(Directory)} must name a folder.");
        if (Provider == JobStorageProvider.Redis && string.IsNullOrWhiteSpace(RedisConnectionString))
            throw new ArgumentException($"{SectionName}:{nameof(RedisConnectionString)} is required when {SectionName}:{nameof(Provider)} is Redis.");
        if (!Enum.IsDefined(Provider))
            throw new ArgumentException($"{SectionName}:{nameof(Provider)} must be Files or Redis (was {Provider}).");
    }
}
