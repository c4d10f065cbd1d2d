using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tests.Training;

public sealed class BetaScheduleTests
{
    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(1000, 0.005)]
    [InlineData(40_000, 0.2)]
    [InlineData(39_999, 0.199995)]
    [InlineData(1_000_000, 0.2)]
    public void BetaAt_Anneal_RisesLinearlyToCap(long step, double expected)
    {
        var schedule = new BetaSchedule(new BetaScheduleOptions());
        Assert.Equal(expected, schedule.BetaAt(step), 12);
    }

    [Fact]
    public void BetaAt_Constant_IgnoresStep()
    {
        var schedule = new BetaSchedule(new BetaScheduleOptions { Mode = BetaMode.Constant, Constant = 0.7 });
        Assert.Equal(0.7, schedule.BetaAt(0));
        Assert.Equal(0.7, schedule.BetaAt(123_456));
    }

    [Fact]
    public void ObserveValidation_AutoAfterPeakAndPatience_FreezesBetaAtPeak()
    {
        var schedule = new BetaSchedule(new BetaScheduleOptions { Mode = BetaMode.Auto, TotalAnnealSteps = 100, AutoPatienceEpochs = 2 });
        Assert.Equal(0.5, schedule.BetaAt(50));
        Assert.False(schedule.ObserveValidation(0.30, schedule.BetaAt(10)));
        Assert.False(schedule.ObserveValidation(0.35, schedule.BetaAt(20)));   // peak at β = 0.2
        Assert.False(schedule.ObserveValidation(0.34, schedule.BetaAt(30)));
        Assert.True(schedule.ObserveValidation(0.33, schedule.BetaAt(40)));
        Assert.Equal(0.2, schedule.FrozenBeta);
        Assert.Equal(0.2, schedule.BetaAt(90));
        Assert.Equal(0.2, schedule.ChosenBeta(90));
    }

    [Fact]
    public void BetaAt_AutoBeforeFreezing_AnnealsTowardsOne()
    {
        var schedule = new BetaSchedule(new BetaScheduleOptions { Mode = BetaMode.Auto, TotalAnnealSteps = 100 });
        Assert.Equal(1.0, schedule.BetaAt(250));
    }
}
