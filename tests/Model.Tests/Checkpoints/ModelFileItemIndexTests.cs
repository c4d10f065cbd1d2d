using System.Text;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Sharding;
using VaeCfCluster.Model.Tests.Fuzzing;

namespace VaeCfCluster.Model.Tests.Checkpoints;

/// <summary>
/// A model file whose header names an item twice (the header rewritten, the checksum repaired) is refused by every
/// reader of Mult-VAE/DAE and RecVAE model files, naming the file, the field, the id and both positions; before, the
/// file loaded and <c>vaecf recommend</c> failed building its id → column map.
/// </summary>
public sealed class ModelFileItemIndexTests : IDisposable
{
    private static readonly string[] ItemIds = ["a", "b", "c", "d", "e", "f"];
    private const string Index = "\"ItemIds\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]";
    private readonly FuzzFolder _folder = new();

    public static TheoryData<string> Readers => new() { "load", "streamed" };

    [Theory]
    [MemberData(nameof(Readers))]
    public void ModelFile_DuplicateItemId_IsRefusedNamingFileFieldIdAndPositions(string reader)
    {
        var path = _folder.File("model.vaecf");
        using (var network = new AutoencoderNetwork(CheckpointFuzzTests.Config, seed: 1))
            ModelFile.Save(path, network, ItemIds, new ModelSummary(3, 2, 0.25, 0.2, 1, DateTimeOffset.UnixEpoch));
        Action open = reader == "load" ? () => ModelFile.Load(path).Network.Dispose() : () => StreamedModelScorer.Open(path).Dispose();
        open(); // the file as written loads

        RewriteIndex(path, "\"ItemIds\":[\"a\",\"b\",\"c\",\"b\",\"e\",\"f\"]");

        AssertRefused(open, path, "field 'ItemIds': item id \"b\" is at positions 1 and 3 of the item index");
    }

    [Theory]
    [MemberData(nameof(Readers))]
    public void RecVaeModelFile_DuplicateItemId_IsRefusedNamingFileFieldIdAndPositions(string reader)
    {
        var path = _folder.File("model.recvae");
        var options = new RecVaeOptions { Hidden = 4, Latent = 2, EncoderLayers = 2, Seed = 3 };
        using (var network = new RecVaeNetwork(ItemIds.Length, options, options.Seed))
            RecVaeModelFile.Save(path, network, ItemIds, 2, 0.3);
        Action open = reader == "load" ? () => RecVaeModelFile.Load(path).Network.Dispose() : () => StreamedRecVaeScorer.Open(path).Dispose();
        open();

        RewriteIndex(path, "\"ItemIds\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"a\"]");

        AssertRefused(open, path, "field 'ItemIds': item id \"a\" is at positions 0 and 5 of the item index");
    }

    [Fact]
    public void ModelFile_DuplicateItemIdWithControlCharacters_IsQuotedEscaped()
    {
        var path = _folder.File("model.vaecf");
        using (var network = new AutoencoderNetwork(CheckpointFuzzTests.Config, seed: 1))
            ModelFile.Save(path, network, ItemIds, new ModelSummary(3, 2, 0.25, 0.2, 1, DateTimeOffset.UnixEpoch));

        RewriteIndex(path, "\"ItemIds\":[\"\\u001b[2J\",\"b\",\"c\",\"d\",\"\\u001b[2J\",\"f\"]");

        AssertRefused(() => ModelFile.Load(path).Network.Dispose(), path, "field 'ItemIds': item id \"\\x1B[2J\" is at positions 0 and 4");
    }

    /// <summary>Replaces the header's item index and frames the file again with a valid checksum.</summary>
    private static void RewriteIndex(string path, string index)
    {
        var (header, tensors) = CheckpointFuzzTests.Split(File.ReadAllBytes(path));
        var text = CheckpointFuzzTests.Text(header);
        Assert.Contains(Index, text);
        File.WriteAllBytes(path, CheckpointFuzzTests.Frame(Encoding.UTF8.GetBytes(text.Replace(Index, index)), tensors));
    }

    private static void AssertRefused(Action open, string path, string problem)
    {
        var error = Assert.Throws<CheckpointFormatException>(open);
        Assert.Equal(path, error.FilePath);
        Assert.StartsWith($"{path}: {problem}", error.Message);
        Assert.DoesNotContain(error.Message, char.IsControl);
    }

    public void Dispose() => _folder.Dispose();
}
