using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Tests.Support;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Distributed;

/// <summary>A RecVAE silo replica: slice gradients, the side a phase trains, the prior's copy, and the shard cut.</summary>
public sealed class RecVaeReplicaTests
{
    private static readonly RecVaeOptions Options = new() { Hidden = 12, Latent = 4, EncoderLayers = 2, Seed = 3 };
    private const int Items = 50;

    [Theory]
    [InlineData(RecVaePhase.Encoder)]
    [InlineData(RecVaePhase.Decoder)]
    [InlineData(RecVaePhase.Joint)]
    public void ComputeRecVae_TwoWorkersSlices_SumToTheWholeBatchGradientOfThePhasesSide(RecVaePhase phase)
    {
        var split = PlantedSplit.Create(60, 5, Items, 3, seed: 8);
        int[] batch = [3, 8, 11, 14, 20, 27, 33, 40];
        using var reference = new RecVaeNetwork(Items, Options, Options.Seed);
        var expectedLoss = RecVaeGradient.Accumulate(reference, split.Train, batch, batch.Select(u => (long)u).ToArray(), phase, pass: 5, seed: 3, batch.Length);

        var layout = ParameterLayout.Of(reference);
        using var replica = new SiloReplica(Options, Items, layout.CutShards(3, reference.EncoderTensorCount));
        var partitions = new[] { UserPartition.Of(split.Train, 0, 2), UserPartition.Of(split.Train, 1, 2) };
        var step = new RecVaeStep(5, [], phase, 0, false);
        var loss1 = replica.ComputeRecVae(1, partitions[1], batch.Where(u => u % 2 == 1).ToArray(), step: 9, seed: 3, step, batch.Length);
        var loss0 = replica.ComputeRecVae(0, partitions[0], batch.Where(u => u % 2 == 0).ToArray(), step: 9, seed: 3, step, batch.Length);

        Assert.Equal(expectedLoss.NegativeLogLikelihoodSum, loss0.NegativeLogLikelihoodSum + loss1.NegativeLogLikelihoodSum, 3);
        Assert.Equal(expectedLoss.KlDivergenceSum, loss0.KlDivergenceSum + loss1.KlDivergenceSum, 3);
        var sum = replica.GradientOf(9)!;
        for (int b = 0; b < sum.Gradients.Length; b++)
        {
            bool encoder = b < reference.EncoderTensorCount;
            bool trained = phase == RecVaePhase.Joint || (phase == RecVaePhase.Encoder) == encoder;
            var expected = reference.Parameters[b].grad;
            Assert.Equal(trained, expected is not null);
            Assert.Equal(trained, sum.Gradients[b] is not null);
            if (!trained) continue;
            var e = expected!.data<float>().ToArray();
            var a = sum.Gradients[b]!.data<float>().ToArray();
            Assert.Equal(e.Length, a.Length);
            for (int i = 0; i < e.Length; i++) Assert.Equal(e[i], a[i], 1e-5f);
        }
        Assert.True(replica.RecVae!.Parameters.All(p => p.requires_grad), "every parameter is trainable again after a step");
        // The side the phase trains is exactly the shards it updates: the cut falls at the decoder's first block.
        var (from, to) = replica.ShardsOf(phase);
        long boundary = layout.Blocks[reference.EncoderTensorCount].Offset;
        Assert.Equal(phase == RecVaePhase.Decoder ? boundary : 0, replica.ShardStarts[from]);
        Assert.Equal(phase == RecVaePhase.Encoder ? boundary : layout.TotalLength, replica.ShardStarts[to]);
    }

    [Fact]
    public void ComputeRecVae_PriorCopy_TakenFromTheEncoderOnlyWhenItIsThePrior()
    {
        var split = PlantedSplit.Create(60, 5, Items, 3, seed: 8);
        using var reference = new RecVaeNetwork(Items, Options, Options.Seed);
        using var replica = new SiloReplica(Options, Items, ParameterLayout.Of(reference).CutShards(2, reference.EncoderTensorCount));
        var partition = UserPartition.Of(split.Train, 0, 1);
        using (no_grad()) replica.RecVae!.Encoder.Parameters[0].add_(1.0);
        // Epoch 1: the prior is the network's own random start, not the encoder.
        replica.ComputeRecVae(0, partition, [1, 2], 0, 3, new RecVaeStep(1, [], RecVaePhase.Encoder, 0, true), 2);
        Assert.False(replica.RecVae.PriorParameters[0].equal(replica.RecVae.Encoder.Parameters[0]).all().item<bool>());
        // Epoch 2's first step: the encoder is the prior, so the replica takes it.
        replica.ComputeRecVae(0, partition, [1, 2], 1, 3, new RecVaeStep(5, [], RecVaePhase.Encoder, 1, true), 2);
        Assert.True(replica.RecVae.PriorParameters[0].equal(replica.RecVae.Encoder.Parameters[0]).all().item<bool>());
        // A replica that did not see epoch 3's first step cannot know its prior.
        var error = Assert.Throws<RecVaePriorLostException>(() =>
            replica.ComputeRecVae(0, partition, [1, 2], 2, 3, new RecVaeStep(10, [], RecVaePhase.Encoder, 2, false), 2));
        Assert.Contains("prior's copy of the encoder after epoch 2", error.Message);
        // Decoder passes do not use the prior.
        replica.ComputeRecVae(0, partition, [1, 2], 3, 3, new RecVaeStep(11, [], RecVaePhase.Decoder, 2, false), 2);
    }

    [Fact]
    public void CutShards_AtTheDecoder_NoShardHoldsBothSides()
    {
        using var network = new RecVaeNetwork(Items, Options, Options.Seed);
        var layout = ParameterLayout.Of(network);
        long boundary = layout.Blocks[network.EncoderTensorCount].Offset;
        foreach (int count in new[] { 2, 3, 5, 8 })
        {
            var starts = layout.CutShards(count, network.EncoderTensorCount);
            Assert.Equal(count + 1, starts.Length);
            Assert.Contains(boundary, starts);
            Assert.Equal(0, starts[0]);
            Assert.Equal(layout.TotalLength, starts[^1]);
            Assert.True(starts.Zip(starts.Skip(1), (a, b) => a < b).All(x => x), $"shards of {count} are not increasing: {string.Join(", ", starts)}");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => layout.CutShards(1, network.EncoderTensorCount));
    }
}
