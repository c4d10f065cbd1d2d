using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Sharding;
using VaeCfCluster.Model.Tests.Support;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Sharding;

/// <summary>
/// A RecVAE model file scored in place, its first layer's rows and its decoder read one item range at a time, scores
/// and ranks as the whole network loaded from the same file; a corrupted file is refused.
/// </summary>
public sealed class StreamedRecVaeScorerTests : IDisposable
{
    private const int Items = 61;
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-streamed-recvae-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string SavedModel(RecVaeOptions options)
    {
        using var network = new RecVaeNetwork(Items, options, seed: 3);
        // Weights that are not the seed's and biases and layer-norm shifts far from zero, so every layer moves the scores.
        using (no_grad())
            foreach (var p in network.Parameters) p.add_(rand(p.shape, generator: new Generator(9)).sub_(0.5));
        var path = Path.Combine(_folder, $"{options.Encoder}-{options.EncoderLayers}-{options.Precision}.recvae");
        RecVaeModelFile.Save(path, network, Enumerable.Range(0, Items).Select(i => $"item{i}").ToArray(), 2, 0.3);
        return path;
    }

    private static ClickMatrix FoldIn() =>
        ClickMatrix.FromPairs(5, Items, [0, 0, 0, 1, 2, 2, 3, 3, 3, 3, 4], [0, 17, Items - 1, 5, 2, 40, 1, 9, 33, 50, Items / 2]);

    [Theory]
    [InlineData(RecVaeEncoderKind.Dense, 3, 1_000_000L)] // one range
    [InlineData(RecVaeEncoderKind.Dense, 3, 1_000L)]     // ranges of a few items
    [InlineData(RecVaeEncoderKind.Dense, 1, 2_000L)]
    [InlineData(RecVaeEncoderKind.MultVae, 1, 1_500L)]
    public void InItemRanges_ScoresAndRanksAsTheWholeLoadedNetwork(RecVaeEncoderKind encoder, int layers, long rangeBytes)
    {
        var options = new RecVaeOptions { Hidden = 12, Latent = 5, Encoder = encoder, EncoderLayers = layers, Seed = 5 };
        var path = SavedModel(options);
        var (network, itemIds) = RecVaeModelFile.Load(path);
        using var _ = network;
        using var streamed = StreamedRecVaeScorer.Open(path, rangeBytes);
        var foldIn = FoldIn();

        using var expected = network.Score(foldIn, 0, 5);
        using var actual = streamed.Score(foldIn, 0, 5);
        var top = streamed.TopItems(foldIn, 0, 5, 10);

        // 12 rows + 5 columns + 1 bias floats an item: 72 bytes.
        Assert.Equal(rangeBytes >= Items * 72 ? 1 : (int)Math.Ceiling(Items * 72.0 / rangeBytes), streamed.RangeCount);
        Assert.Equal(itemIds, streamed.ItemIds);
        Assert.True(allclose(actual, expected, rtol: 1e-5, atol: 1e-5), $"largest difference {actual.sub(expected).abs().max().item<float>()}");
        WholeMatrixRanking.AssertRanksAs(top, expected.data<float>().ToArray(), foldIn, 0, 5, Items, 10);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void UsersInBlocks_OneReadForAllOfThem_RankAsTheWholeNetwork(int usersPerBlock)
    {
        var path = SavedModel(new RecVaeOptions { Hidden = 12, Latent = 5, EncoderLayers = 2, Seed = 5 });
        using var network = RecVaeModelFile.Load(path).Network;
        using var streamed = StreamedRecVaeScorer.Open(path, rangeBytes: 1_000);
        streamed.UsersPerBlock = usersPerBlock;
        var foldIn = FoldIn();
        using var expected = network.Score(foldIn, 0, 5);

        var top = streamed.TopItems(foldIn, 0, 5, 12);

        Assert.True(streamed.RangeCount >= 4, $"{streamed.RangeCount} ranges");
        WholeMatrixRanking.AssertRanksAs(top, expected.data<float>().ToArray(), foldIn, 0, 5, Items, 12);
        Assert.Equal(streamed.TopItems(foldIn, 1, 3, 12), top[12..48]);
    }

    [Fact]
    public void Bf16Model_ScoresWithBf16Products_AsTheWholeLoadedNetworkDoes()
    {
        var options = new RecVaeOptions { Hidden = 12, Latent = 5, EncoderLayers = 2, Seed = 5, Precision = MatmulPrecision.Bf16 };
        var path = SavedModel(options);
        using var network = RecVaeModelFile.Load(path).Network;
        using var streamed = StreamedRecVaeScorer.Open(path, rangeBytes: 1_000);
        using var fp32 = StreamedRecVaeScorer.Open(SavedModel(options with { Precision = MatmulPrecision.Fp32 }), rangeBytes: 1_000);
        var foldIn = FoldIn();

        using var expected = network.Score(foldIn, 0, 5);
        using var actual = streamed.Score(foldIn, 0, 5);
        using var inFp32 = fp32.Score(foldIn, 0, 5);

        Assert.Equal(MatmulPrecision.Bf16, streamed.Options.Precision);
        // A first-layer sum formed range by range could round to another bfloat16 than the whole sum; within 1e-4 of
        // the range (the decoder's products in float32 instead would be 2e-3 apart here).
        double range = expected.max().item<float>() - expected.min().item<float>();
        Assert.True(actual.sub(expected).abs().max().item<float>() <= 1e-4 * range, $"largest difference {actual.sub(expected).abs().max().item<float>()}");
        // The same weights in float32 score apart by bfloat16's rounding: the bf16 products did run.
        Assert.True(actual.sub(inFp32).abs().max().item<float>() >= 1e-4 * range, "bf16 scores equal float32's");
        WholeMatrixRanking.AssertRanksAs(streamed.TopItems(foldIn, 0, 5, 10), actual.data<float>().ToArray(), foldIn, 0, 5, Items, 10);
    }

    [Fact]
    public void CorruptedFile_RefusedByItsChecksum()
    {
        var path = SavedModel(new RecVaeOptions { Hidden = 12, Latent = 5, EncoderLayers = 2, Seed = 5 });
        var bytes = File.ReadAllBytes(path);
        bytes[^100] ^= 0x10;
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<CheckpointFormatException>(() => StreamedItemScorer.Open(path));

        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void OpenByFormat_ChoosesTheRecVaeScorer_AndALoadedNetworkHasNoPriorCopy()
    {
        var path = SavedModel(new RecVaeOptions { Hidden = 12, Latent = 5, EncoderLayers = 2, Seed = 5 });

        using var streamed = StreamedItemScorer.Open(path);
        using var network = RecVaeModelFile.Load(path).Network;

        Assert.IsType<StreamedRecVaeScorer>(streamed);
        Assert.True(StreamedItemScorer.CanStream(path));
        // The composite prior's frozen encoder is for training; a network loaded to score does not hold it.
        Assert.Equal(RecVaePriorKind.Composite, network.Options.Prior);
        Assert.Empty(network.PriorParameters);
    }
}
