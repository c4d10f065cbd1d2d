using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Distributed;
using VaeCfCluster.Model.Tests.Support;

namespace VaeCfCluster.Model.Tests.Distributed;

public sealed class SplitTransferTests
{
    [Fact]
    public void SplitSerializer_RoundTrip_SameMatricesAndIds()
    {
        var split = PlantedSplit.Create(30, 6, 25, 2, seed: 3);
        var copy = SplitSerializer.Deserialize(SplitSerializer.Serialize(split));
        Assert.Equal(split.ItemIds, copy.ItemIds);
        Assert.Equal(split.TrainUserIds, copy.TrainUserIds);
        Assert.Equal(split.Train.Columns.ToArray(), copy.Train.Columns.ToArray());
        Assert.Equal(split.Test.HeldOut.RowOffsets.ToArray(), copy.Test.HeldOut.RowOffsets.ToArray());
        Assert.Equal(split.Validation.UserIds, copy.Validation.UserIds);
    }

    [Fact]
    public void SplitSerializer_OneByteChanged_IsRefused()
    {
        var bytes = SplitSerializer.Serialize(PlantedSplit.Create(30, 6, 25, 2, seed: 3));
        bytes[^5] ^= 1;
        Assert.Throws<InvalidDataException>(() => SplitSerializer.Deserialize(bytes));
    }

    [Fact]
    public void HeldOutRange_Slice_HoldsThoseUsersClicks()
    {
        var split = PlantedSplit.Create(30, 9, 25, 2, seed: 3);
        var range = HeldOutRange.Deserialize(HeldOutRange.Serialize(split.Test, 3, 4), 3);
        Assert.Equal(4, range.UserCount);
        for (int u = 0; u < 4; u++)
        {
            Assert.Equal(split.Test.FoldIn.Row(3 + u).ToArray(), range.FoldIn.Row(u).ToArray());
            Assert.Equal(split.Test.HeldOut.Row(3 + u).ToArray(), range.HeldOut.Row(u).ToArray());
        }
        Assert.Equal("3", range.UserIds[0]);
    }
}
