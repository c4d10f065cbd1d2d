namespace VaeCfCluster.Model.Training;

/// <summary>
/// Settings of the single-process trainer. Defaults are the paper's (Section 4.3) and its reference code's.
/// </summary>
public sealed record TrainerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Training";

    /// <summary>
    /// Passes over the training users. Default 100 (the paper: 200 on ML-20M, 100 on Netflix and MSD). The model
    /// with the best validation NDCG@100 is kept, so too many epochs cost time, not accuracy.
    /// </summary>
    public int Epochs { get; init; } = 100;

    /// <summary>
    /// Early stopping: the run ends once validation NDCG@100 has not improved for this many epochs (the best epoch's
    /// weights are kept and tested as after a full run). 0 (default) runs every epoch.
    /// </summary>
    public int Patience { get; init; }

    /// <summary>Users per gradient update. Default 500 (Section 4.3). Smaller is noisier and slower per epoch.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Seed of the weights, the per-epoch user order, dropout masks and latent noise. Default 98765.</summary>
    public long Seed { get; init; } = 98765;

    /// <summary>Optimizer settings (Adam, lr 1e-3).</summary>
    public AdamOptions Adam { get; init; } = new();

    /// <summary>KL weight schedule (anneal to 0.2 over 200,000 updates).</summary>
    public BetaScheduleOptions Beta { get; init; } = new();

    /// <summary>Users scored at once during validation and test. Default 1000; bounds memory at users × items floats.</summary>
    public int EvaluationBatchSize { get; init; } = 1000;

    /// <summary>Intra-op threads for LibTorch; 0 keeps LibTorch's default (one per core).</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Device for training and scoring: "cpu" (default), "cuda" or "cuda:N". CUDA needs the CUDA build of
    /// LibTorch (build with -p:VaeCfTorchBackend=cuda) and a visible GPU.
    /// </summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// How dense matrix products compute: fp32 (default), tf32 (CUDA only; fp32 on the CPU) or bf16 (bfloat16 products
    /// with float32 weights, softmax and log-sum-exp; about 0.55x the fp32 step on a CPU with AVX-512 BF16).
    /// </summary>
    public Networks.MatmulPrecision Precision { get; init; } = Networks.MatmulPrecision.Fp32;

    /// <summary>
    /// Item shards of the model's two item-sized layers (first layer's rows, output layer's columns and bias), each with
    /// its own gradient and Adam state; 0 (default) trains the whole network. Same math as unsharded training.
    /// </summary>
    public int ItemShards { get; init; }

    /// <summary>Where training batches are built and losses kept (default: on the device when it is a GPU).</summary>
    public BatchAssembly BatchAssembly { get; init; } = BatchAssembly.Auto;

    /// <summary>Where to write a resumable checkpoint after every epoch; null for none.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Continue from <see cref="CheckpointPath"/> when it exists. Default true.</summary>
    public bool Resume { get; init; } = true;

    /// <summary>JSON-lines log with one record per epoch; null for none.</summary>
    public string? LogPath { get; init; }

    /// <summary>
    /// Whether a run at <paramref name="state"/> stops here: <see cref="Patience"/> epochs have passed since the best
    /// epoch (or since the start, when no epoch improved on the initial score).
    /// </summary>
    public bool StopsEarlyAt(Checkpoints.TrainingState state) =>
        Patience > 0 && state.CompletedEpochs < Epochs && state.CompletedEpochs - state.BestEpoch >= Patience;

    /// <summary>Throws naming the setting to fix when a value is out of range.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentException($"{nameof(Epochs)} must be at least 1 (was {Epochs}).");
        if (Patience < 0) throw new ArgumentException($"{nameof(Patience)} must be 0 (every epoch) or positive (was {Patience}).");
        if (BatchSize < 1) throw new ArgumentException($"{nameof(BatchSize)} must be at least 1 (was {BatchSize}).");
        if (EvaluationBatchSize < 1) throw new ArgumentException($"{nameof(EvaluationBatchSize)} must be at least 1 (was {EvaluationBatchSize}).");
        if (Threads < 0) throw new ArgumentException($"{nameof(Threads)} must be 0 (default) or positive (was {Threads}).");
        if (!TorchDevices.IsValidName(Device))
            throw new ArgumentException($"{nameof(Device)} must be 'cpu', 'cuda' or 'cuda:N' (was '{Device}').");
        if (!Enum.IsDefined(Precision)) throw new ArgumentException($"{nameof(Precision)} must be {Networks.MatmulPrecisionNames.Choices} (was {Precision}).");
        if (ItemShards < 0) throw new ArgumentException($"{nameof(ItemShards)} must be 0 (unsharded) or positive (was {ItemShards}).");
        if (!Enum.IsDefined(BatchAssembly)) throw new ArgumentException($"{nameof(BatchAssembly)} must be Auto, Host or Device (was {BatchAssembly}).");
        Adam.Validate();
        Beta.Validate();
    }
}
