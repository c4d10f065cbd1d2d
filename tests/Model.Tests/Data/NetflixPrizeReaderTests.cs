using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

public sealed class NetflixPrizeReaderTests
{
    [Fact]
    public void Read_FolderOfFiles_ReadsBlocksOfEveryFileInNameOrder()
    {
        using var folder = new TempFolder();
        folder.Write("combined_data_2.txt", "3:\n1488844,4,2005-09-06\n");
        folder.Write("combined_data_1.txt", "1:\r\n1488844,3,2005-09-06\r\n822109,5,2005-05-13\r\n2:\r\n822109,1,2005-05-13\r\n");
        folder.Write("probe.txt", "ignored");

        var table = new NetflixPrizeReader().Read(folder.Path);

        Assert.Equal(folder.Path, table.Source);
        Assert.Equal([("1488844", "1", 3f), ("822109", "1", 5f), ("822109", "2", 1f), ("1488844", "3", 4f)], DataAssert.Rows(table));
        Assert.Equal(["1488844", "822109"], table.UserIds);
    }

    [Fact]
    public void Read_SingleFile_ReadsIt()
    {
        using var folder = new TempFolder();
        var path = folder.Write("combined_data_1.txt", "10:\n5,2,2005-01-01");

        Assert.Equal([("5", "10", 2f)], DataAssert.Rows(new NetflixPrizeReader().Read(path)));
    }

    [Fact]
    public void Read_RatingBeforeMovieLine_NamesMovieIdField()
    {
        using var folder = new TempFolder();
        var path = folder.Write("combined_data_1.txt", "1488844,3,2005-09-06\n");

        var e = Assert.Throws<DataFormatException>(() => new NetflixPrizeReader().Read(path));

        DataAssert.Names(e, path, 1, "movieId", "1488844,3,2005-09-06");
    }

    [Fact]
    public void Read_BadRatingInSecondFile_NamesThatFileAndLine()
    {
        using var folder = new TempFolder();
        folder.Write("combined_data_1.txt", "1:\n5,2,2005-01-01\n");
        var second = folder.Write("combined_data_2.txt", "2:\n5,2,2005-01-01\n6,x,2005-01-01\n");

        var e = Assert.Throws<DataFormatException>(() => new NetflixPrizeReader().Read(folder.Path));

        DataAssert.Names(e, second, 3, "rating", "x");
    }

    [Fact]
    public void Read_MissingDateColumn_NamesColumns()
    {
        using var folder = new TempFolder();
        var path = folder.Write("combined_data_1.txt", "1:\n5,2\n");

        var e = Assert.Throws<DataFormatException>(() => new NetflixPrizeReader().Read(path));

        DataAssert.Names(e, path, 2, "columns", "5,2");
    }

    [Fact]
    public void Read_FolderWithoutRatingFiles_SaysSo()
    {
        using var folder = new TempFolder();

        var e = Assert.Throws<DataFormatException>(() => new NetflixPrizeReader().Read(folder.Path));

        Assert.Contains("combined_data_*.txt", e.Message);
    }

    [Fact]
    public void Read_EmptyFile_SaysTheFileIsEmpty()
    {
        using var folder = new TempFolder();
        var path = folder.Write("combined_data_1.txt", "");

        var e = Assert.Throws<DataFormatException>(() => new NetflixPrizeReader().Read(path));

        DataAssert.Names(e, path, 0, "file");
    }
}
