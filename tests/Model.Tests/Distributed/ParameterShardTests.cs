using System.Runtime.InteropServices;
using TorchSharp;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Distributed;

public sealed class ParameterShardTests
{
    private static byte[] Bytes(float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static float[] Floats(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes).ToArray();

    [Fact]
    public void Apply_TwoPartsWithWeightDecay_MatchesHandComputedAdamStep()
    {
        var adam = new AdamOptions { LearningRate = 0.1 };
        using var shard = new ParameterShard(4, [1, 2], adam, weightDecay: 0.5);
        shard.Write(ShardVector.Parameters, 0, Bytes([1f, 2f, -1f, 3f]));
        shard.AddGradient([0, 2], [2, 1], Bytes([0.5f, 1f, -2f]), bf16: false);
        shard.AddGradient([1], [3], Bytes([1f, 1f, 1f]), bf16: false);
        shard.Apply();

        // Summed gradient [0.5, 2, -1, 1]; weight decay 2λW on elements 1..2: [0, 2, -1, 0] → g = [0.5, 4, -2, 1].
        // First Adam step: m = 0.1 g, v = 0.001 g², update = lr · m̂ / (√v̂ + ε) = lr · sign(g) (up to ε).
        float[] g = [0.5f, 4f, -2f, 1f];
        float[] start = [1f, 2f, -1f, 3f];
        var expected = start.Select((p, i) => p - 0.1f * MathF.Sign(g[i])).ToArray();
        var actual = Floats(shard.Read(ShardVector.Parameters, 0, 4));
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], actual[i], 1e-5f);
        var m = Floats(shard.Read(ShardVector.FirstMoment, 0, 4));
        for (int i = 0; i < 4; i++) Assert.Equal(0.1f * g[i], m[i], 1e-6f);
        Assert.Equal(1, shard.StepCount);
        Assert.Equal(2, shard.Version);
    }

    [Fact]
    public void Apply_SameGradientAsAdamOptimizer_GivesBitIdenticalParametersAndMoments()
    {
        var random = new Random(5);
        var start = Enumerable.Range(0, 1000).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var gradients = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 1000).Select(_ => (float)random.NextDouble() - 0.5f).ToArray()).ToArray();
        using var reference = torch.tensor(start);
        using var optimizer = new AdamOptimizer([reference], new AdamOptions());
        using var shard = new ParameterShard(1000, [], new AdamOptions(), 0);
        shard.Write(ShardVector.Parameters, 0, Bytes(start));
        foreach (var g in gradients)
        {
            using var gradient = torch.tensor(g);
            optimizer.Step([gradient]);
            shard.AddGradient([0], [1000], Bytes(g), bf16: false);
            shard.Apply();
        }
        Assert.Equal(reference.data<float>().ToArray(), Floats(shard.Read(ShardVector.Parameters, 0, 1000)));
        Assert.Equal(optimizer.SecondMoments[0].data<float>().ToArray(), Floats(shard.Read(ShardVector.SecondMoment, 0, 1000)));
    }

    [Fact]
    public void AddGradient_OutsideTheShard_IsRefused()
    {
        using var shard = new ParameterShard(4, [], new AdamOptions(), 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => shard.AddGradient([3], [2], Bytes([1f, 1f]), bf16: false));
        Assert.Throws<ArgumentException>(() => shard.AddGradient([0], [2], Bytes([1f]), bf16: false));
    }
}
