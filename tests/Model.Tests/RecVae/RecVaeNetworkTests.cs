using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.RecVae;

/// <summary>The network against the RecVAE reference code's formulas, computed here on dense tensors step by step.</summary>
public sealed class RecVaeNetworkTests
{
    private static readonly RecVaeOptions Small = new() { Hidden = 8, Latent = 3, EncoderLayers = 3, Seed = 5 };

    private static ClickMatrix Clicks() => ClickMatrix.FromPairs(3, 7, [0, 0, 0, 1, 1, 2, 2, 2, 2], [0, 2, 5, 1, 6, 0, 3, 4, 6]);

    [Fact]
    public void Score_IsTheDenseEncoderMeanThroughTheDecoder()
    {
        using var network = new RecVaeNetwork(7, Small, 5);
        var clicks = Clicks();
        using var scores = network.Score(clicks, 0, 3);
        using var expected = ReferenceForward(network, Dense(clicks), Small).Logits;
        Assert.True(allclose(scores, expected, 1e-4, 1e-5), "scores differ from the dense reference");
    }

    [Theory]
    [InlineData(3, 3)]   // ranges of 3 items: 3, 3, 1
    [InlineData(2, 1)]   // ranges of k = 2 items (the width never drops below k): 2, 2, 2, 1
    [InlineData(4, 100)] // the whole catalog in one range
    public void TopItems_ItemRanges_RankAsTheWholeScoreMatrix(int k, int itemsPerRange)
    {
        using var network = new RecVaeNetwork(7, Small, 5) { MaxScoresPerRange = 3L * itemsPerRange };
        var clicks = ClickMatrix.FromPairs(3, 7, [0, 1, 2, 2], [2, 6, 0, 4]);
        using var scores = network.Score(clicks, 0, 3);
        WholeMatrixRanking.AssertRanksAs(network.TopItems(clicks, 0, 3, k), scores.data<float>().ToArray(), clicks, 0, 3, 7, k);
    }

    [Fact]
    public void Score_MultVaeEncoder_IsOneTanhLayer()
    {
        var options = Small with { Encoder = RecVaeEncoderKind.MultVae };
        using var network = new RecVaeNetwork(7, options, 5);
        var clicks = Clicks();
        using var scores = network.Score(clicks, 0, 3);
        var p = network.Encoder.Parameters;
        Assert.Equal(4, p.Count);
        var x = Dense(clicks);
        var h = x.div(x.sum(1, keepdim: true).sqrt()).matmul(p[0]).add(p[1]).tanh();
        var mean = h.matmul(p[2]).add(p[3]).narrow(1, 0, 3);
        var d = network.DecoderParameters;
        Assert.True(allclose(scores, mean.matmul(d[0]).add(d[1]), 1e-4, 1e-5));
    }

    [Fact]
    public void Loss_WithUserSpecificBeta_IsTheReferenceNegativeElbo()
    {
        foreach (var prior in new[] { RecVaePriorKind.Composite, RecVaePriorKind.Standard })
        {
            var options = Small with { Prior = prior, Gamma = 0.05 };
            using var network = new RecVaeNetwork(7, options, 5);
            if (prior == RecVaePriorKind.Composite)
            {
                // Make the prior's copy differ from the encoder, so the test sees which one it uses.
                using (no_grad()) foreach (var p in network.Encoder.Parameters) p.mul_(1.1f);
            }
            var clicks = Clicks();
            var batch = SparseBatch.Create(clicks, [0, 1, 2], 0, 1, 1);
            using var noise = randn(3, 3, generator: new Generator(3));
            var (loss, _, _) = network.Loss(batch, batch, noise, withKl: true);

            var x = Dense(clicks);
            var (mean, logVar) = ReferenceEncoder(network.Encoder.Parameters, x, options);
            var z = mean.add(noise.mul(logVar.mul(0.5).exp()));
            var d = network.DecoderParameters;
            var logSoftmax = z.matmul(d[0]).add(d[1]).log_softmax(1);
            var mll = logSoftmax.mul(x).sum(1).mean();
            var logQ = (logVar.add(Math.Log(2 * Math.PI)).add(z.sub(mean).pow(2).div(logVar.exp()))).mul(-0.5);
            Tensor logP;
            if (prior == RecVaePriorKind.Standard)
            {
                logP = z.pow(2).add(Math.Log(2 * Math.PI)).mul(-0.5);
            }
            else
            {
                // The prior's encoder is still the separately drawn one: draw it again from the same seed.
                logP = CompositeFromTwin(options, x, z);
            }
            var kl = logQ.sub(logP).sum(1).mul(x.sum(1)).mul(options.Gamma).mean();
            var expected = kl.sub(mll);
            Assert.Equal(expected.item<float>(), loss.item<float>(), 3);
        }
    }

    [Fact]
    public void RefreshPrior_MakesTheCompositePriorUseTheCurrentEncoder()
    {
        var options = Small with { Gamma = 0.05 };
        using var network = new RecVaeNetwork(7, options, 5);
        network.RefreshPrior();
        var clicks = Clicks();
        var batch = SparseBatch.Create(clicks, [0, 1, 2], 0, 1, 1);
        using var noise = randn(3, 3, generator: new Generator(4));
        var (loss, _, _) = network.Loss(batch, batch, noise, withKl: true);

        var x = Dense(clicks);
        var (mean, logVar) = ReferenceEncoder(network.Encoder.Parameters, x, options);
        var z = mean.add(noise.mul(logVar.mul(0.5).exp()));
        var d = network.DecoderParameters;
        var mll = z.matmul(d[0]).add(d[1]).log_softmax(1).mul(x).sum(1).mean();
        var logQ = (logVar.add(Math.Log(2 * Math.PI)).add(z.sub(mean).pow(2).div(logVar.exp()))).mul(-0.5);
        var logP = Mixture(z, mean, logVar, options.MixtureWeights);
        var expected = logQ.sub(logP).sum(1).mul(x.sum(1)).mul(options.Gamma).mean().sub(mll);
        Assert.Equal(expected.item<float>(), loss.item<float>(), 3);
    }

    private static Tensor CompositeFromTwin(RecVaeOptions options, Tensor x, Tensor z)
    {
        // The prior's encoder is drawn after the encoder and decoder from the same generator: draw them the same way.
        using var generator = new Generator((ulong)options.Seed);
        using var encoder = new RecVaeEncoder(7, options, generator);
        var decoder = RecVaeEncoder.Linear(options.Latent, 7, generator);
        using var old = new RecVaeEncoder(7, options, generator);
        decoder.Weight.Dispose();
        decoder.Bias.Dispose();
        var (oldMean, oldLogVar) = ReferenceEncoder(old.Parameters, x, options);
        return Mixture(z, oldMean, oldLogVar, options.MixtureWeights);
    }

    private static Tensor Mixture(Tensor z, Tensor oldMean, Tensor oldLogVar, double[] w)
    {
        Tensor Density(Tensor mean, Tensor logVar) =>
            z.sub(mean).pow(2).div(logVar.exp()).mul(-0.5).exp().div(logVar.exp().mul(2 * Math.PI).sqrt());
        var zero = zeros_like(z);
        return Density(zero, zero).mul(w[0]).add(Density(oldMean, oldLogVar).mul(w[1]))
            .add(Density(zero, full_like(z, 10.0)).mul(w[2])).log();
    }

    private static Tensor Dense(ClickMatrix clicks)
    {
        var x = zeros(clicks.RowCount, clicks.ColumnCount);
        for (int r = 0; r < clicks.RowCount; r++)
            foreach (int c in clicks.Row(r)) x[r, c] = tensor(1f);
        return x;
    }

    private static (Tensor Logits, Tensor Mean) ReferenceForward(RecVaeNetwork network, Tensor x, RecVaeOptions options)
    {
        var (mean, _) = ReferenceEncoder(network.Encoder.Parameters, x, options);
        var d = network.DecoderParameters;
        return (mean.matmul(d[0]).add(d[1]), mean);
    }

    /// <summary>The reference Encoder.forward with dropout off: weights, biases, then layer-norm gains and shifts, then the output layer.</summary>
    private static (Tensor Mean, Tensor LogVariance) ReferenceEncoder(IReadOnlyList<TorchSharp.Modules.Parameter> p, Tensor x, RecVaeOptions options)
    {
        int layers = options.EncoderLayers;
        Tensor LayerNorm(Tensor h, int l)
        {
            var m = h.mean([1], keepdim: true);
            var v = h.sub(m).pow(2).mean([1], keepdim: true);
            return h.sub(m).div(v.add(options.LayerNormEpsilon).sqrt()).mul(p[2 * layers + 2 * l]).add(p[2 * layers + 2 * l + 1]);
        }
        static Tensor Swish(Tensor h) => h.mul(h.sigmoid());
        var input = x.div(x.pow(2).sum(1, keepdim: true).sqrt());
        var hs = new List<Tensor> { LayerNorm(Swish(input.matmul(p[0]).add(p[1])), 0) };
        for (int l = 1; l < layers; l++)
        {
            var pre = hs[^1].matmul(p[2 * l]).add(p[2 * l + 1]);
            foreach (var previous in hs) pre = pre.add(previous);
            hs.Add(LayerNorm(Swish(pre), l));
        }
        var output = hs[^1].matmul(p[^2]).add(p[^1]);
        return (output.narrow(1, 0, options.Latent), output.narrow(1, options.Latent, options.Latent));
    }
}
