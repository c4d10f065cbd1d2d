using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Sharding;

namespace VaeCfCluster.Model.Tests.Sharding;

/// <summary>Clicks bucketed by item range once, and a shard's batch built from its bucket alone, equal the cut whole batch.</summary>
public sealed class ItemShardClicksTests
{
    private static ClickMatrix RandomClicks(int users, int items, int seed)
    {
        var random = new Random(seed);
        var rows = new List<int>();
        var cols = new List<int>();
        for (int u = 0; u < users; u++)
            foreach (int i in Enumerable.Range(0, items).Where(_ => random.NextDouble() < (u % 5 == 2 ? 0 : 0.15)))
            {
                rows.Add(u);
                cols.Add(i);
            }
        return ClickMatrix.FromPairs(users, items, rows.ToArray(), cols.ToArray());
    }

    [Fact]
    public void Bucket_ThreeRanges_EveryClickOnceWithLocalColumnsAndWholeRowLengths()
    {
        var clicks = RandomClicks(20, 31, seed: 1);
        var ranges = ItemRange.Split(31, 3);
        var buckets = ItemShardClicks.Bucket(clicks, ranges);
        Assert.Equal(clicks.NonZeroCount, buckets.Sum(b => b.Clicks.NonZeroCount));
        for (int r = 0; r < clicks.RowCount; r++)
        {
            var rebuilt = buckets.SelectMany(b => b.Clicks.Row(r).ToArray().Select(c => c + b.Range.Start)).ToArray();
            Assert.Equal(clicks.Row(r).ToArray(), rebuilt);
            Assert.All(buckets, b => Assert.Equal(clicks.RowLength(r), b.RowLengths[r]));
        }
    }

    [Theory]
    [InlineData(0.5, 4)]
    [InlineData(0.0, 2)]
    public void Create_FromTheBucket_EqualsTheCutWholeBatch(double dropout, int shards)
    {
        var clicks = RandomClicks(40, 57, seed: 2);
        var ranges = ItemRange.Split(57, shards);
        var buckets = ItemShardClicks.Bucket(clicks, ranges);
        int[] rows = [7, 2, 12, 39, 0, 21];
        long[] keys = rows.Select(r => 500L + r).ToArray();
        using var scope = torch.NewDisposeScope();
        var whole = ItemShardBatch.Split(SparseBatch.Create(clicks, rows, dropout, seed: 4, epoch: 9, userKeys: keys), ranges);
        for (int s = 0; s < shards; s++)
        {
            var built = ItemShardBatch.Create(buckets[s], rows, dropout, seed: 4, epoch: 9, userKeys: keys);
            Assert.Equal(whole[s].InputItems.data<long>().ToArray(), built.InputItems.data<long>().ToArray());
            Assert.Equal(whole[s].InputOffsets.data<long>().ToArray(), built.InputOffsets.data<long>().ToArray());
            Assert.Equal(whole[s].InputWeights.data<float>().ToArray(), built.InputWeights.data<float>().ToArray());
            Assert.Equal(whole[s].ClickFlatIndices.data<long>().ToArray(), built.ClickFlatIndices.data<long>().ToArray());
            Assert.Equal(whole[s].ClickCounts.data<float>().ToArray(), built.ClickCounts.data<float>().ToArray());
        }
        Assert.True(whole.Sum(w => w.InputItems.shape[0]) > 0);
    }
}
