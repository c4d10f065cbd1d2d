using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// <see cref="Trainer"/>'s side of <see cref="TrainingLoop"/>: the checkpoint file (<see cref="TrainerOptions.CheckpointPath"/>,
/// resumed when <see cref="TrainerOptions.Resume"/>), the JSON-lines log (<see cref="TrainerOptions.LogPath"/>) and
/// progress every ten batches and at each epoch's end (with β when <paramref name="annealsBeta"/>, the VAE's). Tensor
/// work runs on the caller's thread.
/// </summary>
internal sealed class SingleProcessHost(TrainerOptions options, IReadOnlyList<string> itemIds, string? dataSha256, IProgress<TrainingProgress>? progress,
    bool annealsBeta)
    : ITrainingLoopHost
{
    private StepReport? _last;
    private TrainingState _state = new();

    public Task RunTensorWorkAsync(Action work)
    {
        work();
        return Task.CompletedTask;
    }

    public TrainingState? Restore(AutoencoderNetwork mirror, AdamOptimizer optimizer, IReadOnlyList<Tensor> best) =>
        options.CheckpointPath is { } path && options.Resume && File.Exists(path)
            ? TrainingCheckpoint.Restore(path, mirror, optimizer, options, itemIds, best, dataSha256)
            : null;

    public void Started(TrainingState state, bool resumed)
    {
        _state = state;
        // A run stopped between an epoch's log line and its checkpoint (a crash, a kill) left the log one epoch ahead;
        // resuming rewrites it from the checkpoint's history, so every epoch appears once, as trained. A run starting
        // afresh (no checkpoint: none written yet, or its write failed) starts the log empty rather than after old lines.
        if (options.LogPath is { } log && (resumed || File.Exists(log)))
            EpochLog.Write(log, state.History);
    }

    public void StepCompleted(StepReport report)
    {
        _last = report;
        if (progress is not null && (report.Batch % 10 == 0 || report.Batch == report.Batches))
            progress.Report(new TrainingProgress(report.Epoch, options.Epochs, report.Batch, report.Batches, report.Step, report.MeanLoss,
                annealsBeta ? report.Beta : null, LastValidation, BestValidation, report.Elapsed, report.Remaining, EpochCompleted: false));
    }

    public void EpochCompleted(EpochRecord record, TrainingState state, EvaluationResult validation, AutoencoderNetwork? mirror,
        AdamOptimizer? optimizer, IReadOnlyList<Tensor>? best)
    {
        _state = state;
        if (options.LogPath is { } log)
            EpochLog.Append(log, record);
        if (options.CheckpointPath is { } path && mirror is not null)
            TrainingCheckpoint.Save(path, mirror, optimizer!, options, itemIds, state, best!, dataSha256);
        if (progress is null || _last is not { } last) return;
        var remaining = last.Remaining is { } r && last.Epoch == record.Epoch ? r : (TimeSpan?)null;
        progress.Report(new TrainingProgress(record.Epoch, options.Epochs, last.Batches, last.Batches, record.Step, record.Loss, annealsBeta ? record.Beta : null,
            LastValidation, BestValidation, last.Elapsed, remaining, EpochCompleted: true));
    }

    private double? LastValidation => _state.History.Count > 0 ? _state.History[^1].ValidationNdcg100 : null;

    private double? BestValidation => _state.BestEpoch > 0 ? _state.BestValidationNdcg100 : null;
}
