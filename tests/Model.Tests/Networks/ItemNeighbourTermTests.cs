using System.Text.Json;
using TorchSharp;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Support;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Networks;

/// <summary>
/// The item-item term (<see cref="AutoencoderConfig.ItemNeighbours"/>): its neighbour index against a brute-force count
/// of co-clicks, its scores against a recomputation in doubles from the weights, and its persistence.
/// </summary>
public sealed class ItemNeighbourTermTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-neighbours-").FullName;

    // 5 users over 7 items; item 6 is never clicked.
    private static readonly ClickMatrix Clicks = ClickMatrix.FromPairs(5, 7,
        [0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4],
        [0, 1, 2, 0, 1, 3, 1, 2, 0, 1, 4, 5, 5]);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static AutoencoderConfig Dae(int neighbours) =>
        new() { Kind = ModelKind.Dae, ItemCount = 7, HiddenDims = [], LatentDim = 3, DropoutRate = 0.5, ItemNeighbours = neighbours };

    [Fact]
    public void Build_RandomClicks_EqualsABruteForceCountOfCoClicks()
    {
        const int users = 40, items = 15, k = 6;
        var rows = new List<int>();
        var cols = new List<int>();
        for (int u = 0; u < users; u++)
            for (int i = 0; i < items; i++)
                if (CounterRandom.Uniform(3, 9, 0, (ulong)u, (ulong)i) < 0.2) { rows.Add(u); cols.Add(i); }
        var clicks = ClickMatrix.FromPairs(users, items, rows.ToArray(), cols.ToArray());
        var dense = new bool[users, items];
        for (int c = 0; c < rows.Count; c++) dense[rows[c], cols[c]] = true;

        var targets = ItemNeighbourhood.Build(clicks, k);

        for (int i = 0; i < items; i++)
        {
            var expected = Enumerable.Range(0, items).Where(j => j != i)
                .Select(j => (Item: j, Count: Enumerable.Range(0, users).Count(u => dense[u, i] && dense[u, j])))
                .Where(x => x.Count > 0).OrderByDescending(x => x.Count).ThenBy(x => x.Item).Take(k).Select(x => (long)x.Item).ToList();
            while (expected.Count < k) expected.Add(items);
            Assert.Equal(expected, targets.Skip(i * k).Take(k));
        }
    }

    [Fact]
    public void Build_SmallExample_OrdersByCoClicksThenItemAndPadsWithTheSink()
    {
        var targets = ItemNeighbourhood.Build(Clicks, 3);
        // Item 0 is co-clicked with 1 by users 0, 1, 3; with 2, 3, 4, 5 once each.
        Assert.Equal([1L, 2, 3], targets[..3]);
        // Item 5 is co-clicked with 0, 1 and 4 (user 3) only.
        Assert.Equal([0L, 1, 4], targets[15..18]);
        // Item 6 has no co-clicks: all three targets are the sink (7).
        Assert.Equal([7L, 7, 7], targets[18..21]);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void Forward_AddsTheClicksNeighbourWeightsToTheDaeScores(double dropout)
    {
        const int k = 3;
        using var plain = new AutoencoderNetwork(Dae(0), seed: 5);
        using var network = new AutoencoderNetwork(Dae(k), seed: 5);
        var targets = ItemNeighbourhood.Build(Clicks, k);
        network.SetNeighbourTargets(targets);
        NeighbourWeights.FillRandom(network, 21);
        var n = network.NeighbourWeight!.data<float>().ToArray();
        using var scope = torch.NewDisposeScope();
        var batch = SparseBatch.Create(Clicks, [0, 1, 2, 3, 4], dropout, seed: 2, epoch: 1);

        var output = network.Forward(batch, noise: null).Output.data<float>().ToArray();
        var decoder = plain.Forward(batch, noise: null).Output.data<float>().ToArray();

        // The kept clicks, from the batch's input bags; each counts 1/keep.
        var kept = batch.InputItems.data<long>().ToArray();
        var offsets = batch.InputOffsets.data<long>().ToArray().Append(kept.Length).ToArray();
        var weights = batch.InputWeights.data<float>().ToArray();
        double raw = 1 / (1 - dropout);
        double worst = 0, term = 0;
        for (int u = 0; u < 5; u++)
        {
            var expected = new double[7];
            for (long c = offsets[u]; c < offsets[u + 1]; c++)
            {
                if (weights[c] == 0) continue;
                long i = kept[c];
                for (int m = 0; m < k; m++)
                {
                    long j = targets[i * k + m];
                    if (j < 7) expected[j] += raw * n[i * k + m];
                }
            }
            for (int j = 0; j < 7; j++)
            {
                worst = Math.Max(worst, Math.Abs(output[u * 7 + j] - (decoder[u * 7 + j] + expected[j])));
                term = Math.Max(term, Math.Abs(expected[j]));
            }
        }
        Assert.True(term > 0.1, $"the term is only {term:E2}: the test cannot see it");
        Assert.True(worst < 1e-5, $"largest difference from decoder + term {worst:E2}");
        if (dropout > 0) Assert.True(kept.Length < Clicks.NonZeroCount, "dropout kept every click: the 1/keep scaling is not tested");
    }

    [Fact]
    public void Forward_WithoutTargets_SaysSo()
    {
        using var network = new AutoencoderNetwork(Dae(2), seed: 5);
        using var scope = torch.NewDisposeScope();
        var batch = SparseBatch.Create(Clicks, [0, 1], 0, seed: 2, epoch: 1);
        var error = Assert.Throws<InvalidOperationException>(() => network.Forward(batch, noise: null));
        Assert.Contains("SetNeighbourTargets", error.Message);
    }

    [Fact]
    public void Validate_RefusesOutOfRangeCountsAndClickWeights_NamingTheSetting()
    {
        Assert.Contains(nameof(AutoencoderConfig.ItemNeighbours), Assert.Throws<ArgumentException>(() => Dae(7).Validate()).Message);
        Assert.Contains(nameof(AutoencoderConfig.ItemNeighbours), Assert.Throws<ArgumentException>(() => Dae(-1).Validate()).Message);
        Assert.Contains(nameof(AutoencoderConfig.NeighbourWeightDecay),
            Assert.Throws<ArgumentException>(() => (Dae(2) with { NeighbourWeightDecay = -1 }).Validate()).Message);
        Assert.Contains(nameof(AutoencoderConfig.KeptClickWeight),
            Assert.Throws<ArgumentException>(() => (Dae(2) with { KeptClickWeight = 0.5 }).Validate()).Message);
        Dae(6).Validate();
    }

    [Fact]
    public void Json_WithoutTheTerm_WritesNeitherSetting()
    {
        var plain = JsonSerializer.Serialize(Dae(0));
        Assert.DoesNotContain(nameof(AutoencoderConfig.ItemNeighbours), plain);
        Assert.DoesNotContain(nameof(AutoencoderConfig.NeighbourWeightDecay), plain);
        var with = JsonSerializer.Deserialize<AutoencoderConfig>(JsonSerializer.Serialize(Dae(4) with { NeighbourWeightDecay = 0.25 }))!;
        Assert.Equal(4, with.ItemNeighbours);
        Assert.Equal(0.25, with.NeighbourWeightDecay);
    }

    [Fact]
    public void ModelFile_WithTheTerm_LoadsItsTargetsAndScoresTheSame()
    {
        var path = Path.Combine(_folder, "neighbours.vaecf");
        using var network = new AutoencoderNetwork(Dae(3), seed: 4);
        network.SetNeighbourTargets(ItemNeighbourhood.Build(Clicks, 3));
        NeighbourWeights.FillRandom(network, 8);
        ModelFile.Save(path, network, ["a", "b", "c", "d", "e", "f", "g"], new ModelSummary(1, 1, 0.5, 0, 4, DateTimeOffset.UnixEpoch));

        var loaded = ModelFile.Load(path);
        using var reloaded = loaded.Network;

        Assert.Equal(network.NeighbourTargets!.data<long>().ToArray(), reloaded.NeighbourTargets!.data<long>().ToArray());
        using var scope = torch.NewDisposeScope();
        var batch = SparseBatch.Create(Clicks, [0, 1, 2, 3, 4], dropoutRate: 0, seed: 1, epoch: 0);
        Assert.Equal(network.Forward(batch, null).Output.data<float>().ToArray(), reloaded.Forward(batch, null).Output.data<float>().ToArray());
        var scorer = new AutoencoderScorer(reloaded);
        Assert.Equal(new AutoencoderScorer(network).TopItems(Clicks, 0, 5, 3), scorer.TopItems(Clicks, 0, 5, 3));
    }

    [Fact]
    public void TopItems_RankByTheScoresWithTheTerm()
    {
        using var network = new AutoencoderNetwork(Dae(3), seed: 4);
        network.SetNeighbourTargets(ItemNeighbourhood.Build(Clicks, 3));
        NeighbourWeights.FillRandom(network, 13);
        using var scope = torch.NewDisposeScope();
        var scores = new AutoencoderScorer(network).Score(Clicks, 0, 5).data<float>().ToArray();
        // One item per range, so the ranges' tops are merged as for a large catalog.
        var top = new AutoencoderScorer(network, maxScoresPerRange: 5).TopItems(Clicks, 0, 5, 2);
        for (int u = 0; u < 5; u++)
        {
            var clicked = Clicks.Row(u).ToArray();
            var expected = Enumerable.Range(0, 7).Where(j => !clicked.Contains(j)).OrderByDescending(j => scores[u * 7 + j]).Take(2).Select(j => (long)j);
            Assert.Equal(expected, top.Skip(u * 2).Take(2));
        }
    }
}
