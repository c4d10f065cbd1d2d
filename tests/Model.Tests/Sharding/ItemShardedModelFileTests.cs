using System.Text.Json;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Sharding;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Sharding;

/// <summary>
/// A model file put together from an item-sharded model's middle and ranges, region by region, is byte for byte the
/// file the single-process model writes; a region left unwritten leaves no file.
/// </summary>
public sealed class ItemShardedModelFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-modelfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(ModelKind.Vae, 1)]
    [InlineData(ModelKind.Vae, 3)]
    [InlineData(ModelKind.Dae, 4)]
    public void FromMiddleAndRanges_IsByteForByteTheNetworksFile(ModelKind kind, int shards)
    {
        var config = new AutoencoderConfig { ItemCount = 53, HiddenDims = [12, 9], LatentDim = 5, Kind = kind };
        using var network = new AutoencoderNetwork(config, seed: 3);
        // Weights that are not the seed's, so nothing could come from drawing them again.
        using (no_grad())
            foreach (var (_, p) in network.OrderedParameters) p.add_(rand(p.shape, generator: new TorchSharp.torch.Generator(9)));
        var ids = Enumerable.Range(0, config.ItemCount).Select(i => $"item{i}").ToArray();
        var summary = new ModelSummary(10, 7, 0.25, 0.2, 3, DateTimeOffset.UnixEpoch);
        string expected = Path.Combine(_folder, "whole.vaecf"), actual = Path.Combine(_folder, "assembled.vaecf");
        ModelFile.Save(expected, network, ids, summary);

        var whole = network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray();
        var ranges = ItemRange.Split(config.ItemCount, shards);
        var read = new List<int>();
        ItemShardedModelFile.Write(actual, config, ids, summary, whole[1..^2], ranges, s =>
        {
            read.Add(s);
            return ItemShardSlices.Of(whole, ranges[s]).Select(t => t.clone()).ToArray();
        });

        Assert.Equal(Enumerable.Range(0, shards), read);
        Assert.Equal(File.ReadAllBytes(expected), File.ReadAllBytes(actual));
        var loaded = ModelFile.Load(actual);
        loaded.Network.Dispose();
    }

    [Fact]
    public void ARegionLeftUnwritten_LeavesNoFile()
    {
        string path = Path.Combine(_folder, "partial.vaecf");
        var e = Assert.Throws<InvalidOperationException>(() => TensorFileRegions.Write(path, JsonSerializer.SerializeToElement(new { Format = "x" }),
            [("a", [2, 3]), ("b", [4])], file =>
            {
                file.Put(0, 0, ones(2, 3));
                file.Put(1, 0, ones(3));
            }));
        Assert.Contains("'b'", e.Message);
        Assert.Contains("3 of its 4", e.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }
}
