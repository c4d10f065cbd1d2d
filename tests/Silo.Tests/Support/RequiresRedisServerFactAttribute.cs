namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>
/// A fact that starts its own <c>redis-server</c>. Skipped, with the reason, when <c>redis-server</c> is not on PATH,
/// except under CI (<c>CI=true</c>), where the test runs and fails so that a missing server cannot hide it.
/// </summary>
public sealed class RequiresRedisServerFactAttribute : FactAttribute
{
    public RequiresRedisServerFactAttribute()
    {
        if (RedisServer.FindExecutable() is null && !UnderCi.IsSet)
            Skip = $"{RedisServer.ExecutableName} not found on PATH (apt-get install redis-server).";
    }
}
