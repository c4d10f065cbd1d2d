using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Client.Console;

/// <summary>Shows a cluster job's polled status with the same progress bar as single-process training.</summary>
internal sealed class JobProgressAdapter(IProgress<TrainingProgress> printer, TextWriter log) : IProgress<TrainingJobStatus>
{
    private int _epochsShown = -1;
    private bool _announced;
    private int _queuePosition;
    private (bool Resumed, int After)? _attempt;

    /// <inheritdoc />
    public void Report(TrainingJobStatus value)
    {
        if (value.State == TrainingJobState.Queued)
        {
            // One line each time the job moves up the cluster's queue (Jobs:MaxConcurrent jobs train at once).
            if (value.QueuePosition != _queuePosition) log.WriteLine($"job {value.JobId}: queued, position {value.QueuePosition}, waiting for a job slot");
            _queuePosition = value.QueuePosition;
            return;
        }
        if (value.State is TrainingJobState.Created or TrainingJobState.Starting) return;
        // The epoch an attempt resumed after is its checkpoint's (a status from before that field: the history then).
        int resumedAfter = value.ResumedAfterEpoch > 0 ? value.ResumedAfterEpoch : value.History.Count;
        if (_attempt is { } seen && value.Resumed && (!seen.Resumed || seen.After != resumedAfter))
        {
            // Another attempt since the last poll: a silo was lost (or the job was stopped) and it went on from its checkpoint.
            log.WriteLine($"job {value.JobId}: resumed after epoch {resumedAfter} from its checkpoint (a silo was lost, or the job was restarted)");
            _epochsShown = Math.Min(_epochsShown, resumedAfter);
        }
        _attempt = (value.Resumed, resumedAfter);
        if (!_announced && value.ItemShards > 0)
            log.WriteLine($"cluster: {value.Silos} silo(s), {value.ItemShards} item shard(s) on {value.ShardSilos.Distinct().Count()} silo(s); " +
                          $"{value.ParameterCount:N0} parameters" + (value.Resumed ? $"; resumed after epoch {resumedAfter}" : ""));
        else if (!_announced && value.Workers > 0)
            log.WriteLine($"cluster: {value.Silos} silo(s), {value.Workers} worker(s), {value.ParameterShards} parameter shard(s), " +
                          $"{value.Evaluators} evaluator(s); {value.ParameterCount:N0} parameters" + (value.Resumed ? $"; resumed after epoch {resumedAfter}" : ""));
        _announced = true;
        if (_epochsShown < 0) _epochsShown = value.Resumed ? value.History.Count : 0;
        var elapsed = TimeSpan.FromSeconds(value.ElapsedSeconds);
        TimeSpan? remaining = value.RemainingSeconds is { } r ? TimeSpan.FromSeconds(r) : null;
        // Epochs finished since the last poll are shown one line each, each with the best score, elapsed time and ETA as
        // of its own end (the epochs after it taken off the poll's), not the job's current ones.
        for (int e = _epochsShown; e < value.History.Count; e++)
        {
            var h = value.History[e];
            double best = value.History.Take(e + 1).Max(x => x.ValidationNdcg100);
            var later = TimeSpan.FromSeconds(value.History.Skip(e + 1).Sum(x => x.Seconds));
            var elapsedThen = elapsed > later ? elapsed - later : TimeSpan.Zero;
            printer.Report(new TrainingProgress(h.Epoch, value.Epochs, value.Batches, value.Batches, h.Step, h.Loss, value.AnnealsBeta ? h.Beta : null,
                h.ValidationNdcg100, best, elapsedThen, remaining + later, EpochCompleted: true));
        }
        _epochsShown = Math.Max(_epochsShown, value.History.Count);
        if (value.State == TrainingJobState.Training && value.Batch < value.Batches)
            printer.Report(new TrainingProgress(value.Epoch, value.Epochs, value.Batch, value.Batches, value.Step, value.Loss, value.AnnealsBeta ? value.Beta : null,
                value.LastValidationNdcg100, value.BestValidationNdcg100, elapsed, remaining, EpochCompleted: false));
    }
}
