using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// A worker's share of the training users: users whose global row number is congruent to the worker's index modulo
/// the worker count, with their clicks. Each global batch's slice for this worker is the batch's users that fall in
/// the partition, so the batch is exactly the single-process trainer's batch however the users are spread.
/// </summary>
public sealed class UserPartition
{
    private UserPartition(int[] users, ClickMatrix clicks)
    {
        Users = users;
        Clicks = clicks;
    }

    /// <summary>Global row numbers of the partition's users, ascending.</summary>
    public int[] Users { get; }

    /// <summary>Their clicks, one row per entry of <see cref="Users"/>.</summary>
    public ClickMatrix Clicks { get; }

    /// <summary>The users of <paramref name="train"/> with row % <paramref name="workers"/> == <paramref name="worker"/>.</summary>
    public static UserPartition Of(ClickMatrix train, int worker, int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(worker);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(worker, workers);
        var users = Enumerable.Range(0, train.RowCount).Where(u => u % workers == worker).ToArray();
        return new UserPartition(users, train.SelectRows(users));
    }

    /// <summary>The local row of each global user (which must be in the partition).</summary>
    public int[] LocalRows(ReadOnlySpan<int> globalUsers)
    {
        var rows = new int[globalUsers.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            int index = Array.BinarySearch(Users, globalUsers[i]);
            if (index < 0) throw new ArgumentException($"User {globalUsers[i]} is not in this worker's partition.", nameof(globalUsers));
            rows[i] = index;
        }
        return rows;
    }

    /// <summary>Sorted distinct items clicked by the given local rows.</summary>
    public int[] TouchedItems(ReadOnlySpan<int> localRows)
    {
        var seen = new bool[Clicks.ColumnCount];
        int count = 0;
        foreach (int row in localRows)
            foreach (int item in Clicks.Row(row))
                if (!seen[item]) { seen[item] = true; count++; }
        var items = new int[count];
        for (int i = 0, k = 0; i < seen.Length; i++) if (seen[i]) items[k++] = i;
        return items;
    }

    /// <summary>Bytes of the partition.</summary>
    public byte[] Serialize()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Users.Length);
            foreach (int u in Users) writer.Write(u);
            ClickMatrixCodec.Write(writer, Clicks);
        }
        return stream.ToArray();
    }

    /// <summary>The partition in <paramref name="bytes"/>.</summary>
    public static UserPartition Deserialize(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        var users = ClickMatrixCodec.ReadInts(reader, reader.ReadInt32());
        var clicks = ClickMatrixCodec.Read(reader);
        if (clicks.RowCount != users.Length) throw new InvalidDataException("Partition users and rows differ in number.");
        return new UserPartition(users, clicks);
    }
}
