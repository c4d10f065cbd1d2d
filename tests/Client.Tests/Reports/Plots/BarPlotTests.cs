using VaeCfCluster.Client.Reports.Plots;

namespace VaeCfCluster.Client.Tests.Reports.Plots;

public sealed class BarPlotTests : IDisposable
{
    private readonly PlotFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Save_Table2Models_WritesPngOfRequestedSize(bool horizontal)
    {
        string path = _folder.File("models.png");

        BarPlot.Save(path, "Test NDCG@100", "NDCG@100", SampleData.Table2, 640, 480, horizontal);

        _folder.AssertSinglePng(path, 640, 480);
    }

    [Fact]
    public void Save_LongLabelsNaNMeanNegativeMean_StillWritesPng()
    {
        string path = _folder.File("crowded.png");
        (string, double, double)[] bars =
        [
            ("Mult-VAE^PR (β annealed to 0.2)", 0.426, 0.002),
            ("Popularity (not run)", double.NaN, double.NaN),
            ("A model with a negative score", -0.05, 0.01),
            .. SampleData.Table2,
            .. SampleData.Table2,
        ];

        BarPlot.Save(path, "t", "y", bars);

        _folder.AssertSinglePng(path, 800, 500);
    }

    public static TheoryData<string> InvalidCases => new(InvalidInputs.Keys);

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Save_InvalidInput_ThrowsNamingArgumentAndWritesNothing(string invalidCase)
    {
        var (save, parameter) = InvalidInputs[invalidCase];
        string path = Path.Combine(_folder.Root, "sub", "models.png");

        var error = Assert.ThrowsAny<ArgumentException>(() => save(path));

        Assert.Equal(parameter, error.ParamName);
        Assert.False(Directory.Exists(_folder.Root), "nothing may be created on rejected input");
    }

    private static readonly Dictionary<string, (Action<string> Save, string Parameter)> InvalidInputs = new()
    {
        ["no bars"] = (p => BarPlot.Save(p, "t", "y", []), "bars"),
        ["null bars"] = (p => BarPlot.Save(p, "t", "y", null!), "bars"),
        ["null label"] = (p => BarPlot.Save(p, "t", "y", [(null!, 0.4, 0.01)]), "bars"),
        ["infinite mean"] = (p => BarPlot.Save(p, "t", "y", [("a", double.NegativeInfinity, 0.01)]), "bars"),
        ["negative error"] = (p => BarPlot.Save(p, "t", "y", [("a", 0.4, -0.01)]), "bars"),
        ["every mean NaN"] = (p => BarPlot.Save(p, "t", "y", [("a", double.NaN, 0.01), ("b", double.NaN, 0)]), "bars"),
        ["null title"] = (p => BarPlot.Save(p, null!, "y", SampleData.Table2), "title"),
        ["height too small"] = (p => BarPlot.Save(p, "t", "y", SampleData.Table2, 800, 50), "height"),
    };

    [Fact]
    public void Save_PathIsAFolder_ThrowsNamingPath()
    {
        Directory.CreateDirectory(_folder.Root);

        var error = Assert.ThrowsAny<ArgumentException>(() => BarPlot.Save(_folder.Root, "t", "y", SampleData.Table2));

        Assert.Equal("path", error.ParamName);
        Assert.Empty(_folder.Files());
    }
}
