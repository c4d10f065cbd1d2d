using static TorchSharp.torch;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// One silo's gradient of one step: the sum of its workers' slices, one tensor per parameter block on the silo's
/// device, and the items its users clicked (the only first-layer rows that can be non-zero). Owners on the same silo
/// read it by reference; for owners elsewhere it is cut into row-sparse byte parts once per shard.
/// </summary>
public sealed class SiloGradient(ParameterLayout layout, long[] shardStarts, Tensor[] gradients, int[] touchedItems) : IDisposable
{
    private readonly Dictionary<(int Shard, bool Bf16), IReadOnlyList<GradientPart>> _parts = [];

    /// <summary>The gradient, one tensor per block.</summary>
    public Tensor[] Gradients { get; } = gradients;

    /// <summary>Sorted distinct items clicked by the silo's users of the step.</summary>
    public int[] TouchedItems { get; } = touchedItems;

    /// <summary>The parts bound for shard <paramref name="shard"/> (computed once, then reused).</summary>
    public IReadOnlyList<GradientPart> PartsFor(int shard, int maxChunkBytes, bool bf16)
    {
        if (!_parts.TryGetValue((shard, bf16), out var parts))
            _parts[(shard, bf16)] = parts = GradientExporter.Export(Gradients, layout, shardStarts, TouchedItems, maxChunkBytes, bf16, shard);
        return parts;
    }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (var g in Gradients) g.Dispose();
    }
}
