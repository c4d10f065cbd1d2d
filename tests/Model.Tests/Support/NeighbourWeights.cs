using TorchSharp;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Tests.Support;

/// <summary>Random item-item term weights for tests: the term starts at zero, which would hide a wrong product or gradient.</summary>
internal static class NeighbourWeights
{
    /// <summary>Fills <paramref name="network"/>'s item-item term with standard normal values drawn from <paramref name="seed"/>.</summary>
    public static void FillRandom(AutoencoderNetwork network, ulong seed)
    {
        using var generator = new torch.Generator(seed);
        using var noGrad = torch.no_grad();
        using var values = torch.randn(network.NeighbourWeight!.shape, generator: generator);
        network.NeighbourWeight.copy_(values);
    }
}
