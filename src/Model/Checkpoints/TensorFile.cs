using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TorchSharp;
using VaeCfCluster.Model.Data;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Checkpoints;

/// <summary>
/// One self-checking file of named float32 tensors plus a JSON header:
/// "VAECFTF1" | int32 header length | UTF-8 JSON header | raw little-endian tensors in header order | SHA-256 of
/// everything before it. Written to a temporary file beside the target and renamed, so a crash never leaves a
/// half-written file; read back only when the checksum matches.
/// </summary>
public static class TensorFile
{
    private static readonly byte[] Magic = "VAECFTF1"u8.ToArray();

    /// <summary>Writes the header (any JSON-serialisable object) and tensors atomically.</summary>
    public static void Write(string path, JsonElement header, IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        var envelope = new TensorFileHeader(header, tensors.Select(t => new TensorEntry(t.Name, t.Tensor.shape)).ToArray());
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(envelope);
        AtomicFile.Write(path, stream =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            void Put(ReadOnlySpan<byte> bytes) { stream.Write(bytes); hash.AppendData(bytes); }
            Put(Magic);
            Put(BitConverter.GetBytes(headerBytes.Length));
            Put(headerBytes);
            foreach (var (_, tensor) in tensors)
            {
                using var cpu = tensor.detach().to(torch.CPU).contiguous();
                if (cpu.dtype != ScalarType.Float32) throw new ArgumentException("Only float32 tensors are stored.");
                Put(cpu.bytes);
            }
            stream.Write(hash.GetHashAndReset());
        });
    }

    /// <summary>Reads a file written by <see cref="Write"/>, refusing it when it is truncated or its checksum fails.</summary>
    public static (JsonElement Header, Dictionary<string, Tensor> Tensors) Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointFormatException(path, "file not found.");
        var bytes = File.ReadAllBytes(path);
        const int hashLength = 32;
        if (bytes.Length < Magic.Length + 4 + hashLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointFormatException(path, "not a VaeCfCluster checkpoint or model file (bad magic bytes).");
        var body = bytes.AsSpan(0, bytes.Length - hashLength);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - hashLength)))
            throw new CheckpointFormatException(path, "checksum mismatch: the file is corrupted or truncated; refusing to load it.");
        int headerLength = BitConverter.ToInt32(bytes, Magic.Length);
        int offset = Magic.Length + 4;
        var envelope = JsonSerializer.Deserialize<TensorFileHeader>(bytes.AsSpan(offset, headerLength))
            ?? throw new CheckpointFormatException(path, "empty header.");
        offset += headerLength;
        var tensors = new Dictionary<string, Tensor>();
        foreach (var entry in envelope.Tensors)
        {
            long count = entry.Shape.Aggregate(1L, (a, d) => a * d);
            int length = checked((int)(count * sizeof(float)));
            if (offset + length > body.Length) throw new CheckpointFormatException(path, $"tensor '{entry.Name}' runs past the end of the file.");
            var tensor = torch.empty(entry.Shape, ScalarType.Float32);
            tensor.bytes = body.Slice(offset, length);
            tensors[entry.Name] = tensor;
            offset += length;
        }
        if (offset != body.Length) throw new CheckpointFormatException(path, "unexpected bytes after the last tensor.");
        return (envelope.Header, tensors);
    }

    private sealed record TensorEntry(string Name, long[] Shape);

    private sealed record TensorFileHeader(JsonElement Header, TensorEntry[] Tensors);
}
