namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>Environment settings of a silo process in a Redis-membership cluster on a test's own Redis server.</summary>
internal static class RedisSiloSettings
{
    /// <summary>
    /// Redis clustering under <paramref name="clusterId"/>; job state in Redis, or in <paramref name="jobsFolder"/> when
    /// given. Failure detection is Orleans's own (a silo stalled a few seconds on a busy machine is not declared dead),
    /// unless <paramref name="fastFailureDetection"/> asks for <see cref="FastFailureDetection"/>.
    /// </summary>
    public static Dictionary<string, string?> For(RedisServer redis, string clusterId, string? jobsFolder = null, bool fastFailureDetection = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Silo__Clustering"] = "Redis",
            ["Silo__RedisConnectionString"] = redis.ConnectionString,
            ["Silo__ClusterId"] = clusterId,
        };
        if (fastFailureDetection)
            foreach (var (key, value) in FastFailureDetection) settings[key] = value;
        if (jobsFolder is null)
        {
            settings["Storage__Provider"] = "Redis";
            settings["Storage__RedisConnectionString"] = redis.ConnectionString;
        }
        else
        {
            settings["Storage__Directory"] = jobsFolder;
        }
        return settings;
    }

    /// <summary>
    /// Declares a killed silo dead within seconds: two missed 2 s probes, without the lengthening Orleans applies when a
    /// silo doubts its own health (a lone survivor gets no probes and doubts itself), so the failover tests do not wait
    /// minutes for the cluster to notice. Only for tests that kill silos: a live silo stalled about 4 s is declared
    /// dead too.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> FastFailureDetection { get; } = new Dictionary<string, string?>
    {
        ["Membership__ProbeTimeout"] = "00:00:02",
        ["Membership__NumMissedProbesLimit"] = "2",
        ["Membership__ExtendProbeTimeoutDuringDegradation"] = "false",
    };
}
