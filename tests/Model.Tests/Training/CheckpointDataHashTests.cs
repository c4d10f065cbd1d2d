using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tests.Fuzzing;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Training;

public sealed class CheckpointDataHashTests : IDisposable
{
    private static readonly string[] ItemIds = ["a", "b", "c", "d", "e", "f"];
    private readonly FuzzFolder _folder = new();
    private readonly AutoencoderNetwork _network = new(CheckpointFuzzTests.Config, seed: 1);
    private readonly AdamOptimizer _optimizer;
    private readonly List<Tensor> _best;

    public CheckpointDataHashTests()
    {
        _optimizer = new AdamOptimizer(_network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToList(), new AdamOptions());
        _best = _network.OrderedParameters.Select(p => p.Tensor.detach().clone()).ToList();
    }

    [Fact]
    public void Restore_CheckpointOfOtherData_RefusedNamingBothHashes()
    {
        var path = Save(new string('a', 64));
        var error = Assert.Throws<CheckpointFormatException>(() => Restore(path, new string('b', 64)));
        Assert.Equal(path, error.FilePath);
        Assert.Contains("trained on other data (data SHA-256 aaaaaaaaaaaa… in the checkpoint, bbbbbbbbbbbb… now)", error.Message);
    }

    [Theory]
    [InlineData("same", "same")]
    [InlineData(null, "any")]
    [InlineData("any", null)]
    public void Restore_SameOrUnrecordedDataHash_Resumes(string? saved, string? now)
    {
        var path = Save(saved);
        Assert.Equal(4, Restore(path, now).Step);
    }

    private string Save(string? dataSha256)
    {
        var path = _folder.File("checkpoint.vaecf");
        TrainingCheckpoint.Save(path, _network, _optimizer, new TrainerOptions(), ItemIds, new TrainingState { Step = 4 }, _best, dataSha256);
        return path;
    }

    private TrainingState Restore(string path, string? dataSha256) =>
        TrainingCheckpoint.Restore(path, _network, _optimizer, new TrainerOptions(), ItemIds, _best, dataSha256);

    public void Dispose()
    {
        foreach (var t in _best) t.Dispose();
        _optimizer.Dispose();
        _network.Dispose();
        _folder.Dispose();
    }
}
