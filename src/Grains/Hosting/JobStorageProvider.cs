namespace VaeCfCluster.Grains.Hosting;

/// <summary>Where job state is stored.</summary>
public enum JobStorageProvider
{
    /// <summary>Files under <see cref="JobStorageOptions.Directory"/>.</summary>
    Files = 0,

    /// <summary>Redis strings at <see cref="JobStorageOptions.RedisConnectionString"/>.</summary>
    Redis = 1,
}
