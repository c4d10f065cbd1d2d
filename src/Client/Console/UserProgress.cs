using System.Diagnostics;
using System.Globalization;

namespace VaeCfCluster.Client.Console;

/// <summary>
/// Progress of a long recommendation or evaluation run (<paramref name="verb"/>: "recommended", "evaluated"): users done, users/s and the time left, a line every few seconds once the
/// first <paramref name="usersPerBatch"/> users are done (users come a batch at a time, so a rate measured inside the
/// first batch would say nothing).
/// </summary>
internal sealed class UserProgress(TextWriter log, int totalUsers, int usersPerBatch = 1, string verb = "recommended")
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastLine;

    /// <summary>Time since the run started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Called after each user written; prints a line when <see cref="Interval"/> has passed since the last.</summary>
    public void Report(int usersDone)
    {
        var now = _clock.Elapsed;
        if (now - _lastLine < Interval || usersDone >= totalUsers || usersDone < usersPerBatch) return;
        _lastLine = now;
        double rate = usersDone / Math.Max(now.TotalSeconds, 1e-9);
        double left = (totalUsers - usersDone) / Math.Max(rate, 1e-9);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{verb} {usersDone:N0}/{totalUsers:N0} users ({100.0 * usersDone / totalUsers:F0}%), {rate:N0} users/s, about {left:F0} s left"));
    }
}
