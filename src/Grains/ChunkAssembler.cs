namespace VaeCfCluster.Grains;

/// <summary>Reassembles a payload sent as numbered chunks in order; returns the whole once the last chunk arrives.</summary>
public sealed class ChunkAssembler
{
    private MemoryStream? _buffer;
    private int _next;

    /// <summary>Adds chunk <paramref name="index"/> of <paramref name="count"/>; the payload when complete, else null.</summary>
    public byte[]? Add(int index, int count, byte[] bytes)
    {
        if (index == 0) { _buffer = new MemoryStream(); _next = 0; }
        if (_buffer is null || index != _next || index >= count)
            throw new InvalidOperationException($"Chunk {index} of {count} arrived out of order (expected {_next}).");
        _buffer.Write(bytes);
        _next++;
        if (_next < count) return null;
        var whole = _buffer.ToArray();
        _buffer = null;
        _next = 0;
        return whole;
    }

    /// <summary>Splits <paramref name="payload"/> into chunks of at most <paramref name="maxBytes"/>.</summary>
    public static IReadOnlyList<byte[]> Split(byte[] payload, int maxBytes)
    {
        if (payload.Length == 0) return [[]];
        var chunks = new List<byte[]>();
        for (int offset = 0; offset < payload.Length; offset += maxBytes)
            chunks.Add(payload.AsSpan(offset, Math.Min(maxBytes, payload.Length - offset)).ToArray());
        return chunks;
    }
}
