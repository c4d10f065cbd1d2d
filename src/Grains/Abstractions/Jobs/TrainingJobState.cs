namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>Life cycle of a training job.</summary>
public enum TrainingJobState
{
    /// <summary>No job started under this id (data may be uploading).</summary>
    Created = 0,

    /// <summary>Placing workers, shards and evaluators and sending them their data.</summary>
    Starting = 1,

    /// <summary>Taking gradient steps.</summary>
    Training = 2,

    /// <summary>Scoring validation users after an epoch.</summary>
    Validating = 3,

    /// <summary>Scoring the best model on the test users.</summary>
    Testing = 4,

    /// <summary>Finished; the model can be downloaded.</summary>
    Completed = 5,

    /// <summary>Stopped by an error (see the status's error).</summary>
    Failed = 6,

    /// <summary>Stopped on request; starting it again resumes from the last finished epoch.</summary>
    Cancelled = 7,

    /// <summary>Waiting for one of the cluster's job slots (<c>Jobs:MaxConcurrent</c>); see the status's queue position.</summary>
    Queued = 8,
}
