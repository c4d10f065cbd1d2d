using TorchSharp;
using TorchSharp.Modules;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// One item range of a Mult-VAE's two item-sized layers, with their gradients and Adam state: the first layer's rows
/// [range, H₁] and the output layer's columns [H, range] and bias [range]. Per step it gives its partial first-layer
/// sum, its logits' per-user max and Σexp (which combine across shards into the exact log-sum-exp), its own softmax
/// and weight gradients, and its share of the gradient of the output layer's input; big-layer gradients never leave
/// it. Calls follow one step's order: <see cref="FirstLayerPartial"/>, <see cref="Logits"/>,
/// <see cref="OutputBackward"/>, <see cref="FirstLayerBackward"/>, <see cref="Update"/>.
/// </summary>
public sealed class ItemShard : IDisposable
{
    private readonly EmbeddingBag _bag;
    private readonly AdamOptimizer _adam;
    private readonly double _weightDecay;
    private Tensor? _partial, _logits, _hidden;

    /// <summary>
    /// Takes copies of the given rows, columns and bias as this shard's parameters, with fresh Adam state; or, with
    /// <paramref name="shared"/>, updates the given tensors themselves (views of a whole network's, say) with the
    /// shared optimizer state it gives (moments in the same order and step count).
    /// </summary>
    public ItemShard(ItemRange range, Tensor inputRows, Tensor outputColumns, Tensor outputBias, AdamOptions adam, double weightDecay,
        MatmulPrecision precision = MatmulPrecision.Fp32, SharedAdamState? shared = null) : this(range, inputRows, outputColumns, outputBias, adam,
        weightDecay, precision, shared, adopt: shared is not null)
    {
    }

    private ItemShard(ItemRange range, Tensor inputRows, Tensor outputColumns, Tensor outputBias, AdamOptions adam, double weightDecay,
        MatmulPrecision precision, SharedAdamState? shared, bool adopt)
    {
        if (inputRows.shape[0] != range.Count || outputColumns.shape[1] != range.Count || outputBias.shape[0] != range.Count)
            throw new ArgumentException($"Item shard {range} got {inputRows.shape[0]} rows, {outputColumns.shape[1]} columns and {outputBias.shape[0]} biases.");
        Range = range;
        Precision = precision;
        _weightDecay = weightDecay;
        using (torch.no_grad())
        {
            InputRows = new Parameter(adopt ? inputRows.detach() : DetachedTensor.Copy(inputRows));
            OutputColumns = new Parameter(adopt ? outputColumns.detach() : DetachedTensor.Copy(outputColumns));
            OutputBias = new Parameter(adopt ? outputBias.detach() : DetachedTensor.Copy(outputBias));
        }
        _bag = nn.EmbeddingBag(range.Count, inputRows.shape[1], mode: EmbeddingBagMode.Sum, device: inputRows.device);
        // The bag's own randomly initialized weight (as large as the rows) is freed now, not when a finalizer gets to it.
        var initial = _bag.weight;
        _bag.weight = InputRows;
        initial?.Dispose();
        _adam = shared is null
            ? new AdamOptimizer([InputRows, OutputColumns, OutputBias], adam)
            : new AdamOptimizer([InputRows, OutputColumns, OutputBias], adam, shared.FirstMoments, shared.SecondMoments, shared.StepCount);
    }

    /// <summary>
    /// A shard of <paramref name="range"/> for <paramref name="config"/>'s architecture with zero parameters and fresh
    /// Adam state on <paramref name="device"/>, to be filled with state held elsewhere.
    /// </summary>
    public static ItemShard Zeros(ItemRange range, AutoencoderConfig config, AdamOptions adam, MatmulPrecision precision, Device device)
    {
        var (first, last) = ItemSizedLayerWidths(config);
        // No dispose scope here: the shard's parameters, made from these, must outlive the call.
        using var rows = torch.zeros([range.Count, first], device: device);
        using var columns = torch.zeros([last, range.Count], device: device);
        using var bias = torch.zeros([range.Count], device: device);
        // Adopted, not copied: at a million items each copy is another 1.2 GB per shard.
        return new ItemShard(range, rows, columns, bias, adam, config.WeightDecay, precision, shared: null, adopt: true);
    }

    /// <summary>The first layer's output width H₁ and the output layer's input width H of <paramref name="config"/>.</summary>
    public static (int First, int Last) ItemSizedLayerWidths(AutoencoderConfig config)
    {
        var encoder = config.EncoderDims;
        int first = encoder.Length > 2 ? encoder[1] : config.LatentDim * (config.Kind == ModelKind.Vae ? 2 : 1);
        return (first, encoder.Length > 2 ? encoder[1] : config.LatentDim);
    }

    /// <summary>The items held.</summary>
    public ItemRange Range { get; }

    /// <summary>How the output layer's products compute.</summary>
    public MatmulPrecision Precision { get; }

    /// <summary>The first layer's rows of these items [range, H₁].</summary>
    public Parameter InputRows { get; }

    /// <summary>The output layer's columns of these items [H, range].</summary>
    public Parameter OutputColumns { get; }

    /// <summary>The output layer's bias of these items [range].</summary>
    public Parameter OutputBias { get; }

    /// <summary>The Adam state of the three tensors.</summary>
    public AdamOptimizer Optimizer => _adam;

    /// <summary>Σ over the batch's kept clicks in range of weight · row [B, H₁]: this shard's part of x·W₁ (kept for the backward pass).</summary>
    public Tensor FirstLayerPartial(ItemShardBatch batch)
    {
        _partial = _bag.forward(batch.InputItems, batch.InputOffsets, batch.InputWeights).DetachFromDisposeScope();
        return _partial.detach();
    }

    /// <summary>
    /// The logits [B, range] = hidden · columns + bias (kept), and per user their max, Σ exp(logit − max), and the sum of
    /// the logits at the batch's clicks in range (a scalar).
    /// </summary>
    public (Tensor Max, Tensor SumExp, Tensor ClickLogitSum) Logits(Tensor hidden, ItemShardBatch batch)
    {
        using var noGrad = torch.no_grad();
        _hidden = hidden.detach().DetachFromDisposeScope();
        _logits = MiddleLayers.Dense(_hidden, OutputColumns, OutputBias, Precision).DetachFromDisposeScope();
        var max = _logits.amax([1]);
        var sumExp = _logits.sub(max.unsqueeze(1)).exp_().sum(1);
        var clickSum = _logits.view(-1).index_select(0, batch.ClickFlatIndices).sum();
        return (max, sumExp, clickSum);
    }

    /// <summary>
    /// From the exact log-sum-exp [B]: the multinomial output gradient in range, (n_u·softmax − x)/<paramref name="divisor"/>,
    /// the gradients of the columns and bias from it, and this shard's share of the gradient of the output layer's
    /// input [B, H] (returned; shares add up over shards).
    /// </summary>
    public Tensor OutputBackward(Tensor logSumExp, ItemShardBatch batch, double divisor)
    {
        using var noGrad = torch.no_grad();
        var logits = _logits ?? throw new InvalidOperationException("OutputBackward before Logits.");
        // In place: the logits are not needed after this, and at a million items each copy is B × range floats.
        var gradient = logits.sub_(logSumExp.unsqueeze(1)).exp_().mul_(batch.ClickCounts.DividedBy(divisor).unsqueeze(1));
        var clickGradient = torch.ones(batch.ClickFlatIndices.shape[0], device: gradient.device).TimesInPlace(-1.0 / divisor);
        gradient.view(-1).IndexAddInPlace(0, batch.ClickFlatIndices, clickGradient);
        AddGradient(OutputColumns, Product(_hidden!.t(), gradient));
        AddGradient(OutputBias, gradient.sum(dim: 0));
        var share = Product(gradient, OutputColumns.t());
        // The logits (now the gradient) are freed now instead of at the update: the other shards on this silo need
        // the room for theirs.
        logits.Dispose();
        _logits = null;
        return share;
    }

    /// <summary>Backpropagates the gradient of the first layer's output [B, H₁] into the rows' gradient.</summary>
    public void FirstLayerBackward(Tensor gradient)
    {
        var partial = _partial ?? throw new InvalidOperationException("FirstLayerBackward before FirstLayerPartial.");
        torch.autograd.backward([partial], [gradient]);
    }

    /// <summary>This shard's part of x·W₁ [B, H₁] without keeping anything for a backward pass.</summary>
    public Tensor ScoringPartial(ItemShardBatch batch)
    {
        using var noGrad = torch.no_grad();
        return _bag.forward(batch.InputItems, batch.InputOffsets, batch.InputWeights);
    }

    /// <summary>The logits of these items [B, range] = hidden · columns + bias, without keeping anything.</summary>
    public Tensor ScoringLogits(Tensor hidden)
    {
        using var noGrad = torch.no_grad();
        return MiddleLayers.Dense(hidden, OutputColumns, OutputBias, Precision);
    }

    /// <summary>Adds weight decay to the weights' gradients, takes one Adam step and clears the step's state.</summary>
    public void Update()
    {
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
            foreach (var w in new[] { InputRows, OutputColumns })
                if (_weightDecay != 0 && w.grad is { } g) GradientComputer.AddWeightDecay(g, w, _weightDecay);
        _adam.Step([Gradient(InputRows), Gradient(OutputColumns), Gradient(OutputBias)]);
        foreach (var p in new[] { InputRows, OutputColumns, OutputBias }) p.grad = null;
        ClearStep();
    }

    private static Tensor Gradient(Parameter p) => p.grad ?? torch.zeros_like(p);

    private Tensor Product(Tensor a, Tensor b) => Precision == MatmulPrecision.Bf16
        ? a.to(ScalarType.BFloat16).matmul(b.to(ScalarType.BFloat16)).to(ScalarType.Float32)
        : a.matmul(b);

    private static void AddGradient(Parameter p, Tensor gradient)
    {
        if (p.grad is { } existing) existing.AddInPlace(gradient);
        // The parameter takes its own reference; the caller's dispose scope frees this handle (a detached handle kept
        // each step's [H, range] gradient alive until a garbage collection).
        else p.grad = gradient;
    }

    private void ClearStep()
    {
        _partial?.Dispose();
        _logits?.Dispose();
        _hidden?.Dispose();
        _partial = _logits = _hidden = null;
    }

    /// <summary>Frees the parameters, Adam state and step state.</summary>
    public void Dispose()
    {
        ClearStep();
        _adam.Dispose();
        _bag.Dispose();
        InputRows.Dispose();
        OutputColumns.Dispose();
        OutputBias.Dispose();
    }
}
