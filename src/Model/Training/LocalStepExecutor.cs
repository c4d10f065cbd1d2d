using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// Runs <see cref="TrainingLoop"/>'s updates in this process on the mirror itself: the gradient of the whole batch
/// (<see cref="GradientComputer"/>), weight decay, one Adam step. The mirror is the state, so syncing is free.
/// With <see cref="BatchAssembly.Device"/> (the default on a GPU) the training clicks live on the device, batches and
/// noise are gathered there (<see cref="DeviceBatchAssembler"/>), and each step's loss stays there until the loop
/// reads it, so steps queue on the device without the host waiting.
/// </summary>
public sealed class LocalStepExecutor : ITrainingStepExecutor, IDisposable
{
    private readonly AutoencoderNetwork _network;
    private readonly AdamOptimizer _optimizer;
    private readonly DataSplit _split;
    private readonly TrainerOptions _options;
    private readonly Tensor[] _parameters;
    private readonly DeviceBatchAssembler? _assembler;
    private readonly List<(Tensor Terms, int Users)> _pending = [];

    /// <summary>Trains <paramref name="network"/> with <paramref name="optimizer"/> on <paramref name="split"/>'s training users.</summary>
    public LocalStepExecutor(AutoencoderNetwork network, AdamOptimizer optimizer, DataSplit split, TrainerOptions options)
    {
        _network = network;
        _optimizer = optimizer;
        _split = split;
        _options = options;
        _parameters = network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray();
        if (UsesDevice(options.BatchAssembly, network.Device)) _assembler = new DeviceBatchAssembler(split.Train, network.Device);
    }

    /// <summary>Whether <paramref name="assembly"/> builds batches on <paramref name="device"/> (Auto: when it is not the CPU).</summary>
    public static bool UsesDevice(BatchAssembly assembly, Device device) =>
        assembly == BatchAssembly.Device || (assembly == BatchAssembly.Auto && device.type != DeviceType.CPU);

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<StepOutcome> StepAsync(TrainingStep step, CancellationToken cancellationToken)
    {
        GradientComputer.ClearGradients(_network);
        if (_assembler is null)
        {
            var loss = GradientComputer.Accumulate(_network, _split.Train, step.Rows, (ulong)_options.Seed, step.Epoch, step.Beta, step.Rows.Length);
            Update();
            return Task.FromResult(new StepOutcome(loss));
        }
        using (var scope = torch.NewDisposeScope())
        {
            var config = _network.Config;
            var (batch, noise) = _assembler.Assemble(step.Rows, config.DropoutRate, (ulong)_options.Seed, step.Epoch,
                config.Kind == ModelKind.Vae ? config.LatentDim : 0, keptClickWeight: config.KeptClickWeight);
            var (nll, kl) = GradientComputer.AccumulateBatch(_network, batch, noise, step.Beta, step.Rows.Length);
            var terms = kl is null ? torch.stack([nll, torch.zeros_like(nll)]) : torch.stack([nll, kl]);
            _pending.Add((terms.DetachFromDisposeScope(), step.Rows.Length));
            Update();
        }
        return Task.FromResult(new StepOutcome(new BatchLoss(0, 0, step.Rows.Length), LossDeferred: true));
    }

    private void Update()
    {
        // Reading .grad makes a handle; in a scope each is freed now, not whenever the garbage collector runs its
        // finalizer (until then it keeps that step's gradient alive: a 34 M-weight model piled up gigabytes).
        using var scope = torch.NewDisposeScope();
        GradientComputer.AddWeightDecay(_network);
        _optimizer.Step(_parameters.Select(p => p.grad!).ToArray());
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<BatchLoss>> ReadDeferredLossesAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0) return Task.FromResult<IReadOnlyList<BatchLoss>>([]);
        double[] values;
        using (var scope = torch.NewDisposeScope())
            values = torch.stack(_pending.Select(p => p.Terms).ToArray()).to(ScalarType.Float64).cpu().data<double>().ToArray();
        var losses = _pending.Select((p, i) => new BatchLoss(values[2 * i], values[2 * i + 1], p.Users)).ToArray();
        DisposePending();
        return Task.FromResult<IReadOnlyList<BatchLoss>>(losses);
    }

    /// <inheritdoc />
    public Task<EvaluationResult> EvaluateAsync(HeldOutSet set, IReadOnlyList<RankingMetric> metrics, CancellationToken cancellationToken) =>
        Task.FromResult(new RankingEvaluator(metrics, _options.EvaluationBatchSize)
            .Evaluate(new AutoencoderScorer(_network), set == HeldOutSet.Validation ? _split.Validation : _split.Test));

    /// <inheritdoc />
    public Task SyncMirrorAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task LoadMirrorParametersAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void DisposePending()
    {
        foreach (var (terms, _) in _pending) terms.Dispose();
        _pending.Clear();
    }

    /// <summary>Frees the device copy of the clicks and any unread losses.</summary>
    public void Dispose()
    {
        DisposePending();
        _assembler?.Dispose();
    }
}
