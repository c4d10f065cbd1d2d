namespace VaeCfCluster.Grains.Hosting;

/// <summary>
/// Where jobs keep what must outlive a silo: the uploaded split, settings, status, the resumable checkpoint, the
/// epoch log and the trained model, one folder per job. On Kubernetes this is a persistent volume shared by the silos.
/// </summary>
public sealed class JobStorageOptions
{
    /// <summary>Configuration section name (environment: <c>Storage__Directory</c>).</summary>
    public const string SectionName = "Storage";

    /// <summary>Root folder of the job folders. Default "vaecf-jobs" under the working directory.</summary>
    public string Directory { get; set; } = "vaecf-jobs";

    /// <summary>Throws naming the setting to fix.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
            throw new ArgumentException($"{SectionName}:{nameof(Directory)} must name a folder.");
    }
}
