using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace VaeCfCluster.Model.Data;

/// <summary>
/// The binary cache <c>split.bin</c> of a split folder: magic, version, the SHA-256 of the body, then the body: a
/// fingerprint of the CSV/text files it was built from (name, length, last write time), then every matrix (CSR arrays)
/// and id list. It is used only when the checksum verifies and the fingerprint matches the folder's files now, so an
/// edited, copied or partly written folder falls back to its CSV files.
/// </summary>
internal static class SplitCache
{
    public const string FileName = "split.bin";
    private static readonly byte[] Magic = "VAECFSPL"u8.ToArray();
    // 2: folders are checked (SplitCsvRules) before they are cached; a version-1 cache may hold a split they refuse.
    private const int Version = 2;
    private const int HashLength = 32;

    /// <summary>The current fingerprint of the layout's files in <paramref name="folder"/>.</summary>
    public static byte[] Fingerprint(string folder)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            foreach (var name in SplitCsvLayout.Files)
            {
                var info = new FileInfo(Path.Combine(folder, name));
                writer.Write(name);
                writer.Write(info.Exists);
                writer.Write(info.Exists ? info.Length : -1);
                writer.Write(info.Exists ? info.LastWriteTimeUtc.Ticks : -1);
            }
        }
        return stream.ToArray();
    }

    /// <summary>Writes the cache atomically.</summary>
    public static void Write(string path, DataSplit split, byte[] fingerprint)
    {
        var bytes = Encode(split, fingerprint);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The cache file's bytes for <paramref name="split"/>.</summary>
    public static byte[] Encode(DataSplit split, byte[] fingerprint)
    {
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(fingerprint.Length);
            writer.Write(fingerprint);
            WriteIds(writer, split.ItemIds);
            WriteMatrix(writer, split.Train);
            WriteIds(writer, split.TrainUserIds);
            foreach (var users in new[] { split.Validation, split.Test })
            {
                WriteMatrix(writer, users.FoldIn);
                WriteMatrix(writer, users.HeldOut);
                WriteIds(writer, users.UserIds);
            }
        }
        var bodyBuffer = body.GetBuffer();
        int bodyLength = (int)body.Length;
        var hash = SHA256.HashData(bodyBuffer.AsSpan(0, bodyLength));
        using var file = new MemoryStream(Magic.Length + sizeof(int) + HashLength + bodyLength);
        file.Write(Magic);
        file.Write(BitConverter.GetBytes(Version));
        file.Write(hash);
        file.Write(bodyBuffer, 0, bodyLength);
        return file.ToArray();
    }

    /// <summary>The cached split, or null when the file is absent, unreadable, corrupt, of another version, or stale.</summary>
    public static DataSplit? TryRead(string path, byte[] fingerprint)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return Decode(File.ReadAllBytes(path), fingerprint);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache this user may not read is no worse than none: the CSV files are the truth.
            return null;
        }
    }

    /// <summary>The split in <paramref name="bytes"/> (a cache file's content), or null when corrupt, of another version or fingerprint.</summary>
    public static DataSplit? Decode(byte[] bytes, byte[] fingerprint)
    {
        if (!BitConverter.IsLittleEndian) return null;
        try
        {
            int headerLength = Magic.Length + sizeof(int) + HashLength;
            if (bytes.Length < headerLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic)) return null;
            if (BitConverter.ToInt32(bytes, Magic.Length) != Version) return null;
            var body = bytes.AsSpan(headerLength);
            if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(Magic.Length + sizeof(int), HashLength))) return null;

            using var reader = new BinaryReader(new MemoryStream(bytes, headerLength, body.Length, writable: false), Encoding.UTF8);
            int fingerprintLength = reader.ReadInt32();
            // A corrupted length is refused before ReadBytes allocates it.
            if ((uint)fingerprintLength > reader.BaseStream.Length - reader.BaseStream.Position) return null;
            if (!reader.ReadBytes(fingerprintLength).AsSpan().SequenceEqual(fingerprint)) return null;
            var itemIds = ReadIds(reader);
            var train = ReadMatrix(reader);
            var trainIds = ReadIds(reader);
            var held = new HeldOutUsers[2];
            for (int k = 0; k < held.Length; k++) held[k] = new HeldOutUsers(ReadMatrix(reader), ReadMatrix(reader), ReadIds(reader));
            return reader.BaseStream.Position == reader.BaseStream.Length ? new DataSplit(itemIds, train, trainIds, held[0], held[1]) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or FormatException or OverflowException)
        {
            // Unreadable or inconsistent despite its checksum: treat as absent; the CSV files are the truth.
            return null;
        }
    }

    private static void WriteMatrix(BinaryWriter writer, ClickMatrix matrix) => ClickMatrixCodec.Write(writer, matrix);

    private static ClickMatrix ReadMatrix(BinaryReader reader) => ClickMatrixCodec.Read(reader);

    private static void WriteIds(BinaryWriter writer, IReadOnlyList<string> ids)
    {
        writer.Write(ids.Count);
        foreach (var id in ids) writer.Write(id);
    }

    private static List<string> ReadIds(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > reader.BaseStream.Length - reader.BaseStream.Position) throw new EndOfStreamException();
        var ids = new List<string>(count);
        for (int k = 0; k < count; k++) ids.Add(reader.ReadString());
        return ids;
    }
}
