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
            foreach (var (name, tensor) in tensors)
            {
                using var cpu = tensor.detach().to(torch.CPU).contiguous();
                // Names the tensor and what it held, so a freed or reused handle (the suspected cause of this once) can be traced.
                if (cpu.dtype != ScalarType.Float32)
                    throw new ArgumentException($"Only float32 tensors are stored; '{name}' is {cpu.dtype} of shape [{string.Join(", ", cpu.shape)}] " +
                                                $"(expected [{string.Join(", ", tensor.shape)}] float32) in {path}.");
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
        if (headerLength < 0 || headerLength > body.Length - offset)
            throw new CheckpointFormatException(path, $"header length {headerLength} runs past the end of the file.");
        var envelope = ReadHeader(path, body.Slice(offset, headerLength));
        offset += headerLength;
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            foreach (var entry in envelope.Tensors)
            {
                // Sizes come from the header: checked against the bytes present before anything is allocated.
                long length = ByteLength(path, entry);
                if (length > body.Length - offset) throw new CheckpointFormatException(path, $"tensor '{entry.Name}' runs past the end of the file.");
                if (tensors.ContainsKey(entry.Name)) throw new CheckpointFormatException(path, $"tensor '{entry.Name}' is stored twice.");
                var tensor = torch.empty(entry.Shape, ScalarType.Float32);
                tensors[entry.Name] = tensor;
                tensor.bytes = body.Slice(offset, (int)length);
                offset += (int)length;
            }
            if (offset != body.Length) throw new CheckpointFormatException(path, "unexpected bytes after the last tensor.");
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return (envelope.Header, tensors);
    }

    /// <summary>
    /// The "Format" field of a file's header, read from the header alone (to choose a reader before the whole file is
    /// read and checked); null when the header has none. The full read still verifies the checksum.
    /// </summary>
    public static string? PeekFormat(string path)
    {
        if (!File.Exists(path)) throw new CheckpointFormatException(path, "file not found.");
        using var stream = File.OpenRead(path);
        var prefix = new byte[Magic.Length + 4];
        if (stream.Read(prefix) != prefix.Length || !prefix.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointFormatException(path, "not a VaeCfCluster checkpoint or model file (bad magic bytes).");
        int headerLength = BitConverter.ToInt32(prefix, Magic.Length);
        if (headerLength < 0 || headerLength > stream.Length - prefix.Length)
            throw new CheckpointFormatException(path, $"header length {headerLength} runs past the end of the file.");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        var envelope = ReadHeader(path, json);
        return envelope.Header.ValueKind == JsonValueKind.Object && envelope.Header.TryGetProperty("Format", out var format)
               && format.ValueKind == JsonValueKind.String ? format.GetString() : null;
    }

    /// <summary>The caller's header object, refusing a header that is missing or of another shape.</summary>
    internal static T ReadHeaderAs<T>(string path, JsonElement header) where T : class
    {
        try
        {
            return header.ValueKind == JsonValueKind.Object && header.Deserialize<T>() is { } value
                ? value
                : throw new CheckpointFormatException(path, "missing header.");
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(path, $"the header cannot be read ({Where(e)}).");
        }
    }

    /// <summary>Where in the header JSON the problem is; not the parser's message, which may quote text with line breaks.</summary>
    private static string Where(JsonException e) =>
        e.Path is { Length: > 0 } jsonPath ? $"at {jsonPath}" : $"line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}";

    private static TensorFileHeader ReadHeader(string path, ReadOnlySpan<byte> json)
    {
        TensorFileHeader? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<TensorFileHeader>(json);
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(path, $"the header is not valid JSON ({Where(e)}).");
        }
        if (envelope?.Tensors is null || envelope.Tensors.Any(t => t?.Name is null || t.Shape is null))
            throw new CheckpointFormatException(path, "the header does not list the tensors (name and shape of each).");
        return envelope;
    }

    /// <summary>Bytes of one tensor, refusing negative dimensions and sizes beyond any file.</summary>
    private static long ByteLength(string path, TensorEntry entry)
    {
        long count = 1;
        foreach (long d in entry.Shape)
        {
            if (d < 0 || (d > 0 && count > int.MaxValue / sizeof(float) / d))
                throw new CheckpointFormatException(path, $"tensor '{entry.Name}' has an impossible shape [{string.Join(", ", entry.Shape)}].");
            count *= d;
        }
        return count * sizeof(float);
    }

    private sealed record TensorEntry(string Name, long[] Shape);

    private sealed record TensorFileHeader(JsonElement Header, TensorEntry[] Tensors);
}
