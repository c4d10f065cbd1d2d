using TorchSharp;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Training;

public sealed class GradientComputerTests
{
    [Theory]
    [InlineData(ModelKind.Vae)]
    [InlineData(ModelKind.Dae)]
    public void Accumulate_BatchSplitIntoSlices_SumsToWholeBatchGradient(ModelKind kind)
    {
        var split = PlantedSplit.Create(60, 5, 40, 4, seed: 3);
        var config = new AutoencoderConfig { Kind = kind, ItemCount = 40, HiddenDims = [16], LatentDim = 8 };
        using var network = new AutoencoderNetwork(config, seed: 5);
        int[] rows = Enumerable.Range(0, 60).Reverse().ToArray();

        GradientComputer.ClearGradients(network);
        var whole = GradientComputer.Accumulate(network, split.Train, rows, 1, 2, 0.2, rows.Length);
        var expected = network.OrderedParameters.Select(p => p.Tensor.grad!.clone()).ToArray();

        GradientComputer.ClearGradients(network);
        var parts = default(BatchLoss);
        foreach (var slice in rows.Chunk(17))
            parts += GradientComputer.Accumulate(network, split.Train, slice, 1, 2, 0.2, rows.Length);

        Assert.Equal(whole.NegativeLogLikelihoodSum, parts.NegativeLogLikelihoodSum, 2);
        Assert.Equal(whole.KlDivergenceSum, parts.KlDivergenceSum, 3);
        foreach (var (p, e) in network.OrderedParameters.Zip(expected))
            Assert.True(torch.allclose(p.Tensor.grad!, e, rtol: 1e-4, atol: 1e-6), $"{p.Name} differs between whole batch and slices");
    }

    [Fact]
    public void Accumulate_DifferentEpochs_DrawDifferentDropoutMasks()
    {
        var split = PlantedSplit.Create(30, 5, 40, 4, seed: 3);
        var config = new AutoencoderConfig { Kind = ModelKind.Dae, ItemCount = 40, HiddenDims = [], LatentDim = 8 };
        using var network = new AutoencoderNetwork(config, seed: 5);
        int[] rows = Enumerable.Range(0, 30).ToArray();
        var first = GradientComputer.Accumulate(network, split.Train, rows, 1, 1, 0, 30);
        var again = GradientComputer.Accumulate(network, split.Train, rows, 1, 1, 0, 30);
        var other = GradientComputer.Accumulate(network, split.Train, rows, 1, 2, 0, 30);
        Assert.Equal(first.NegativeLogLikelihoodSum, again.NegativeLogLikelihoodSum);
        Assert.NotEqual(first.NegativeLogLikelihoodSum, other.NegativeLogLikelihoodSum);
    }
}
