using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Grains.Abstractions.ParameterServer;

namespace VaeCfCluster.Grains.ParameterServer;

/// <summary>
/// Owns a job's global step count and the shard versions workers must read, and applies each update on all shards
/// at once (or on the shards of the side a RecVAE pass trains). The β of each step comes with the workers' requests from the job's training loop.
/// </summary>
public sealed class ParameterServerGrain : Grain, IParameterServerGrain
{
    private int _generation;
    private int _shardCount;
    private long _step;
    private long[] _versions = [];
    private double _lastApplyMs;
    private bool _configured;

    /// <inheritdoc />
    public Task<StepTicket> ConfigureAsync(ParameterServerSetup setup)
    {
        _generation = setup.Generation;
        _shardCount = setup.ShardCount;
        _step = setup.Step;
        _versions = setup.ShardVersions.ToArray();
        _configured = true;
        return Task.FromResult(Ticket());
    }

    /// <inheritdoc />
    public async Task<StepTicket> ApplyAsync(int generation, GradientSource[] sources, int firstShard, int endShard)
    {
        if (!_configured || generation != _generation)
            throw GrainStateLost.Create($"The parameter server of {this.GetPrimaryKeyString()}", generation);
        if (firstShard < 0 || endShard > _shardCount || firstShard >= endShard)
            throw new ArgumentOutOfRangeException(nameof(firstShard), $"Shards [{firstShard}, {endShard}) are not a range of the {_shardCount} shards.");
        string job = this.GetPrimaryKeyString();
        var results = await Task.WhenAll(Enumerable.Range(firstShard, endShard - firstShard)
            .Select(s => GrainFactory.GetGrain<IParameterShardGrain>(GrainKeys.Shard(job, s)).ApplyAsync(generation, _step, sources)));
        for (int k = 0; k < results.Length; k++) _versions[firstShard + k] = results[k].Version;
        _lastApplyMs = results.Max(r => r.ApplyMilliseconds);
        _step++;
        return Ticket();
    }

    /// <inheritdoc />
    public Task SetShardVersionsAsync(long[] versions)
    {
        _versions = versions.ToArray();
        return Task.CompletedTask;
    }

    private StepTicket Ticket() => new(_step, _versions.ToArray(), _lastApplyMs);
}
