using System.Diagnostics;
using System.Runtime.InteropServices;
using Orleans.Runtime;
using VaeCfCluster.Grains.Abstractions.ItemShards;
using VaeCfCluster.Grains.Abstractions.ParameterServer;
using VaeCfCluster.Grains.Diagnostics;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Grains.Placement;
using VaeCfCluster.Grains.Storage;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Sharding;
using VaeCfCluster.Model.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Grains.ItemShards;

/// <summary>
/// Holds one item range of an item-sharded job on its silo's device (<see cref="ItemShard"/>: rows, columns, bias and
/// their Adam state) with the job's clicks in that range, and runs the shard's part of each step on the silo's compute
/// thread. It owns placement and state; the math is <see cref="ItemShard"/>'s.
/// </summary>
[SpreadPlacement]
public sealed class ItemShardGrain(TorchRuntime runtime, ILocalSiloDetails silo, VaeCfMetrics metrics, IJobBlobStore blobs) : Grain, IItemShardGrain
{
    private ItemShardSetup? _setup;
    private ItemShard? _shard;
    private ItemShardClicks? _train;
    private readonly Dictionary<string, ItemShardClicks> _heldOut = [];
    private readonly Dictionary<string, ChunkAssembler> _uploads = [];
    private ItemShardBatch? _batch;
    private long _step = -1;
    private double _stepMs;

    /// <inheritdoc />
    public async Task<ItemShardInfo> InitializeAsync(ItemShardSetup setup)
    {
        // A run left over from an earlier generation (its job grain was deactivated while it ran) must not take the shard
        // from the run that replaced it.
        if (_setup is { } current && current.Generation > setup.Generation)
            throw GrainStateLost.Create($"Item shard {this.GetPrimaryKeyString()} (it holds newer generation {current.Generation})", setup.Generation);
        await FreeAsync();
        var config = setup.Model.ToConfig();
        var adam = setup.Adam.ToOptions();
        _shard = await runtime.RunAsync(() =>
        {
            var shard = ItemShard.Zeros(new ItemRange(setup.Start, setup.Count), config, adam, setup.Precision.ToPrecision(), runtime.Device);
            shard.Optimizer.SetStepCount(setup.StepCount);
            return shard;
        });
        _setup = setup;
        // Parameters, their gradients and two Adam moments, float32.
        long bytes = 4L * sizeof(float) * ItemShardVector.Length(ItemShardVector.Of(_shard, ShardVector.Parameters));
        metrics.ItemShardBuilt(setup.JobId, Index, bytes);
        return new ItemShardInfo(silo.SiloAddress.ToParsableString(), bytes);
    }

    /// <inheritdoc />
    public Task LoadClicksAsync(ItemShardClicksChunk chunk)
    {
        if (_setup is null || chunk.Generation != _setup.Generation)
            throw new InvalidOperationException("The item shard must be initialized for this job generation before it gets clicks.");
        if (!_uploads.TryGetValue(chunk.Set, out var upload)) _uploads[chunk.Set] = upload = new ChunkAssembler();
        if (upload.Add(chunk.Index, chunk.Count, chunk.Bytes) is not { } bytes) return Task.CompletedTask;
        _uploads.Remove(chunk.Set);
        var clicks = ItemShardClicks.Deserialize(bytes);
        if (clicks.Range != new ItemRange(_setup.Start, _setup.Count))
            throw new InvalidOperationException($"Clicks of items {clicks.Range} sent to the shard of items [{_setup.Start}, {_setup.Start + _setup.Count}).");
        if (chunk.Set == "train") _train = clicks;
        else _heldOut[chunk.Set] = clicks;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<ItemShardReply> ForwardAsync(ItemShardForward request)
    {
        if (Current(request.Generation) is not { } shard || _train is not { } train) return ItemShardReply.NotReady;
        var setup = _setup!;
        var clock = Stopwatch.StartNew();
        var values = await runtime.RunAsync(() =>
        {
            _batch?.Dispose();
            using var scope = torch.NewDisposeScope();
            _batch = ItemShardBatch.Create(train, request.Rows, setup.Model.DropoutRate, (ulong)setup.Seed, request.Epoch, runtime.Device)
                .DetachFromDisposeScope();
            return TensorBytes.Of(shard.FirstLayerPartial(_batch));
        });
        _step = request.Step;
        _stepMs = clock.Elapsed.TotalMilliseconds;
        return new ItemShardReply(true, values, 0, _stepMs);
    }

    /// <inheritdoc />
    public async Task<ItemShardReply> LogitsAsync(int generation, long step, byte[] hidden)
    {
        if (Current(generation) is not { } shard || step != _step || _batch is not { } batch) return ItemShardReply.NotReady;
        var clock = Stopwatch.StartNew();
        var (values, clickSum) = await runtime.RunAsync(() =>
        {
            using var scope = torch.NewDisposeScope();
            var (max, sumExp, clickLogitSum) = shard.Logits(TensorBytes.ToTensor(hidden, batch.UserCount, runtime.Device), batch);
            return (TensorBytes.Of(torch.cat([max, sumExp])), clickLogitSum.item<float>());
        });
        _stepMs += clock.Elapsed.TotalMilliseconds;
        return new ItemShardReply(true, values, clickSum, clock.Elapsed.TotalMilliseconds);
    }

    /// <inheritdoc />
    public async Task<ItemShardReply> OutputBackwardAsync(int generation, long step, byte[] logSumExp)
    {
        if (Current(generation) is not { } shard || step != _step || _batch is not { } batch) return ItemShardReply.NotReady;
        var clock = Stopwatch.StartNew();
        var values = await runtime.RunAsync(() =>
        {
            using var scope = torch.NewDisposeScope();
            var lse = TensorBytes.ToTensor(logSumExp, 1, runtime.Device).view(-1);
            return TensorBytes.Of(shard.OutputBackward(lse, batch, batch.UserCount));
        });
        _stepMs += clock.Elapsed.TotalMilliseconds;
        return new ItemShardReply(true, values, 0, clock.Elapsed.TotalMilliseconds);
    }

    /// <inheritdoc />
    public async Task<ItemShardReply> FirstLayerBackwardAsync(int generation, long step, byte[] firstGradient)
    {
        if (Current(generation) is not { } shard || step != _step || _batch is not { } batch) return ItemShardReply.NotReady;
        var clock = Stopwatch.StartNew();
        await runtime.RunAsync(() =>
        {
            using (var scope = torch.NewDisposeScope())
                shard.FirstLayerBackward(TensorBytes.ToTensor(firstGradient, batch.UserCount, runtime.Device));
            shard.Update();
            batch.Dispose();
        });
        _batch = null;
        _step = -1;
        double ms = clock.Elapsed.TotalMilliseconds;
        metrics.ItemShardStepCompleted(_setup!.JobId, Index, (_stepMs + ms) / 1000);
        return new ItemShardReply(true, [], ms, ms);
    }

    /// <inheritdoc />
    public async Task<ItemShardReply> ScoringPartialAsync(int generation, string set, int start, int count)
    {
        if (Current(generation) is not { } shard || !_heldOut.TryGetValue(set, out var clicks)) return ItemShardReply.NotReady;
        var clock = Stopwatch.StartNew();
        var values = await runtime.RunAsync(() =>
        {
            using var scope = torch.NewDisposeScope();
            var batch = ItemShardBatch.Create(clicks, Enumerable.Range(start, count).ToArray(), 0, 0, 0, runtime.Device);
            return TensorBytes.Of(shard.ScoringPartial(batch));
        });
        return new ItemShardReply(true, values, 0, clock.Elapsed.TotalMilliseconds);
    }

    /// <inheritdoc />
    public async Task<ItemShardTopItems> TopItemsAsync(int generation, string set, int start, int count, byte[] hidden, int k)
    {
        if (Current(generation) is not { } shard || !_heldOut.TryGetValue(set, out var clicks)) return new ItemShardTopItems(false, [], [], 0);
        int kept = Math.Min(k, shard.Range.Count);
        var (scores, items) = await runtime.RunAsync(() =>
        {
            using var scope = torch.NewDisposeScope();
            var batch = ItemShardBatch.Create(clicks, Enumerable.Range(start, count).ToArray(), 0, 0, 0, runtime.Device);
            var (top, at) = ItemShardTopK.Of(shard, TensorBytes.ToTensor(hidden, count, runtime.Device), batch, kept);
            return (TensorBytes.Of(top), TensorBytes.OfInt64(at));
        });
        return new ItemShardTopItems(true, scores, items, kept);
    }

    /// <inheritdoc />
    public async Task<bool> SavePartAsync(int generation, int epoch, int shards)
    {
        if (Current(generation) is not { } shard) return false;
        var store = new JobStore(blobs, _setup!.JobId);
        await runtime.RunAsync(() => store.SavePart(ItemShardPart.Name(epoch, Index, shards), path => ItemShardPart.Save(path, shard, shards, epoch)));
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> LoadPartAsync(int generation, int epoch, int shards, int partShards, bool withMoments)
    {
        if (Current(generation) is not { } shard) return false;
        var setup = _setup!;
        if (epoch == 0)
        {
            // The starting weights are drawn here, from the seed, as one process draws them: no part is written for them.
            await runtime.RunAsync(() => ItemShardPart.LoadStart(shard, setup.Model.ToConfig(), setup.Seed, withMoments));
            return true;
        }
        var store = new JobStore(blobs, setup.JobId);
        if (partShards != shards)
        {
            await runtime.RunAsync(() => ItemShardPart.LoadRecut(shard, setup.Model.ItemCount, partShards, epoch, withMoments,
                (name, read) => store.ReadPart(name, path =>
                {
                    read(path);
                    return true;
                })));
            return true;
        }
        await runtime.RunAsync(() => store.ReadPart(ItemShardPart.Name(epoch, Index, shards), path =>
        {
            ItemShardPart.Load(path, shard, shards, epoch, withMoments);
            return true;
        }));
        return true;
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(int generation)
    {
        if (_setup is not null && _setup.Generation != generation) return;
        await FreeAsync();
        DeactivateOnIdle();
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await FreeAsync();
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private int Index => SpreadPlacementDirector.IndexOf(this.GetPrimaryKeyString());

    private ItemShard? Current(int generation) => _setup is { } setup && setup.Generation == generation ? _shard : null;

    private async Task FreeAsync()
    {
        var shard = _shard;
        var batch = _batch;
        _shard = null;
        _batch = null;
        _setup = null;
        _train = null;
        _heldOut.Clear();
        _uploads.Clear();
        _step = -1;
        if (shard is not null || batch is not null) await runtime.RunAsync(() => { batch?.Dispose(); shard?.Dispose(); });
    }
}
