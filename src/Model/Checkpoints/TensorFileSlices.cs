using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Checkpoints;

/// <summary>
/// Reads parts of the tensors of a <see cref="TensorFile"/> in place, without reading the rest: rows of a matrix,
/// columns of a matrix, a range of a vector. The caller verifies the file's checksum first (a full read that keeps
/// nothing, <see cref="TensorFile.Read(string, Func{string, bool})"/>); a file changed after that is not noticed.
/// </summary>
public sealed class TensorFileSlices : IDisposable
{
    private readonly SafeFileHandle _file;
    private readonly IReadOnlyDictionary<string, (long Offset, long[] Shape)> _layout;

    private TensorFileSlices(string path)
    {
        Path = path;
        _layout = TensorFile.Layout(path);
        _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Opens <paramref name="path"/>'s tensor layout for reading parts.</summary>
    public static TensorFileSlices Open(string path) => new(path);

    /// <summary>Elements of every tensor in the file together.</summary>
    public long StoredElements => _layout.Values.Sum(e => e.Shape.Aggregate(1L, (a, b) => a * b));

    /// <summary>The shape of tensor <paramref name="name"/>.</summary>
    public long[] ShapeOf(string name) => Entry(name).Shape;

    /// <summary>Rows [<paramref name="first"/>, first + count) of matrix <paramref name="name"/>: [count, columns].</summary>
    public Tensor Rows(string name, long first, long count)
    {
        var (offset, shape) = Matrix(name);
        RequireRange(name, first, count, shape[0], "rows");
        var result = torch.empty([count, shape[1]], ScalarType.Float32);
        ReadInto(result, offset + first * shape[1] * sizeof(float));
        return result;
    }

    /// <summary>Columns [<paramref name="first"/>, first + count) of matrix <paramref name="name"/>: [rows, count], one read per row.</summary>
    public Tensor Columns(string name, long first, long count)
    {
        var (offset, shape) = Matrix(name);
        RequireRange(name, first, count, shape[1], "columns");
        var result = torch.empty([shape[0], count], ScalarType.Float32);
        var buffer = new byte[count * sizeof(float)];
        for (long r = 0; r < shape[0]; r++)
        {
            ReadExactly(buffer, offset + (r * shape[1] + first) * sizeof(float));
            using var row = result[r];
            row.bytes = buffer;
        }
        return result;
    }

    /// <summary>Elements [<paramref name="first"/>, first + count) of vector <paramref name="name"/>.</summary>
    public Tensor Range(string name, long first, long count)
    {
        var (offset, shape) = Entry(name);
        if (shape.Length != 1) throw new ArgumentException($"Tensor '{name}' of {Path} is not a vector.", nameof(name));
        RequireRange(name, first, count, shape[0], "elements");
        var result = torch.empty([count], ScalarType.Float32);
        ReadInto(result, offset + first * sizeof(float));
        return result;
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private (long Offset, long[] Shape) Entry(string name) =>
        _layout.TryGetValue(name, out var entry) ? entry : throw new CheckpointFormatException(Path, $"tensor '{name}' is missing.");

    private (long Offset, long[] Shape) Matrix(string name)
    {
        var entry = Entry(name);
        if (entry.Shape.Length != 2) throw new ArgumentException($"Tensor '{name}' of {Path} is not a matrix.", nameof(name));
        return entry;
    }

    private void RequireRange(string name, long first, long count, long size, string what)
    {
        if (first < 0 || count < 0 || first + count > size)
            throw new ArgumentOutOfRangeException(nameof(first), $"{what} [{first}, {first + count}) of tensor '{name}' ({size} {what}) in {Path}.");
    }

    /// <summary>Fills <paramref name="target"/> (contiguous float32) from the file at <paramref name="offset"/>, 16 MiB at a time.</summary>
    private void ReadInto(Tensor target, long offset)
    {
        using var flat = target.view(-1);
        long count = flat.numel();
        var buffer = new byte[Math.Min(count, TensorFile.DefaultChunkFloats) * sizeof(float)];
        for (long start = 0; start < count; start += TensorFile.DefaultChunkFloats)
        {
            int n = (int)Math.Min(TensorFile.DefaultChunkFloats, count - start);
            var bytes = buffer.AsSpan(0, n * sizeof(float));
            ReadExactly(bytes, offset + start * sizeof(float));
            using var chunk = flat.narrow(0, start, n);
            chunk.bytes = bytes;
        }
    }

    private void ReadExactly(Span<byte> bytes, long offset)
    {
        while (bytes.Length > 0)
        {
            int read = RandomAccess.Read(_file, bytes, offset);
            if (read == 0) throw new CheckpointFormatException(Path, "the file ended early (changed since it was checked?).");
            bytes = bytes[read..];
            offset += read;
        }
    }
}
