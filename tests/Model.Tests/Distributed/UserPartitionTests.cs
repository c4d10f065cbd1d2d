using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Tests.Support;

namespace VaeCfCluster.Model.Tests.Distributed;

public sealed class UserPartitionTests
{
    [Fact]
    public void Of_ThreeWorkers_EachUserOnceWithItsClicksAndSurvivesSerialization()
    {
        var split = PlantedSplit.Create(31, 4, 20, 2, seed: 4);
        var partitions = Enumerable.Range(0, 3).Select(w => UserPartition.Deserialize(UserPartition.Of(split.Train, w, 3).Serialize())).ToArray();
        Assert.Equal(Enumerable.Range(0, 31), partitions.SelectMany(p => p.Users).Order());
        for (int w = 0; w < 3; w++)
        {
            var p = partitions[w];
            Assert.All(p.Users, u => Assert.Equal(w, u % 3));
            var local = p.LocalRows(p.Users);
            for (int i = 0; i < p.Users.Length; i++) Assert.Equal(split.Train.Row(p.Users[i]).ToArray(), p.Clicks.Row(local[i]).ToArray());
        }
        Assert.Throws<ArgumentException>(() => partitions[0].LocalRows([1]));
    }

    [Fact]
    public void TouchedItems_SortedDistinctClickedItems()
    {
        var clicks = ClickMatrix.FromPairs(3, 10, [0, 0, 1, 2, 2], [7, 2, 2, 9, 0]);
        var partition = UserPartition.Of(clicks, 0, 1);
        Assert.Equal([2, 7], partition.TouchedItems([0, 1]));
        Assert.Equal([0, 2, 7, 9], partition.TouchedItems([0, 1, 2]));
    }
}
