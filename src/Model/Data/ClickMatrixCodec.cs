using System.Runtime.InteropServices;

namespace VaeCfCluster.Model.Data;

/// <summary>Binary form of a <see cref="ClickMatrix"/>: row count, column count, non-zeros, then the CSR arrays.</summary>
public static class ClickMatrixCodec
{
    /// <summary>Writes <paramref name="matrix"/>.</summary>
    public static void Write(BinaryWriter writer, ClickMatrix matrix)
    {
        writer.Write(matrix.RowCount);
        writer.Write(matrix.ColumnCount);
        writer.Write(matrix.NonZeroCount);
        writer.Write(MemoryMarshal.AsBytes(matrix.RowOffsets));
        writer.Write(MemoryMarshal.AsBytes(matrix.Columns));
    }

    /// <summary>Reads a matrix written by <see cref="Write"/>; the matrix constructor checks its structure.</summary>
    /// <exception cref="EndOfStreamException">The data ends early.</exception>
    public static ClickMatrix Read(BinaryReader reader)
    {
        int rows = reader.ReadInt32(), columns = reader.ReadInt32(), nonZeros = reader.ReadInt32();
        var offsets = ReadInts(reader, checked(rows + 1));
        var indices = ReadInts(reader, nonZeros);
        return new ClickMatrix(rows, columns, offsets, indices);
    }

    /// <summary>Reads <paramref name="count"/> little-endian ints.</summary>
    public static int[] ReadInts(BinaryReader reader, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if ((long)count * sizeof(int) > reader.BaseStream.Length - reader.BaseStream.Position) throw new EndOfStreamException();
        var values = new int[count];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (reader.Read(bytes) != bytes.Length) throw new EndOfStreamException();
        return values;
    }
}
