using System.Security.Cryptography;
using System.Text.Json;
using TorchSharp;
using VaeCfCluster.Model.Checkpoints;

namespace VaeCfCluster.Model.Tests.Checkpoints;

/// <summary>
/// Tensors are written and read in chunks (so files and tensors may exceed 2 GB): whatever the chunk size, the bytes on
/// disk are the same, every value comes back, and a flipped byte anywhere is still caught by the checksum.
/// </summary>
public sealed class TensorFileChunkTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-tensorfile-chunks-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public void WriteAndRead_InChunks_SameBytesAsOneChunkAndEveryValueBack(int chunkFloats)
    {
        using var a = torch.randn(13, 11, generator: new torch.Generator(5));
        using var b = torch.randn(29, generator: new torch.Generator(6));
        using var strided = torch.randn(5, 8, generator: new torch.Generator(7)).t();   // not contiguous
        var header = JsonSerializer.SerializeToElement(new { Format = "test" });
        string whole = Path.Combine(_folder, "whole.vaecf"), chunked = Path.Combine(_folder, $"chunked-{chunkFloats}.vaecf");

        TensorFile.Write(whole, header, [("a", a), ("b", b), ("s", strided)], int.MaxValue / 8);
        TensorFile.Write(chunked, header, [("a", a), ("b", b), ("s", strided)], chunkFloats);

        Assert.Equal(SHA256.HashData(File.ReadAllBytes(whole)), SHA256.HashData(File.ReadAllBytes(chunked)));
        var (_, tensors) = TensorFile.Read(chunked, chunkFloats);
        try
        {
            Assert.Equal(a.data<float>().ToArray(), tensors["a"].data<float>().ToArray());
            Assert.Equal(b.data<float>().ToArray(), tensors["b"].data<float>().ToArray());
            Assert.Equal(strided.contiguous().data<float>().ToArray(), tensors["s"].data<float>().ToArray());
            Assert.Equal(new long[] { 8, 5 }, tensors["s"].shape);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    [Fact]
    public void Read_FlippedByteInTheLastChunk_RefusedByTheChecksum()
    {
        using var a = torch.randn(40, generator: new torch.Generator(9));
        string path = Path.Combine(_folder, "flipped.vaecf");
        TensorFile.Write(path, JsonSerializer.SerializeToElement(new { Format = "test" }), [("a", a)], 3);
        var bytes = File.ReadAllBytes(path);
        bytes[^33] ^= 0x40;   // the last tensor byte, just before the hash
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<CheckpointFormatException>(() => TensorFile.Read(path, 3));
        Assert.Contains("checksum mismatch", e.Message);
    }

    [Fact]
    public void Read_OnlyIncludedTensors_KeptTheOthersStillChecked()
    {
        using var a = torch.randn(30, generator: new torch.Generator(3));
        using var b = torch.randn(4, 5, generator: new torch.Generator(4));
        string path = Path.Combine(_folder, "filtered.vaecf");
        TensorFile.Write(path, JsonSerializer.SerializeToElement(new { Format = "test" }), [("a", a), ("b", b)], 7);

        var (_, kept) = TensorFile.Read(path, 7, name => name == "b");
        Assert.Equal(["b"], kept.Keys);
        Assert.Equal(b.data<float>().ToArray(), kept["b"].data<float>().ToArray());
        kept["b"].Dispose();

        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length - 32 - 20 * sizeof(float) - 1] ^= 0x01;   // inside the skipped tensor "a"
        File.WriteAllBytes(path, bytes);
        Assert.Contains("checksum mismatch", Assert.Throws<CheckpointFormatException>(() => TensorFile.Read(path, 7, name => name == "b")).Message);
    }
}
