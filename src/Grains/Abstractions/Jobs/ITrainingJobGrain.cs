using VaeCfCluster.Grains.Abstractions.Access;

namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>
/// One training job (key: the job id). It owns the job's settings and data split, cuts each epoch's seeded user
/// order into global batches, hands each worker its slice, drives validation through the evaluation grains after
/// every epoch, keeps the best model, writes checkpoints and answers status. A client uploads the split in chunks,
/// starts the job, polls its status and downloads the trained model. The one grain clients may call.
/// </summary>
[ClientFacing]
public interface ITrainingJobGrain : IGrainWithStringKey
{
    /// <summary>Stores one chunk of the serialized split (chunks arrive in order, each under the message limit).</summary>
    Task UploadDataAsync(DataChunk chunk);

    /// <summary>
    /// Starts (or, with a checkpoint of the same run in the job's storage, resumes) training and returns at once.
    /// The uploaded data must match <see cref="TrainingJobSpec.DataLength"/> and <see cref="TrainingJobSpec.DataSha256"/>.
    /// While the job runs, a spec with the running job's data hash and model, training and cluster settings attaches
    /// (returns the status, changes nothing; no upload needed); any other spec, or <see cref="TrainingJobSpec.Fresh"/>, is
    /// refused with an <see cref="ArgumentException"/> naming what differs.
    /// </summary>
    Task<TrainingJobStatus> StartAsync(TrainingJobSpec spec);

    /// <summary>Where the job stands now.</summary>
    Task<TrainingJobStatus> GetStatusAsync();

    /// <summary>Stops after the current step; the last finished epoch stays in the checkpoint.</summary>
    Task CancelAsync();

    /// <summary>Up to <paramref name="count"/> bytes of the trained model file from <paramref name="offset"/>.</summary>
    Task<byte[]> ReadModelAsync(long offset, int count);

    /// <summary>
    /// Deletes everything the job stored (data, spec, status, checkpoint, log, model), for callers that have taken the
    /// model and need no resume. A running job is refused; cancel it first.
    /// </summary>
    Task DeleteAsync();
}
