using VaeCfCluster.Client.Reports.Plots;

namespace VaeCfCluster.Client.Tests.Reports.Plots;

public sealed class GroupedBarPlotTests : IDisposable
{
    private readonly PlotFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Save_FiveQuintilesTwoModels_WritesPngOfRequestedSize()
    {
        string path = _folder.File("figure3.png");

        GroupedBarPlot.Save(path, "Figure 3", "NDCG@100", SampleData.Models, SampleData.Quintiles(), 900, 520);

        _folder.AssertSinglePng(path, 900, 520);
    }

    [Fact]
    public void Save_NaNMeanAndNaNErrorAndNegativeMean_StillWritesPng()
    {
        string path = _folder.File("gaps.png");
        BarGroup[] groups =
        [
            new("a", [double.NaN, 0.2], [0.01, double.NaN], "*"),
            new("b", [-0.1, 0.3], [0.02, 0.01], ""),
            new("c", [double.NaN, double.NaN], [double.NaN, double.NaN], "**"),
        ];

        GroupedBarPlot.Save(path, "t", "y", ["one", "two"], groups);

        _folder.AssertSinglePng(path, 800, 500);
    }

    [Fact]
    public void Save_ThreeSeries_WritesPng()
    {
        string path = _folder.File("three.png");
        BarGroup[] groups = [new("a", [0.1, 0.2, 0.3], [0.01, 0.01, 0.01], "***"), new("b", [0.3, 0.2, 0.1], [0, 0, 0], "")];

        GroupedBarPlot.Save(path, "t", "y", ["one", "two", "three"], groups);

        _folder.AssertSinglePng(path, 800, 500);
    }

    public static TheoryData<string> InvalidCases => new(InvalidInputs.Keys);

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Save_InvalidInput_ThrowsNamingArgumentAndWritesNothing(string invalidCase)
    {
        var (save, parameter) = InvalidInputs[invalidCase];
        string path = Path.Combine(_folder.Root, "sub", "figure3.png");

        var error = Assert.ThrowsAny<ArgumentException>(() => save(path));

        Assert.Equal(parameter, error.ParamName);
        Assert.False(Directory.Exists(_folder.Root), "nothing may be created on rejected input");
    }

    private static void Save(string path, params BarGroup[] groups) =>
        GroupedBarPlot.Save(path, "t", "y", SampleData.Models, groups);

    private static readonly Dictionary<string, (Action<string> Save, string Parameter)> InvalidInputs = new()
    {
        ["no series labels"] = (p => GroupedBarPlot.Save(p, "t", "y", [], SampleData.Quintiles()), "seriesLabels"),
        ["null series label"] = (p => GroupedBarPlot.Save(p, "t", "y", ["a", null!], SampleData.Quintiles()), "seriesLabels"),
        ["no groups"] = (p => Save(p), "groups"),
        ["one mean too few"] = (p => Save(p, new BarGroup("a", [0.1], [0.01, 0.01], "")), "groups"),
        ["one error too many"] = (p => Save(p, new BarGroup("a", [0.1, 0.2], [0.01, 0.01, 0.01], "")), "groups"),
        ["infinite mean"] = (p => Save(p, new BarGroup("a", [0.1, double.PositiveInfinity], [0.01, 0.01], "")), "groups"),
        ["negative error"] = (p => Save(p, new BarGroup("a", [0.1, 0.2], [-0.01, 0.01], "")), "groups"),
        ["infinite error"] = (p => Save(p, new BarGroup("a", [0.1, 0.2], [0.01, double.PositiveInfinity], "")), "groups"),
        ["every mean NaN"] = (p => Save(p, new BarGroup("a", [double.NaN, double.NaN], [0.01, 0.01], "")), "groups"),
        ["null annotation"] = (p => Save(p, new BarGroup("a", [0.1, 0.2], [0.01, 0.01], null!)), "groups"),
        ["null category"] = (p => Save(p, new BarGroup(null!, [0.1, 0.2], [0.01, 0.01], "")), "groups"),
        ["null y label"] = (p => GroupedBarPlot.Save(p, "t", null!, SampleData.Models, SampleData.Quintiles()), "yLabel"),
        ["width too small"] = (p => GroupedBarPlot.Save(p, "t", "y", SampleData.Models, SampleData.Quintiles(), 0), "width"),
    };
}
