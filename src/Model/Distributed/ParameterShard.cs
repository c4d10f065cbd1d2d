using System.Runtime.InteropServices;
using TorchSharp;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// One shard of the parameter server: a contiguous range of the flat parameter vector, its Adam moments, and the
/// sum of the gradients pushed for the current step. <see cref="Apply"/> adds the weight-decay gradient 2λW on the
/// weight ranges (as <see cref="GradientComputer.AddWeightDecay"/> does in one process), takes one Adam step
/// (<see cref="AdamOptimizer"/>, the same update) and bumps <see cref="Version"/>. Parts must be added in a fixed
/// order (worker, then chunk) for the sum, and so the model, not to depend on the order they arrived in.
/// </summary>
public sealed class ParameterShard : IDisposable
{
    private readonly Tensor _values;
    private readonly Tensor _gradient;
    private readonly AdamOptimizer _adam;
    private readonly long[] _weightRanges;
    private readonly double _weightDecay;
    private bool _hasGradient;

    /// <summary>Creates a shard of <paramref name="length"/> zero parameters and zero moments.</summary>
    /// <param name="length">Parameters in the range.</param>
    /// <param name="weightRanges">(start, length) pairs of weight matrices inside the range.</param>
    /// <param name="adam">Optimizer settings.</param>
    /// <param name="weightDecay">λ of the λ·Σ‖W‖² penalty.</param>
    public ParameterShard(long length, long[] weightRanges, AdamOptions adam, double weightDecay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (length > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(length), "A shard holds at most 2^31 - 1 parameters; use more shards.");
        if (weightRanges.Length % 2 != 0) throw new ArgumentException("Weight ranges come in (start, length) pairs.", nameof(weightRanges));
        Length = length;
        _weightRanges = weightRanges;
        _weightDecay = weightDecay;
        _values = torch.zeros(length, ScalarType.Float32).DetachFromDisposeScope();
        _gradient = torch.zeros(length, ScalarType.Float32).DetachFromDisposeScope();
        _adam = new AdamOptimizer([_values], adam);
    }

    /// <summary>Parameters in the shard.</summary>
    public long Length { get; }

    /// <summary>Increases whenever the parameters change (an update or a write).</summary>
    public long Version { get; private set; }

    /// <summary>Adam's step count t.</summary>
    public long StepCount => _adam.StepCount;

    /// <summary>Overwrites <paramref name="vector"/> from <paramref name="offset"/> with float32 <paramref name="values"/>.</summary>
    public void Write(ShardVector vector, long offset, ReadOnlySpan<byte> values)
    {
        var floats = MemoryMarshal.Cast<byte, float>(values);
        CheckRange(offset, floats.Length);
        floats.CopyTo(Floats(Vector(vector)).Slice((int)offset, floats.Length));
        if (vector == ShardVector.Parameters) Version++;
    }

    /// <summary>Copies <paramref name="count"/> float32 values of <paramref name="vector"/> from <paramref name="offset"/>.</summary>
    public byte[] Read(ShardVector vector, long offset, int count)
    {
        CheckRange(offset, count);
        var source = MemoryMarshal.AsBytes(Floats(Vector(vector)).Slice((int)offset, count));
        var copy = GC.AllocateUninitializedArray<byte>(source.Length);
        source.CopyTo(copy);
        return copy;
    }

    /// <summary>Sets Adam's step count (when resuming; the moments are written with <see cref="Write"/>).</summary>
    public void SetStepCount(long stepCount) => _adam.Restore(stepCount, _adam.FirstMoments, _adam.SecondMoments);

    /// <summary>Adds one gradient part (segments relative to the shard) into the step's sum.</summary>
    public void AddGradient(long[] segmentStarts, int[] segmentLengths, ReadOnlySpan<byte> values, bool bf16)
    {
        if (segmentStarts.Length != segmentLengths.Length) throw new ArgumentException("One length per segment start is required.");
        long total = segmentLengths.Sum(l => (long)l);
        if (values.Length != total * (bf16 ? 2 : 4))
            throw new ArgumentException($"Gradient part has {values.Length} bytes for {total} values.", nameof(values));
        var sum = Floats(_gradient);
        var floats = MemoryMarshal.Cast<byte, float>(values);
        var halves = MemoryMarshal.Cast<byte, ushort>(values);
        int at = 0;
        for (int k = 0; k < segmentStarts.Length; k++)
        {
            long start = segmentStarts[k];
            int length = segmentLengths[k];
            CheckRange(start, length);
            var target = sum.Slice((int)start, length);
            if (bf16)
                BFloat16Codec.AddDecoded(target, halves.Slice(at, length));
            else
                VectorMath.AddInPlace(target, floats.Slice(at, length));
            at += length;
        }
        _hasGradient = true;
    }

    /// <summary>Applies weight decay and one Adam step with the summed gradient, clears the sum, bumps the version.</summary>
    public void Apply()
    {
        using (var scope = torch.NewDisposeScope())
        using (var noGrad = torch.no_grad())
        {
            if (_weightDecay != 0 && _hasGradient)
                for (int k = 0; k < _weightRanges.Length; k += 2)
                    _gradient.narrow(0, _weightRanges[k], _weightRanges[k + 1])
                        .AddScaledInPlace(_values.narrow(0, _weightRanges[k], _weightRanges[k + 1]), 2 * _weightDecay);
            _adam.Step([_gradient]);
            _gradient.zero_();
        }
        _hasGradient = false;
        Version++;
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        _adam.Dispose();
        _values.Dispose();
        _gradient.Dispose();
    }

    private Tensor Vector(ShardVector vector) => vector switch
    {
        ShardVector.Parameters => _values,
        ShardVector.FirstMoment => _adam.FirstMoments[0],
        ShardVector.SecondMoment => _adam.SecondMoments[0],
        _ => throw new ArgumentOutOfRangeException(nameof(vector)),
    };

    private static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    private void CheckRange(long offset, long count)
    {
        if (offset < 0 || count < 0 || offset + count > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Range [{offset}, {offset + count}) is outside the shard's {Length} parameters.");
    }
}
