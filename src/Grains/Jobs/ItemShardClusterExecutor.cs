using System.Diagnostics;
using System.Runtime.InteropServices;
using VaeCfCluster.Grains.Abstractions.ItemShards;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.Hosting;
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
/// and the job holds the small middle (<see cref="ItemShardedMiddle"/>, in place over the mirror). A step is four rounds
/// of calls: partial first-layer sums in, the output layer's input out; per-user max and Σexp in, the exact log-sum-exp
/// out; input-gradient shares in, the first layer's output gradient out. Only [B, H]-sized tensors and per-user scalars
/// move, whatever the number of items: the exact single-process math (<see cref="ItemShardedModel"/>). Held-out users
/// are ranked by merging the shards' top items. The mirror (for checkpoints and best weights) is filled from the
/// shards once per epoch.
/// </summary>
internal sealed class ItemShardClusterExecutor(IGrainFactory grains, string jobId, int generation, int shards, DataSplit split,
    TrainerOptions options, AutoencoderConfig config, ModelSettings model, AutoencoderNetwork mirror, AdamOptimizer optimizer,
    TorchRuntime torchRuntime, int maxChunkBytes) : IClusterExecutor, IDisposable
{
    private static readonly string[] Sets = ["train", "validation", "test"];
    private readonly ItemRange[] _ranges = ItemRange.Split(config.ItemCount, shards);
    private readonly Tensor[] _parameters = mirror.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray();
    private ItemShardClicks[][]? _buckets;
    private ItemShardedMiddle? _middle;
    private MiddlePass? _pass;
    private string[] _shardSilos = [];

    /// <inheritdoc />
    public IReadOnlyList<string> ShardSilos => _shardSilos;

    /// <inheritdoc />
    public IReadOnlyList<string> WorkerSilos => _shardSilos;

    /// <summary>Bytes of state each item shard holds on its silo (parameters, gradients, Adam moments).</summary>
    public IReadOnlyList<long> ShardStateBytes { get; private set; } = [];

    private ItemShardedMiddle Middle => _middle ?? throw new InvalidOperationException("The item-sharded executor was not started.");

    private IItemShardGrain Shard(int s) => grains.GetGrain<IItemShardGrain>(GrainKeys.ItemShard(jobId, s));

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _middle = await torchRuntime.RunAsync(() =>
        {
            _middle?.Dispose();
            return ItemShardedMiddle.Over(mirror, optimizer);
        });
        var adam = options.Adam;
        var built = await Task.WhenAll(_ranges.Select((r, s) => Shard(s).InitializeAsync(new ItemShardSetup(jobId, generation, r.Start, r.Count,
            model, options.Seed, adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, optimizer.StepCount, options.Precision.ToSettings()))));
        _shardSilos = built.Select(b => b.Silo).ToArray();
        ShardStateBytes = built.Select(b => b.StateBytes).ToArray();
        // The clicks are bucketed by item range once per job; each shard gets only its range of each set.
        _buckets ??= await Task.Run(() => new[] { split.Train, split.Validation.FoldIn, split.Test.FoldIn }
            .Select(m => ItemShardClicks.Bucket(m, _ranges)).ToArray(), cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, shards).Select(UploadClicksAsync));
        foreach (var kind in new[] { ShardStateKind.Parameters, ShardStateKind.FirstMoment, ShardStateKind.SecondMoment })
            await PushAsync(kind, optimizer.StepCount);
    }

    /// <inheritdoc />
    public async Task<StepOutcome> StepAsync(TrainingStep step, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        int b = step.Rows.Length;
        var device = mirror.Device;
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
        var device = mirror.Device;
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
                return ItemShardTopK.Merge(tops.Select(t => TensorBytes.ToTensor(t.Scores, count, device)).ToArray(),
                    tops.Select(t => TensorBytes.ToInt64Tensor(t.Items, count, device)).ToArray(), k, $"{name} users [{from}, {from + count})");
            });
            best.CopyTo(ranked.AsSpan(start * k, count * k));
        }
        return evaluator.Evaluate(new PrecomputedTopItems(config.ItemCount, users.UserCount, k, ranked), users);
    }

    /// <inheritdoc />
    public async Task SyncMirrorAsync(CancellationToken cancellationToken)
    {
        await PullAsync(ShardStateKind.Parameters, _parameters);
        await PullAsync(ShardStateKind.FirstMoment, optimizer.FirstMoments);
        await PullAsync(ShardStateKind.SecondMoment, optimizer.SecondMoments);
        // The middle updates the mirror's own tensors; only its step count is kept apart.
        optimizer.SetStepCount(Middle.StepCount);
    }

    /// <inheritdoc />
    public Task LoadMirrorParametersAsync(CancellationToken cancellationToken) => PushAsync(ShardStateKind.Parameters, -1);

    /// <inheritdoc />
    public Task ReleaseAsync() => Task.WhenAll(Enumerable.Range(0, shards).Select(s => Shard(s).ReleaseAsync(generation)));

    /// <summary>Frees the middle's views and the step in flight.</summary>
    public void Dispose()
    {
        foreach (var t in new[] { _pass?.FirstOutput, _pass?.Hidden, _pass?.Kl }) t?.Dispose();
        _middle?.Dispose();
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

    /// <summary>Writes the mirror's <paramref name="kind"/> of every range into its shard, one shard's flat vector at a time.</summary>
    private async Task PushAsync(ShardStateKind kind, long stepCount)
    {
        var whole = kind switch
        {
            ShardStateKind.Parameters => _parameters,
            ShardStateKind.FirstMoment => optimizer.FirstMoments,
            _ => optimizer.SecondMoments,
        };
        int chunkFloats = maxChunkBytes / sizeof(float);
        for (int s = 0; s < shards; s++)
        {
            var range = _ranges[s];
            var flat = await torchRuntime.RunAsync(() => ItemShardVector.Gather(ItemShardSlices.Of(whole, range)));
            try
            {
                long length = flat.numel();
                for (long offset = 0; offset < length; offset += chunkFloats)
                {
                    int count = (int)Math.Min(chunkFloats, length - offset);
                    // The chunk straight from the host tensor's storage.
                    var bytes = MemoryMarshal.AsBytes(MemoryMarshal.Cast<byte, float>(flat.bytes).Slice((int)offset, count)).ToArray();
                    if (!await Shard(s).WriteStateAsync(new ItemShardStateChunk(generation, kind, offset, bytes, stepCount)))
                        throw new ItemShardLostException(s, "WriteState");
                }
            }
            finally
            {
                await torchRuntime.RunAsync(flat.Dispose);
            }
        }
    }

    /// <summary>Reads every shard's <paramref name="kind"/> into the ranges of <paramref name="whole"/> (the mirror's tensors).</summary>
    private async Task PullAsync(ShardStateKind kind, IReadOnlyList<Tensor> whole)
    {
        int chunkFloats = maxChunkBytes / sizeof(float);
        for (int s = 0; s < shards; s++)
        {
            var range = _ranges[s];
            var slices = ItemShardSlices.Of(whole, range);
            long length = ItemShardVector.Length(slices);
            var values = GC.AllocateUninitializedArray<float>(checked((int)length));
            for (long offset = 0; offset < length; offset += chunkFloats)
            {
                int count = (int)Math.Min(chunkFloats, length - offset);
                var chunk = await Shard(s).ReadStateAsync(generation, kind, offset, count) ?? throw new ItemShardLostException(s, "ReadState");
                MemoryMarshal.Cast<byte, float>(chunk.Values.AsSpan()).CopyTo(values.AsSpan((int)offset, count));
            }
            await torchRuntime.RunAsync(() =>
            {
                using var flat = torch.tensor(values);
                ItemShardVector.Scatter(flat, slices);
            });
        }
    }

    private static Tensor Sum(ItemShardReply[] replies, int rows, Device device)
    {
        var sum = TensorBytes.ToTensor(replies[0].Values, rows, device);
        for (int s = 1; s < replies.Length; s++) sum = sum.add(TensorBytes.ToTensor(replies[s].Values, rows, device));
        return sum;
    }

    private static ItemShardReply[] Require(ItemShardReply[] replies, string call)
    {
        for (int s = 0; s < replies.Length; s++)
            if (!replies[s].Ready) throw new ItemShardLostException(s, call);
        return replies;
    }
}
