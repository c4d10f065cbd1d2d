using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Model.Tests.Data;

/// <summary>The recommendations file: its lines, quoting, and nothing left behind when writing stops.</summary>
public sealed class RecommendationCsvTests
{
    [Fact]
    public void Write_OneLinePerItemBestFirst_QuotingIdsThatNeedIt()
    {
        using var folder = new TempFolder();
        var path = folder.File("out/recs.csv");
        UserRecommendation[] recommendations = [new(1, [2, 0]), new(0, []), new(2, [1])];
        var seen = new List<int>();

        var (users, lines) = RecommendationCsv.Write(path, recommendations, ["u0", "u,1", "u\"2\""], ["a", "b b", "c"], seen.Add);

        Assert.Equal((3, 3L), (users, lines));
        Assert.Equal([1, 2, 3], seen);
        Assert.Equal("user,item,rank\n\"u,1\",c,1\n\"u,1\",a,2\n\"u\"\"2\"\"\",b b,1\n", File.ReadAllText(path));
    }

    [Fact]
    public void Write_EnumerationFails_LeavesNoFileAndKeepsTheOldOne()
    {
        using var folder = new TempFolder();
        var path = folder.Write("recs.csv", "old\n");
        static IEnumerable<UserRecommendation> Failing()
        {
            yield return new UserRecommendation(0, [0]);
            throw new OperationCanceledException();
        }

        Assert.Throws<OperationCanceledException>(() => RecommendationCsv.Write(path, Failing(), ["u"], ["i"]));

        Assert.Equal("old\n", File.ReadAllText(path));
        Assert.Equal(["recs.csv"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }
}
