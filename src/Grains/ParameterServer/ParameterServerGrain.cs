using System.Text.Json;
using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Grains.ParameterServer;

/// <summary>
/// Owns a job's global step count and β schedule (<see cref="BetaSchedule"/>: annealing, cap, automatic β) and applies
/// each update on all shards at once.
/// </summary>
public sealed class ParameterServerGrain : Grain, IParameterServerGrain
{
    private BetaSchedule? _schedule;
    private int _generation;
    private int _shardCount;
    private long _step;
    private long[] _versions = [];
    private double _lastApplyMs;

    /// <inheritdoc />
    public Task<StepTicket> ConfigureAsync(ParameterServerSetup setup)
    {
        var options = JsonSerializer.Deserialize<BetaScheduleOptions>(setup.BetaScheduleJson)
                      ?? throw new ArgumentException("The beta schedule is empty.");
        _schedule = new BetaSchedule(options);
        _schedule.Restore(setup.Beta.FrozenBeta, setup.Beta.BestMetric, setup.Beta.BetaAtBest, setup.Beta.EpochsSinceBest);
        _generation = setup.Generation;
        _shardCount = setup.ShardCount;
        _step = setup.Step;
        _versions = setup.ShardVersions.ToArray();
        return Task.FromResult(Ticket());
    }

    /// <inheritdoc />
    public async Task<StepTicket> ApplyAsync(int generation, int workers)
    {
        if (_schedule is null || generation != _generation)
            throw new InvalidOperationException($"The parameter server of {this.GetPrimaryKeyString()} is not set up for generation {generation}.");
        string job = this.GetPrimaryKeyString();
        var results = await Task.WhenAll(Enumerable.Range(0, _shardCount)
            .Select(s => GrainFactory.GetGrain<IParameterShardGrain>(GrainKeys.Shard(job, s)).ApplyAsync(generation, _step, workers)));
        _versions = results.Select(r => r.Version).ToArray();
        _lastApplyMs = results.Max(r => r.ApplyMilliseconds);
        _step++;
        return Ticket();
    }

    /// <inheritdoc />
    public Task<BetaState> ObserveValidationAsync(double ndcg100, double betaAtEpochEnd)
    {
        var schedule = _schedule ?? throw new InvalidOperationException("The parameter server is not set up.");
        schedule.ObserveValidation(ndcg100, betaAtEpochEnd);
        return Task.FromResult(new BetaState(schedule.FrozenBeta, schedule.BestMetric, schedule.BetaAtBest, schedule.EpochsSinceBest));
    }

    /// <inheritdoc />
    public Task SetShardVersionsAsync(long[] versions)
    {
        _versions = versions.ToArray();
        return Task.CompletedTask;
    }

    private StepTicket Ticket() =>
        new(_step, _schedule?.BetaAt(_step) ?? 0, _versions.ToArray(), _lastApplyMs);
}
