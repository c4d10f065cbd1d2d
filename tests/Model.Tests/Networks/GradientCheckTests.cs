using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Networks;

public sealed class GradientCheckTests
{
    private static readonly ClickMatrix Clicks = ClickMatrix.FromPairs(4, 7,
        [0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 3],
        [0, 2, 5, 1, 6, 0, 3, 4, 6, 2, 5]);

    private static double Objective(AutoencoderNetwork network, double beta)
    {
        var loss = GradientComputer.Accumulate(network, Clicks, [0, 1, 2, 3], seed: 7, epoch: 3, beta, globalBatchUsers: 4);
        using var penalty = AutoencoderObjective.WeightPenalty(network);
        return loss.Loss(beta) + penalty.item<float>();
    }

    [Theory]
    [InlineData(ModelKind.Vae, Likelihood.Multinomial, CodeActivation.Tanh)]
    [InlineData(ModelKind.Vae, Likelihood.Gaussian, CodeActivation.Tanh)]
    [InlineData(ModelKind.Vae, Likelihood.Logistic, CodeActivation.Tanh)]
    [InlineData(ModelKind.Dae, Likelihood.Multinomial, CodeActivation.Tanh)]
    [InlineData(ModelKind.Dae, Likelihood.Multinomial, CodeActivation.Linear)]
    public void Accumulate_SmallNetwork_MatchesCentralFiniteDifferences(ModelKind kind, Likelihood likelihood, CodeActivation code)
    {
        var config = new AutoencoderConfig
        {
            Kind = kind, Likelihood = likelihood, ItemCount = 7, HiddenDims = [5], LatentDim = 3,
            WeightDecay = kind == ModelKind.Dae ? 0.01 : 0, CodeActivation = code,
        };
        using var network = new AutoencoderNetwork(config, seed: 11);
        AssertGradientsMatchFiniteDifferences(network, expectedTensors: 8);
    }

    /// <summary>
    /// The item-item term's gradient (and its own weight decay) along with the layers', from non-zero term weights:
    /// the DAE and the VAE, with dropout so kept clicks count 1/keep.
    /// </summary>
    [Theory]
    [InlineData(ModelKind.Dae)]
    [InlineData(ModelKind.Vae)]
    public void Accumulate_WithTheItemItemTerm_MatchesCentralFiniteDifferences(ModelKind kind)
    {
        var config = new AutoencoderConfig
        {
            Kind = kind, ItemCount = 7, HiddenDims = [5], LatentDim = 3, WeightDecay = 0.01, DropoutRate = 0.3,
            ItemNeighbours = 3, NeighbourWeightDecay = 0.05,
        };
        using var network = new AutoencoderNetwork(config, seed: 11);
        network.SetNeighbourTargets(ItemNeighbourhood.Build(Clicks, 3));
        NeighbourWeights.FillRandom(network, 5);
        AssertGradientsMatchFiniteDifferences(network, expectedTensors: 9);
    }

    private static void AssertGradientsMatchFiniteDifferences(AutoencoderNetwork network, int expectedTensors)
    {
        const double beta = 0.3;
        GradientComputer.ClearGradients(network);
        Objective(network, beta);
        GradientComputer.AddWeightDecay(network);
        var analyticGradients = network.OrderedParameters.Select(p => p.Tensor.grad!.clone()).ToArray();
        GradientComputer.ClearGradients(network);
        int checkedCount = 0;
        foreach (var ((name, parameter), analytic) in network.OrderedParameters.Zip(analyticGradients))
        {
            // Check the three entries with the largest analytic gradient in each tensor.
            using var flatAnalytic = analytic.flatten();
            var top = flatAnalytic.abs().topk(Math.Min(3, (int)flatAnalytic.numel())).indexes.data<long>().ToArray();
            foreach (long index in top)
            {
                const float h = 1e-2f;
                double original = parameter.flatten()[index].item<float>();
                using (torch.no_grad()) parameter.view(-1)[index] = torch.tensor((float)(original + h));
                double plus = Objective(network, beta);
                using (torch.no_grad()) parameter.view(-1)[index] = torch.tensor((float)(original - h));
                double minus = Objective(network, beta);
                using (torch.no_grad()) parameter.view(-1)[index] = torch.tensor((float)original);
                GradientComputer.ClearGradients(network);
                double numeric = (plus - minus) / (2 * h);
                double expected = flatAnalytic[index].item<float>();
                Assert.True(Math.Abs(numeric - expected) <= 2e-3 + 0.05 * Math.Abs(expected),
                    $"{name}[{index}]: autograd {expected}, finite difference {numeric}");
                checkedCount++;
            }
            analytic.Dispose();
        }
        Assert.True(checkedCount >= 3 * expectedTensors);
    }
}
