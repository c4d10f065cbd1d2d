using System.Security.Cryptography;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>
/// What a client does with a training job: upload the serialized split in chunks under the message limit, start the
/// job, follow its status until it finishes, and download the trained model.
/// </summary>
public sealed class TrainingJobClient(IGrainFactory grains, string jobId)
{
    /// <summary>The job grain.</summary>
    public ITrainingJobGrain Job { get; } = grains.GetGrain<ITrainingJobGrain>(jobId);

    /// <summary>
    /// Uploads <paramref name="data"/> (a serialized split) and starts the job; returns its first status. When the job
    /// is already running (its first client crashed, or it was submitted detached), nothing is uploaded: the job checks
    /// that it runs this data with these settings and the caller follows it (<see cref="Attached"/>), or it refuses,
    /// naming what differs.
    /// </summary>
    public async Task<TrainingJobStatus> StartAsync(byte[] data, string dataName, ModelSettings model, TrainingSettings training,
        ClusterSettings cluster, bool fresh, CancellationToken cancellationToken = default, string? recVae = null)
    {
        cluster.Validate();
        var spec = new TrainingJobSpec(dataName, model, training, cluster, data.Length,
            Convert.ToHexStringLower(SHA256.HashData(data)), fresh, recVae);
        if ((await Job.GetStatusAsync()).IsRunning)
        {
            var running = await Job.StartAsync(spec);
            Attached = true;
            return running;
        }
        Attached = false;
        int chunkBytes = cluster.MaxChunkBytes;
        int count = Math.Max(1, (data.Length + chunkBytes - 1) / chunkBytes);
        for (int k = 0; k < count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int offset = k * chunkBytes;
            await Job.UploadDataAsync(new DataChunk(k, count, data.AsSpan(offset, Math.Min(chunkBytes, data.Length - offset)).ToArray()));
        }
        return await Job.StartAsync(spec);
    }

    /// <summary>True when the last <see cref="StartAsync"/> found the same job running and attached to it.</summary>
    public bool Attached { get; private set; }

    /// <summary>How long <see cref="WaitAsync"/> keeps retrying when the job's silo does not answer. Default 3 minutes.</summary>
    public TimeSpan UnavailableTolerance { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Polls the status every <paramref name="interval"/>, reporting each, until the job finishes. When the silo holding
    /// the job goes away, calls fail until the cluster notices and the job resumes from its checkpoint on another silo;
    /// such failures are retried for <see cref="UnavailableTolerance"/>.
    /// </summary>
    public async Task<TrainingJobStatus> WaitAsync(TimeSpan interval, IProgress<TrainingJobStatus>? progress = null,
        CancellationToken cancellationToken = default)
    {
        DateTime? failingSince = null;
        while (true)
        {
            TrainingJobStatus status;
            try
            {
                status = await Job.GetStatusAsync();
                failingSince = null;
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                failingSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - failingSince > UnavailableTolerance) throw;
                await Task.Delay(interval, cancellationToken);
                continue;
            }
            progress?.Report(status);
            if (status.IsFinished) return status;
            await Task.Delay(interval, cancellationToken);
        }
    }

    private static bool IsTransient(Exception e) =>
        e is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException
            or GatewayTooBusyException or ClientNotAvailableException;

    /// <summary>Downloads the trained model to <paramref name="path"/> (written to a temporary file, then renamed).</summary>
    public async Task DownloadModelAsync(string path, long length, int chunkBytes = ClusterSettings.DefaultMaxChunkBytes)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + ".tmp";
        await using (var file = File.Create(temporary))
        {
            for (long offset = 0; offset < length;)
            {
                var bytes = await Job.ReadModelAsync(offset, (int)Math.Min(chunkBytes, length - offset));
                if (bytes.Length == 0) throw new IOException($"The model ended at byte {offset} of {length}.");
                await file.WriteAsync(bytes);
                offset += bytes.Length;
            }
        }
        File.Move(temporary, full, overwrite: true);
    }
}
