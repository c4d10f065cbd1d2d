using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Experiments;

/// <summary>
/// Runs <see cref="Trainer"/> in this process, with a resumable checkpoint and an epoch log per run under
/// <c>folder/runId/</c>.
/// </summary>
/// <param name="folder">Parent folder of the per-run folders.</param>
/// <param name="progress">Receives the trainer's progress reports; null for none.</param>
public sealed class SingleProcessAutoencoderRunner(string folder, IProgress<TrainingProgress>? progress = null) : IAutoencoderRunner
{
    /// <inheritdoc />
    public string Description => "this process (single-process trainer)";

    /// <inheritdoc />
    public Task<AutoencoderRun> TrainAsync(string runId, DataSplit split, AutoencoderConfig config, TrainerOptions options,
        CancellationToken cancellationToken)
    {
        var runFolder = Path.Combine(folder, runId);
        Directory.CreateDirectory(runFolder);
        var withFiles = options with
        {
            CheckpointPath = Path.Combine(runFolder, "checkpoint.vaecf"),
            LogPath = Path.Combine(runFolder, "training.jsonl"),
            Resume = true,
        };
        if (!File.Exists(withFiles.CheckpointPath)) File.Delete(withFiles.LogPath);
        var result = new Trainer(withFiles).Train(split, config, progress, cancellationToken);
        if (!result.Completed)
        {
            result.BestNetwork.Dispose();
            throw new OperationCanceledException($"Run {runId} was interrupted; its last finished epoch is in {withFiles.CheckpointPath}.");
        }
        return Task.FromResult(new AutoencoderRun(result.BestNetwork, result.BestEpoch, result.BestValidationNdcg100, result.ChosenBeta,
            result.History));
    }

    /// <inheritdoc />
    public Task DiscardAsync(string runId)
    {
        var runFolder = Path.Combine(folder, runId);
        if (Directory.Exists(runFolder)) Directory.Delete(runFolder, recursive: true);
        return Task.CompletedTask;
    }
}
