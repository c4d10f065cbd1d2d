using System.Text;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>
/// The minimized inputs with which fuzzing found model and checkpoint file bugs (each used to escape as the exception
/// named in its comment), pinned to one <see cref="CheckpointFormatException"/> naming the file.
/// </summary>
public sealed class CheckpointFuzzRegressionTests : IDisposable
{
    private static readonly string[] ItemIds = ["a", "b", "c", "d", "e", "f"];
    private readonly FuzzFolder _folder = new();
    private readonly AutoencoderNetwork _network = new(CheckpointFuzzTests.Config, seed: 1);

    [Theory]
    [InlineData("", "not valid JSON")]                                                    // JsonException
    [InlineData("{}", "does not list the tensors")]                                       // ArgumentNullException (source)
    [InlineData("{\"Tensors\":[{\"Shape\":[]}]}", "does not list the tensors")]           // ArgumentNullException (key)
    [InlineData("{\"Tensors\":[{\"Name\":\"x\",\"Shape\":[2147483648]}]}", "runs past the end")] // was OverflowException; files may exceed 2 GB now
    [InlineData("{\"Tensors\":[{\"Name\":\"x\",\"Shape\":[4611686018427387904]}]}", "impossible shape")] // bytes beyond a long
    [InlineData("{\"Tensors\":[{\"Name\":\"x\",\"Shape\":[-1]}]}", "impossible shape")]         // ExternalException from LibTorch
    [InlineData("{\"Tensors\":[{\"Name\":\"x\",\"Shape\":[954775807]}]}", "runs past the end")]  // was OverflowException
    [InlineData("{\"Tensors\":[{\"Name\":\"x\",\"Shape\":[500000000]}]}", "runs past the end")]  // guard: 2 GB, refused before allocating
    [InlineData("{\"Tensors\":[]}", "missing header")]                                    // InvalidOperationException
    [InlineData("{\"Header\":{\"Format\":\"vaecf-model/1\"},\"Tensors\":[]}", "lacks the model settings")] // NullReferenceException
    public void ModelFile_BrokenHeader_IsRefusedInOneLine(string header, string problem)
    {
        var path = Write("model.vaecf", CheckpointFuzzTests.Frame(Encoding.UTF8.GetBytes(header), []));
        AssertRefused(() => ModelFile.Load(path), path, problem);
    }

    [Theory]
    [InlineData("\"HiddenDims\":[4]", "\"HiddenDims\":[0]", "invalid model settings")]     // ArgumentException from the network
    [InlineData("\"HiddenDims\":[4]", "\"HiddenDims\":[100000000]", "need at least")]      // guard: gigabytes for the network
    [InlineData("\"Epochs\":3", "\"Epochs\":\"3\"", "cannot be read (at $.Summary.Epochs)")] // JsonException
    public void ModelFile_CorruptedSettings_AreRefusedBeforeBuildingTheNetwork(string find, string replace, string problem)
    {
        var seedPath = _folder.File("seed.vaecf");
        ModelFile.Save(seedPath, _network, ItemIds, new ModelSummary(3, 2, 0.25, 0.2, 1, DateTimeOffset.UnixEpoch));
        var (header, tensors) = CheckpointFuzzTests.Split(File.ReadAllBytes(seedPath));
        var text = CheckpointFuzzTests.Text(header);
        Assert.Contains(find, text);
        var path = Write("model.vaecf", CheckpointFuzzTests.Frame(Encoding.UTF8.GetBytes(text.Replace(find, replace)), tensors));
        AssertRefused(() => ModelFile.Load(path), path, problem);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void TensorFile_HeaderLengthOutsideTheFile_IsRefused(int length)
    {
        // ArgumentOutOfRangeException before: the length was used to slice the file unchecked.
        byte[] bytes = [.. "VAECFTF1"u8, .. BitConverter.GetBytes(length), .. "{}"u8, .. new byte[32]];
        var path = Write("model.vaecf", CheckpointFuzzTests.RepairChecksum(bytes));
        AssertRefused(() => ModelFile.Load(path), path, "header length");
    }

    [Theory]
    [InlineData("\"GaussianUnclickedConfidence\":1", "\"GaussianUnclickedConfidence\":1e395", "model settings differ")] // ArgumentException from JSON
    [InlineData("\"History\":[]", "\"History\":null", "lacks the item index or the training state")] // NullReferenceException later
    [InlineData("\"ItemIds\":[", "\"ItemIds\":null,\"X\":[", "lacks the item index")]   // ArgumentNullException (source)
    public void Checkpoint_CorruptedHeader_IsRefusedInOneLine(string find, string replace, string problem)
    {
        using var optimizer = new AdamOptimizer(_network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToList(), new AdamOptions());
        var best = _network.OrderedParameters.Select(p => p.Tensor.detach().clone()).ToList();
        var options = new TrainerOptions();
        var seedPath = _folder.File("seed.vaecf");
        TrainingCheckpoint.Save(seedPath, _network, optimizer, options, ItemIds, new TrainingState(), best);
        var (header, tensors) = CheckpointFuzzTests.Split(File.ReadAllBytes(seedPath));
        var text = CheckpointFuzzTests.Text(header);
        Assert.Contains(find, text);
        var path = Write("checkpoint.vaecf", CheckpointFuzzTests.Frame(Encoding.UTF8.GetBytes(text.Replace(find, replace)), tensors));
        AssertRefused(() => TrainingCheckpoint.Restore(path, _network, optimizer, options, ItemIds, best), path, problem);
        foreach (var t in best) t.Dispose();
    }

    private string Write(string name, byte[] bytes)
    {
        var path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertRefused(Action load, string path, string problem)
    {
        var error = Assert.Throws<CheckpointFormatException>(load);
        Assert.Equal(path, error.FilePath);
        Assert.StartsWith(path, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose()
    {
        _network.Dispose();
        _folder.Dispose();
    }
}
