using StackExchange.Redis;

namespace VaeCfCluster.Grains.Storage;

/// <summary>
/// Job blobs as Redis strings under <c>vaecf:jobs:{jobId}:{name}</c>, so silos need no shared volume. A Redis string
/// holds at most 512 MB (an ML-20M-sized checkpoint with Adam state is about 375 MB).
/// </summary>
public sealed class RedisJobBlobStore(IConnectionMultiplexer redis) : IJobBlobStore
{
    private IDatabase Database => redis.GetDatabase();

    /// <inheritdoc />
    public string Description => $"Redis at {redis.Configuration.Split(',')[0]}";

    /// <summary>Connects with timeouts long enough for blobs of hundreds of megabytes.</summary>
    public static RedisJobBlobStore Connect(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.SyncTimeout = options.AsyncTimeout = 120_000;
        options.AbortOnConnectFail = false;
        return new RedisJobBlobStore(ConnectionMultiplexer.Connect(options));
    }

    /// <inheritdoc />
    public byte[]? Read(string jobId, string name) => Database.StringGet(Key(jobId, name)) is { IsNull: false } value ? (byte[])value! : null;

    /// <inheritdoc />
    public byte[] ReadRange(string jobId, string name, long offset, int count) =>
        count <= 0 ? [] : (byte[])Database.StringGetRange(Key(jobId, name), offset, offset + count - 1)! ?? [];

    /// <inheritdoc />
    public long Length(string jobId, string name)
    {
        var key = Key(jobId, name);
        return Database.KeyExists(key) ? Database.StringLength(key) : -1;
    }

    /// <inheritdoc />
    public void Write(string jobId, string name, byte[] bytes) => Database.StringSet(Key(jobId, name), bytes);

    /// <inheritdoc />
    public void AppendLine(string jobId, string name, string line) => Database.StringAppend(Key(jobId, name), line + "\n");

    /// <inheritdoc />
    public IReadOnlyList<string> Names(string jobId)
    {
        string prefix = Key(jobId, "").ToString();
        return redis.GetServers().Where(s => s.IsConnected && !s.IsReplica)
            .SelectMany(s => s.Keys(Database.Database, pattern: prefix + "*").Select(k => k.ToString()[prefix.Length..]))
            .Distinct().ToArray();
    }

    /// <inheritdoc />
    public void Delete(string jobId, string name) => Database.KeyDelete(Key(jobId, name));

    /// <inheritdoc />
    public string? FilePath(string jobId, string name) => null;

    private static RedisKey Key(string jobId, string name) => $"vaecf:jobs:{jobId}:{name}";
}
