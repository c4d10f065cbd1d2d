namespace VaeCfCluster.Model.Data;

/// <summary>
/// A whole split as bytes (the <c>split.bin</c> layout: magic, version, SHA-256 of the body, then the matrices and
/// id lists), for sending a split to a cluster and storing it with a job.
/// </summary>
public static class SplitSerializer
{
    /// <summary>The bytes of <paramref name="split"/>.</summary>
    public static byte[] Serialize(DataSplit split) => SplitCache.Encode(split, []);

    /// <summary>The split in <paramref name="bytes"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a serialized split, or are corrupt.</exception>
    public static DataSplit Deserialize(byte[] bytes) =>
        SplitCache.Decode(bytes, []) ?? throw new InvalidDataException("The data is not a serialized split or is corrupt (checksum or structure).");
}
