using TorchSharp;
using TorchSharp.Modules;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// A multinomial Mult-VAE / Mult-DAE whose two item-sized layers are split by item range over <see cref="ItemShard"/>s,
/// and whose small middle layers (first-layer bias, hidden layers, latent layer) are held once. One step is exactly
/// the unsharded step's math: the shards' partial first-layer sums are added; the middle runs; each shard's logits
/// give per-user max and Σexp that combine into the exact log-sum-exp; each shard forms its softmax and weight
/// gradients and returns its [B, H] share of the output layer's input gradient, which are added; the middle's
/// backward pass gives the first layer's output gradient, which each shard turns into its rows' gradient. Only
/// [B, H]-sized tensors and per-user scalars pass between the middle and the shards, whatever the number of items.
/// Here the shards run in this process one after another; the cluster places them on silos.
/// </summary>
public sealed class ItemShardedModel : IDisposable
{
    private readonly ItemShardedMiddle _middle;

    private ItemShardedModel(ItemShardedMiddle middle, ItemShard[] shards)
    {
        _middle = middle;
        Shards = shards;
    }

    /// <summary>The architecture.</summary>
    public AutoencoderConfig Config => _middle.Config;

    /// <summary>The shards, in item order.</summary>
    public IReadOnlyList<ItemShard> Shards { get; }

    /// <summary>The small middle layers, held once.</summary>
    public ItemShardedMiddle Middle => _middle;

    /// <summary>How dense products compute.</summary>
    public MatmulPrecision Precision => _middle.Precision;

    /// <summary>The first layer's bias [H₁] (a middle parameter: it is not item-sized).</summary>
    public Parameter FirstBias => _middle.FirstBias;

    /// <summary>The middle's parameters: first-layer bias, then the encoder's and decoder's inner layers (weight before bias).</summary>
    public IEnumerable<Parameter> MiddleParameters => _middle.Parameters;

    /// <summary>Splits <paramref name="network"/>'s parameters (copied) into <paramref name="shards"/> item shards and the middle, with fresh Adam state.</summary>
    public static ItemShardedModel FromNetwork(AutoencoderNetwork network, int shards, AdamOptions adam)
    {
        var config = network.Config;
        if (config.Likelihood != Likelihood.Multinomial)
            throw new ArgumentException($"Item-sharded models need the multinomial likelihood (the model has {config.Likelihood}).");
        var ranges = ItemRange.Split(config.ItemCount, shards);
        var (first, _) = network.EncoderLayers[0];
        var (output, outputBias) = network.DecoderLayers[^1];
        var parts = ranges.Select(r => new ItemShard(r, first.narrow(0, r.Start, r.Count), output.narrow(1, r.Start, r.Count),
            outputBias.narrow(0, r.Start, r.Count), adam, config.WeightDecay, network.Precision)).ToArray();
        return new ItemShardedModel(ItemShardedMiddle.CopyOf(network, adam), parts);
    }

    /// <summary>
    /// Shards <paramref name="network"/> in place: every shard and the middle update views of the network's own
    /// parameters and of <paramref name="optimizer"/>'s moments (built over that network), so nothing is copied and the
    /// network and optimizer always hold the current state; only the step count is kept apart (<see cref="StepCount"/>).
    /// The network and optimizer must outlive this model.
    /// </summary>
    public static ItemShardedModel Over(AutoencoderNetwork network, AdamOptimizer optimizer, int shards)
    {
        var config = network.Config;
        if (config.Likelihood != Likelihood.Multinomial)
            throw new ArgumentException($"Item-sharded models need the multinomial likelihood (the model has {config.Likelihood}).");
        var ranges = ItemRange.Split(config.ItemCount, shards);
        var whole = network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray();
        var parts = ranges.Select(r =>
        {
            var p = ItemShardSlices.Of(whole, r);
            return new ItemShard(r, p[0], p[1], p[2], optimizer.Options, config.WeightDecay, network.Precision,
                new SharedAdamState(ItemShardSlices.Of(optimizer.FirstMoments, r), ItemShardSlices.Of(optimizer.SecondMoments, r), optimizer.StepCount));
        }).ToArray();
        return new ItemShardedModel(ItemShardedMiddle.Over(network, optimizer), parts);
    }

    /// <summary>Number of updates taken (t of Adam).</summary>
    public long StepCount => _middle.StepCount;

    /// <summary>
    /// One update on <paramref name="batch"/> (with <paramref name="noise"/> for the VAE): the gradient of
    /// (Σ −log p + β Σ KL) / B (<see cref="Backward(SparseBatch, Tensor?, double)"/>), then weight decay and Adam on every shard and the middle
    /// (<see cref="Update"/>). Returns the loss terms.
    /// </summary>
    public BatchLoss Step(SparseBatch batch, Tensor? noise, double beta)
    {
        var loss = Backward(batch, noise, beta);
        Update();
        return loss;
    }

    /// <summary><see cref="Step(SparseBatch, Tensor?, double)"/> from the shards' parts of the batch (one per shard, in order).</summary>
    public BatchLoss Step(IReadOnlyList<ItemShardBatch> parts, Tensor? noise, double beta)
    {
        var loss = Backward(parts, noise, beta);
        Update();
        return loss;
    }

    /// <summary>
    /// The gradient of (Σ −log p + β Σ KL) / B on <paramref name="batch"/>, left in every shard's and middle
    /// parameter's <c>.grad</c> for <see cref="Update"/>. Returns the loss terms.
    /// </summary>
    public BatchLoss Backward(SparseBatch batch, Tensor? noise, double beta)
    {
        using var scope = torch.NewDisposeScope();
        return Backward(ItemShardBatch.Split(batch, Shards.Select(s => s.Range).ToArray(), FirstBias.device), noise, beta);
    }

    /// <summary><see cref="Backward(SparseBatch, Tensor?, double)"/> from the shards' parts of the batch (one per shard, in order).</summary>
    public BatchLoss Backward(IReadOnlyList<ItemShardBatch> parts, Tensor? noise, double beta)
    {
        using var scope = torch.NewDisposeScope();
        if (parts.Count != Shards.Count || parts.Where((p, s) => p.Range != Shards[s].Range).Any())
            throw new ArgumentException("One batch part per item shard, in the shards' order, is required.", nameof(parts));
        int b = parts[0].UserCount;
        var clickCounts = parts[0].ClickCounts;

        // Forward: partial first-layer sums add up; the middle runs once.
        var sum = Shards[0].FirstLayerPartial(parts[0]);
        for (int s = 1; s < Shards.Count; s++) sum = sum.Plus(Shards[s].FirstLayerPartial(parts[s]));
        var pass = _middle.Forward(sum, noise);

        // Per-user max and Σexp from every shard combine into the exact log-sum-exp.
        var stats = Shards.Select((shard, s) => shard.Logits(pass.Hidden, parts[s])).ToArray();
        var logSumExp = ItemShardLogSumExp.Combine(stats.Select(t => (t.Max, t.SumExp)).ToArray());
        var clickLogits = stats.Select(t => t.ClickLogitSum).Aggregate((a, c) => a.Plus(c));
        var nll = clickCounts.mul(logSumExp).sum().sub(clickLogits);
        var kl = pass.Kl;

        // Backward: the shards' input-gradient shares add up; the middle's pass yields the first layer's output gradient.
        var hiddenGradient = Shards[0].OutputBackward(logSumExp, parts[0], b);
        for (int s = 1; s < Shards.Count; s++) hiddenGradient = hiddenGradient.Plus(Shards[s].OutputBackward(logSumExp, parts[s], b));
        var firstGradient = _middle.Backward(pass, hiddenGradient, beta, b);
        foreach (var shard in Shards) shard.FirstLayerBackward(firstGradient);
        return new BatchLoss(nll.item<float>(), kl?.item<float>() ?? 0.0, b);
    }

    /// <summary>Weight decay and one Adam step: each shard on its own range, the middle once; gradients cleared.</summary>
    public void Update()
    {
        foreach (var shard in Shards) shard.Update();
        _middle.Update();
    }

    /// <summary>
    /// Writes every parameter back into the unsharded <paramref name="network"/> (same architecture) and, when given,
    /// the Adam moments and step count into <paramref name="optimizer"/> (built over that network's parameters).
    /// </summary>
    public void CopyInto(AutoencoderNetwork network, AdamOptimizer? optimizer = null)
    {
        using var noGrad = torch.no_grad();
        foreach (var (part, whole) in Pairs(network, optimizer)) whole.copy_(part);
        optimizer?.SetStepCount(_middle.StepCount);
    }

    /// <summary>Takes every parameter (and, when given, the Adam moments and step count) from the unsharded network.</summary>
    public void LoadFrom(AutoencoderNetwork network, AdamOptimizer? optimizer = null)
    {
        using var noGrad = torch.no_grad();
        foreach (var (part, whole) in Pairs(network, optimizer)) part.copy_(whole);
        if (optimizer is null) return;
        _middle.Optimizer.SetStepCount(optimizer.StepCount);
        foreach (var shard in Shards) shard.Optimizer.SetStepCount(optimizer.StepCount);
    }

    /// <summary>
    /// Each sharded tensor with the part of the unsharded one it stands for: parameters, then (with an optimizer) first
    /// and second moments. Unsharded order: first layer (rows split), middle, output weight (columns split), output bias.
    /// </summary>
    private IEnumerable<(Tensor Part, Tensor Whole)> Pairs(AutoencoderNetwork network, AdamOptimizer? optimizer)
    {
        var wholeParameters = network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray();
        var sets = new List<(IReadOnlyList<Tensor> Whole, Func<ItemShard, IReadOnlyList<Tensor>> OfShard, IReadOnlyList<Tensor> Middle)>
        {
            (wholeParameters, s => [s.InputRows, s.OutputColumns, s.OutputBias], MiddleParameters.ToArray()),
        };
        if (optimizer is not null)
        {
            sets.Add((optimizer.FirstMoments, s => s.Optimizer.FirstMoments, _middle.Optimizer.FirstMoments));
            sets.Add((optimizer.SecondMoments, s => s.Optimizer.SecondMoments, _middle.Optimizer.SecondMoments));
        }
        foreach (var (whole, ofShard, middle) in sets)
        {
            int n = whole.Count;
            if (n != middle.Count + 3) throw new ArgumentException($"The network has {n} parameters; this model has {middle.Count + 3} kinds.");
            foreach (var shard in Shards)
            {
                var parts = ofShard(shard);
                var r = shard.Range;
                yield return (parts[0], whole[0].narrow(0, r.Start, r.Count));
                yield return (parts[1], whole[n - 2].narrow(1, r.Start, r.Count));
                yield return (parts[2], whole[n - 1].narrow(0, r.Start, r.Count));
            }
            for (int i = 0; i < middle.Count; i++) yield return (middle[i], whole[1 + i]);
        }
    }

    /// <summary>The output layer's input [B, H] for <paramref name="batch"/> with z = μ (scoring: no dropout, no noise, no gradients).</summary>
    public Tensor ScoringHidden(SparseBatch batch)
    {
        using var noGrad = torch.no_grad();
        var parts = ItemShardBatch.Split(batch, Shards.Select(s => s.Range).ToArray(), FirstBias.device);
        var sum = Shards[0].ScoringPartial(parts[0]);
        for (int s = 1; s < Shards.Count; s++) sum = sum.AddInPlace(Shards[s].ScoringPartial(parts[s]));
        return _middle.ScoringHidden(sum);
    }

    /// <summary>Frees every shard and the middle.</summary>
    public void Dispose()
    {
        foreach (var shard in Shards) shard.Dispose();
        _middle.Dispose();
    }
}
