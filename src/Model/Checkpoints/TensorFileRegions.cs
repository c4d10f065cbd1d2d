using System.Security.Cryptography;
using System.Text.Json;
using TorchSharp;
using VaeCfCluster.Model.Data;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Checkpoints;

/// <summary>
/// Writes a <see cref="TensorFile"/> whose tensors are never whole in memory: the file's layout is fixed by the names
/// and shapes up front, the caller fills any region of any tensor in any order (<see cref="Put"/>), and the checksum is
/// computed by reading the data back once the last element is in. The same bytes as <see cref="TensorFile.Write(string, JsonElement, IReadOnlyList{ValueTuple{string, Tensor}})"/>
/// writes for the same tensors; written to a temporary file and renamed, so a failure leaves nothing half-written.
/// Every element must be written exactly once.
/// </summary>
public sealed class TensorFileRegions
{
    private readonly Stream _stream;
    private readonly long[] _offsets;
    private readonly long[] _lengths;
    private readonly long[] _written;

    private TensorFileRegions(Stream stream, long dataStart, IReadOnlyList<TensorFile.TensorEntry> entries)
    {
        _stream = stream;
        _offsets = new long[entries.Count];
        _lengths = new long[entries.Count];
        _written = new long[entries.Count];
        long offset = dataStart;
        for (int i = 0; i < entries.Count; i++)
        {
            _offsets[i] = offset;
            _lengths[i] = entries[i].Shape.Aggregate(1L, (a, b) => a * b);
            offset += 4 * _lengths[i];
        }
        DataEnd = offset;
    }

    private long DataEnd { get; }

    /// <summary>
    /// Writes the header and tensors <paramref name="tensors"/> (names and shapes) to <paramref name="path"/>, their
    /// values given by <paramref name="fill"/> region by region; refuses a file in which some element was not written.
    /// </summary>
    public static void Write(string path, JsonElement header, IReadOnlyList<(string Name, long[] Shape)> tensors, Action<TensorFileRegions> fill)
    {
        var entries = tensors.Select(t => new TensorFile.TensorEntry(t.Name, t.Shape)).ToArray();
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(new TensorFile.TensorFileHeader(header, entries));
        AtomicFile.Write(path, stream =>
        {
            stream.Write(TensorFile.Magic);
            stream.Write(BitConverter.GetBytes(headerBytes.Length));
            stream.Write(headerBytes);
            var regions = new TensorFileRegions(stream, stream.Position, entries);
            stream.SetLength(regions.DataEnd);
            fill(regions);
            for (int i = 0; i < entries.Length; i++)
                if (regions._written[i] != regions._lengths[i])
                    throw new InvalidOperationException($"Tensor '{entries[i].Name}' of {path}: {regions._written[i]} of its {regions._lengths[i]} elements were written.");
            stream.Write(regions.Checksum());
        });
    }

    /// <summary>
    /// Writes <paramref name="values"/> (float32, any shape: its elements in row-major order) into tensor
    /// <paramref name="tensor"/> from its element <paramref name="elementOffset"/> (row-major).
    /// </summary>
    public void Put(int tensor, long elementOffset, Tensor values)
    {
        using var cpu = DetachedTensor.OnCpu(values);
        if (cpu.dtype != ScalarType.Float32) throw new ArgumentException($"Only float32 tensors are stored; got {cpu.dtype}.", nameof(values));
        long count = cpu.numel();
        if (elementOffset < 0 || elementOffset + count > _lengths[tensor])
            throw new ArgumentOutOfRangeException(nameof(elementOffset), $"Elements [{elementOffset}, {elementOffset + count}) are outside tensor {tensor} of {_lengths[tensor]}.");
        using var flat = cpu.view(-1);
        _stream.Position = _offsets[tensor] + 4 * elementOffset;
        for (long start = 0; start < count; start += TensorFile.DefaultChunkFloats)
        {
            using var chunk = flat.narrow(0, start, Math.Min(TensorFile.DefaultChunkFloats, count - start));
            _stream.Write(chunk.bytes);
        }
        _written[tensor] += count;
    }

    private byte[] Checksum()
    {
        _stream.Flush();
        _stream.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[16 << 20];
        long left = DataEnd;
        while (left > 0)
        {
            int read = _stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0) throw new EndOfStreamException("The file being written ended before its data.");
            hash.AppendData(buffer, 0, read);
            left -= read;
        }
        return hash.GetHashAndReset();
    }
}
