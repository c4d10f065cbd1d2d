using VaeCfCluster.Grains.Abstractions.Evaluation;
using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.Abstractions.Workers;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// Runs <see cref="TrainingLoop"/>'s updates on the cluster. A step: every worker computes its slice's gradient into
/// its silo's replica (after loading shards owned elsewhere whose version changed), pushing the parts for shards on
/// other silos as bytes, output layer first while its backward pass runs; then every shard sums its silo's gradient
/// (by reference) and the pushed parts, applies Adam on its silo's device and bumps its version. Evaluators score held-out ranges with their silo's replica. The mirror (the job's copy
/// for checkpoints) is filled from the shards once per epoch. A model with the item-item term gets its neighbour index
/// (<paramref name="neighbourTargets"/>) sent to every worker and evaluator when they are set up. A RecVAE job's steps
/// (<see cref="IRecVaeExecutor"/>) run the same way, each on the shards of the side its pass trains.
/// </summary>
internal sealed class ClusterStepExecutor(IGrainFactory grains, string jobId, ClusterPlan plan, DataSplit split, ClusterStepSettings settings,
    ClusterMirror mirror, TorchRuntime torch, JobReplicaRegistry replicas, Action<int> workerReset, long[]? neighbourTargets = null)
    : IClusterExecutor, IRecVaeExecutor
{
    private readonly IReadOnlyList<byte[]> _neighbourChunks = neighbourTargets is null
        ? []
        : ChunkAssembler.Split(NeighbourTargetBytes.Of(neighbourTargets), plan.Setup.MaxChunkBytes);
    private ShardStateTransfer _transfer = null!;
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

    /// <summary>What the last step cost (bytes between silos, time in each part).</summary>
    public StepOutcome LastOutcome { get; private set; } = new(default);

    /// <inheritdoc cref="ITrainingStepExecutor.StartAsync" />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _shardSilos = await Task.WhenAll(Enumerable.Range(0, plan.Shards).Select(s => grains.GetGrain<IParameterShardGrain>(GrainKeys.Shard(jobId, s))
            .InitializeAsync(new ShardSetup(plan.Setup, s, settings.Adam, settings.WeightDecay, mirror.StepCountOf(s)))));
        // Shards on the job's own silo exchange state with the mirror by reference; the rest as bytes.
        _transfer = new ShardStateTransfer(grains, jobId, plan.Generation, plan.Layout, plan.ShardStarts, plan.Setup.MaxChunkBytes, torch,
            await replicas.GetAsync(jobId, plan.Generation));
        var versions = await _transfer.PushAsync(mirror.Parameters, ShardStateKind.Parameters, mirror.StepCountOf);
        await _transfer.PushAsync(mirror.FirstMoments, ShardStateKind.FirstMoment, mirror.StepCountOf);
        await _transfer.PushAsync(mirror.SecondMoments, ShardStateKind.SecondMoment, mirror.StepCountOf);
        _ticket = await Server.ConfigureAsync(new ParameterServerSetup(plan.Generation, plan.Shards, mirror.TotalSteps, versions));
        await Task.WhenAll(Enumerable.Range(0, plan.Workers).Select(PrepareWorkerAsync));
        await Task.WhenAll(Enumerable.Range(0, plan.Evaluators).Select(PrepareEvaluatorAsync));
        // One grain at a time, so the first on each silo sets the index on its replica and the others find it there.
        for (int w = 0; w < plan.Workers; w++) await SendNeighboursAsync(Worker(w));
        for (int e = 0; e < plan.Evaluators; e++) await SendNeighboursAsync(Evaluator(e));
    }

    /// <inheritdoc />
    public Task<StepOutcome> StepAsync(TrainingStep step, CancellationToken cancellationToken) =>
        step.Step != _ticket.Step
            ? throw new InvalidOperationException($"The parameter server is at step {_ticket.Step}, the loop at {step.Step}.")
            : StepAsync(step.Epoch, step.Beta, step.Rows, null, (0, plan.Shards));

    /// <inheritdoc />
    public async Task<BatchLoss> StepAsync(RecVaeStep step, CancellationToken cancellationToken)
    {
        var shards = RecVaeShards.Of(plan.Layout, plan.ShardStarts, settings.RecVaeEncoderBlocks, step.Phase);
        LastOutcome = await StepAsync(0, 0, step.Rows, step.ToSettings(), shards);
        return LastOutcome.Loss;
    }

    private async Task<StepOutcome> StepAsync(int epoch, double beta, int[] rows, RecVaePassSettings? recVae, (int From, int To) shards)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var slices = Slices(rows, plan.Workers);
        var results = await Task.WhenAll(Enumerable.Range(0, plan.Workers).Select(w =>
            ComputeAsync(w, new WorkerStepRequest(plan.Generation, _ticket.Step, epoch, beta, rows.Length, _ticket.ShardVersions, slices[w],
                _shardSilos, recVae))));
        for (int w = 0; w < results.Length; w++) _workerSilos[w] = results[w].Silo;
        var sources = results.Select((r, w) => new GradientSource(w, r.Silo, r.PartsPerShard)).Where(s => results[s.Worker].Users > 0).ToArray();
        _ticket = await Server.ApplyAsync(plan.Generation, sources, shards.From, shards.To);
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
        var request = new EvaluationRequest(plan.Generation, name, _ticket.ShardVersions, metrics.Select(m => m.Name).ToArray(), settings.EvaluationBatchSize);
        var result = await DistributedEvaluation.EvaluateAsync(grains, jobId, plan.Evaluators, request);
        if (result is not null) return result;
        await Task.WhenAll(Enumerable.Range(0, plan.Evaluators).Select(PrepareEvaluatorAsync));
        for (int e = 0; e < plan.Evaluators; e++) await SendNeighboursAsync(Evaluator(e));
        return await DistributedEvaluation.EvaluateAsync(grains, jobId, plan.Evaluators, request)
               ?? throw new InvalidOperationException("Evaluators are not ready after being set up again.");
    }

    /// <inheritdoc />
    public Task SyncMirrorAsync(CancellationToken cancellationToken) => _transfer.PullAllAsync(mirror);

    /// <inheritdoc />
    public async Task LoadMirrorParametersAsync(CancellationToken cancellationToken)
    {
        // Shards on the job's own silo exchange state with the mirror by reference; the rest as bytes.
        _transfer = new ShardStateTransfer(grains, jobId, plan.Generation, plan.Layout, plan.ShardStarts, plan.Setup.MaxChunkBytes, torch,
            await replicas.GetAsync(jobId, plan.Generation));
        var versions = await _transfer.PushAsync(mirror.Parameters, ShardStateKind.Parameters, -1);
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
