using System.Runtime.InteropServices;
using TorchSharp;
using VaeCfCluster.Model.Distributed;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// One of an item shard's three state vectors (parameters, Adam's first or second moments) as one flat float32 vector:
/// the first layer's rows [range, H₁] row by row, then the output layer's columns [H, range] row by row, then the
/// output bias [range]. State crosses silos in ranges of this vector.
/// </summary>
public static class ItemShardVector
{
    /// <summary>The three tensors of <paramref name="kind"/> of <paramref name="shard"/>.</summary>
    public static Tensor[] Of(ItemShard shard, ShardVector kind) => kind switch
    {
        ShardVector.Parameters => [shard.InputRows, shard.OutputColumns, shard.OutputBias],
        ShardVector.FirstMoment => shard.Optimizer.FirstMoments.ToArray(),
        ShardVector.SecondMoment => shard.Optimizer.SecondMoments.ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown state vector."),
    };

    /// <summary>Elements of the flat vector of <paramref name="parts"/>.</summary>
    public static long Length(IReadOnlyList<Tensor> parts) => parts.Sum(p => p.numel());

    /// <summary>Overwrites elements [offset, offset + values.Length) of the flat vector of contiguous <paramref name="parts"/>.</summary>
    public static void Write(IReadOnlyList<Tensor> parts, long offset, ReadOnlySpan<float> values)
    {
        Check(parts, offset, values.Length);
        long start = 0;
        foreach (var part in parts)
        {
            long length = part.numel(), from = Math.Max(offset, start), to = Math.Min(offset + values.Length, start + length);
            if (from < to) FlatParameters.WriteRange(part, from - start, values.Slice((int)(from - offset), (int)(to - from)));
            start += length;
        }
    }

    /// <summary>Elements [offset, offset + count) of the flat vector of contiguous <paramref name="parts"/>, as float32 bytes.</summary>
    public static byte[] Read(IReadOnlyList<Tensor> parts, long offset, int count)
    {
        Check(parts, offset, count);
        var bytes = GC.AllocateUninitializedArray<byte>(count * sizeof(float));
        var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan());
        long start = 0;
        using var scope = torch.NewDisposeScope();
        foreach (var part in parts)
        {
            long length = part.numel(), from = Math.Max(offset, start), to = Math.Min(offset + count, start + length);
            if (from < to)
                part.detach().reshape(-1).narrow(0, from - start, to - from).cpu().data<float>().CopyTo(values.Slice((int)(from - offset), (int)(to - from)));
            start += length;
        }
        return bytes;
    }

    /// <summary>The flat vector of <paramref name="parts"/> (any strides, such as column views of a whole layer) as one host tensor.</summary>
    public static Tensor Gather(IReadOnlyList<Tensor> parts)
    {
        using var scope = torch.NewDisposeScope();
        return scope.MoveToOuter(torch.cat(parts.Select(p => p.detach().contiguous().reshape(-1).cpu()).ToArray()));
    }

    /// <summary>Copies the host flat vector <paramref name="flat"/> into <paramref name="parts"/> (any strides, such as column views of a whole layer).</summary>
    public static void Scatter(Tensor flat, IReadOnlyList<Tensor> parts)
    {
        if (flat.numel() != Length(parts)) throw new ArgumentException($"A flat vector of {flat.numel()} values for {Length(parts)} elements.", nameof(flat));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        long start = 0;
        foreach (var part in parts)
        {
            long length = part.numel();
            part.copy_(flat.narrow(0, start, length).view(part.shape).to(part.device));
            start += length;
        }
    }

    private static void Check(IReadOnlyList<Tensor> parts, long offset, int count)
    {
        long length = Length(parts);
        if (offset < 0 || count < 0 || offset + count > length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Range [{offset}, {offset + count}) is outside the item shard's {length} values.");
    }
}
