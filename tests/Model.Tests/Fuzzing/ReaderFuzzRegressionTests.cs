using System.Text;
using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>The minimized inputs with which fuzzing found reader bugs, each pinned to its fix.</summary>
public sealed class ReaderFuzzRegressionTests : IDisposable
{
    private readonly FuzzFolder _folder = new();

    [Theory]
    [InlineData("ml-100k", "8\t7\t1e39\t\n9\t6\t4\t\n3\t9\t1\t", 1, "rating")]
    [InlineData("ml-1m", "7::3::2\n3::2::1e39\n9::1::9\n9::2::8", 2, "Rating")]
    [InlineData("ml-20m", ",,,\n8,7,5,\n5,1,1e39,\n1,2,5,\n8,8,5,\n9,6,5,", 3, "column 3")]
    [InlineData("msd", "e\tE\t1e39\ne\tE\t8\nc\tE\t9\ne\tE\t7\ne\tE\t1", 1, "count")]
    [InlineData("csv;noheader", "4;0;5\n8;7;5\n2;2;5e39\n1;4;2", 3, "column 3")]
    [InlineData("netflix", "1:\n7,3,2005\n8,4e38,2005\n", 3, "rating")]
    public void Reader_RatingBeyondFloatRange_IsRefusedNotInfinity(string format, string text, int line, string field)
    {
        // Found by fuzzing: "1e39" is a finite double, so it passed the finiteness check and became float infinity.
        var (reader, _) = RatingReaderFuzzTests.ReaderAndSeed(format, new Random(0));
        var path = _folder.File("ratings.txt");
        File.WriteAllText(path, text);
        var error = Assert.Throws<DataFormatException>(() => reader.Read(path));
        Assert.Equal(line, error.LineNumber);
        Assert.Equal(field, error.Field);
        Assert.Contains("not a number", error.Message);
    }

    [Fact]
    public void Reader_LargestFloatRating_StillParses()
    {
        var path = _folder.File("u.data");
        File.WriteAllText(path, "1\t2\t3.4e38\t0\n");
        var table = new DelimitedRatingReader(DelimitedFormat.MovieLens100K).Read(path);
        Assert.Equal(3.4e38f, table.Values[0]);
    }

    [Fact]
    public void CiteULike_CarriageReturnInsideALine_SeparatesIds()
    {
        // Found by fuzzing (minimized): a bare '\r' inside a line became part of the item id "6\r".
        var path = _folder.File("users.dat");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("05 8 5 2 4 8\n5 0 4 7 7 1\n3 4 6\r 0\n5 6 1 7 6 9\n4 3 3 3 7"));
        var table = new CiteULikeReader().Read(path);
        Assert.DoesNotContain(table.ItemIds, id => id.Any(char.IsWhiteSpace));
        Assert.Contains("6", table.ItemIds);
    }

    public void Dispose() => _folder.Dispose();
}
