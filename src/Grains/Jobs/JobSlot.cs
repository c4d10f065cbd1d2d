using VaeCfCluster.Grains.Abstractions.Jobs;

namespace VaeCfCluster.Grains.Jobs;

/// <summary>
/// A job's side of the cluster's job queue (<see cref="IJobSlotGrain"/>): wait for a slot, reporting the place in the
/// queue; renew the slot's lease while the job runs; give it back at the end.
/// </summary>
internal sealed class JobSlot(IJobSlotGrain queue, string jobId)
{
    private TimeSpan _lease = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Asks for a slot until one is granted, reporting each queue position; waiting jobs ask every second. A failed call
    /// (the queue's silo died and the cluster has not noticed yet) is reported and retried.
    /// </summary>
    public async Task WaitAsync(Action<int> queued, Action<Exception> failed, CancellationToken cancel)
    {
        while (true)
        {
            try
            {
                var answer = await queue.AcquireAsync(jobId);
                _lease = TimeSpan.FromSeconds(answer.LeaseSeconds);
                if (answer.Granted) return;
                queued(answer.Position);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed(e);
            }
            await Task.Delay(Min(TimeSpan.FromSeconds(1), _lease / 3), cancel);
        }
    }

    /// <summary>Renews the slot's lease every third of it until <paramref name="stop"/>; a failed renewal is retried at the next.</summary>
    public async Task HoldAsync(Action<Exception> failed, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_lease / 3, stop);
                await queue.RenewAsync(jobId);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failed(e);
            }
        }
    }

    /// <summary>Gives the slot (or the place in the queue) back.</summary>
    public Task ReleaseAsync() => queue.ReleaseAsync(jobId);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
