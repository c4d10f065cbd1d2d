using System.Runtime.InteropServices;
using TorchSharp;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Distributed;

public sealed class ShardOptimizerTests
{
    private static readonly AutoencoderConfig Config = new() { ItemCount = 30, HiddenDims = [8], LatentDim = 3, WeightDecay = 0.01 };

    private static Tensor[] RandomGradients(AutoencoderNetwork network, int seed)
    {
        var random = new Random(seed);
        return network.OrderedParameters.Select(p =>
        {
            var values = Enumerable.Range(0, (int)p.Tensor.numel()).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            return torch.tensor(values, p.Tensor.shape);
        }).ToArray();
    }

    /// <summary>The whole flat gradient as one dense part per shard (what another silo would send).</summary>
    private static GradientPart DensePart(Tensor[] gradients, long[] starts, int shard)
    {
        var flat = gradients.SelectMany(g => g.data<float>().ToArray()).ToArray();
        long length = starts[shard + 1] - starts[shard];
        var bytes = MemoryMarshal.AsBytes(flat.AsSpan((int)starts[shard], (int)length)).ToArray();
        return new GradientPart(shard, [0], [(int)length], bytes, Bf16: false);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Apply_LocalPlusRemoteGradient_EqualsOneProcessWeightDecayAndAdam(int shards)
    {
        using var replica = new AutoencoderNetwork(Config, seed: 4);
        using var reference = new AutoencoderNetwork(Config, seed: 4);
        var layout = ParameterLayout.Of(replica);
        var starts = layout.CutShards(shards);
        var optimizers = Enumerable.Range(0, shards)
            .Select(s => new ShardOptimizer(replica, layout, starts[s], starts[s + 1], new AdamOptions(), Config.WeightDecay)).ToArray();
        var referenceParameters = FlatParameters.Tensors(reference);
        using var adam = new AdamOptimizer(referenceParameters, new AdamOptions());

        for (int step = 0; step < 3; step++)
        {
            var local = RandomGradients(replica, 10 + step);
            var remote = RandomGradients(replica, 20 + step);
            // One process: the summed gradient, 2λW on the weights, Adam over whole tensors.
            for (int i = 0; i < referenceParameters.Length; i++) referenceParameters[i].grad = local[i].add(remote[i]);
            GradientComputer.AddWeightDecay(reference);
            adam.Step(referenceParameters.Select(p => p.grad!).ToArray());
            // Shards: this silo's gradient by reference, the other silo's as bytes.
            for (int s = 0; s < shards; s++) optimizers[s].Apply(local, [DensePart(remote, starts, s)]);
        }

        for (int i = 0; i < referenceParameters.Length; i++)
            Assert.Equal(referenceParameters[i].data<float>().ToArray(), FlatParameters.Tensors(replica)[i].data<float>().ToArray());
        Assert.All(optimizers, o => Assert.Equal(3, o.StepCount));
        Assert.All(optimizers, o => Assert.Equal(3, o.Version));
        foreach (var o in optimizers) o.Dispose();
    }

    [Fact]
    public void Apply_NoGradientForTheShard_StillAppliesWeightDecayLikeOneProcess()
    {
        using var replica = new AutoencoderNetwork(Config, seed: 4);
        using var reference = new AutoencoderNetwork(Config, seed: 4);
        var layout = ParameterLayout.Of(replica);
        var starts = layout.CutShards(4);
        var referenceParameters = FlatParameters.Tensors(reference);
        using var adam = new AdamOptimizer(referenceParameters, new AdamOptions());
        foreach (var p in referenceParameters) p.grad = torch.zeros_like(p);
        GradientComputer.AddWeightDecay(reference);
        adam.Step(referenceParameters.Select(p => p.grad!).ToArray());

        for (int s = 0; s < 4; s++)
        {
            using var optimizer = new ShardOptimizer(replica, layout, starts[s], starts[s + 1], new AdamOptions(), Config.WeightDecay);
            optimizer.Apply(localGradient: null, remoteParts: []);
        }

        var before = FlatParameters.Tensors(new AutoencoderNetwork(Config, seed: 4));
        for (int i = 0; i < referenceParameters.Length; i++)
        {
            var expected = referenceParameters[i].data<float>().ToArray();
            Assert.Equal(expected, FlatParameters.Tensors(replica)[i].data<float>().ToArray());
            // Weights moved under weight decay alone; biases (zero gradient) did not.
            bool moved = !expected.SequenceEqual(before[i].data<float>().ToArray());
            Assert.Equal(layout.Blocks[i].IsWeight, moved);
        }
    }

    [Fact]
    public void WriteAndRead_ParametersAndMoments_RoundTripThroughTheNetwork()
    {
        using var network = new AutoencoderNetwork(Config, seed: 4);
        var layout = ParameterLayout.Of(network);
        var starts = layout.CutShards(2);
        using var optimizer = new ShardOptimizer(network, layout, starts[1], starts[2], new AdamOptions(), 0);
        var values = Enumerable.Range(0, 50).Select(i => (float)i).ToArray();
        optimizer.Write(ShardVector.Parameters, 7, MemoryMarshal.AsBytes(values.AsSpan()));
        optimizer.Write(ShardVector.SecondMoment, 3, MemoryMarshal.AsBytes(values.AsSpan()));

        var flat = new float[layout.TotalLength];
        FlatParameters.Read(network, layout, 0, flat);
        Assert.Equal(values, flat.AsSpan((int)starts[1] + 7, 50).ToArray());
        Assert.Equal(values, MemoryMarshal.Cast<byte, float>(optimizer.Read(ShardVector.SecondMoment, 3, 50)).ToArray());
        Assert.Equal(1, optimizer.Version);
    }

    [Fact]
    public void Apply_PartOutsideTheShard_IsRefused()
    {
        using var network = new AutoencoderNetwork(Config, seed: 4);
        var layout = ParameterLayout.Of(network);
        using var optimizer = new ShardOptimizer(network, layout, 0, 100, new AdamOptions(), 0);
        var bytes = MemoryMarshal.AsBytes(new float[] { 1f, 1f }.AsSpan()).ToArray();
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Apply(null, [new GradientPart(0, [99], [2], bytes, false)]));
        Assert.Throws<ArgumentException>(() => optimizer.Apply(null, [new GradientPart(0, [0], [3], bytes, false)]));
    }
}
