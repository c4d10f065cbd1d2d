using VaeCfCluster.Client.Reports.Plots;

namespace VaeCfCluster.Client.Tests.Reports.Plots;

public sealed class FontChoiceTests
{
    private static bool AllDrawText(string family) => true;

    [Fact]
    public void ChooseFont_SeveralPreferredInstalled_TakesTheFirstPreferred()
    {
        string? font = PlotStyle.ChooseFont(["Liberation Sans", "DejaVu Serif", "dejavu sans"], AllDrawText);

        Assert.Equal("dejavu sans", font);
    }

    [Fact]
    public void ChooseFont_PreferredFontLacksGlyphs_SkipsIt()
    {
        string? font = PlotStyle.ChooseFont(["DejaVu Sans", "Liberation Sans"], family => family != "DejaVu Sans");

        Assert.Equal("Liberation Sans", font);
    }

    [Fact]
    public void ChooseFont_NoPreferredFont_FallsBackToAnyFamilyThatDrawsText()
    {
        string? font = PlotStyle.ChooseFont(["GLYPHICONS Halflings", "DejaVu Serif"], family => family == "DejaVu Serif");

        Assert.Equal("DejaVu Serif", font);
    }

    [Fact]
    public void ChooseFont_NoFamilyDrawsText_ReturnsNull()
    {
        Assert.Null(PlotStyle.ChooseFont(["GLYPHICONS Halflings"], _ => false));
        Assert.Null(PlotStyle.ChooseFont([], AllDrawText));
    }
}
