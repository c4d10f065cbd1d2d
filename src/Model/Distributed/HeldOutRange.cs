using System.Globalization;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Distributed;

/// <summary>Bytes of a contiguous range of held-out users (fold-in and held-out clicks) for an evaluation grain.</summary>
public static class HeldOutRange
{
    /// <summary>Users [start, start + count) of <paramref name="users"/>.</summary>
    public static byte[] Serialize(HeldOutUsers users, int start, int count)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            ClickMatrixCodec.Write(writer, users.FoldIn.SliceRows(start, count));
            ClickMatrixCodec.Write(writer, users.HeldOut.SliceRows(start, count));
        }
        return stream.ToArray();
    }

    /// <summary>The users in <paramref name="bytes"/>; their ids are their global numbers from <paramref name="start"/>.</summary>
    public static HeldOutUsers Deserialize(byte[] bytes, int start)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        var foldIn = ClickMatrixCodec.Read(reader);
        var heldOut = ClickMatrixCodec.Read(reader);
        var ids = Enumerable.Range(start, foldIn.RowCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new HeldOutUsers(foldIn, heldOut, ids);
    }
}
