using VaeCfCluster.Client.Commands;

namespace VaeCfCluster.Client.Tests;

/// <summary>When <c>evaluate</c> and <c>recommend</c> score a model in place rather than loading it whole.</summary>
public sealed class SavedModelTests
{
    [Theory]
    [InlineData(null, 34, 100, true, true)]    // over a third of the memory
    [InlineData(null, 33, 100, true, false)]   // a third or less: loaded whole
    [InlineData(null, 90, 100, false, false)]  // too big, but the item-item term cannot be read in ranges: loaded whole
    [InlineData(true, 1, 100, true, true)]     // --low-memory
    [InlineData(false, 90, 100, true, false)]  // --low-memory false
    public void ScoresInPlace_BySizeUnlessTold(bool? lowMemory, long fileBytes, long availableBytes, bool canStream, bool expected)
    {
        bool asked = false;

        bool inPlace = SavedModel.ScoresInPlace(lowMemory, fileBytes, availableBytes, () => { asked = true; return canStream; });

        Assert.Equal(expected, inPlace);
        // The header is read only when the size alone would choose in place.
        Assert.Equal(lowMemory is null && fileBytes > availableBytes / 3, asked);
    }
}
