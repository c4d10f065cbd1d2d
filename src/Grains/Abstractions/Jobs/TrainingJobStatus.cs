namespace VaeCfCluster.Grains.Abstractions.Jobs;

/// <summary>Where a job stands: progress, the latest loss and β, validation results, throughput and traffic.</summary>
[GenerateSerializer, Immutable, Alias("vaecf.TrainingJobStatus")]
public sealed record TrainingJobStatus
{
    [Id(0)] public required string JobId { get; init; }
    [Id(1)] public TrainingJobState State { get; init; }
    [Id(2)] public int Epoch { get; init; }
    [Id(3)] public int Epochs { get; init; }
    [Id(4)] public int Batch { get; init; }
    [Id(5)] public int Batches { get; init; }
    [Id(6)] public long Step { get; init; }

    /// <summary>Mean batch objective so far in the current epoch.</summary>
    [Id(7)] public double Loss { get; init; }
    [Id(8)] public double Beta { get; init; }
    [Id(9)] public double? LastValidationNdcg100 { get; init; }
    [Id(10)] public double? BestValidationNdcg100 { get; init; }
    [Id(11)] public int BestEpoch { get; init; }

    /// <summary>Training users per second over the current or last epoch.</summary>
    [Id(12)] public double UsersPerSecond { get; init; }
    [Id(13)] public double ElapsedSeconds { get; init; }
    [Id(14)] public double? RemainingSeconds { get; init; }
    [Id(15)] public string? Error { get; init; }
    [Id(16)] public int Workers { get; init; }
    [Id(17)] public int ParameterShards { get; init; }
    [Id(18)] public int Evaluators { get; init; }
    [Id(19)] public int Silos { get; init; }
    [Id(20)] public long ParameterCount { get; init; }

    /// <summary>Bytes moved between silos by the last step (gradient parts pulled by shard owners plus parameters fetched by replicas).</summary>
    [Id(21)] public long BytesLastStep { get; init; }
    [Id(22)] public IReadOnlyList<EpochSummary> History { get; init; } = [];

    /// <summary>Test metrics of the best model, once the job completed.</summary>
    [Id(23)] public IReadOnlyList<MetricValue> Test { get; init; } = [];
    [Id(24)] public double ChosenBeta { get; init; }

    /// <summary>Length of the trained model file (0 until completed).</summary>
    [Id(25)] public long ModelLength { get; init; }
    [Id(26)] public string DataName { get; init; } = "";

    /// <summary>True when the job resumed from a checkpoint.</summary>
    [Id(27)] public bool Resumed { get; init; }

    /// <summary>Wall time of the last step in milliseconds, and its parts (slowest worker's compute, fetch and push; slowest shard's update).</summary>
    [Id(28)] public StepTimings LastStep { get; init; } = StepTimings.None;

    /// <summary>The silo (address) each worker computed on, by worker index, as the workers reported it.</summary>
    [Id(29)] public IReadOnlyList<string> WorkerSilos { get; init; } = [];

    /// <summary>The silo (address) holding each parameter shard's state, by shard index.</summary>
    [Id(30)] public IReadOnlyList<string> ShardSilos { get; init; } = [];

    /// <summary>Place in the cluster's job queue from 1 while <see cref="TrainingJobState.Queued"/>; 0 otherwise.</summary>
    [Id(31)] public int QueuePosition { get; init; }

    /// <summary>Item shards holding the model's item-sized layers (0: the model is not item-sharded); their silos are <see cref="ShardSilos"/>.</summary>
    [Id(32)] public int ItemShards { get; init; }

    /// <summary>Bytes of state each item shard holds on its silo (parameters, gradients, Adam moments), by shard index.</summary>
    [Id(33)] public IReadOnlyList<long> ItemShardStateBytes { get; init; } = [];

    /// <summary>The model the job trains: "Mult-VAE", "Mult-DAE" (or the Gaussian and logistic variants) or "RecVAE"; "" in a status stored before this field.</summary>
    [Id(34)] public string Model { get; init; } = "";

    /// <summary>
    /// The epoch the current attempt resumed after (its checkpoint's), when <see cref="Resumed"/>; 0 otherwise, and in
    /// a status stored before this field.
    /// </summary>
    [Id(35)] public int ResumedAfterEpoch { get; init; }

    /// <summary>True when <see cref="Beta"/> means something: the job trains a VAE whose KL weight is annealed (not a DAE, nor RecVAE, whose weight is per user).</summary>
    public bool AnnealsBeta => Model.Length == 0 || Model.EndsWith("-VAE", StringComparison.Ordinal);

    /// <summary>True when the job no longer runs (completed, failed or cancelled).</summary>
    public bool IsFinished => State is TrainingJobState.Completed or TrainingJobState.Failed or TrainingJobState.Cancelled;

    /// <summary>True while the job runs or waits in the queue (started and not finished): starting it again with the same spec attaches to it.</summary>
    public bool IsRunning => State != TrainingJobState.Created && !IsFinished;
}
