using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// One parameter tensor's place in the flat parameter vector.
/// </summary>
/// <param name="Name">Checkpoint key ("encoder.0.weight", ...).</param>
/// <param name="Offset">First element in the flat vector.</param>
/// <param name="Length">Number of elements.</param>
/// <param name="RowLength">Elements per row (the last dimension; the length itself for a vector).</param>
/// <param name="IsWeight">A weight matrix (weight decay applies), not a bias.</param>
/// <param name="IsRowSparse">
/// The first layer's weight or the item-item term's, whose gradients are non-zero only on the rows of clicked items.
/// </param>
public sealed record ParameterBlock(string Name, long Offset, long Length, long RowLength, bool IsWeight, bool IsRowSparse)
{
    /// <summary>The item-item term's weights [I, k], whose weight decay is its own λ_N.</summary>
    public bool IsItemNeighbours => Name == AutoencoderNetwork.NeighbourWeightName;

    /// <summary>One past the last element.</summary>
    public long End => Offset + Length;
}
