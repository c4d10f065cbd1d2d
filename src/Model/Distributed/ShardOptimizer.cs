using System.Runtime.InteropServices;
using TorchSharp;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// The optimizer state of one shard, a range [start, end) of the flat parameter vector, kept on the device of the
/// network whose parameters it updates in place. Its parameters are views into that network (nothing is copied),
/// its Adam moments are tensors beside them, and <see cref="Apply"/> adds the weight-decay gradient 2λW on every
/// weight in the range, 2λ_N·N on the item-item term's (as <see cref="GradientComputer.AddWeightDecay(AutoencoderNetwork)"/>
/// does in one process, whether or not any worker sent a gradient for the range), and takes one Adam step
/// (<see cref="AdamOptimizer"/>, the same update).
/// </summary>
public sealed class ShardOptimizer : IDisposable
{
    private readonly Segment[] _segments;
    private readonly AdamOptimizer _adam;
    private readonly double _weightDecay;
    private readonly double _neighbourWeightDecay;
    private Tensor[]? _scratch;

    /// <summary>
    /// Takes shard [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="network"/> with zero moments;
    /// <paramref name="weightDecay"/> is the layers' λ, <paramref name="neighbourWeightDecay"/> the item-item term's λ_N.
    /// </summary>
    public ShardOptimizer(AutoencoderNetwork network, ParameterLayout layout, long start, long end, AdamOptions adam, double weightDecay,
        double neighbourWeightDecay = 0)
        : this(FlatParameters.Tensors(network), layout, start, end, adam, weightDecay, neighbourWeightDecay)
    {
    }

    /// <summary>Takes shard [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="parameters"/> (one tensor per block, e.g. a RecVAE's) with zero moments.</summary>
    public ShardOptimizer(IReadOnlyList<Tensor> parameters, ParameterLayout layout, long start, long end, AdamOptions adam, double weightDecay,
        double neighbourWeightDecay = 0)
    {
        if (start < 0 || end > layout.TotalLength || start >= end)
            throw new ArgumentOutOfRangeException(nameof(start), $"Shard [{start}, {end}) is not inside the {layout.TotalLength} parameters.");
        Start = start;
        End = end;
        _weightDecay = weightDecay;
        _neighbourWeightDecay = neighbourWeightDecay;
        var segments = new List<Segment>();
        using (torch.no_grad())
        {
            for (int b = 0; b < layout.Blocks.Count; b++)
            {
                var block = layout.Blocks[b];
                long from = Math.Max(start, block.Offset), to = Math.Min(end, block.End);
                if (from >= to) continue;
                Tensor parameter = parameters[b];
                var view = parameter.detach().view(-1).narrow(0, from - block.Offset, to - from).DetachFromDisposeScope();
                segments.Add(new Segment(b, from - start, from - block.Offset, to - from, block.IsWeight, block.IsItemNeighbours, view));
            }
        }
        _segments = [.. segments];
        _adam = new AdamOptimizer(_segments.Select(s => s.Parameter).ToArray(), adam);
    }

    /// <summary>First parameter of the shard in the flat vector.</summary>
    public long Start { get; }

    /// <summary>One past its last parameter.</summary>
    public long End { get; }

    /// <summary>Parameters in the shard.</summary>
    public long Length => End - Start;

    /// <summary>Increases whenever the shard's parameters change (an update or a write).</summary>
    public long Version { get; private set; }

    /// <summary>Adam's step count t.</summary>
    public long StepCount => _adam.StepCount;

    /// <summary>Overwrites <paramref name="vector"/> from <paramref name="offset"/> (relative to the shard) with float32 <paramref name="values"/>.</summary>
    public void Write(ShardVector vector, long offset, ReadOnlySpan<byte> values)
    {
        var floats = MemoryMarshal.Cast<byte, float>(values);
        CheckRange(offset, floats.Length);
        var tensors = Vector(vector);
        for (int k = 0; k < _segments.Length; k++)
        {
            var s = _segments[k];
            long from = Math.Max(offset, s.ShardOffset), to = Math.Min(offset + floats.Length, s.ShardOffset + s.Length);
            if (from < to) FlatParameters.WriteRange(tensors[k], from - s.ShardOffset, floats.Slice((int)(from - offset), (int)(to - from)));
        }
        if (vector == ShardVector.Parameters) Version++;
    }

    /// <summary>Copies <paramref name="count"/> float32 values of <paramref name="vector"/> from <paramref name="offset"/> (relative to the shard).</summary>
    public byte[] Read(ShardVector vector, long offset, int count)
    {
        CheckRange(offset, count);
        var copy = GC.AllocateUninitializedArray<byte>(count * sizeof(float));
        var floats = MemoryMarshal.Cast<byte, float>(copy.AsSpan());
        var tensors = Vector(vector);
        for (int k = 0; k < _segments.Length; k++)
        {
            var s = _segments[k];
            long from = Math.Max(offset, s.ShardOffset), to = Math.Min(offset + count, s.ShardOffset + s.Length);
            if (from < to)
                FlatParameters.Floats(tensors[k], from - s.ShardOffset, (int)(to - from)).CopyTo(floats.Slice((int)(from - offset), (int)(to - from)));
        }
        return copy;
    }

    /// <summary>
    /// Copies the shard's range of <paramref name="vector"/> into the same range of <paramref name="blockTensors"/>
    /// (one tensor per parameter block, on any device: a job's mirror of the parameters or moments).
    /// </summary>
    public void CopyTo(ShardVector vector, IReadOnlyList<Tensor> blockTensors)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var tensors = Vector(vector);
        for (int k = 0; k < _segments.Length; k++)
        {
            var s = _segments[k];
            blockTensors[s.Block].view(-1).narrow(0, s.BlockOffset, s.Length).copy_(tensors[k]);
        }
    }

    /// <summary>Overwrites the shard's range of <paramref name="vector"/> from the same range of <paramref name="blockTensors"/>.</summary>
    public void CopyFrom(ShardVector vector, IReadOnlyList<Tensor> blockTensors)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var tensors = Vector(vector);
        for (int k = 0; k < _segments.Length; k++)
        {
            var s = _segments[k];
            tensors[k].copy_(blockTensors[s.Block].view(-1).narrow(0, s.BlockOffset, s.Length));
        }
        if (vector == ShardVector.Parameters) Version++;
    }

    /// <summary>Sets Adam's step count (when resuming; the moments are written with <see cref="Write"/>).</summary>
    public void SetStepCount(long stepCount) => _adam.SetStepCount(stepCount);

    /// <summary>
    /// One update. The gradient is <paramref name="localGradient"/> (whole per-block tensors on this device, used and
    /// changed in place; null when no worker here had users) plus the <paramref name="remoteParts"/> in their order;
    /// then weight decay and Adam. Bumps <see cref="Version"/>.
    /// </summary>
    public void Apply(IReadOnlyList<Tensor?>? localGradient, IReadOnlyList<GradientPart> remoteParts)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var gradients = new Tensor[_segments.Length];
        bool scratch = localGradient is null;
        if (scratch) _scratch ??= _segments.Select(s => torch.zeros_like(s.Parameter).DetachFromDisposeScope()).ToArray();
        for (int k = 0; k < _segments.Length; k++)
        {
            var s = _segments[k];
            gradients[k] = scratch ? _scratch![k]
                : (localGradient![s.Block] ?? throw new ArgumentException($"Block {s.Block} of the shard has no gradient.", nameof(localGradient)))
                .view(-1).narrow(0, s.BlockOffset, s.Length);
        }
        foreach (var part in remoteParts) AddPart(gradients, part);
        for (int k = 0; k < _segments.Length; k++)
        {
            var s = _segments[k];
            double lambda = s.IsItemNeighbours ? _neighbourWeightDecay : s.IsWeight ? _weightDecay : 0;
            if (lambda != 0) GradientComputer.AddWeightDecay(gradients[k], s.Parameter, lambda);
        }
        _adam.Step(gradients);
        if (scratch) foreach (var t in _scratch!) t.zero_();
        Version++;
    }

    /// <summary>Frees the moments and views (the network keeps its parameters).</summary>
    public void Dispose()
    {
        _adam.Dispose();
        foreach (var s in _segments) s.Parameter.Dispose();
        if (_scratch is not null) foreach (var t in _scratch) t.Dispose();
    }

    private void AddPart(Tensor[] gradients, GradientPart part)
    {
        if (part.SegmentStarts.Length != part.SegmentLengths.Length) throw new ArgumentException("One length per segment start is required.");
        if (part.Values.Length != part.ValueCount * (part.Bf16 ? 2 : 4))
            throw new ArgumentException($"Gradient part has {part.Values.Length} bytes for {part.ValueCount} values.", nameof(part));
        int at = 0;
        for (int j = 0; j < part.SegmentStarts.Length; j++)
        {
            long start = part.SegmentStarts[j];
            int length = part.SegmentLengths[j];
            CheckRange(start, length);
            for (int k = 0; k < _segments.Length; k++)
            {
                var s = _segments[k];
                long from = Math.Max(start, s.ShardOffset), to = Math.Min(start + length, s.ShardOffset + s.Length);
                if (from >= to) continue;
                int valueAt = at + (int)(from - start), count = (int)(to - from);
                FlatParameters.AddRange(gradients[k], from - s.ShardOffset, part.Values, valueAt, count, part.Bf16);
            }
            at += length;
        }
    }

    private IReadOnlyList<Tensor> Vector(ShardVector vector) => vector switch
    {
        ShardVector.Parameters => _segments.Select(s => s.Parameter).ToArray(),
        ShardVector.FirstMoment => _adam.FirstMoments,
        ShardVector.SecondMoment => _adam.SecondMoments,
        _ => throw new ArgumentOutOfRangeException(nameof(vector)),
    };

    private void CheckRange(long offset, long count)
    {
        if (offset < 0 || count < 0 || offset + count > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Range [{offset}, {offset + count}) is outside the shard's {Length} parameters.");
    }

    /// <summary>Where a block's piece of the shard lies: in the shard, in the block, and its parameter view.</summary>
    private readonly record struct Segment(int Block, long ShardOffset, long BlockOffset, long Length, bool IsWeight, bool IsItemNeighbours, Tensor Parameter);
}
