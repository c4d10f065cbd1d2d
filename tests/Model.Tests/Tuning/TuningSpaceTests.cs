using VaeCfCluster.Model.Tuning;
using Xunit;

namespace VaeCfCluster.Model.Tests.Tuning;

public sealed class TuningSpaceTests
{
    [Theory]
    [InlineData("recvae")]
    [InlineData("vae")]
    [InlineData("dae")]
    [InlineData("dae-neighbours")]
    public void Trials_StartWithTheDefaults_AreDistinct_AndAGrownSearchKeepsItsPrefix(string model)
    {
        var eight = TuningSpace.Trials(model, 8, 98765);
        var twelve = TuningSpace.Trials(model, 12, 98765);
        Assert.Equal(8, eight.Count);
        Assert.Equal(TuningSpace.Defaults(model), eight[0]);
        Assert.Equal(8, eight.Select(Key).Distinct().Count());
        Assert.Equal(eight.Select(Key), twelve.Take(8).Select(Key));
        var space = TuningSpace.Space(model);
        Assert.All(twelve, t => Assert.All(t, s => Assert.Contains(s.Value, space[s.Key])));
        Assert.NotEqual(eight.Select(Key), TuningSpace.Trials(model, 8, 1).Select(Key));
    }

    [Fact]
    public void Trials_MoreThanTheSpaceHolds_GivesEveryCombinationOnce()
    {
        long combinations = TuningSpace.Space("dae").Values.Aggregate(1L, (n, v) => n * v.Length);
        var all = TuningSpace.Trials("dae", (int)combinations + 50, 3);
        Assert.Equal(combinations, all.Count);
        Assert.Equal(all.Count, all.Select(Key).Distinct().Count());
    }

    [Fact]
    public void RunId_CoversDataSplitAndSettings_NotTheirOrder()
    {
        var a = new TuningRun("recvae", new Dictionary<string, double> { ["lr"] = 1e-3, ["gamma"] = 0.005 }, 1, "ml-1m; 600");
        var sameReordered = new TuningRun("recvae", new Dictionary<string, double> { ["gamma"] = 0.005, ["lr"] = 1e-3 }, 1, "ml-1m; 600");
        Assert.Equal(a.Id, sameReordered.Id);
        Assert.NotEqual(a.Id, (a with { SplitSeed = 2 }).Id);
        Assert.NotEqual(a.Id, (a with { DataIdentity = "ml-1m; 500" }).Id);
        Assert.NotEqual(a.Id, (a with { Settings = new Dictionary<string, double> { ["lr"] = 1e-3, ["gamma"] = 0.01 } }).Id);
        Assert.StartsWith("recvae-", a.Id);
    }

    [Fact]
    public void CompareGrid_DaePicksItsWeightDecay_OthersRunTheirDefaults()
    {
        var dae = TuningSpace.CompareGrid("dae");
        Assert.Equal([0.01, 1e-3, 1e-4], dae.Select(d => d["weight_decay"]));
        Assert.All(dae, d => Assert.Equal(TuningSpace.Defaults("dae").Where(x => x.Key != "weight_decay"), d.Where(x => x.Key != "weight_decay")));
        Assert.Equal(TuningSpace.Defaults("recvae"), Assert.Single(TuningSpace.CompareGrid("recvae")));
        Assert.Equal(TuningSpace.Defaults("vae"), Assert.Single(TuningSpace.CompareGrid("vae")));
    }

    private static string Key(Dictionary<string, double> t) => string.Join(",", t.OrderBy(x => x.Key).Select(x => $"{x.Key}={x.Value:R}"));
}
