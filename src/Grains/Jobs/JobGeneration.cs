namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// A job run's generation: the seconds since 2026-01-01 UTC when the run starts, and at least one more than the last
/// this process gave out. A later (re)start, on this silo or another, gets a larger number (restarts are seconds
/// apart: a silo's death is noticed, a retry waits 2 s or more), so a silo that holds a newer generation's replica
/// refuses calls of an older one instead of giving its place to them.
/// </summary>
internal static class JobGeneration
{
    private static readonly DateTime Origin = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static int _last;

    /// <summary>The generation of a run starting now.</summary>
    public static int Next()
    {
        int now = (int)Math.Clamp((DateTime.UtcNow - Origin).TotalSeconds, 1, int.MaxValue - 1);
        while (true)
        {
            int last = Volatile.Read(ref _last);
            int next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last) return next;
        }
    }
}
