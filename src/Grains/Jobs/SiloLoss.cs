using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// Failures that mean a silo went away mid-call (or took an item shard's state with it): the job's run is started again from its checkpoint rather than failed
/// (<see cref="TrainingJobGrain"/>), a bounded number of times with growing waits while the cluster's membership catches up.
/// </summary>
internal static class SiloLoss
{
    /// <summary>Runs tried in all before the job fails.</summary>
    public const int Attempts = 6;

    /// <summary>True when <paramref name="e"/> or an exception inside it says a silo could not be reached.</summary>
    public static bool Is(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SiloUnavailableException or ConnectionFailedException or OrleansMessageRejectionException or TimeoutException
                or ItemShardLostException || GrainStateLost.Is(inner))
                return true;
            if (inner is AggregateException aggregate && aggregate.InnerExceptions.Any(Is)) return true;
        }
        return false;
    }

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1: 2, 4, 8, 16, 30 seconds.</summary>
    public static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(30, 1 << attempt));
}
