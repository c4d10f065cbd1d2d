using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Sharding;
using VaeCfCluster.Model.Tests.Support;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Sharding;

/// <summary>
/// A model file scored in place, its item-sized layers read one item range at a time, ranks and scores as the whole
/// network loaded from the same file; a corrupted file or a model with the item-item term is refused.
/// </summary>
public sealed class StreamedModelScorerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-streamed-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string SavedModel(AutoencoderConfig config)
    {
        using var network = new AutoencoderNetwork(config, seed: 3);
        // Weights that are not the seed's and biases far from zero, so every layer moves the scores.
        using (no_grad())
            foreach (var (_, p) in network.OrderedParameters) p.add_(rand(p.shape, generator: new Generator(9)).sub_(0.5));
        var path = Path.Combine(_folder, $"{config.Kind}-{config.Likelihood}-{config.ItemCount}.vaecf");
        ModelFile.Save(path, network, Enumerable.Range(0, config.ItemCount).Select(i => $"item{i}").ToArray(),
            new ModelSummary(2, 2, 0.3, 0.2, 3, DateTimeOffset.UnixEpoch));
        return path;
    }

    private static ClickMatrix FoldIn(int items) =>
        ClickMatrix.FromPairs(5, items, [0, 0, 0, 1, 2, 2, 3, 3, 3, 3, 4], [0, 17, items - 1, 5, 2, 40, 1, 9, 33, 50, items / 2]);

    [Theory]
    [InlineData(ModelKind.Vae, Likelihood.Multinomial, 1_000_000L)] // one range
    [InlineData(ModelKind.Vae, Likelihood.Multinomial, 2_000L)]     // ranges of a few items
    [InlineData(ModelKind.Dae, Likelihood.Multinomial, 5_000L)]
    [InlineData(ModelKind.Vae, Likelihood.Gaussian, 3_000L)]
    public void InItemRanges_ScoresAndRanksAsTheWholeLoadedNetwork(ModelKind kind, Likelihood likelihood, long rangeBytes)
    {
        var config = new AutoencoderConfig { ItemCount = 61, HiddenDims = [12], LatentDim = 5, Kind = kind, Likelihood = likelihood };
        var path = SavedModel(config);
        var loaded = ModelFile.Load(path);
        using var network = loaded.Network;
        using var streamed = StreamedModelScorer.Open(path, rangeBytes);
        var foldIn = FoldIn(config.ItemCount);

        using var expected = new AutoencoderScorer(network).Score(foldIn, 0, 5);
        using var actual = streamed.Score(foldIn, 0, 5);
        var top = streamed.TopItems(foldIn, 0, 5, 10);

        // 12 + 12 + 1 floats an item: 100 bytes.
        Assert.Equal(rangeBytes >= 61 * 100 ? 1 : (int)Math.Ceiling(61 * 100.0 / rangeBytes), streamed.RangeCount);
        Assert.Equal(loaded.ItemIds, streamed.ItemIds);
        Assert.True(allclose(actual, expected, rtol: 1e-5, atol: 1e-5), $"largest difference {actual.sub(expected).abs().max().item<float>()}");
        WholeMatrixRanking.AssertRanksAs(top, expected.data<float>().ToArray(), foldIn, 0, 5, config.ItemCount, 10);
    }

    [Fact]
    public void ManyRangesAndDeeperModel_RanksAsTheWholeNetworkForEveryUserBatch()
    {
        var config = new AutoencoderConfig { ItemCount = 97, HiddenDims = [16, 8], LatentDim = 4 };
        var path = SavedModel(config);
        using var network = ModelFile.Load(path).Network;
        using var streamed = StreamedModelScorer.Open(path, rangeBytes: 1_500);
        var foldIn = FoldIn(config.ItemCount);
        using var expected = new AutoencoderScorer(network).Score(foldIn, 0, 5);

        Assert.True(streamed.RangeCount >= 5, $"{streamed.RangeCount} ranges");
        for (int start = 0; start < 5; start += 2)
        {
            int count = Math.Min(2, 5 - start);
            WholeMatrixRanking.AssertRanksAs(streamed.TopItems(foldIn, start, count, 7), expected.narrow(0, start, count).contiguous().data<float>().ToArray(),
                foldIn, start, count, config.ItemCount, 7);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void UsersInBlocks_OneReadForAllOfThem_RankAsTheWholeNetwork(int usersPerBlock)
    {
        var config = new AutoencoderConfig { ItemCount = 97, HiddenDims = [16], LatentDim = 4 };
        var path = SavedModel(config);
        using var network = ModelFile.Load(path).Network;
        using var streamed = StreamedModelScorer.Open(path, rangeBytes: 2_000);
        streamed.UsersPerBlock = usersPerBlock;
        var foldIn = FoldIn(config.ItemCount);
        using var expected = new AutoencoderScorer(network).Score(foldIn, 0, 5);

        var top = streamed.TopItems(foldIn, 0, 5, 12);

        Assert.True(streamed.RangeCount >= 3, $"{streamed.RangeCount} ranges");
        WholeMatrixRanking.AssertRanksAs(top, expected.data<float>().ToArray(), foldIn, 0, 5, config.ItemCount, 12);
        Assert.Equal(streamed.TopItems(foldIn, 1, 3, 12), top[12..48]);
    }

    [Fact]
    public void CorruptedFile_RefusedByItsChecksum()
    {
        var path = SavedModel(new AutoencoderConfig { ItemCount = 61, HiddenDims = [12], LatentDim = 5 });
        var bytes = File.ReadAllBytes(path);
        bytes[^100] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<CheckpointFormatException>(() => StreamedModelScorer.Open(path));

        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void ModelWithTheItemItemTerm_RefusedNamingIt()
    {
        var config = new AutoencoderConfig
        {
            ItemCount = 61, HiddenDims = [], LatentDim = 5, Kind = ModelKind.Dae, Likelihood = Likelihood.Gaussian, ItemNeighbours = 3,
        };
        using var network = new AutoencoderNetwork(config, seed: 3);
        network.SetNeighbourTargets(Enumerable.Range(0, 61 * 3).Select(i => (long)((i / 3 + 1 + i % 3) % 61)).ToArray());
        var path = Path.Combine(_folder, "neighbours.vaecf");
        ModelFile.Save(path, network, Enumerable.Range(0, 61).Select(i => $"item{i}").ToArray(), new ModelSummary(1, 1, 0.1, 0, 1, DateTimeOffset.UnixEpoch));

        var e = Assert.Throws<CheckpointFormatException>(() => StreamedModelScorer.Open(path));

        Assert.Contains("item-item term", e.Message);
    }
}
