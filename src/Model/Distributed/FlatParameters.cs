using System.Runtime.InteropServices;
using TorchSharp;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// Copies between a network's parameters and ranges of the flat parameter vector (<see cref="ParameterLayout"/>).
/// CPU tensors are read and written in place through their storage; tensors on another device go through one host
/// copy per block.
/// </summary>
public static class FlatParameters
{
    /// <summary>Copies the flat range [start, start + destination.Length) of the parameters into <paramref name="destination"/>.</summary>
    public static void Read(AutoencoderNetwork network, ParameterLayout layout, long start, Span<float> destination) =>
        Read(Tensors(network), layout, start, destination);

    /// <summary>Copies the flat range [start, start + destination.Length) of <paramref name="tensors"/> (one per block) into <paramref name="destination"/>.</summary>
    public static void Read(IReadOnlyList<Tensor> tensors, ParameterLayout layout, long start, Span<float> destination)
    {
        CheckRange(layout, start, destination.Length);
        for (int i = 0; i < layout.Blocks.Count; i++)
        {
            var block = layout.Blocks[i];
            long from = Math.Max(start, block.Offset), to = Math.Min(start + destination.Length, block.End);
            if (from >= to) continue;
            Floats(tensors[i], from - block.Offset, (int)(to - from))
                .CopyTo(destination.Slice((int)(from - start), (int)(to - from)));
        }
    }

    /// <summary>Overwrites the flat range [start, start + source.Length) of the parameters with <paramref name="source"/>.</summary>
    public static void Write(AutoencoderNetwork network, ParameterLayout layout, long start, ReadOnlySpan<float> source) =>
        Write(Tensors(network), layout, start, source);

    /// <summary>Overwrites the flat range [start, start + source.Length) of <paramref name="tensors"/> (one per block, e.g. Adam moments).</summary>
    public static void Write(IReadOnlyList<Tensor> tensors, ParameterLayout layout, long start, ReadOnlySpan<float> source)
    {
        CheckRange(layout, start, source.Length);
        for (int i = 0; i < layout.Blocks.Count; i++)
        {
            var block = layout.Blocks[i];
            long from = Math.Max(start, block.Offset), to = Math.Min(start + source.Length, block.End);
            if (from >= to) continue;
            var tensor = tensors[i];
            var values = source.Slice((int)(from - start), (int)(to - from));
            if (tensor.device_type == DeviceType.CPU && tensor.is_contiguous())
            {
                values.CopyTo(MemoryMarshal.Cast<byte, float>(tensor.bytes).Slice((int)(from - block.Offset), values.Length));
                continue;
            }
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            tensor.view(-1).narrow(0, from - block.Offset, values.Length).copy_(torch.tensor(values.ToArray()).to(tensor.device));
        }
    }

    /// <summary>Overwrites elements [offset, offset + values.Length) of a contiguous tensor (in place on the CPU, one upload elsewhere).</summary>
    public static void WriteRange(Tensor tensor, long offset, ReadOnlySpan<float> values)
    {
        if (tensor.device_type == DeviceType.CPU && tensor.is_contiguous())
        {
            values.CopyTo(MemoryMarshal.Cast<byte, float>(tensor.bytes).Slice(checked((int)offset), values.Length));
            return;
        }
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        tensor.view(-1).narrow(0, offset, values.Length).copy_(torch.tensor(values.ToArray()).to(tensor.device));
    }

    /// <summary>
    /// Adds <paramref name="count"/> float32 (or bfloat16) values of <paramref name="bytes"/>, starting at value
    /// <paramref name="valueAt"/>, into elements [offset, offset + count) of a contiguous tensor.
    /// </summary>
    public static void AddRange(Tensor tensor, long offset, byte[] bytes, int valueAt, int count, bool bf16)
    {
        if (tensor.device_type == DeviceType.CPU && tensor.is_contiguous())
        {
            var target = MemoryMarshal.Cast<byte, float>(tensor.bytes).Slice(checked((int)offset), count);
            if (bf16) BFloat16Codec.AddDecoded(target, MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan(valueAt * 2, count * 2)));
            else VectorMath.AddInPlace(target, MemoryMarshal.Cast<byte, float>(bytes.AsSpan(valueAt * 4, count * 4)));
            return;
        }
        var values = new float[count];
        if (bf16)
        {
            var halves = MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan(valueAt * 2, count * 2));
            for (int i = 0; i < count; i++) values[i] = BFloat16Codec.Decode(halves[i]);
        }
        else MemoryMarshal.Cast<byte, float>(bytes.AsSpan(valueAt * 4, count * 4)).CopyTo(values);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        tensor.view(-1).narrow(0, offset, count).AddInPlace(torch.tensor(values).to(tensor.device));
    }

    /// <summary>The network's parameter tensors in layout order.</summary>
    public static Tensor[] Tensors(AutoencoderNetwork network) => network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray();

    /// <summary>The float32 elements [offset, offset + count) of a CPU tensor's storage, or a host copy of them.</summary>
    internal static ReadOnlySpan<float> Floats(Tensor tensor, long offset, int count)
    {
        if (tensor.device_type == DeviceType.CPU && tensor.is_contiguous())
            return MemoryMarshal.Cast<byte, float>(tensor.bytes).Slice(checked((int)offset), count);
        using var scope = torch.NewDisposeScope();
        return tensor.reshape(-1).narrow(0, offset, count).cpu().data<float>().ToArray();
    }

    /// <summary>The tensor of block <paramref name="index"/>: the parameter, or its gradient.</summary>
    internal static Tensor BlockTensor(AutoencoderNetwork network, ParameterLayout layout, int index, bool gradient)
    {
        Tensor tensor = network.OrderedParameters[index].Tensor;
        return gradient ? tensor.grad ?? throw new InvalidOperationException($"{layout.Blocks[index].Name} has no gradient.") : tensor;
    }

    private static void CheckRange(ParameterLayout layout, long start, int length)
    {
        if (start < 0 || start + length > layout.TotalLength)
            throw new ArgumentOutOfRangeException(nameof(start), $"Range [{start}, {start + length}) is outside the {layout.TotalLength} parameters.");
    }
}
