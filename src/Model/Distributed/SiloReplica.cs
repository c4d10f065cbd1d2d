using System.Runtime.InteropServices;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// A silo's one copy of a job's model, on the silo's device, shared by reference by every worker, shard and evaluator
/// of the job on that silo. Workers add the gradients of their batch slices (<see cref="Compute"/>); the shards this
/// silo owns update their ranges of the network's parameters in place (<see cref="ApplyShard"/>), taking the silo's
/// summed gradient by reference and only other silos' gradients as bytes; ranges owned elsewhere are loaded as bytes
/// when their version changes (<see cref="Load"/>). Nothing is copied between grains of one silo. Not thread-safe:
/// callers run every method on the silo's compute thread. The model is a Mult-VAE / Mult-DAE (<see cref="Network"/>) or
/// a RecVAE (<see cref="RecVae"/>, <see cref="ComputeRecVae"/>).
/// </summary>
public sealed class SiloReplica : IDisposable
{
    private readonly long[] _loaded;
    private readonly Dictionary<int, ShardOptimizer> _owned = [];
    private readonly SortedDictionary<int, SliceGradient> _slices = [];
    private long _gradientStep = -1;
    private SiloGradient? _sum;
    private readonly Dictionary<UserPartition, DeviceBatchAssembler> _assemblers = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;
    private readonly AutoencoderNetwork? _autoencoder;
    private readonly Tensor[] _parameters;
    private int _priorVersion;
    private readonly int _recVaeEncoderBlocks;

    /// <summary>Builds the network on <paramref name="device"/> and checks it matches the shard layout.</summary>
    public SiloReplica(AutoencoderConfig config, long[] shardStarts, Device device)
    {
        _autoencoder = new AutoencoderNetwork(config, seed: 0, device);
        _parameters = FlatParameters.Tensors(_autoencoder);
        Layout = ParameterLayout.Of(_autoencoder);
        ShardStarts = CheckedStarts(shardStarts, Layout);
        _loaded = Enumerable.Repeat(-1L, shardStarts.Length - 1).ToArray();
    }

    /// <summary>
    /// Builds a RecVAE of <paramref name="options"/> for <paramref name="itemCount"/> items on <paramref name="device"/> (the CPU
    /// by default), drawn from its seed (so the composite prior's copy of the encoder starts as the single-process trainer's
    /// does), and checks it matches the shard layout.
    /// </summary>
    public SiloReplica(RecVaeOptions options, int itemCount, long[] shardStarts, Device? device = null)
    {
        RecVae = new RecVaeNetwork(itemCount, options, options.Seed, device);
        _parameters = RecVae.Parameters.Select(p => (Tensor)p).ToArray();
        _recVaeEncoderBlocks = RecVae.EncoderTensorCount;
        Layout = ParameterLayout.Of(RecVae);
        ShardStarts = CheckedStarts(shardStarts, Layout);
        _loaded = Enumerable.Repeat(-1L, shardStarts.Length - 1).ToArray();
    }

    private static long[] CheckedStarts(long[] shardStarts, ParameterLayout layout) =>
        shardStarts.Length < 2 || shardStarts[0] != 0 || shardStarts[^1] != layout.TotalLength
            ? throw new ArgumentException($"Shard layout covers [{shardStarts.FirstOrDefault()}, {shardStarts.LastOrDefault()}) but the model has {layout.TotalLength} parameters.")
            : shardStarts;

    /// <summary>The autoencoder whose parameters hold every shard's values at the version last loaded or applied.</summary>
    public AutoencoderNetwork Network => _autoencoder ?? throw new InvalidOperationException("This replica holds a RecVAE, not a Mult-VAE or Mult-DAE.");

    /// <summary>The RecVAE, when the job trains one (null otherwise).</summary>
    public RecVaeNetwork? RecVae { get; }

    /// <summary>What evaluators score held-out users with: the model at the versions last loaded or applied.</summary>
    public IRecommenderScorer Scorer => RecVae is not null ? RecVae : new AutoencoderScorer(Network);

    /// <summary>Its flat layout.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>Shard boundaries (count + 1 offsets).</summary>
    public long[] ShardStarts { get; }

    /// <summary>Number of shards.</summary>
    public int ShardCount => _loaded.Length;

    /// <summary>Parameters in shard <paramref name="shard"/>.</summary>
    public long ShardLength(int shard) => ShardStarts[shard + 1] - ShardStarts[shard];

    /// <summary>Shards whose loaded version differs from <paramref name="versions"/>.</summary>
    public IReadOnlyList<int> StaleShards(long[] versions)
    {
        if (versions.Length != _loaded.Length) throw new ArgumentException($"{versions.Length} shard versions for {_loaded.Length} shards.");
        return Enumerable.Range(0, _loaded.Length).Where(s => _loaded[s] != versions[s]).ToArray();
    }

    /// <summary>
    /// Writes float32 (or, with <paramref name="bf16"/>, bfloat16) <paramref name="values"/> into shard
    /// <paramref name="shard"/>'s range of the parameters from <paramref name="offset"/>.
    /// </summary>
    public void Load(int shard, long offset, ReadOnlySpan<byte> values, bool bf16 = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ReadOnlySpan<float> floats = bf16 ? Widen(MemoryMarshal.Cast<byte, ushort>(values)) : MemoryMarshal.Cast<byte, float>(values);
        if (offset < 0 || offset + floats.Length > ShardLength(shard))
            throw new ArgumentOutOfRangeException(nameof(offset), $"Values [{offset}, {offset + floats.Length}) are outside shard {shard}.");
        FlatParameters.Write(_parameters, Layout, ShardStarts[shard] + offset, floats);
    }

    private static float[] Widen(ReadOnlySpan<ushort> halves)
    {
        var floats = new float[halves.Length];
        BFloat16Codec.AddDecoded(floats, halves);
        return floats;
    }

    /// <summary>Records that shard <paramref name="shard"/> is now at <paramref name="version"/> here.</summary>
    public void MarkLoaded(int shard, long version) => _loaded[shard] = version;

    /// <summary>
    /// Computes the gradient of a worker's slice of step <paramref name="step"/> (global rows <paramref name="users"/>
    /// of its <paramref name="partition"/>, keys = global rows, loss divided by the global batch size) and keeps it
    /// for the step's sum here. With <paramref name="push"/>, the parts for shards owned by other silos go to
    /// <see cref="GradientPush.Send"/>: the output layer's as soon as the backward pass has formed them, while the
    /// rest of it runs, then the other layers'. Slices of an earlier step are dropped.
    /// </summary>
    public BatchLoss Compute(int worker, UserPartition partition, int[] users, long step, long seed, int epoch, double beta, int globalBatchUsers,
        GradientPush? push = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        StartStep(step);
        if (users.Length == 0) return default;
        var rows = partition.LocalRows(users);
        var keys = users.Select(u => (long)u).ToArray();
        var touched = partition.TouchedItems(rows);
        int blocks = Layout.Blocks.Count, outputLayer = blocks - 2;
        bool outputSent = false;
        GradientComputer.ClearGradients(Network);
        Action? outputLayerReady = push is null ? null : () =>
        {
            using var scope = NewDisposeScope();
            Send(push, Network.OrderedParameters.Select(p => p.Tensor.grad).ToArray(), touched, outputLayer, blocks);
            outputSent = true;
        };
        // On a GPU the partition's clicks are uploaded once and batches gathered there; on the CPU built on the host.
        var loss = LocalStepExecutor.UsesDevice(BatchAssembly.Auto, Network.Device)
            ? GradientComputer.Accumulate(Network, AssemblerFor(partition), rows, (ulong)seed, epoch, beta, globalBatchUsers, keys, outputLayerReady)
            : GradientComputer.Accumulate(Network, partition.Clicks, rows, (ulong)seed, epoch, beta, globalBatchUsers, keys, outputLayerReady);
        var gradients = Network.OrderedParameters.Select(p => p.Tensor.grad!.DetachFromDisposeScope()).ToArray();
        GradientComputer.ClearGradients(Network);
        if (push is not null) Send(push, gradients, touched, 0, outputSent ? outputLayer : blocks);
        if (_slices.Remove(worker, out var old)) old.Dispose();
        _slices[worker] = new SliceGradient(gradients, touched);
        return loss;
    }

    private DeviceBatchAssembler AssemblerFor(UserPartition partition)
    {
        if (!_assemblers.TryGetValue(partition, out var assembler))
            _assemblers[partition] = assembler = new DeviceBatchAssembler(partition.Clicks, Network.Device);
        return assembler;
    }

    /// <summary>
    /// Computes the gradient of a worker's slice of RecVAE step <paramref name="step"/> (<see cref="RecVaeGradient"/> on
    /// global rows <paramref name="users"/> of its <paramref name="partition"/>, scaled by slice / <paramref name="globalBatchUsers"/>)
    /// and keeps it for the step's sum here; only the side <paramref name="pass"/>'s phase trains has a gradient. Before an
    /// encoder or joint step the prior's copy of the encoder is brought to <see cref="RecVaeStep.PriorVersion"/>: taken from
    /// the encoder when <see cref="RecVaeStep.EncoderIsPrior"/>; a replica that missed that moment (built again mid-epoch)
    /// cannot know it and throws <see cref="RecVaePriorLostException"/>. With <paramref name="push"/>, the parts for the phase's shards owned by other silos go
    /// to <see cref="GradientPush.Send"/> after the backward pass.
    /// </summary>
    public BatchLoss ComputeRecVae(int worker, UserPartition partition, int[] users, long step, long seed, RecVaeStep pass, int globalBatchUsers,
        GradientPush? push = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var network = RecVae ?? throw new InvalidOperationException("This replica holds a Mult-VAE or Mult-DAE, not a RecVAE.");
        StartStep(step);
        SyncPrior(network, pass);
        if (users.Length == 0) return default;
        var rows = partition.LocalRows(users);
        var keys = users.Select(u => (long)u).ToArray();
        var touched = pass.Phase == RecVaePhase.Decoder ? [] : partition.TouchedItems(rows);
        BatchLoss loss;
        Tensor?[] gradients;
        using (var scope = NewDisposeScope())
        {
            loss = RecVaeGradient.Accumulate(network, partition.Clicks, rows, keys, pass.Phase, pass.Pass, unchecked((ulong)seed), globalBatchUsers);
            gradients = network.Parameters.Select(p => p.grad?.DetachFromDisposeScope()).ToArray();
        }
        RecVaeGradient.ClearGradients(network);
        RecVaeGradient.Unfreeze(network);
        if (push is not null) Send(push, gradients, touched, 0, Layout.Blocks.Count);
        if (_slices.Remove(worker, out var old)) old.Dispose();
        _slices[worker] = new SliceGradient(gradients, touched);
        return loss;
    }

    /// <summary>The shards [From, To) a RecVAE phase updates: the encoder's, the decoder's, or all (a joint pass).</summary>
    /// <remarks>Reads only what the constructor fixed, so grains may call it off the compute thread.</remarks>
    public (int From, int To) ShardsOf(RecVaePhase phase) => RecVaeShards.Of(Layout, ShardStarts, _recVaeEncoderBlocks, phase);

    private void SyncPrior(RecVaeNetwork network, RecVaeStep pass)
    {
        if (network.PriorParameters.Count == 0 || pass.Phase == RecVaePhase.Decoder || pass.PriorVersion == _priorVersion) return;
        if (!pass.EncoderIsPrior)
            throw new RecVaePriorLostException($"This silo's RecVAE replica lacks the prior's copy of the encoder after epoch {pass.PriorVersion}: " +
                                                "it was built after that epoch's first update. The job must resume from its checkpoint.");
        network.RefreshPrior();
        _priorVersion = pass.PriorVersion;
    }

    private void Send(GradientPush push, IReadOnlyList<Tensor?> gradients, int[] touched, int fromBlock, int toBlock)
    {
        foreach (int shard in push.RemoteShards)
            foreach (var part in GradientExporter.Export(gradients, Layout, ShardStarts, touched, push.MaxChunkBytes, push.Bf16, shard, fromBlock, toBlock))
                push.Send(part);
    }

    /// <summary>The sum of step <paramref name="step"/>'s slices here, in worker order; null when no worker here had users.</summary>
    public SiloGradient? GradientOf(long step)
    {
        if (step != _gradientStep) return null;
        if (_sum is not null || _slices.Count == 0) return _sum;
        var slices = _slices.Values.ToArray();
        _slices.Clear();
        using (no_grad())
            for (int k = 1; k < slices.Length; k++)
                for (int b = 0; b < slices[0].Gradients.Length; b++)
                    if (slices[k].Gradients[b] is { } addend) slices[0].Gradients[b]!.AddInPlace(addend);
        var touched = slices.Length == 1 ? slices[0].TouchedItems : slices.SelectMany(s => s.TouchedItems).Distinct().Order().ToArray();
        for (int k = 1; k < slices.Length; k++) slices[k].Dispose();
        _sum = new SiloGradient(slices[0].Gradients, touched);
        return _sum;
    }

    /// <summary>Makes this silo the owner of shard <paramref name="shard"/> with fresh optimizer state.</summary>
    public ShardOptimizer Own(int shard, AdamOptions adam, double weightDecay)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_owned.Remove(shard, out var old)) old.Dispose();
        return _owned[shard] = new ShardOptimizer(_parameters, Layout, ShardStarts[shard], ShardStarts[shard + 1], adam, weightDecay,
            _autoencoder?.Config.NeighbourWeightDecay ?? 0);
    }

    /// <summary>The optimizer of a shard this silo owns.</summary>
    public ShardOptimizer Owned(int shard) =>
        _owned.TryGetValue(shard, out var optimizer) ? optimizer : throw new InvalidOperationException($"Shard {shard} is not owned here.");

    /// <summary>Whether this silo owns shard <paramref name="shard"/>.</summary>
    public bool Owns(int shard) => _owned.ContainsKey(shard);

    /// <summary>
    /// Updates owned shard <paramref name="shard"/> with step <paramref name="step"/>'s gradient: this silo's sum by
    /// reference, then <paramref name="remoteParts"/> (other silos', in their order). Returns the shard's new version.
    /// </summary>
    public long ApplyShard(int shard, long step, IReadOnlyList<GradientPart> remoteParts)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var optimizer = Owned(shard);
        optimizer.Apply(GradientOf(step)?.Gradients, remoteParts);
        _loaded[shard] = optimizer.Version;
        return optimizer.Version;
    }

    /// <summary>Frees the network, gradients and optimizer state.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        StartStep(long.MaxValue);
        foreach (var o in _owned.Values) o.Dispose();
        _owned.Clear();
        foreach (var a in _assemblers.Values) a.Dispose();
        _assemblers.Clear();
        _autoencoder?.Dispose();
        RecVae?.Dispose();
    }

    private void StartStep(long step)
    {
        if (step == _gradientStep) return;
        foreach (var s in _slices.Values) s.Dispose();
        _slices.Clear();
        _sum?.Dispose();
        _sum = null;
        _gradientStep = step;
    }

    private sealed record SliceGradient(Tensor?[] Gradients, int[] TouchedItems) : IDisposable
    {
        public void Dispose()
        {
            foreach (var g in Gradients) g?.Dispose();
        }
    }
}
