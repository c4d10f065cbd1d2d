using System.Diagnostics;
using System.Runtime.InteropServices;
using VaeCfCluster.Grains.Abstractions.ItemShards;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.Hosting;
using SafeTensorMath = VaeCfCluster.Model.SafeTensorMath;
using DetachedTensor = VaeCfCluster.Model.DetachedTensor;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Sharding;
using VaeCfCluster.Model.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// Runs <see cref="TrainingLoop"/>'s updates on an item-sharded model spread over the silos: item-shard grains hold the
/// two item-sized layers by item range (with their Adam state and the job's clicks in range, on their silos' devices),
/// and the job holds only the small middle (<see cref="ItemShardedMiddle"/>). A step is four rounds of calls: partial
/// first-layer sums in, the output layer's input out; per-user max and Σexp in, the exact log-sum-exp out;
/// input-gradient shares in, the first layer's output gradient out. Only [B, H]-sized tensors and per-user scalars move,
/// whatever the number of items: the exact single-process math (<see cref="ItemShardedModel"/>). Held-out users are
/// ranked by merging the shards' top items. No process holds the whole model while training: each shard writes its own
/// checkpoint part (<see cref="ItemShardPart"/>) beside the job's <see cref="ItemShardedCheckpoint"/>, and the best
/// weights are the parts of the best epoch, kept until a better one.
/// </summary>
internal sealed class ItemShardClusterExecutor(IGrainFactory grains, string jobId, int generation, int shards, DataSplit split,
    TrainerOptions options, AutoencoderConfig config, ModelSettings model, JobStore store, string dataSha256, TorchRuntime torchRuntime, int maxChunkBytes)
    : IClusterExecutor, IStateHoldingExecutor, IDisposable
{
    private static readonly string[] Sets = ["train", "validation", "test"];
    private readonly ItemRange[] _ranges = ItemRange.Split(config.ItemCount, shards);
    private ItemShardClicks[][]? _buckets;
    private ItemShardedMiddle? _middle;
    private Tensor[] _bestMiddle = [];
    private MiddlePass? _pass;
    private string[] _shardSilos = [];
    private int _bestEpoch;
    private int _bestPartShards;

    /// <inheritdoc />
    public IReadOnlyList<string> ShardSilos => _shardSilos;

    /// <inheritdoc />
    public IReadOnlyList<string> WorkerSilos => _shardSilos;

    /// <summary>Bytes of state each item shard holds on its silo (parameters, gradients, Adam moments).</summary>
    public IReadOnlyList<long> ShardStateBytes { get; private set; } = [];

    private ItemShardedMiddle Middle => _middle ?? throw new InvalidOperationException("The item-sharded executor was not started.");

    private IItemShardGrain Shard(int s) => grains.GetGrain<IItemShardGrain>(GrainKeys.ItemShard(jobId, s));

    /// <inheritdoc />
    public TrainingState? Restored { get; private set; }

    /// <summary>The item shard count that wrote the restored checkpoint's parts, when it is not this job's (they were re-cut); else null.</summary>
    public int? RecutFrom { get; private set; }

    /// <summary>
    /// Restores the middle from the job's checkpoint, or for a fresh start draws the middle's starting weights from the
    /// seed (never the whole network); then sets up the shards, gives them their clicks and has each load its part of the
    /// checkpoint's epoch (0: each shard draws its range's starting weights from the seed on its silo).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        int partEpoch = 0, partShards = shards;
        Restored = null;
        RecutFrom = null;
        _bestPartShards = shards;
        bool resume = store.HasCheckpoint;
        await torchRuntime.RunAsync(() =>
        {
            DisposeMiddle();
            if (resume)
            {
                // Only the middle's shapes are needed: a one-item network has the same middle.
                using var small = new AutoencoderNetwork(config with { ItemCount = 1 }, options.Seed) { Precision = options.Precision };
                _middle = ItemShardedMiddle.CopyOf(small, options.Adam);
                _bestMiddle = CloneMiddle();
                var restored = store.RestoreCheckpoint(path => ItemShardedCheckpoint.Restore(path, config, _middle, _bestMiddle, options, split.ItemIds, dataSha256));
                Restored = restored.State;
                partEpoch = restored.PartEpoch;
                (partShards, _bestPartShards) = (restored.PartShards, restored.BestPartShards);
                if (partShards != shards) RecutFrom = partShards;
            }
            else
            {
                // Only the middle is drawn here (the item-sized layers' numbers are drawn and dropped a block at a time);
                // each shard draws its own range's starting weights on its silo when it loads epoch 0.
                _middle = ItemShardedMiddle.Of(config, ItemShardStartingWeights.Middle(config, options.Seed), options.Adam, options.Precision);
                _bestMiddle = CloneMiddle();
            }
        });
        _bestEpoch = Restored?.BestEpoch ?? 0;
        var adam = options.Adam.ToSettings();
        var built = await Task.WhenAll(_ranges.Select((r, s) => Shard(s).InitializeAsync(new ItemShardSetup(jobId, generation, r.Start, r.Count,
            model, options.Seed, adam, Middle.StepCount, options.Precision.ToSettings()))));
        _shardSilos = built.Select(b => b.Silo).ToArray();
        ShardStateBytes = built.Select(b => b.StateBytes).ToArray();
        // The clicks are bucketed by item range once per job; each shard gets only its range of each set.
        _buckets ??= await Task.Run(() => new[] { split.Train, split.Validation.FoldIn, split.Test.FoldIn }
            .Select(m => ItemShardClicks.Bucket(m, _ranges)).ToArray(), cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, shards).Select(UploadClicksAsync));
        await LoadPartsAsync(partEpoch, partShards, withMoments: true);
    }

    /// <inheritdoc />
    public async Task SaveAsync(TrainingState state, bool improved, CancellationToken cancellationToken)
    {
        int epoch = state.CompletedEpochs;
        var saved = await Task.WhenAll(Enumerable.Range(0, shards).Select(s => Shard(s).SavePartAsync(generation, epoch, shards)));
        for (int s = 0; s < shards; s++)
            if (!saved[s]) throw new ItemShardLostException(s, "SavePart");
        await torchRuntime.RunAsync(() =>
        {
            if (improved) CopyInto(_bestMiddle, Middle.Parameters.ToArray());
            if (improved) _bestPartShards = shards;
            store.SaveCheckpoint(path => ItemShardedCheckpoint.Save(path, config, Middle, _bestMiddle, options, split.ItemIds, state, dataSha256, shards, epoch,
                _bestPartShards));
        });
        _bestEpoch = state.BestEpoch;
        // The checkpoint now names this epoch's parts and the best epoch's (perhaps of the shard count before a re-cut); older ones go.
        var keep = Enumerable.Range(0, shards).Select(s => ItemShardPart.Name(epoch, s, shards))
            .Concat(Enumerable.Range(0, _bestPartShards).Select(s => ItemShardPart.Name(_bestEpoch, s, _bestPartShards))).ToHashSet();
        await Task.Run(() => store.DeleteParts(keep.Contains), cancellationToken);
    }

    /// <inheritdoc />
    public async Task UseBestAsync(CancellationToken cancellationToken)
    {
        await LoadPartsAsync(_bestEpoch, _bestPartShards, withMoments: false);
        await torchRuntime.RunAsync(() => CopyInto(Middle.Parameters.ToArray(), _bestMiddle));
    }

    /// <summary>
    /// Writes the best model as one <c>model.vaecf</c> (the single-process format) once the shards are released, from the
    /// best middle and the best epoch's parts one range at a time, straight into the file (<see cref="ItemShardedModelFile"/>):
    /// the whole network is never built.
    /// </summary>
    public Task SaveModelAsync(ModelSummary summary)
    {
        // The best parts' own ranges: they may have been written by the shard count before a re-cut.
        int partShards = _bestEpoch == 0 ? shards : _bestPartShards;
        var ranges = ItemRange.Split(config.ItemCount, partShards);
        return torchRuntime.RunAsync(() =>
            store.SaveModel(path => ItemShardedModelFile.Write(path, config, split.ItemIds, summary, _bestMiddle, ranges, s => _bestEpoch == 0
                ? ItemShardStartingWeights.Range(config, options.Seed, ranges[s])
                : store.ReadPart(ItemShardPart.Name(_bestEpoch, s, partShards), part => ItemShardPart.ReadParameters(part, ranges[s], partShards, _bestEpoch)))));
    }

    /// <inheritdoc />
    public async Task<StepOutcome> StepAsync(TrainingStep step, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        int b = step.Rows.Length;
        var device = Device;
        var partials = Require(await Task.WhenAll(Enumerable.Range(0, shards).Select(s => Shard(s).ForwardAsync(
            new ItemShardForward(generation, step.Step, step.Epoch, step.Rows)))), "Forward");
        var hidden = await torchRuntime.RunAsync(() =>
        {
            using var scope = torch.NewDisposeScope();
            var sum = Sum(partials, b, device);
            var noise = config.Kind == ModelKind.Vae
                ? GradientComputer.LatentNoise(step.Rows.Select(r => (long)r).ToArray(), config.LatentDim, (ulong)options.Seed, step.Epoch).to(device)
                : null;
            var pass = Middle.Forward(sum, noise);
            scope.Detach(pass.FirstOutput, pass.Hidden);
            if (pass.Kl is not null) scope.Detach(pass.Kl);
            _pass = pass;
            return TensorBytes.Of(pass.Hidden);
        });
        var stats = Require(await Task.WhenAll(Enumerable.Range(0, shards).Select(s => Shard(s).LogitsAsync(generation, step.Step, hidden))), "Logits");
        var (logSumExp, nll) = await torchRuntime.RunAsync(() =>
        {
            using var scope = torch.NewDisposeScope();
            var pairs = stats.Select(r => TensorBytes.ToTensor(r.Values, 2, device)).Select(t => (t[0], t[1])).ToArray();
            var lse = ItemShardLogSumExp.Combine(pairs);
            var counts = torch.tensor(step.Rows.Select(r => (float)split.Train.RowLength(r)).ToArray()).to(device);
            double sum = counts.mul(lse).sum().item<float>() - stats.Sum(r => r.Scalar);
            return (TensorBytes.Of(lse), sum);
        });
        var shares = Require(await Task.WhenAll(Enumerable.Range(0, shards).Select(s => Shard(s).OutputBackwardAsync(generation, step.Step, logSumExp))),
            "OutputBackward");
        var middleClock = Stopwatch.StartNew();
        var (firstGradient, kl) = await torchRuntime.RunAsync(() =>
        {
            var pass = _pass ?? throw new InvalidOperationException("The middle's backward pass came before its forward pass.");
            _pass = null;
            using var scope = torch.NewDisposeScope();
            var gradient = Middle.Backward(pass, Sum(shares, b, device), step.Beta, b);
            double klSum = pass.Kl?.item<float>() ?? 0.0;
            var bytes = TensorBytes.Of(gradient);
            foreach (var t in new[] { pass.FirstOutput, pass.Hidden, pass.Kl }) t?.Dispose();
            Middle.Update();
            return (bytes, klSum);
        });
        double middleMs = middleClock.Elapsed.TotalMilliseconds;
        var applied = Require(await Task.WhenAll(Enumerable.Range(0, shards).Select(s => Shard(s).FirstLayerBackwardAsync(generation, step.Step, firstGradient))),
            "FirstLayerBackward");
        // Per shard: the batch's rows in, then [B, H₁] + [B, H] + 2B + B + [B, H] + [B, H₁] floats.
        long bytes = shards * ((long)b * sizeof(int) + hidden.Length + logSumExp.Length + firstGradient.Length)
                     + partials.Sum(r => (long)r.Values.Length) + stats.Sum(r => (long)r.Values.Length) + shares.Sum(r => (long)r.Values.Length);
        double compute = Enumerable.Range(0, shards).Max(s => partials[s].ComputeMilliseconds + stats[s].ComputeMilliseconds + shares[s].ComputeMilliseconds)
                         + middleMs;
        double apply = applied.Max(r => r.ComputeMilliseconds);
        double other = Math.Max(0, clock.Elapsed.TotalMilliseconds - compute - apply);
        return new StepOutcome(new BatchLoss(nll, kl, b), bytes, 0, compute, other, apply);
    }

    /// <inheritdoc />
    public async Task<EvaluationResult> EvaluateAsync(HeldOutSet set, IReadOnlyList<RankingMetric> metrics, CancellationToken cancellationToken)
    {
        var users = set == HeldOutSet.Validation ? split.Validation : split.Test;
        string name = set == HeldOutSet.Validation ? "validation" : "test";
        var evaluator = new RankingEvaluator(metrics, options.EvaluationBatchSize);
        int k = Math.Min(evaluator.MaxCutoff, config.ItemCount);
        var ranked = new long[(long)users.UserCount * k];
        var device = Device;
        for (int start = 0; start < users.UserCount; start += options.EvaluationBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int count = Math.Min(options.EvaluationBatchSize, users.UserCount - start);
            int from = start;
            var partials = Require(await Task.WhenAll(Enumerable.Range(0, shards).Select(s => Shard(s).ScoringPartialAsync(generation, name, from, count))),
                "ScoringPartial");
            var hidden = await torchRuntime.RunAsync(() =>
            {
                using var scope = torch.NewDisposeScope();
                return TensorBytes.Of(Middle.ScoringHidden(Sum(partials, count, device)));
            });
            var tops = await Task.WhenAll(Enumerable.Range(0, shards).Select(s => Shard(s).TopItemsAsync(generation, name, from, count, hidden, k)));
            for (int s = 0; s < shards; s++)
                if (!tops[s].Ready) throw new ItemShardLostException(s, "TopItems");
            var best = await torchRuntime.RunAsync(() =>
            {
                using var scope = torch.NewDisposeScope();
                return TopItemCandidates.Merge(tops.Select(t => TensorBytes.ToTensor(t.Scores, count, device)).ToArray(),
                    tops.Select(t => TensorBytes.ToInt64Tensor(t.Items, count, device)).ToArray(), k, $"{name} users [{from}, {from + count})");
            });
            best.CopyTo(ranked.AsSpan(start * k, count * k));
        }
        return evaluator.Evaluate(new PrecomputedTopItems(config.ItemCount, users.UserCount, k, ranked), users);
    }

    /// <summary>Not used: the loop keeps no mirror of a state-holding executor.</summary>
    public Task SyncMirrorAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Not used: the best weights come back through <see cref="UseBestAsync"/>.</summary>
    public Task LoadMirrorParametersAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ReleaseAsync() => Task.WhenAll(Enumerable.Range(0, shards).Select(s => Shard(s).ReleaseAsync(generation)));

    /// <summary>Frees the middle, its best weights and the step in flight.</summary>
    public void Dispose() => DisposeMiddle();

    private Device Device => Middle.FirstBias.device;

    private void DisposeMiddle()
    {
        foreach (var t in new[] { _pass?.FirstOutput, _pass?.Hidden, _pass?.Kl }) t?.Dispose();
        _pass = null;
        _middle?.Dispose();
        _middle = null;
        foreach (var t in _bestMiddle) t.Dispose();
        _bestMiddle = [];
    }

    private Tensor[] CloneMiddle() => Middle.Parameters.Select(p => DetachedTensor.Copy(p).DetachFromDisposeScope()).ToArray();

    private static void CopyInto(IReadOnlyList<Tensor> targets, IReadOnlyList<Tensor> sources)
    {
        using var noGrad = torch.no_grad();
        for (int i = 0; i < targets.Count; i++) targets[i].copy_(sources[i]);
    }

    private async Task LoadPartsAsync(int epoch, int partShards, bool withMoments)
    {
        // Epoch 0 has no parts: each shard draws its own range's starting weights, whatever the shard count.
        if (epoch == 0) partShards = shards;
        var loaded = await Task.WhenAll(Enumerable.Range(0, shards).Select(s => Shard(s).LoadPartAsync(generation, epoch, shards, partShards, withMoments)));
        for (int s = 0; s < shards; s++)
            if (!loaded[s]) throw new ItemShardLostException(s, "LoadPart");
    }

    private async Task UploadClicksAsync(int s)
    {
        for (int set = 0; set < Sets.Length; set++)
        {
            var chunks = ChunkAssembler.Split(_buckets![set][s].Serialize(), maxChunkBytes);
            for (int c = 0; c < chunks.Count; c++)
                await Shard(s).LoadClicksAsync(new ItemShardClicksChunk(generation, Sets[set], c, chunks.Count, chunks[c]));
        }
    }

    private static Tensor Sum(ItemShardReply[] replies, int rows, Device device)
    {
        var sum = TensorBytes.ToTensor(replies[0].Values, rows, device);
        for (int s = 1; s < replies.Length; s++) sum = SafeTensorMath.Plus(sum, TensorBytes.ToTensor(replies[s].Values, rows, device));
        return sum;
    }

    private static ItemShardReply[] Require(ItemShardReply[] replies, string call)
    {
        for (int s = 0; s < replies.Length; s++)
            if (!replies[s].Ready) throw new ItemShardLostException(s, call);
        return replies;
    }
}
