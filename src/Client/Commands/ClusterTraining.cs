using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// <c>vaecf train</c> on a cluster: the in-process one (one silo in this process, job storage under the output folder,
/// so the same command resumes) or a remote one given by <c>--cluster</c>. Uploads the split, starts the job, shows its
/// progress, and downloads the trained model.
/// </summary>
internal static partial class ClusterTraining
{
    /// <summary>
    /// Runs the job to the end; returns the exit code and, on success, the final status. <paramref name="started"/> runs once
    /// the cluster has accepted the job.
    /// </summary>
    public static Task<(int ExitCode, TrainingJobStatus? Status)> RunAsync(ParseResult result, ClusterOptions clusterOptions,
        LoadedData data, AutoencoderConfig config, TrainerOptions options, string folder, bool fresh, TextWriter log, Action? started = null) =>
        RunAsync(result, clusterOptions, data, new JobKind(config.Kind.ToString().ToLowerInvariant(), "model.vaecf", options.ItemShards, options.Threads, options.Device,
            (client, bytes, settings, token) => client.StartAsync(bytes, data.Name, config, options, settings, fresh, token)), folder, log, started);

    /// <summary>Runs a RecVAE job to the end; returns the exit code and, on success, the final status. The model is saved as model.recvae.</summary>
    public static Task<(int ExitCode, TrainingJobStatus? Status)> RunAsync(ParseResult result, ClusterOptions clusterOptions,
        LoadedData data, RecVaeOptions options, int threads, string device, string folder, bool fresh, TextWriter log, Action? started = null) =>
        RunAsync(result, clusterOptions, data, new JobKind("recvae", "model.recvae", 0, threads, device,
            (client, bytes, settings, token) => client.StartRecVaeAsync(bytes, data.Name, data.Split.ItemCount, options, settings, fresh, token)), folder, log, started);

    /// <summary>What differs between the jobs this command submits: the default job id's suffix, the model file, and how the job starts.</summary>
    private sealed record JobKind(string Name, string ModelFile, int ItemShards, int Threads, string Device,
        Func<TrainingJobClient, byte[], ClusterSettings, CancellationToken, Task<TrainingJobStatus>> Start);

    private static async Task<(int ExitCode, TrainingJobStatus? Status)> RunAsync(ParseResult result, ClusterOptions clusterOptions,
        LoadedData data, JobKind kind, string folder, TextWriter log, Action? started)
    {
        var settings = clusterOptions.Resolve(result) with { ItemShards = kind.ItemShards };
        string jobId = result.GetValue(clusterOptions.Job) ?? $"{data.Name}-{kind.Name}";
        if (!JobIdPattern().IsMatch(jobId)) throw new ArgumentException($"--job: '{jobId}' may only hold letters, digits, '-', '_' and '.'.");
        var address = result.GetValue(clusterOptions.Cluster) is { } text ? ClusterAddress.Parse(text) : null;
        bool detach = result.GetValue(clusterOptions.Detach);
        if (detach && address is null) throw new ArgumentException("--detach needs --cluster: an in-process cluster ends with this command.");

        // What a stop means depends on how far the command got: before the job is submitted there is nothing to stop.
        bool submitted = false;
        using var signals = new StopSignals(() =>
        {
            log.WriteLine();
            log.WriteLine(submitted
                ? "stopping the job after its current step; the last finished epoch is in its checkpoint (run the same command to resume)"
                : "stopping: no job was submitted");
        });
        await using var host = address is null
            ? await ClusterHost.StartLocalAsync(Path.Combine(folder, "cluster"), kind.Threads, kind.Device, log, signals.Token)
            : await ClusterHost.ConnectAsync(address, result.GetValue(clusterOptions.ClusterId)!, result.GetValue(clusterOptions.ServiceId)!,
                clusterOptions.Tls.Resolve(result), log, signals.Token);
        var client = new TrainingJobClient(host.Grains, jobId);
        var bytes = SplitSerializer.Serialize(data.Split);
        log.WriteLine($"job {jobId}: {bytes.Length / 1048576.0:F1} MiB of data for {host.Description}");
        submitted = true;
        var accepted = await kind.Start(client, bytes, settings, signals.Token);
        // The job is accepted: what the caller clears for a fresh run goes now, not before a refusal could keep it.
        started?.Invoke();
        if (client.Attached) log.WriteLine($"job {jobId} is already running with this data and these settings; following it");
        if (detach)
        {
            string what = (client.Attached ? $"job {jobId} is already running" : $"submitted job {jobId}") +
                          (accepted.State == TrainingJobState.Queued ? $" (queued, position {accepted.QueuePosition})" : "");
            System.Console.Out.WriteLine($"{what}; follow it with: vaecf status --cluster {address!.Text} --job {jobId}");
            return (0, null);
        }
        var progress = new JobProgressAdapter(TrainingProgressPrinter.ForStandardError(), log);
        TrainingJobStatus status;
        try
        {
            status = await client.WaitAsync(TimeSpan.FromMilliseconds(500), progress, signals.Token);
        }
        catch (OperationCanceledException)
        {
            await client.Job.CancelAsync();
            return (CommandRunner.Interrupted, null);
        }
        if (status.State == TrainingJobState.Cancelled) return (CommandRunner.Interrupted, status);
        if (status.State == TrainingJobState.Failed)
        {
            log.WriteLine($"error: job {jobId} failed: {status.Error}");
            return (1, status);
        }
        Directory.CreateDirectory(folder);
        await client.DownloadModelAsync(Path.Combine(folder, kind.ModelFile), status.ModelLength, settings.MaxChunkBytes);
        return (0, status);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex JobIdPattern();
}
