using System.Runtime.CompilerServices;
using System.Text.Json;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Experiments;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Client.Experiments;

/// <summary>
/// Trains an experiment's autoencoders as jobs on a cluster (the in-process one or a remote one), one job per run. A
/// job's id is the run id behind <paramref name="jobPrefix"/>, so an interrupted experiment finds its job again and the
/// job resumes from its checkpoint; once the run's outcome is in the ledger the job's storage is deleted.
/// </summary>
internal sealed class ClusterAutoencoderRunner(ClusterHost host, ClusterSettings settings, string jobPrefix, string dataName,
    string modelFolder, TextWriter log) : IAutoencoderRunner
{
    private readonly ConditionalWeakTable<DataSplit, byte[]> _serialized = new();

    /// <inheritdoc />
    public string Description => host.Description;

    /// <inheritdoc />
    public async Task<AutoencoderRun> TrainAsync(string runId, DataSplit split, AutoencoderConfig config, TrainerOptions options,
        CancellationToken cancellationToken)
    {
        var client = new TrainingJobClient(host.Grains, jobPrefix + runId);
        // On a cluster, a job whose silo went down mid-run resumes from its checkpoint as soon as it is touched again; its
        // id names this experiment's settings and run, so a running job is this run and is followed as it is. (On the
        // in-process cluster a killed command's job is stopped instead, and starting it again resumes it.)
        var current = await client.Job.GetStatusAsync();
        if (current.IsFinished || current.State == TrainingJobState.Created)
        {
            var bytes = _serialized.GetValue(split, SplitSerializer.Serialize);
                await client.StartAsync(bytes, dataName, config, options, settings, fresh: false, cancellationToken);
        }
        else
        {
            log.WriteLine($"job {jobPrefix + runId} is already running (resumed from its checkpoint); following it");
        }
        var progress = new JobProgressAdapter(TrainingProgressPrinter.ForStandardError(), log);
        TrainingJobStatus status;
        try
        {
            status = await client.WaitAsync(TimeSpan.FromMilliseconds(500), progress, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await client.Job.CancelAsync();
            throw;
        }
        if (status.State == TrainingJobState.Cancelled) throw new OperationCanceledException($"Job {jobPrefix + runId} was cancelled.");
        if (status.State == TrainingJobState.Failed) throw new InvalidOperationException($"Job {jobPrefix + runId} failed: {status.Error}");
        var path = Path.Combine(modelFolder, runId + ".vaecf");
        await client.DownloadModelAsync(path, status.ModelLength, settings.MaxChunkBytes);
        var model = ModelFile.Load(path);
        var history = status.History
            .Select(h => new EpochRecord(h.Epoch, h.Step, h.Loss, h.NegativeLogLikelihood, h.KlDivergence, h.Beta, h.ValidationNdcg100,
                h.Seconds, h.ValidationSeconds, h.UsersPerSecond))
            .ToArray();
        return new AutoencoderRun(model.Network, status.BestEpoch, status.BestValidationNdcg100 ?? double.NaN, status.ChosenBeta, history);
    }

    /// <inheritdoc />
    public async Task DiscardAsync(string runId)
    {
        await host.Grains.GetGrain<ITrainingJobGrain>(jobPrefix + runId).DeleteAsync();
        File.Delete(Path.Combine(modelFolder, runId + ".vaecf"));
    }
}
