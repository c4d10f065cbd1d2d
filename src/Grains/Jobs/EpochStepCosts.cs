using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// What an epoch's cluster steps cost so far, summed from their outcomes: bytes between silos and the milliseconds in
/// each part of a step (the slowest worker's gradient and parameter loading, the shard updates, the rest in grain calls).
/// </summary>
internal sealed class EpochStepCosts
{
    /// <summary>Bytes between silos.</summary>
    public long Bytes { get; private set; }

    /// <summary>Milliseconds computing gradients.</summary>
    public double ComputeMilliseconds { get; private set; }

    /// <summary>Milliseconds loading parameters.</summary>
    public double FetchMilliseconds { get; private set; }

    /// <summary>Milliseconds in shard updates.</summary>
    public double ApplyMilliseconds { get; private set; }

    /// <summary>Milliseconds in grain calls and waiting.</summary>
    public double OtherMilliseconds { get; private set; }

    /// <summary>Starts a new epoch's sums.</summary>
    public void Reset()
    {
        Bytes = 0;
        ComputeMilliseconds = FetchMilliseconds = ApplyMilliseconds = OtherMilliseconds = 0;
    }

    /// <summary>Adds one step's outcome.</summary>
    public void Add(StepOutcome outcome)
    {
        Bytes += outcome.Bytes;
        ComputeMilliseconds += outcome.ComputeMilliseconds;
        FetchMilliseconds += outcome.FetchMilliseconds;
        ApplyMilliseconds += outcome.ApplyMilliseconds;
        OtherMilliseconds += outcome.OtherMilliseconds;
    }

    /// <summary>One step's outcome as the status reports it.</summary>
    public static StepTimings TimingsOf(StepOutcome o) => new(o.FetchMilliseconds + o.ComputeMilliseconds + o.OtherMilliseconds + o.ApplyMilliseconds,
        o.FetchMilliseconds, o.ComputeMilliseconds, o.OtherMilliseconds, o.ApplyMilliseconds);

    /// <summary>The sums as the status reports them.</summary>
    public StepTimings Timings => new(ComputeMilliseconds + FetchMilliseconds + ApplyMilliseconds + OtherMilliseconds, FetchMilliseconds,
        ComputeMilliseconds, OtherMilliseconds, ApplyMilliseconds);
}
