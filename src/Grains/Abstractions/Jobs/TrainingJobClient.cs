using System.Security.Cryptography;

namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>
/// What a client does with a training job: upload the serialized split in chunks under the message limit, start the
/// job, follow its status until it finishes, and download the trained model.
/// </summary>
public sealed class TrainingJobClient(IGrainFactory grains, string jobId)
{
    /// <summary>The job grain.</summary>
    public ITrainingJobGrain Job { get; } = grains.GetGrain<ITrainingJobGrain>(jobId);

    /// <summary>Uploads <paramref name="data"/> (a serialized split) and starts the job; returns its first status.</summary>
    public async Task<TrainingJobStatus> StartAsync(byte[] data, string dataName, string modelConfigJson, string trainerOptionsJson,
        ClusterSettings cluster, bool fresh, CancellationToken cancellationToken = default)
    {
        cluster.Validate();
        int chunkBytes = cluster.MaxChunkBytes;
        int count = Math.Max(1, (data.Length + chunkBytes - 1) / chunkBytes);
        for (int k = 0; k < count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int offset = k * chunkBytes;
            await Job.UploadDataAsync(new DataChunk(k, count, data.AsSpan(offset, Math.Min(chunkBytes, data.Length - offset)).ToArray()));
        }
        var spec = new TrainingJobSpec(dataName, modelConfigJson, trainerOptionsJson, cluster, data.Length,
            Convert.ToHexStringLower(SHA256.HashData(data)), fresh);
        return await Job.StartAsync(spec);
    }

    /// <summary>Polls the status every <paramref name="interval"/>, reporting each, until the job finishes.</summary>
    public async Task<TrainingJobStatus> WaitAsync(TimeSpan interval, IProgress<TrainingJobStatus>? progress = null,
        CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var status = await Job.GetStatusAsync();
            progress?.Report(status);
            if (status.IsFinished) return status;
            await Task.Delay(interval, cancellationToken);
        }
    }

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
