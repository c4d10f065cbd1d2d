using static TorchSharp.torch;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// One silo's gradient of one step: the sum of its workers' slices, one tensor per parameter block on the silo's
/// device, and the items its users clicked (the only first-layer rows that can be non-zero). Shard owners on the same
/// silo read it by reference; owners elsewhere got each worker's parts as bytes while it computed.
/// </summary>
public sealed class SiloGradient(Tensor?[] gradients, int[] touchedItems) : IDisposable
{
    /// <summary>The gradient, one tensor per block (null for a block no worker here trained: RecVAE's frozen side).</summary>
    public Tensor?[] Gradients { get; } = gradients;

    /// <summary>Sorted distinct items clicked by the silo's users of the step.</summary>
    public int[] TouchedItems { get; } = touchedItems;

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (var g in Gradients) g?.Dispose();
    }
}
