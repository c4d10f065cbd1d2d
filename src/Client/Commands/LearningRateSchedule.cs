namespace VaeCfCluster.Client.Commands;

/// <summary>How Adam's step size moves over a run (<c>--lr-schedule</c>).</summary>
public enum LearningRateSchedule
{
    /// <summary>The same step size throughout (the paper's).</summary>
    Constant,

    /// <summary>A half cosine from the step size down towards zero over the run's planned updates.</summary>
    Cosine,
}
