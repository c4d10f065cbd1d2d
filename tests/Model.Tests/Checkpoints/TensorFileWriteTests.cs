using System.Text.Json;
using TorchSharp;
using VaeCfCluster.Model.Checkpoints;

namespace VaeCfCluster.Model.Tests.Checkpoints;

/// <summary>A tensor that is not float32 is refused at write, naming it, and leaves no file behind.</summary>
public sealed class TensorFileWriteTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-tensorfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Write_Int64Tensor_RefusedNamingTheTensorAndNothingWritten()
    {
        string path = Path.Combine(_folder, "checkpoint.vaecf");
        using var weights = torch.ones(3, 2);
        using var counts = torch.arange(6, dtype: torch.ScalarType.Int64).reshape(2, 3);
        var header = JsonSerializer.SerializeToElement(new { kind = "test" });

        var e = Assert.Throws<ArgumentException>(() => TensorFile.Write(path, header, [("param/w", weights), ("adam.m/w", counts)]));

        Assert.Contains("'adam.m/w' is Int64 of shape [2, 3]", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Empty(Directory.GetFiles(_folder));
    }
}
