namespace VaeCfCluster.Model.Sharding;

/// <summary>A contiguous range of item columns [Start, Start + Count): what one item shard of a model holds.</summary>
public readonly record struct ItemRange(int Start, int Count)
{
    /// <summary>One past the last item.</summary>
    public int End => Start + Count;

    /// <summary>
    /// <paramref name="items"/> items cut into <paramref name="shards"/> ranges of nearly equal size (the first
    /// <c>items % shards</c> ranges one larger), in order.
    /// </summary>
    public static ItemRange[] Split(int items, int shards)
    {
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "At least one item shard is needed.");
        if (shards > items) throw new ArgumentOutOfRangeException(nameof(shards), shards, $"{shards} item shards for {items} items: each shard needs an item.");
        var ranges = new ItemRange[shards];
        int start = 0;
        for (int s = 0; s < shards; s++)
        {
            int count = items / shards + (s < items % shards ? 1 : 0);
            ranges[s] = new ItemRange(start, count);
            start += count;
        }
        return ranges;
    }
}
