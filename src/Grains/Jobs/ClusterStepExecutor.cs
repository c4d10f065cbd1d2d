using VaeCfCluster.Grains.Abstractions.Evaluation;
using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// Runs <see cref="TrainingLoop"/>'s updates on the cluster. A step: every worker computes its slice's gradient into
/// its silo's replica (after loading shards owned elsewhere whose version changed), pushing the parts for shards on
/// other silos as bytes, output layer first while its backward pass runs; then every shard sums its silo's gradient
/// (by reference) and the pushed parts, applies Adam on its silo's device and bumps its version. Evaluators score held-out ranges with their silo's replica. The mirror (the job's copy
/// for checkpoints) is filled from the shards once per epoch. A model with the item-item term gets its neighbour index
/// (<paramref name="neighbourTargets"/>) sent to every worker and evaluator when they are set up.
/// </summary>
internal sealed class ClusterStepExecutor(IGrainFactory grains, string jobId, ClusterPlan plan, DataSplit split, TrainerOptions options,
    AutoencoderConfig config, AutoencoderNetwork mirror, AdamOptimizer optimizer, TorchRuntime torch, JobReplicaRegistry replicas,
    Action<int> workerReset, long[]? neighbourTargets = null) : IClusterExecutor
{
    private readonly IReadOnlyList<byte[]> _neighbourChunks = neighbourTargets is null
        ? []
        : ChunkAssembler.Split(NeighbourTargetBytes.Of(neighbourTargets), plan.Setup.MaxChunkBytes);
    private ShardStateTransfer _transfer = null!;
    private readonly Tensor[] _parameters = mirror.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray();
    private IParameterServerGrain Server => grains.GetGrain<IParameterServerGrain>(jobId);
    private StepTicket _ticket = new(0, [], 0);

    private string[] _shardSilos = [];

    /// <summary>The silo of each shard, as the shards reported it.</summary>
    public IReadOnlyList<string> ShardSilos => _shardSilos;

    /// <summary>The silo of each worker, as the workers last reported it.</summary>
    public IReadOnlyList<string> WorkerSilos => _workerSilos;

    private readonly string[] _workerSilos = new string[plan.Workers];

    /// <summary>How many grains the neighbour index was sent to (at most one per silo, but for grains set up again).</summary>
    public int NeighbourIndexCopies { get; private set; }

    /// <summary>The neighbour index's bytes (0 without the item-item term).</summary>
    public long NeighbourIndexBytes => _neighbourChunks.Sum(c => (long)c.Length);

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var adam = options.Adam.ToSettings();
        _shardSilos = await Task.WhenAll(Enumerable.Range(0, plan.Shards).Select(s => grains.GetGrain<IParameterShardGrain>(GrainKeys.Shard(jobId, s))
            .InitializeAsync(new ShardSetup(plan.Setup, s, adam, config.WeightDecay, optimizer.StepCount))));
        // Shards on the job's own silo exchange state with the mirror by reference; the rest as bytes.
        _transfer = new ShardStateTransfer(grains, jobId, plan.Generation, plan.Layout, plan.ShardStarts, plan.Setup.MaxChunkBytes, torch,
            await replicas.GetAsync(jobId, plan.Generation));
        var versions = await _transfer.PushAsync(_parameters, ShardStateKind.Parameters, optimizer.StepCount);
        await _transfer.PushAsync(optimizer.FirstMoments, ShardStateKind.FirstMoment, optimizer.StepCount);
        await _transfer.PushAsync(optimizer.SecondMoments, ShardStateKind.SecondMoment, optimizer.StepCount);
        _ticket = await Server.ConfigureAsync(new ParameterServerSetup(plan.Generation, plan.Shards, optimizer.StepCount, versions));
        await Task.WhenAll(Enumerable.Range(0, plan.Workers).Select(PrepareWorkerAsync));
        await Task.WhenAll(Enumerable.Range(0, plan.Evaluators).Select(PrepareEvaluatorAsync));
        // One grain at a time, so the first on each silo sets the index on its replica and the others find it there.
        for (int w = 0; w < plan.Workers; w++) await SendNeighboursAsync(Worker(w));
        for (int e = 0; e < plan.Evaluators; e++) await SendNeighboursAsync(Evaluator(e));
    }

    /// <inheritdoc />
    public async Task<StepOutcome> StepAsync(TrainingStep step, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (step.Step != _ticket.Step) throw new InvalidOperationException($"The parameter server is at step {_ticket.Step}, the loop at {step.Step}.");
        var slices = Slices(step.Rows, plan.Workers);
        var results = await Task.WhenAll(Enumerable.Range(0, plan.Workers).Select(w =>
            ComputeAsync(w, new WorkerStepRequest(plan.Generation, step.Step, step.Epoch, step.Beta, step.Rows.Length, _ticket.ShardVersions, slices[w],
                _shardSilos))));
        for (int w = 0; w < results.Length; w++) _workerSilos[w] = results[w].Silo;
        var sources = results.Select((r, w) => new GradientSource(w, r.Silo, r.PartsPerShard)).Where(s => results[s.Worker].Users > 0).ToArray();
        _ticket = await Server.ApplyAsync(plan.Generation, sources);
        var loss = new BatchLoss(results.Sum(r => r.NegativeLogLikelihoodSum), results.Sum(r => r.KlDivergenceSum), results.Sum(r => r.Users));
        double fetch = results.Max(r => r.FetchMilliseconds), compute = results.Max(r => r.ComputeMilliseconds), apply = _ticket.LastApplyMilliseconds;
        // What the slowest worker and shard do not account for: grain calls, queueing on the compute thread, waiting.
        double other = Math.Max(0, clock.Elapsed.TotalMilliseconds - fetch - compute - apply);
        return new StepOutcome(loss, results.Sum(r => r.BytesFetched + r.BytesPushed), fetch, compute, other, apply);
    }

    /// <inheritdoc />
    public async Task<EvaluationResult> EvaluateAsync(HeldOutSet set, IReadOnlyList<RankingMetric> metrics, CancellationToken cancellationToken)
    {
        string name = set == HeldOutSet.Validation ? "validation" : "test";
        var request = new EvaluationRequest(plan.Generation, name, _ticket.ShardVersions, metrics.Select(m => m.Name).ToArray(), options.EvaluationBatchSize);
        var result = await DistributedEvaluation.EvaluateAsync(grains, jobId, plan.Evaluators, request);
        if (result is not null) return result;
        await Task.WhenAll(Enumerable.Range(0, plan.Evaluators).Select(PrepareEvaluatorAsync));
        for (int e = 0; e < plan.Evaluators; e++) await SendNeighboursAsync(Evaluator(e));
        return await DistributedEvaluation.EvaluateAsync(grains, jobId, plan.Evaluators, request)
               ?? throw new InvalidOperationException("Evaluators are not ready after being set up again.");
    }

    /// <inheritdoc />
    public Task SyncMirrorAsync(CancellationToken cancellationToken) => _transfer.PullAllAsync(_parameters, optimizer);

    /// <inheritdoc />
    public async Task LoadMirrorParametersAsync(CancellationToken cancellationToken)
    {
        // Shards on the job's own silo exchange state with the mirror by reference; the rest as bytes.
        _transfer = new ShardStateTransfer(grains, jobId, plan.Generation, plan.Layout, plan.ShardStarts, plan.Setup.MaxChunkBytes, torch,
            await replicas.GetAsync(jobId, plan.Generation));
        var versions = await _transfer.PushAsync(_parameters, ShardStateKind.Parameters, -1);
        await Server.SetShardVersionsAsync(versions);
        _ticket = _ticket with { ShardVersions = versions };
    }

    /// <summary>Frees every silo's replica of this generation.</summary>
    public Task ReleaseAsync() =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(plan.Workers, plan.Silos)).Select(w =>
            grains.GetGrain<ITrainingWorkerGrain>(GrainKeys.Worker(jobId, w)).ReleaseAsync(plan.Generation)));

    /// <summary>Each worker's users of a batch (global rows with row % workers == worker), in batch order.</summary>
    internal static int[][] Slices(int[] batch, int workers)
    {
        var slices = new List<int>[workers];
        for (int w = 0; w < workers; w++) slices[w] = [];
        foreach (int u in batch) slices[u % workers].Add(u);
        return slices.Select(s => s.ToArray()).ToArray();
    }

    private async Task<WorkerStepResult> ComputeAsync(int w, WorkerStepRequest request)
    {
        var worker = grains.GetGrain<ITrainingWorkerGrain>(GrainKeys.Worker(jobId, w));
        var result = await worker.ComputeGradientAsync(request);
        if (result.Ready) return result;
        workerReset(w);
        await PrepareWorkerAsync(w);
        await SendNeighboursAsync(Worker(w));
        result = await worker.ComputeGradientAsync(request);
        return result.Ready ? result : throw new InvalidOperationException($"Worker {w} is not ready after being set up again.");
    }

    private ITrainingWorkerGrain Worker(int w) => grains.GetGrain<ITrainingWorkerGrain>(GrainKeys.Worker(jobId, w));

    private IEvaluationGrain Evaluator(int e) => grains.GetGrain<IEvaluationGrain>(GrainKeys.Evaluator(jobId, e));

    private async Task PrepareWorkerAsync(int w)
    {
        var worker = Worker(w);
        await worker.PrepareAsync(plan.Setup);
        var chunks = ChunkAssembler.Split(UserPartition.Of(split.Train, w, plan.Workers).Serialize(), plan.Setup.MaxChunkBytes);
        for (int k = 0; k < chunks.Count; k++) await worker.LoadDataAsync(new PartitionChunk(plan.Generation, k, chunks.Count, chunks[k]));
    }

    /// <summary>Sends the neighbour index to a prepared worker or evaluator whose silo replica does not have it yet.</summary>
    private async Task SendNeighboursAsync(INeighbourIndexHolder grain)
    {
        if (_neighbourChunks.Count == 0 || !await grain.NeedsNeighboursAsync(plan.Generation)) return;
        NeighbourIndexCopies++;
        for (int k = 0; k < _neighbourChunks.Count; k++)
            await grain.LoadNeighboursAsync(new NeighbourChunk(plan.Generation, k, _neighbourChunks.Count, _neighbourChunks[k]));
    }

    private async Task PrepareEvaluatorAsync(int e)
    {
        var evaluator = Evaluator(e);
        await evaluator.PrepareAsync(plan.Setup);
        foreach (var (name, users) in new[] { ("validation", split.Validation), ("test", split.Test) })
        {
            var (start, count) = DistributedEvaluation.Ranges(users.UserCount, plan.Evaluators)[e];
            var chunks = ChunkAssembler.Split(HeldOutRange.Serialize(users, start, count), plan.Setup.MaxChunkBytes);
            for (int k = 0; k < chunks.Count; k++)
                await evaluator.LoadUsersAsync(new HeldOutChunk(plan.Generation, name, start, k, chunks.Count, chunks[k]));
        }
    }
}
