using System.Text;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Tests.Support;

namespace VaeCfCluster.Model.Tests.Data;

public sealed class ItemTitleReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vaecf-titles-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void TryLoad_MoviesCsvWithQuotedCommas_ReadsWholeTitle()
    {
        File.WriteAllText(Path.Combine(_folder, "movies.csv"),
            "movieId,title,genres\r\n1,Toy Story (1995),Animation\r\n11,\"American President, The (1995)\",Comedy|Drama\r\n" +
            "12,\"Say \"\"Hi\"\" (2000)\",Comedy\r\n");
        var titles = ItemTitleReader.TryLoad(_folder)!;
        Assert.Equal("Toy Story (1995)", titles["1"]);
        Assert.Equal("American President, The (1995)", titles["11"]);
        Assert.Equal("Say \"Hi\" (2000)", titles["12"]);
    }

    [Fact]
    public void TryLoad_UItemInLatin1_DecodesAccents()
    {
        File.WriteAllBytes(Path.Combine(_folder, "u.item"), Encoding.Latin1.GetBytes("7|Misérables, Les (1995)|01-Jan-1995||http://x|0|1\n"));
        Assert.Equal("Misérables, Les (1995)", ItemTitleReader.TryLoad(Path.Combine(_folder, "u.data"))!["7"]);
    }

    [Fact]
    public void TryLoad_FolderWithoutTitles_ReturnsNull() => Assert.Null(ItemTitleReader.TryLoad(_folder));

    [RequiresDataSetFact("ml-1m")]
    public void TryLoad_Ml1m_HasEveryMovie()
    {
        var titles = ItemTitleReader.TryLoad(DataLocator.DataSet("ml-1m"))!;
        Assert.Equal(3883, titles.Count);
        Assert.Equal("Toy Story (1995)", titles["1"]);
    }
}
