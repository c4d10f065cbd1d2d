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
    internal static readonly byte[] Magic = "VAECFTF1"u8.ToArray();

    /// <summary>Floats per chunk written or read at a time (16 MiB), so no span or array ever holds a whole large tensor.</summary>
    internal const int DefaultChunkFloats = 1 << 22;

    /// <summary>Writes the header (any JSON-serialisable object) and tensors atomically.</summary>
    public static void Write(string path, JsonElement header, IReadOnlyList<(string Name, Tensor Tensor)> tensors) =>
        Write(path, header, tensors, DefaultChunkFloats);

    /// <summary>The public <c>Write</c> in chunks of <paramref name="chunkFloats"/> floats.</summary>
    internal static void Write(string path, JsonElement header, IReadOnlyList<(string Name, Tensor Tensor)> tensors, int chunkFloats)
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
                using var cpu = DetachedTensor.OnCpu(tensor);
                // Names the tensor and what it held, so a freed or reused handle (see DetachedTensor) can be traced.
                if (cpu.dtype != ScalarType.Float32)
                    throw new ArgumentException($"Only float32 tensors are stored; '{name}' is {cpu.dtype} of shape [{string.Join(", ", cpu.shape)}] " +
                                                $"(expected [{string.Join(", ", tensor.shape)}] float32) in {path}.");
                // In chunks: a tensor of a million-item layer is more bytes than one span can hold.
                using var flat = cpu.view(-1);
                long count = flat.numel();
                for (long start = 0; start < count; start += chunkFloats)
                {
                    using var chunk = flat.narrow(0, start, Math.Min(chunkFloats, count - start));
                    Put(chunk.bytes);
                }
            }
            stream.Write(hash.GetHashAndReset());
        });
    }

    /// <summary>
    /// Reads a file written by <c>Write</c>, refusing it when it is truncated or its checksum fails. The file is
    /// streamed in chunks (files and tensors may exceed 2 GB); sizes from the header are checked against the file's
    /// length before anything is allocated.
    /// </summary>
    public static (JsonElement Header, Dictionary<string, Tensor> Tensors) Read(string path) => Read(path, DefaultChunkFloats);

    /// <summary>
    /// As <c>Read</c>, keeping only the tensors <paramref name="include"/> names: the others are read through (the
    /// checksum covers them) without being allocated.
    /// </summary>
    public static (JsonElement Header, Dictionary<string, Tensor> Tensors) Read(string path, Func<string, bool> include) =>
        Read(path, DefaultChunkFloats, include);

    /// <summary>The public <c>Read</c> in chunks of <paramref name="chunkFloats"/> floats.</summary>
    internal static (JsonElement Header, Dictionary<string, Tensor> Tensors) Read(string path, int chunkFloats, Func<string, bool>? include = null)
    {
        if (!File.Exists(path)) throw new CheckpointFormatException(path, "file not found.");
        const int hashLength = 32;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var prefix = new byte[Magic.Length + 4];
        if (stream.Length < Magic.Length + 4 + hashLength || stream.Read(prefix) != prefix.Length || !prefix.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointFormatException(path, "not a VaeCfCluster checkpoint or model file (bad magic bytes).");
        hash.AppendData(prefix);
        long bodyLength = stream.Length - hashLength;
        int headerLength = BitConverter.ToInt32(prefix, Magic.Length);
        long offset = prefix.Length;
        if (headerLength < 0 || headerLength > bodyLength - offset)
            throw new CheckpointFormatException(path, $"header length {headerLength} runs past the end of the file.");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        hash.AppendData(json);
        var envelope = ReadHeader(path, json);
        offset += headerLength;
        long tensorBytes = 0, largest = 0;
        var names = new HashSet<string>();
        foreach (var entry in envelope.Tensors)
        {
            long length = ByteLength(path, entry);
            if (length > bodyLength - offset - tensorBytes) throw new CheckpointFormatException(path, $"tensor '{entry.Name}' runs past the end of the file.");
            if (!names.Add(entry.Name)) throw new CheckpointFormatException(path, $"tensor '{entry.Name}' is stored twice.");
            tensorBytes += length;
            largest = Math.Max(largest, length);
        }
        if (offset + tensorBytes != bodyLength) throw new CheckpointFormatException(path, "unexpected bytes after the last tensor.");
        var tensors = new Dictionary<string, Tensor>();
        try
        {
            var buffer = new byte[Math.Min((long)chunkFloats * sizeof(float), largest)];
            foreach (var entry in envelope.Tensors)
            {
                if (include is not null && !include(entry.Name))
                {
                    for (long left = ByteLength(path, entry); left > 0; left -= buffer.Length)
                    {
                        var skipped = buffer.AsSpan(0, (int)Math.Min(buffer.Length, left));
                        stream.ReadExactly(skipped);
                        hash.AppendData(skipped);
                    }
                    continue;
                }
                var tensor = torch.empty(entry.Shape, ScalarType.Float32);
                tensors[entry.Name] = tensor;
                using var flat = tensor.view(-1);
                long count = flat.numel();
                for (long start = 0; start < count; start += chunkFloats)
                {
                    int n = (int)Math.Min(chunkFloats, count - start);
                    var bytes = buffer.AsSpan(0, n * sizeof(float));
                    stream.ReadExactly(bytes);
                    hash.AppendData(bytes);
                    using var chunk = flat.narrow(0, start, n);
                    chunk.bytes = bytes;
                }
            }
            var stored = new byte[hashLength];
            stream.ReadExactly(stored);
            if (!hash.GetHashAndReset().AsSpan().SequenceEqual(stored))
                throw new CheckpointFormatException(path, "checksum mismatch: the file is corrupted or truncated; refusing to load it.");
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
        var header = PeekHeader(path);
        return header.ValueKind == JsonValueKind.Object && header.TryGetProperty("Format", out var format)
               && format.ValueKind == JsonValueKind.String ? format.GetString() : null;
    }

    /// <summary>The caller's header of a file, read from the header alone; the full read still verifies the checksum.</summary>
    internal static JsonElement PeekHeader(string path) => PeekEnvelope(path).Envelope.Header;

    /// <summary>A file's header envelope (the caller's header and the tensor list), where its data starts, and its length.</summary>
    private static (TensorFileHeader Envelope, long DataStart, long FileLength) PeekEnvelope(string path)
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
        return (ReadHeader(path, json), prefix.Length + headerLength, stream.Length);
    }

    /// <summary>
    /// Where each tensor's data starts in the file (bytes from the start) and its shape, from the header alone; the
    /// offsets are checked to fit the file. The caller verifies the checksum with a full <c>Read</c>.
    /// </summary>
    internal static IReadOnlyDictionary<string, (long Offset, long[] Shape)> Layout(string path)
    {
        var (envelope, offset, fileLength) = PeekEnvelope(path);
        var layout = new Dictionary<string, (long, long[])>();
        foreach (var entry in envelope.Tensors)
        {
            long length = ByteLength(path, entry);
            if (length > fileLength - offset) throw new CheckpointFormatException(path, $"tensor '{entry.Name}' runs past the end of the file.");
            if (!layout.TryAdd(entry.Name, (offset, entry.Shape))) throw new CheckpointFormatException(path, $"tensor '{entry.Name}' is stored twice.");
            offset += length;
        }
        return layout;
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
            if (d < 0 || (d > 0 && count > long.MaxValue / sizeof(float) / d))
                throw new CheckpointFormatException(path, $"tensor '{entry.Name}' has an impossible shape [{string.Join(", ", entry.Shape)}].");
            count *= d;
        }
        return count * sizeof(float);
    }

    internal sealed record TensorEntry(string Name, long[] Shape);

    internal sealed record TensorFileHeader(JsonElement Header, TensorEntry[] Tensors);
}
