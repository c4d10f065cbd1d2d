using System.CommandLine;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Client.Commands;

/// <summary>Options of the training loop, the β schedule and the machine.</summary>
internal sealed class TrainingOptions
{
    public Option<int?> Epochs { get; } = new("--epochs")
    {
        Description = "Passes over the training users. Default: 100 (the paper's for Netflix and MSD; 200 on ML-20M), " +
                      "30 on the built-in synthetic set, 50 for --model recvae. The best epoch by validation NDCG@100 is kept.",
    };

    public Option<int> Patience { get; } = new("--patience")
    {
        Description = "Stop early when validation NDCG@100 has not improved for this many epochs (the best epoch's model is kept " +
                      "and tested as always); 0 runs every epoch. [default: 0]",
    };

    public Option<int> BatchSize { get; } = new("--batch-size")
    {
        Description = "Users per gradient update.",
        DefaultValueFactory = _ => 500,
    };

    public Option<double?> LearningRate { get; } = new("--lr")
    {
        Description = "Adam learning rate. Default: 0.001 (the paper's), 0.0005 for --model recvae (RecVAE's).",
    };

    public Option<LearningRateSchedule> LearningRateSchedule { get; } = new("--lr-schedule")
    {
        Description = "constant: --lr throughout (the paper's); cosine: the step size falls along a half cosine from --lr " +
                      "towards zero over the run's planned updates (epochs x batches), so the last epochs take small steps.",
        DefaultValueFactory = _ => Commands.LearningRateSchedule.Constant,
    };

    public Option<long> Seed { get; } = new("--seed")
    {
        Description = "Seed of the weights, user order, dropout masks and latent noise.",
        DefaultValueFactory = _ => 98765L,
    };

    public Option<BetaMode> BetaMode { get; } = new("--beta-mode")
    {
        Description = "anneal: β = min(cap, step / anneal-steps); constant: β = --beta; auto: anneal towards 1 and " +
                      "freeze β at the peak of validation NDCG@100 (Section 2.2.2).",
        DefaultValueFactory = _ => global::VaeCfCluster.Model.Training.BetaMode.Anneal,
    };

    public Option<double> BetaCap { get; } = new("--beta-cap")
    {
        Description = "Largest β reached by annealing (the reference code's anneal_cap).",
        DefaultValueFactory = _ => 0.2,
    };

    public Option<long?> AnnealSteps { get; } = new("--anneal-steps")
    {
        Description = "Updates over which β rises from 0 to 1. Default: chosen so β reaches the cap after 80% of " +
                      "the planned updates (about the paper's 200,000 on ML-20M); give 200000 to match the paper exactly.",
    };

    public Option<double> Beta { get; } = new("--beta")
    {
        Description = "β for --beta-mode constant, and RecVAE's constant KL weight when --gamma is 0.",
        DefaultValueFactory = _ => 0.2,
    };

    public Option<int> BetaPatience { get; } = new("--beta-patience")
    {
        Description = "Auto β: epochs without a better validation NDCG@100 before β is frozen.",
        DefaultValueFactory = _ => 5,
    };

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "LibTorch threads of this process (single process or in-process cluster; a remote cluster uses its silos' Torch:Threads); 0 uses one per core.",
        DefaultValueFactory = _ => 0,
    };

    public Option<string> Device { get; } = new("--device")
    {
        Description = "cpu, cuda or cuda:N for this process (CUDA needs the CUDA build of LibTorch); a remote cluster uses its silos' Torch:Device.",
        DefaultValueFactory = _ => "cpu",
    };

    public Option<MatmulPrecision> Precision { get; } = PrecisionOption.Create(
        "Dense matrix products: fp32; tf32 (CUDA's TensorFloat-32; fp32 on a CPU); bf16 (bfloat16 products with float32 weights, " +
        "softmax and log-sum-exp: about 0.55x the fp32 step of Mult-VAE, 0.67x RecVAE's, on a CPU with AVX-512 BF16). [default: fp32]");

    public Option<int> ItemShards { get; } = new("--item-shards")
    {
        Description = "Split the model's two item-sized layers (first layer's rows, output layer's columns) into this many item " +
                      "ranges, each with its own gradient and Adam state, for large catalogs; 0 trains the whole network. The same " +
                      "math as unsharded training. On a cluster each range is an item-shard grain on a silo (spread over the silos) and only " +
                      "[batch x hidden] tensors move per step; with --single-process the ranges stay in this process. Multinomial likelihood only.",
        DefaultValueFactory = _ => 0,
    };

    public Option<int> EvaluationBatchSize { get; } = new("--eval-batch-size")
    {
        Description = "Users scored at once in validation and test (memory: users × items floats).",
        DefaultValueFactory = _ => 1000,
    };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Epochs, Patience, BatchSize, LearningRate, LearningRateSchedule, Seed, BetaMode, BetaCap, AnnealSteps, Beta, BetaPatience, Threads, Device, Precision, ItemShards, EvaluationBatchSize })
            command.Options.Add(o);
    }

    /// <summary>Trainer settings for a training set of <paramref name="trainUsers"/> users.</summary>
    public TrainerOptions Resolve(ParseResult result, int trainUsers, int defaultEpochs, string? checkpointPath, string? logPath, bool resume)
    {
        int epochs = result.GetValue(Epochs) ?? defaultEpochs;
        int batchSize = result.GetValue(BatchSize);
        double cap = result.GetValue(BetaCap);
        var mode = result.GetValue(BetaMode);
        long plannedUpdates = (long)epochs * Math.Max(1, (trainUsers + Math.Max(1, batchSize) - 1) / Math.Max(1, batchSize));
        double reach = mode == global::VaeCfCluster.Model.Training.BetaMode.Auto ? 1.0 : cap;
        long annealSteps = result.GetValue(AnnealSteps) ?? Math.Max(1, (long)Math.Round(0.8 * plannedUpdates / Math.Max(reach, 1e-6)));
        var options = new TrainerOptions
        {
            Epochs = epochs,
            Patience = result.GetValue(Patience),
            BatchSize = batchSize,
            Seed = result.GetValue(Seed),
            Adam = new AdamOptions
            {
                LearningRate = result.GetValue(LearningRate) ?? 1e-3,
                CosineDecaySteps = result.GetValue(LearningRateSchedule) == Commands.LearningRateSchedule.Cosine ? plannedUpdates : 0,
            },
            Beta = new BetaScheduleOptions
            {
                Mode = mode, Cap = cap, TotalAnnealSteps = annealSteps,
                Constant = result.GetValue(Beta), AutoPatienceEpochs = result.GetValue(BetaPatience),
            },
            Threads = result.GetValue(Threads),
            Device = result.GetValue(Device) ?? "cpu",
            EvaluationBatchSize = result.GetValue(EvaluationBatchSize),
            Precision = result.GetValue(Precision),
            ItemShards = result.GetValue(ItemShards),
            CheckpointPath = checkpointPath,
            LogPath = logPath,
            Resume = resume,
        };
        options.Validate();
        return options;
    }
}
