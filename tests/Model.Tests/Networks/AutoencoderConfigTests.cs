using VaeCfCluster.Model.Networks;
using Xunit;

namespace VaeCfCluster.Model.Tests.Networks;

public sealed class AutoencoderConfigTests
{
    [Theory]
    [InlineData(double.NaN, 0.0, "DropoutRate")]
    [InlineData(1.0, 0.0, "DropoutRate")]
    [InlineData(-0.1, 0.0, "DropoutRate")]
    [InlineData(0.5, double.NaN, "WeightDecay")]
    [InlineData(0.5, double.PositiveInfinity, "WeightDecay")]
    [InlineData(0.5, -1.0, "WeightDecay")]
    public void Validate_OutOfRangeOrNaN_NamesTheSetting(double dropout, double weightDecay, string setting)
    {
        var config = AutoencoderConfig.ForVae(10) with { DropoutRate = dropout, WeightDecay = weightDecay };
        Assert.Contains(setting, Assert.Throws<ArgumentException>(config.Validate).Message);
    }

    [Fact]
    public void Validate_RecVaeKind_IsRefusedWithWhereItTrains()
    {
        var config = AutoencoderConfig.ForVae(10) with { Kind = ModelKind.RecVae };
        Assert.Contains("--model recvae", Assert.Throws<ArgumentException>(config.Validate).Message);
        AutoencoderConfig.ForDae(10).Validate();
        AutoencoderConfig.ForVae(10).Validate();
    }
}
