using System.CommandLine;
using VaeCfCluster.Client.Commands;

namespace VaeCfCluster.Client.Tests.Commands;

/// <summary><c>--lr-schedule</c>: cosine decays Adam's step size over the run's planned updates; constant (the default) does not.</summary>
public sealed class LearningRateScheduleOptionTests
{
    [Theory]
    [InlineData("--lr-schedule cosine", 50)]   // 5 epochs × ⌈95 / 10⌉ = 10 batches
    [InlineData("--lr-schedule constant", 0)]
    [InlineData("", 0)]
    public void Resolve_Schedule_SetsTheDecayToThePlannedUpdates(string schedule, long expectedDecaySteps)
    {
        var training = new TrainingOptions();
        var command = new RootCommand();
        training.AddTo(command);
        var result = command.Parse($"--epochs 5 --batch-size 10 {schedule}".Trim());
        Assert.Empty(result.Errors);

        var options = training.Resolve(result, trainUsers: 95, defaultEpochs: 100, checkpointPath: null, logPath: null, resume: false);

        Assert.Equal(expectedDecaySteps, options.Adam.CosineDecaySteps);
        Assert.Equal(1e-3, options.Adam.LearningRate);
    }

    [Fact]
    public void Parse_UnknownSchedule_IsAnError()
    {
        var training = new TrainingOptions();
        var command = new RootCommand();
        training.AddTo(command);
        Assert.NotEmpty(command.Parse("--lr-schedule linear").Errors);
    }
}
