using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Grains.Jobs;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// <c>vaecf status</c>: where a training job stands: on a running cluster (<c>--cluster</c>, <c>--job</c>), or, for a
/// job that ran on the in-process cluster, from the status file in its output folder. <c>--cluster</c> without
/// <c>--job</c> lists the jobs holding the cluster's job slots and the queue behind them.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var cluster = new Option<string?>("--cluster")
        {
            Description = "The cluster the job runs on: redis://HOST:PORT or HOST:PORT[,HOST:PORT].",
        };
        var clusterId = new Option<string>("--cluster-id") { Description = "Orleans cluster id.", DefaultValueFactory = _ => "vaecf" };
        var serviceId = new Option<string>("--service-id") { Description = "Orleans service id.", DefaultValueFactory = _ => "vaecf" };
        var job = new Option<string?>("--job") { Description = "The job id; with --cluster and no --job, the running jobs and the queue are listed." };
        var output = new Option<string?>("--out")
        {
            Description = "Without --cluster: the output folder of a 'vaecf train' run on the in-process cluster.",
        };
        var follow = new Option<bool>("--follow") { Description = "With --cluster: keep showing progress until the job ends." };
        var json = new Option<bool>("--json") { Description = "Print the full status as JSON." };
        var tls = new ClientTlsOptions();
        var command = new Command("status", "Show a training job's state, progress, loss, beta, validation NDCG@100, throughput and ETA.")
        {
            cluster, clusterId, serviceId, job, output, follow, json,
        };
        tls.AddTo(command);
        command.SetAction(result => CommandRunner.Run(() => RunAsync(result, cluster, clusterId, serviceId, tls, job, output, follow, json).GetAwaiter().GetResult()));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, Option<string?> clusterOption, Option<string> clusterId, Option<string> serviceId,
        ClientTlsOptions tls, Option<string?> jobOption, Option<string?> outputOption, Option<bool> follow, Option<bool> json)
    {
        TrainingJobStatus status;
        if (result.GetValue(clusterOption) is { } text)
        {
            // Ctrl+C or SIGTERM stops this command (connecting, or following a job), never the job.
            using var signals = new StopSignals(() => { });
            await using var host = await ClusterHost.ConnectAsync(ClusterAddress.Parse(text), result.GetValue(clusterId)!,
                result.GetValue(serviceId)!, tls.Resolve(result), System.Console.Error, signals.Token);
            if (result.GetValue(jobOption) is not { } jobId)
            {
                var queue = await host.Grains.GetGrain<IJobQueueGrain>(IJobQueueGrain.Key).GetQueueAsync();
                System.Console.Out.Write(result.GetValue(json)
                    ? JsonSerializer.Serialize(queue, new JsonSerializerOptions { WriteIndented = true }) + "\n"
                    : DescribeQueue(queue));
                return 0;
            }
            var client = new TrainingJobClient(host.Grains, jobId);
            status = await client.Job.GetStatusAsync();
            if (status.State == TrainingJobState.Created)
                throw new ArgumentException($"--job: no job '{jobId}' has been started on the cluster at {text}.");
            if (result.GetValue(follow))
            {
                try
                {
                    status = await client.WaitAsync(TimeSpan.FromSeconds(1), new JobProgressAdapter(TrainingProgressPrinter.ForStandardError(), System.Console.Error),
                        signals.Token);
                }
                catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
                {
                    System.Console.Error.WriteLine();
                    System.Console.Error.WriteLine($"stopped following job {jobId}; it keeps running (vaecf status --cluster {text} --job {jobId} --follow to follow it again)");
                    return CommandRunner.Interrupted;
                }
            }
        }
        else
        {
            string folder = result.GetValue(outputOption) ?? throw new ArgumentException("Give --cluster and --job for a running cluster, or --out for a local run's folder.");
            string storage = Path.Combine(folder, "cluster");
            var file = Directory.Exists(storage)
                ? Directory.EnumerateFiles(storage, "status.json", SearchOption.AllDirectories)
                    .Where(f => result.GetValue(jobOption) is not { } id || Path.GetFileName(Path.GetDirectoryName(f)) == id)
                    .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
                : null;
            if (file is null) throw new FileNotFoundException($"--out: no job status under '{storage}' (was the run trained on the in-process cluster?).");
            status = ReadStatusFile(file);
            if (!status.IsFinished && status.State != TrainingJobState.Created && !result.GetValue(json) && !StorageLock.IsHeld(storage))
            {
                // The command that ran it is gone (killed, or its machine lost): the status file shows where it stopped.
                System.Console.Out.WriteLine(DescribeInterrupted(status));
                return 0;
            }
        }
        var stdout = System.Console.Out;
        if (result.GetValue(json))
        {
            stdout.WriteLine(JsonSerializer.Serialize(status, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        stdout.WriteLine(Describe(status));
        if (status.Test.Count > 0) stdout.Write(MetricsTable.Render(status.JobId, status.Test));
        return status.State == TrainingJobState.Failed ? 1 : 0;
    }

    /// <summary>A job's status file; a corrupted one is refused in one line naming it.</summary>
    internal static TrainingJobStatus ReadStatusFile(string file) =>
        JobStore.ParseStatus(File.ReadAllBytes(file))
        ?? throw new InvalidDataException($"{file}: not a readable job status (corrupted, or written by another version).");

    /// <summary>Longest ETA shown (a year); a corrupted or absurd estimate is left out rather than overflowing TimeSpan.</summary>
    private const double MaxEtaSeconds = 365 * 86400.0;

    /// <summary>The running jobs and the queue, one job a line, the queue by position.</summary>
    internal static string DescribeQueue(JobQueueSnapshot q)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"running: {q.Running.Count} of {q.MaxConcurrent} job slot(s) in use");
        foreach (var job in q.Running) text.AppendLine(CultureInfo.InvariantCulture, $"  {job}");
        text.AppendLine(CultureInfo.InvariantCulture, $"queued: {q.Queued.Count} job(s)");
        for (int p = 0; p < q.Queued.Count; p++) text.AppendLine(CultureInfo.InvariantCulture, $"  {p + 1}. {q.Queued[p]}");
        return text.ToString();
    }

    internal static string Describe(TrainingJobStatus s) => s.State == TrainingJobState.Queued
        ? string.Create(CultureInfo.InvariantCulture, $"job {s.JobId} ({Subject(s)}): queued, position {s.QueuePosition}, waiting for a job slot") +
          (s.Epoch > 0 ? string.Create(CultureInfo.InvariantCulture, $" (resumes after epoch {s.Epoch})") : "")
        // A job that ended (cancelled or failed) before it was set up has no progress to show: no zeros stand for it.
        : s.Epochs == 0 && s.IsFinished
            ? $"job {s.JobId} ({Subject(s)}): {s.State.ToString().ToLowerInvariant()} before it started training" + (s.Error is { } early ? $"\nerror: {early}" : "")
        : string.Create(CultureInfo.InvariantCulture,
        $"job {s.JobId} ({Subject(s)}): {s.State.ToString().ToLowerInvariant()}, epoch {s.Epoch}/{s.Epochs}") +
        (s.State == TrainingJobState.Completed && s.Epoch < s.Epochs ? " (stopped early)" : "") +
        string.Create(CultureInfo.InvariantCulture, $", batch {s.Batch}/{s.Batches}, step {s.Step}, loss {s.Loss:F3}") +
        (s.AnnealsBeta ? string.Create(CultureInfo.InvariantCulture, $", beta {s.Beta:F4}") : "") +
        (s.LastValidationNdcg100 is { } v ? string.Create(CultureInfo.InvariantCulture, $", validation NDCG@100 {v:F4}") : "") +
        (s.BestValidationNdcg100 is { } b ? string.Create(CultureInfo.InvariantCulture, $" (best {b:F4} at epoch {s.BestEpoch})") : "") +
        // A pace only once one was measured (a job resumed from a RecVAE checkpoint has none until it steps).
        (s.UsersPerSecond > 0 ? string.Create(CultureInfo.InvariantCulture, $", {s.UsersPerSecond:F0} users/s") : "") + ", " +
        (s.ItemShards > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{s.ItemShards} item shard(s) on {s.ShardSilos.Distinct().Count()} of {s.Silos} silo(s)") +
              (s.ItemShardStateBytes.Count > 0
                  ? string.Create(CultureInfo.InvariantCulture, $" with up to {s.ItemShardStateBytes.Max() / 1073741824.0:F2} GiB of state each")
                  : "")
            : string.Create(CultureInfo.InvariantCulture, $"{s.Workers} worker(s) on {s.Silos} silo(s)")) +
        string.Create(CultureInfo.InvariantCulture, $", {s.BytesLastStep / 1048576.0:F1} MiB per step") +
        (s.RemainingSeconds is { } r && r >= 0 && r < MaxEtaSeconds && !s.IsFinished ? string.Create(CultureInfo.InvariantCulture, $", ETA {TimeSpan.FromSeconds(r):hh\\:mm\\:ss}") : "") +
        (s.Error is { } e ? $"\nerror: {e}" : "");

    /// <summary>A job of the in-process cluster whose command stopped without finishing it.</summary>
    internal static string DescribeInterrupted(TrainingJobStatus s) =>
        string.Create(CultureInfo.InvariantCulture, $"job {s.JobId} ({Subject(s)}): interrupted during epoch {Math.Min(s.Epoch, s.Epochs)}/{s.Epochs}") +
        (s.BestValidationNdcg100 is { } b ? string.Create(CultureInfo.InvariantCulture, $" (best validation NDCG@100 {b:F4} at epoch {s.BestEpoch})") : "") +
        "; no vaecf command is running it. Run the command that started it again to resume from its last finished epoch.";

    /// <summary>The job's data and, when the status names it, its model: "ml-1m, RecVAE".</summary>
    private static string Subject(TrainingJobStatus s) => s.Model.Length == 0 ? s.DataName : $"{s.DataName}, {s.Model}";
}
