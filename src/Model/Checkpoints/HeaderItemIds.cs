using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Checkpoints;

/// <summary>
/// The item index of a model file's header (<c>ItemIds</c>): output column k scores item k, so each id must appear once
/// for an id to find its column. A file whose header was rewritten (its checksum repaired) can hold an id twice.
/// </summary>
internal static class HeaderItemIds
{
    /// <summary>Refuses an item index that names an item twice.</summary>
    /// <exception cref="CheckpointFormatException">An id appears twice: names the file, the field, the id and both positions.</exception>
    public static void RequireDistinct(string path, IReadOnlyList<string> itemIds)
    {
        var first = new Dictionary<string, int>(itemIds.Count, StringComparer.Ordinal);
        for (int i = 0; i < itemIds.Count; i++)
        {
            if (!first.TryAdd(itemIds[i], i))
                throw new CheckpointFormatException(path, $"field 'ItemIds': item id \"{DataFormatException.Printable(itemIds[i])}\" is at " +
                    $"positions {first[itemIds[i]]} and {i} of the item index; each item must appear once (the file was altered).");
        }
    }
}
