using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Networks;

/// <summary>
/// Batches gathered on the device (here the CPU stands in for it) are the host-built batches: the same clicks, the same
/// dropout masks (dropped clicks kept with weight 0), the same noise, hence the same gradient and the same training.
/// </summary>
public sealed class DeviceBatchAssemblerTests
{
    private static ClickMatrix RandomClicks(int users, int items, int seed)
    {
        var random = new Random(seed);
        var rows = new List<int>();
        var cols = new List<int>();
        for (int u = 0; u < users; u++)
        {
            // Some users click nothing; the rest up to a third of the items.
            int n = u % 7 == 3 ? 0 : random.Next(1, items / 3);
            foreach (int i in Enumerable.Range(0, items).OrderBy(_ => random.Next()).Take(n))
            {
                rows.Add(u);
                cols.Add(i);
            }
        }
        return ClickMatrix.FromPairs(users, items, rows.ToArray(), cols.ToArray());
    }

    /// <summary>The host batch's input as a dense [B, I] matrix (bags summed) and its other tensors.</summary>
    private static float[] DenseInput(SparseBatch batch)
    {
        using var scope = torch.NewDisposeScope();
        var dense = torch.zeros(batch.UserCount, batch.ItemCount);
        var offsets = batch.InputOffsets.data<long>().ToArray();
        int total = (int)batch.InputItems.shape[0];
        var user = new long[total];
        for (int u = 0; u < offsets.Length; u++)
            for (long k = offsets[u]; k < (u + 1 < offsets.Length ? offsets[u + 1] : total); k++) user[k] = u;
        var flat = torch.tensor(user).mul(batch.ItemCount).add(batch.InputItems);
        dense.view(-1).index_put_(batch.InputWeights, [flat], accumulate: true);
        return dense.data<float>().ToArray();
    }

    [Theory]
    [InlineData(0.5, 12L)]
    [InlineData(0.0, 3L)]
    [InlineData(0.2, 1000L)]
    public void Assemble_RandomRows_SameBatchAndNoiseAsTheHost(double dropout, long epoch)
    {
        var clicks = RandomClicks(60, 40, seed: 4);
        int[] rows = [5, 17, 3, 59, 0, 24, 10, 31];
        long[] keys = rows.Select(r => 1000L + 7 * r).ToArray();
        using var assembler = new DeviceBatchAssembler(clicks, torch.CPU);
        using var scope = torch.NewDisposeScope();
        var host = SparseBatch.Create(clicks, rows, dropout, seed: 99, epoch, userKeys: keys);
        var (device, noise) = assembler.Assemble(rows, dropout, seed: 99, epoch, latentDim: 6, keys);

        Assert.Equal(host.ClickFlatIndices.data<long>().ToArray(), device.ClickFlatIndices.data<long>().ToArray());
        Assert.Equal(host.ClickCounts.data<float>().ToArray(), device.ClickCounts.data<float>().ToArray());
        Assert.Equal(host.UserKeys, device.UserKeys);
        // Every click is in the device input; the dropped ones weigh 0, so the dense inputs are equal bit for bit.
        Assert.Equal(device.ClickFlatIndices.shape[0], device.InputItems.shape[0]);
        Assert.Equal(DenseInput(host), DenseInput(device));
        if (dropout > 0)
        {
            long dropped = device.InputWeights.eq(0).sum().item<long>();
            Assert.Equal(device.InputItems.shape[0] - host.InputItems.shape[0], dropped);
            Assert.True(dropped > 0);
        }

        var hostNoise = GradientComputer.LatentNoise(keys, 6, 99, epoch).data<float>().ToArray();
        var deviceNoise = noise!.data<float>().ToArray();
        Assert.Equal(hostNoise.Length, deviceNoise.Length);
        for (int i = 0; i < hostNoise.Length; i++) Assert.Equal(hostNoise[i], deviceNoise[i], 1e-6f);
    }

    [Fact]
    public void Mix_ExtremeValues_EqualsTheHostHash()
    {
        ulong[] values = [0, 1, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0xFFFFFFFFFFFFFFFF, 0x9E3779B97F4A7C15, 123456789012345];
        using var random = new DeviceCounterRandom(torch.CPU);
        using var scope = torch.NewDisposeScope();
        var mixed = random.Mix(torch.tensor(values.Select(v => unchecked((long)v)).ToArray())).data<long>().ToArray();
        Assert.Equal(values.Select(CounterRandom.Mix).ToArray(), mixed.Select(v => unchecked((ulong)v)).ToArray());
    }

    [Fact]
    public void UniformBelow_ThresholdEdges_AgreesWithTheHostUniform()
    {
        using var random = new DeviceCounterRandom(torch.CPU);
        using var scope = torch.NewDisposeScope();
        foreach (double keep in new[] { 0.5, 0.8, 1.0 / 3, 0.999 })
        {
            var hashes = Enumerable.Range(0, 2000).Select(i => CounterRandom.UserHash(5, 1, 2, (ulong)i)).ToArray();
            var below = random.UniformBelow(torch.tensor(hashes.Select(h => unchecked((long)h)).ToArray()), keep).data<bool>().ToArray();
            var expected = hashes.Select(h => (h >> 11) * (1.0 / (1UL << 53)) < keep).ToArray();
            Assert.Equal(expected, below);
        }
    }

    [Fact]
    public void Accumulate_FromTheDeviceCopy_SameLossAndGradientsAsFromTheHost()
    {
        var clicks = RandomClicks(30, 40, seed: 6);
        int[] rows = [4, 9, 22, 1, 17];
        long[] keys = [40, 90, 220, 10, 170];
        var config = new AutoencoderConfig { ItemCount = 40, HiddenDims = [12], LatentDim = 5 };
        using var assembler = new DeviceBatchAssembler(clicks, torch.CPU);
        (BatchLoss Loss, float[][] Gradients) Run(bool device)
        {
            using var network = new AutoencoderNetwork(config, seed: 2);
            GradientComputer.ClearGradients(network);
            var loss = device
                ? GradientComputer.Accumulate(network, assembler, rows, seed: 3, epoch: 2, beta: 0.2, globalBatchUsers: 11, keys)
                : GradientComputer.Accumulate(network, clicks, rows, seed: 3, epoch: 2, beta: 0.2, globalBatchUsers: 11, keys);
            return (loss, network.OrderedParameters.Select(p => p.Tensor.grad!.data<float>().ToArray()).ToArray());
        }
        var host = Run(device: false);
        var device = Run(device: true);
        Assert.Equal(host.Loss.NegativeLogLikelihoodSum, device.Loss.NegativeLogLikelihoodSum, 4);
        Assert.Equal(host.Loss.KlDivergenceSum, device.Loss.KlDivergenceSum, 4);
        Assert.Equal(host.Loss.UserCount, device.Loss.UserCount);
        for (int p = 0; p < host.Gradients.Length; p++)
            for (int i = 0; i < host.Gradients[p].Length; i++)
                Assert.True(Math.Abs(host.Gradients[p][i] - device.Gradients[p][i]) <= 1e-6, $"parameter {p}[{i}]");
    }

    /// <summary>The clicks on even (<paramref name="parity"/> 0) or odd items.</summary>
    private static ClickMatrix Half(ClickMatrix clicks, int parity)
    {
        var rows = new List<int>();
        var cols = new List<int>();
        for (int u = 0; u < clicks.RowCount; u++)
            foreach (int i in clicks.Row(u))
                if (i % 2 == parity)
                {
                    rows.Add(u);
                    cols.Add(i);
                }
        return ClickMatrix.FromPairs(clicks.RowCount, clicks.ColumnCount, rows.ToArray(), cols.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Training_DeviceAssembly_MatchesHostAssembly(int neighbours)
    {
        var train = RandomClicks(90, 50, seed: 8);
        var heldOutClicks = RandomClicks(20, 50, seed: 9);
        var foldIn = Half(heldOutClicks, 0);
        var heldOut = Half(heldOutClicks, 1);
        var ids = Enumerable.Range(0, 50).Select(i => $"i{i}").ToArray();
        var users = new HeldOutUsers(foldIn, heldOut, Enumerable.Range(0, 20).Select(u => $"h{u}").ToArray());
        var split = new DataSplit(ids, train, Enumerable.Range(0, 90).Select(u => $"u{u}").ToArray(), users, users);
        // With the item-item term too: GPU silos and GPU single-process runs build its batches on the device.
        var config = new AutoencoderConfig { ItemCount = 50, HiddenDims = [16], LatentDim = 4, ItemNeighbours = neighbours, NeighbourWeightDecay = neighbours > 0 ? 0.01 : 0 };
        TrainingResult Run(BatchAssembly assembly) =>
            new Trainer(new TrainerOptions { Epochs = 3, BatchSize = 7, Seed = 5, BatchAssembly = assembly, Threads = 1 }).Train(split, config);

        var host = Run(BatchAssembly.Host);
        var device = Run(BatchAssembly.Device);
        // 13 batches per epoch: the deferred losses are read after 10 steps and at each epoch's end.
        for (int e = 0; e < 3; e++)
        {
            Assert.Equal(host.History[e].Loss, device.History[e].Loss, 4);
            Assert.Equal(host.History[e].KlDivergence, device.History[e].KlDivergence, 4);
        }
        var hostWeights = host.BestNetwork.OrderedParameters.Select(p => p.Tensor.data<float>().ToArray()).ToArray();
        var deviceWeights = device.BestNetwork.OrderedParameters.Select(p => p.Tensor.data<float>().ToArray()).ToArray();
        for (int p = 0; p < hostWeights.Length; p++)
            for (int i = 0; i < hostWeights[p].Length; i++)
                Assert.True(Math.Abs(hostWeights[p][i] - deviceWeights[p][i]) <= 1e-5, $"parameter {p}[{i}]: {hostWeights[p][i]} vs {deviceWeights[p][i]}");
        Assert.Equal(host.Test[RankingMetric.Ndcg(100)].Mean, device.Test[RankingMetric.Ndcg(100)].Mean, 4);
    }
}
