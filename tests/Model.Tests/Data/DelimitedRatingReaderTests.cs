using System.Globalization;
using System.Text;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Data;

public sealed class DelimitedRatingReaderTests
{
    [Fact]
    public void Read_MovieLens100K_ReturnsRowsAndIdsInFirstSeenOrder()
    {
        using var folder = new TempFolder();
        var path = folder.Write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t377\t1\t878887116\n22\t242\t5\t1\n");

        var table = new DelimitedRatingReader(DelimitedFormat.MovieLens100K).Read(path);

        Assert.Equal(path, table.Source);
        Assert.Equal(["196", "186", "22"], table.UserIds);
        Assert.Equal(["242", "302", "377"], table.ItemIds);
        Assert.Equal([0, 1, 0, 2], table.Users.ToArray());
        Assert.Equal([0, 1, 2, 0], table.Items.ToArray());
        Assert.Equal([3f, 3f, 1f, 5f], table.Values.ToArray());
    }

    [Fact]
    public void Read_QuotedFields_AsAnExportWritesThem_GivesTheIdsWithoutQuotes()
    {
        using var folder = new TempFolder();
        // A spreadsheet or database export: quoted header and ids, a comma inside an id, a quoted rating.
        var path = folder.Write("export.csv", "\"user\",\"item\",\"rating\"\n\"u1\",\"Item, the first\",\"4\"\nu2,\"i2\",3\n");

        var rows = DataAssert.Rows(new DelimitedRatingReader(DelimitedFormat.Csv with { RatingColumn = 2 }).Read(path));

        Assert.Equal([("u1", "Item, the first", 4f), ("u2", "i2", 3f)], rows);
    }

    [Fact]
    public void Read_MovieLensDat_AcceptsRowsWithAndWithoutTimestamp()
    {
        using var folder = new TempFolder();
        var path = folder.Write("ratings.dat", "1::1193::5::978300760\n1::661::3\n2::1193::4");

        var rows = DataAssert.Rows(new DelimitedRatingReader(DelimitedFormat.MovieLensDat).Read(path));

        Assert.Equal([("1", "1193", 5f), ("1", "661", 3f), ("2", "1193", 4f)], rows);
    }

    [Fact]
    public void Read_MovieLensCsvWithCrlfAndHalfStars_SkipsHeaderAndParsesDecimals()
    {
        using var folder = new TempFolder();
        var path = folder.Write("ratings.csv", "userId,movieId,rating,timestamp\r\n1,31,2.5,1260759144\r\n1,1029,3.0,1260759179\r\n7,31,0.5,1\r\n");

        var rows = DataAssert.Rows(new DelimitedRatingReader(DelimitedFormat.MovieLensCsv).Read(path));

        Assert.Equal([("1", "31", 2.5f), ("1", "1029", 3f), ("7", "31", 0.5f)], rows);
    }

    [Fact]
    public void Read_TasteProfile_KeepsPlayCountsAsValues()
    {
        using var folder = new TempFolder();
        var path = folder.Write("train_triplets.txt",
            "b80344d063b5ccb3212f76538f3d9e43d87dca9e\tSOAKIMP12A8C130995\t1\nb80344d063b5ccb3212f76538f3d9e43d87dca9e\tSOAPDEY12A81C210A9\t12\n");

        var rows = DataAssert.Rows(new DelimitedRatingReader(DelimitedFormat.TasteProfile).Read(path));

        Assert.Equal(2, rows.Count);
        Assert.Equal(("b80344d063b5ccb3212f76538f3d9e43d87dca9e", "SOAPDEY12A81C210A9", 12f), rows[1]);
    }

    [Fact]
    public void Read_GenericLayoutWithChosenColumns_ReadsThoseColumns()
    {
        using var folder = new TempFolder();
        var path = folder.Write("clicks.txt", "itemA;x;alice;4.5\nitemB;y;bob;-1e1\n");
        var format = new DelimitedFormat { Delimiter = ";", UserColumn = 2, ItemColumn = 0, RatingColumn = 3 };

        var rows = DataAssert.Rows(new DelimitedRatingReader(format).Read(path));

        Assert.Equal([("alice", "itemA", 4.5f), ("bob", "itemB", -10f)], rows);
    }

    [Fact]
    public void Read_CsvWithoutRatingColumn_GivesValueOne()
    {
        using var folder = new TempFolder();
        var path = folder.Write("clicks.csv", "user,item,extra\nu1,i1,zz\n\nu2,i1,zz\n");

        var table = new DelimitedRatingReader(DelimitedFormat.Csv).Read(path);

        Assert.Equal([1f, 1f], table.Values.ToArray());
        Assert.Equal(["u1", "u2"], table.UserIds);
    }

    [Fact]
    public void Read_IdsThatLookNumeric_KeepTheirExactText()
    {
        using var folder = new TempFolder();
        var path = folder.Write("clicks.tsv", "7\t1\n07\t1\n7\t01\n16777216\t1\n-7\t1\n");
        var format = new DelimitedFormat { Delimiter = "\t" };

        var table = new DelimitedRatingReader(format).Read(path);

        Assert.Equal(["7", "07", "16777216", "-7"], table.UserIds);
        Assert.Equal(["1", "01"], table.ItemIds);
        Assert.Equal([0, 1, 0, 2, 3], table.Users.ToArray());
    }

    [Fact]
    public void Read_ManyRowsAcrossBufferRefills_MatchesNaiveParse()
    {
        using var folder = new TempFolder();
        var text = new StringBuilder("userId,movieId,rating,timestamp\r\n");
        for (int k = 0; k < 120_000; k++)
            text.Append(CultureInfo.InvariantCulture, $"{k * 7919 % 3001},{k * 104729 % 4999},{k % 10 / 2.0 + 0.5},{k}\r\n");
        var path = folder.Write("ratings.csv", text.ToString());

        var rows = DataAssert.Rows(new DelimitedRatingReader(DelimitedFormat.MovieLensCsv).Read(path));

        var expected = File.ReadAllLines(path).Skip(1).Select(line => line.Split(','))
            .Select(f => (f[0], f[1], float.Parse(f[2], CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(expected, rows);
    }

    [Fact]
    public void Read_BadRating_NamesFileLineFieldAndText()
    {
        using var folder = new TempFolder();
        var path = folder.Write("u.data", "1\t2\t3\t4\n1\t3\tfive\t4\n");

        var e = Assert.Throws<DataFormatException>(() => new DelimitedRatingReader(DelimitedFormat.MovieLens100K).Read(path));

        DataAssert.Names(e, path, 2, "rating", "five");
        Assert.Contains("not a number", e.Message);
    }

    [Fact]
    public void Read_BadRatingWithHeader_NamesTheHeaderColumn()
    {
        using var folder = new TempFolder();
        var path = folder.Write("ratings.csv", "userId,movieId,rating,timestamp\n1,2,3.5,9\n1,3,NaN,9\n");

        var e = Assert.Throws<DataFormatException>(() => new DelimitedRatingReader(DelimitedFormat.MovieLensCsv).Read(path));

        DataAssert.Names(e, path, 3, "rating", "NaN");
    }

    [Fact]
    public void Read_WrongColumnCount_NamesLineAndCounts()
    {
        using var folder = new TempFolder();
        var path = folder.Write("u.data", "1\t2\t3\t4\n1\t2\t3\t4\t5\t6\n");

        var e = Assert.Throws<DataFormatException>(() => new DelimitedRatingReader(DelimitedFormat.MovieLens100K).Read(path));

        DataAssert.Names(e, path, 2, "columns", @"1\t2\t3\t4\t5\t6"); // tabs quoted as \t
        Assert.Contains("expected 4 tab-separated columns, found 6", e.Message);
    }

    [Fact]
    public void Read_TooFewColumns_NamesLine()
    {
        using var folder = new TempFolder();
        var path = folder.Write("ratings.dat", "1::2::3\n1::2\n");

        var e = Assert.Throws<DataFormatException>(() => new DelimitedRatingReader(DelimitedFormat.MovieLensDat).Read(path));

        DataAssert.Names(e, path, 2, "columns", "1::2");
        Assert.Contains("expected 3 to 4 '::'-separated columns, found 2", e.Message);
    }

    [Fact]
    public void Read_EmptyUserId_NamesTheUserColumn()
    {
        using var folder = new TempFolder();
        var path = folder.Write("u.data", " \t2\t3\t4\n");

        var e = Assert.Throws<DataFormatException>(() => new DelimitedRatingReader(DelimitedFormat.MovieLens100K).Read(path));

        DataAssert.Names(e, path, 1, "user id");
        Assert.Contains("empty id", e.Message);
    }

    [Fact]
    public void Read_EmptyFile_SaysTheFileIsEmpty()
    {
        using var folder = new TempFolder();
        var path = folder.Write("u.data", "");

        var e = Assert.Throws<DataFormatException>(() => new DelimitedRatingReader(DelimitedFormat.MovieLens100K).Read(path));

        DataAssert.Names(e, path, 0, "file");
        Assert.Contains("the file is empty", e.Message);
    }

    [Fact]
    public void Read_HeaderOnly_SaysThereAreNoRows()
    {
        using var folder = new TempFolder();
        var path = folder.Write("ratings.csv", "userId,movieId,rating,timestamp\n");

        var e = Assert.Throws<DataFormatException>(() => new DelimitedRatingReader(DelimitedFormat.MovieLensCsv).Read(path));

        Assert.Contains("header but no rating rows", e.Message);
    }

    [Fact]
    public void Read_MissingFile_SaysItDoesNotExist()
    {
        using var folder = new TempFolder();
        var path = folder.File("nope.csv");

        var e = Assert.Throws<DataFormatException>(() => new DelimitedRatingReader(DelimitedFormat.Csv).Read(path));

        DataAssert.Names(e, path, 0, "file");
        Assert.Contains("does not exist", e.Message);
    }

    [Fact]
    public void Constructor_SameColumnForUserAndItem_Throws()
    {
        var format = new DelimitedFormat { UserColumn = 1, ItemColumn = 1 };

        Assert.Throws<ArgumentException>(() => new DelimitedRatingReader(format));
    }
}
