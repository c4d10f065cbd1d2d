using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

public sealed class CiteULikeReaderTests
{
    [Fact]
    public void Read_UserLists_LineNumberIsUserAndEachIdAClick()
    {
        using var folder = new TempFolder();
        var path = folder.Write("users.dat", "3 10 20 30\n0\n2 20  7 \n\n");

        var table = new CiteULikeReader().Read(path);

        Assert.Equal(["0", "1", "2"], table.UserIds);
        Assert.Equal([("0", "10", 1f), ("0", "20", 1f), ("0", "30", 1f), ("2", "20", 1f), ("2", "7", 1f)], DataAssert.Rows(table));
    }

    [Fact]
    public void Read_CountMismatch_NamesCountFieldAndNumbers()
    {
        using var folder = new TempFolder();
        var path = folder.Write("users.dat", "2 1 2\n3 1 2\n");

        var e = Assert.Throws<DataFormatException>(() => new CiteULikeReader().Read(path));

        DataAssert.Names(e, path, 2, "count", "3");
        Assert.Contains("says 3 items but lists 2", e.Message);
    }

    [Fact]
    public void Read_CountNotANumber_NamesCountField()
    {
        using var folder = new TempFolder();
        var path = folder.Write("users.dat", "two 1 2\n");

        var e = Assert.Throws<DataFormatException>(() => new CiteULikeReader().Read(path));

        DataAssert.Names(e, path, 1, "count", "two");
    }

    [Fact]
    public void Read_BlankLineBetweenUsers_IsRejectedBecauseItShiftsUserIds()
    {
        using var folder = new TempFolder();
        var path = folder.Write("users.dat", "1 5\n\n1 6\n");

        var e = Assert.Throws<DataFormatException>(() => new CiteULikeReader().Read(path));

        DataAssert.Names(e, path, 2, "count");
    }

    [Fact]
    public void Read_EmptyFile_SaysTheFileIsEmpty()
    {
        using var folder = new TempFolder();
        var path = folder.Write("users.dat", "\n");

        var e = Assert.Throws<DataFormatException>(() => new CiteULikeReader().Read(path));

        DataAssert.Names(e, path, 0, "file");
    }
}
