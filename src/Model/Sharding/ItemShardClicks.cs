using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// The training clicks that fall in one item range, bucketed once per job: every user's row, with columns relative
/// to the range's start, and each user's click count over the whole catalog (which sets the input's normalisation
/// and the multinomial's n_u). An item shard builds its part of any batch from this alone
/// (<see cref="ItemShardBatch.Create"/>).
/// </summary>
public sealed class ItemShardClicks
{
    private ItemShardClicks(ItemRange range, ClickMatrix clicks, int[] rowLengths)
    {
        Range = range;
        Clicks = clicks;
        RowLengths = rowLengths;
    }

    /// <summary>The item range.</summary>
    public ItemRange Range { get; }

    /// <summary>Every user's clicks in the range; columns are item − range start.</summary>
    public ClickMatrix Clicks { get; }

    /// <summary>Each user's clicks over the whole catalog.</summary>
    public IReadOnlyList<int> RowLengths { get; }

    /// <summary>Buckets <paramref name="clicks"/> by <paramref name="ranges"/> (contiguous, in order, covering every column).</summary>
    public static ItemShardClicks[] Bucket(ClickMatrix clicks, IReadOnlyList<ItemRange> ranges)
    {
        if (ranges.Count == 0 || ranges[0].Start != 0 || ranges[^1].End != clicks.ColumnCount)
            throw new ArgumentException($"The item ranges must cover the {clicks.ColumnCount} columns from 0.", nameof(ranges));
        int rows = clicks.RowCount, shards = ranges.Count;
        var lengths = new int[rows];
        var offsets = Enumerable.Range(0, shards).Select(_ => new int[rows + 1]).ToArray();
        var columns = Enumerable.Range(0, shards).Select(s => new List<int>()).ToArray();
        for (int r = 0; r < rows; r++)
        {
            var row = clicks.Row(r);
            lengths[r] = row.Length;
            int s = 0;
            foreach (int item in row)
            {
                // Rows are sorted, so the shard only moves forward.
                while (item >= ranges[s].End) s++;
                columns[s].Add(item - ranges[s].Start);
            }
            for (int k = 0; k < shards; k++) offsets[k][r + 1] = columns[k].Count;
        }
        return Enumerable.Range(0, shards)
            .Select(s => new ItemShardClicks(ranges[s], new ClickMatrix(rows, ranges[s].Count, offsets[s], columns[s].ToArray()), lengths))
            .ToArray();
    }

    /// <summary>Bytes of the bucket: range, each user's whole-catalog click count, then the range's clicks.</summary>
    public byte[] Serialize()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Range.Start);
            writer.Write(Range.Count);
            writer.Write(RowLengths.Count);
            foreach (int length in RowLengths) writer.Write(length);
            ClickMatrixCodec.Write(writer, Clicks);
        }
        return stream.ToArray();
    }

    /// <summary>The bucket in <paramref name="bytes"/> (from <see cref="Serialize"/>).</summary>
    /// <exception cref="InvalidDataException">The bytes do not hold a consistent bucket.</exception>
    public static ItemShardClicks Deserialize(byte[] bytes)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
            var range = new ItemRange(reader.ReadInt32(), reader.ReadInt32());
            var lengths = ClickMatrixCodec.ReadInts(reader, reader.ReadInt32());
            var clicks = ClickMatrixCodec.Read(reader);
            if (clicks.RowCount != lengths.Length || clicks.ColumnCount != range.Count || range.Start < 0)
                throw new InvalidDataException($"An item-shard bucket of {clicks.RowCount}x{clicks.ColumnCount} clicks does not match its {lengths.Length} users and range {range}.");
            return new ItemShardClicks(range, clicks, lengths);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("An item-shard bucket ends early.", e);
        }
    }
}
