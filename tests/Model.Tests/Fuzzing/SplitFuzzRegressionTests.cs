using System.Text;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>The minimized inputs with which fuzzing found split bugs, each pinned to its fix.</summary>
public sealed class SplitFuzzRegressionTests : IDisposable
{
    private readonly FuzzFolder _folder = new();

    [Fact]
    public void ClickMatrix_OffsetPastTheColumns_ThrowsArgumentException()
    {
        // Found by the FsCheck property: a middle offset past the stored columns read beyond the array.
        Assert.Throws<ArgumentException>(() => new ClickMatrix(2, 10, [0, 5, 3], [1, 2, 3]));
    }

    [Theory]
    [InlineData("VAECFSPL\x01\x00\x00\x00%6CM\xB5\xBE\xC2\xCB\x8Bh\x9E\xF2\xCF?\xBE\xBC\xCC\x1C\x87\xF6\x18\x18\x15\x0C\x08\xFEWgo\xFF\x96\xF6\xF0\xFF\xFF\x7F")]
    [InlineData("VAECFSPL\x01\x00\x00\x00%6CM\xB5\xBE\xC2\xCB\x8Bh\x9E\xF2\xCF?\xBE\xBC\xCC\x1C\x87\xF6\x18\x18\x15\x0C\x08\xFEWgo\xFF\x96\xF6\x00\x00\x00\x01")]
    public void SplitCache_CorruptedFingerprintLength_IsRefusedBeforeAllocating(string latin1)
    {
        // Found by fuzzing (minimized, checksum repaired): a fingerprint length of 0x7FFFFFF0 made ReadBytes allocate
        // it (OutOfMemoryException); 16 MiB lengths allocated 16 MiB for a 48-byte file.
        var bytes = SplitFuzzTests.RepairChecksum(Encoding.Latin1.GetBytes(latin1));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<InvalidDataException>(() => SplitSerializer.Deserialize(bytes));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Theory]
    [InlineData("train.csv", "uid,sid\n0,1\n2000000000,2\n", 3, "the split's files hold")]
    [InlineData("test_te.csv", "uid,sid\n2147483646,1\n", 2, "unique_uid.txt lists 14 users")]
    public void SplitFolder_HugeUid_IsRefusedBeforeSizingAMatrix(string file, string text, int line, string limit)
    {
        // Found by fuzzing: a uid of 2,000,000,000 sized the training matrix by it (8 GB), which killed the test host.
        var folder = Path.Combine(_folder.Path, "split");
        SplitStore.Save(SplitFuzzTests.SmallSplit(), folder);
        if (limit.StartsWith("the split", StringComparison.Ordinal)) File.Delete(Path.Combine(folder, "unique_uid.txt"));
        File.WriteAllText(Path.Combine(folder, file), text);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataFormatException>(() => SplitStore.Load(folder, useCache: false));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20);
        Assert.Equal(Path.Combine(folder, file), error.FilePath);
        Assert.Equal(line, error.LineNumber);
        Assert.Equal("uid", error.Field);
        Assert.Contains(limit, error.Message);
    }

    public void Dispose() => _folder.Dispose();
}
