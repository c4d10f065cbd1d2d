using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// An item range's parts of a whole network's tensors in parameter order (first layer [I, H₁], middle, output weight
/// [H, I], output bias [I]) or of its Adam moments: the first layer's rows, the output layer's columns and bias (views).
/// </summary>
public static class ItemShardSlices
{
    /// <summary>Views of <paramref name="range"/>'s rows, columns and bias in <paramref name="whole"/>.</summary>
    public static Tensor[] Of(IReadOnlyList<Tensor> whole, ItemRange range)
    {
        int n = whole.Count;
        return [whole[0].narrow(0, range.Start, range.Count), whole[n - 2].narrow(1, range.Start, range.Count), whole[n - 1].narrow(0, range.Start, range.Count)];
    }
}
