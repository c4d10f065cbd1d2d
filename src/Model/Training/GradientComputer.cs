using TorchSharp;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// Computes the gradient of one slice of a global batch: d/dθ (Σ_u −log p(x_u|z_u) + β Σ_u KL_u) / B, where B is
/// the number of users in the whole global batch. Slices of one global batch computed anywhere sum to the
/// gradient of the whole batch, which is what makes data-parallel training equal to single-process training.
/// Dropout masks and latent noise come from (seed, epoch, user key), never from the slice.
/// </summary>
public static class GradientComputer
{
    /// <summary>
    /// Adds the slice's gradient into each parameter's <c>.grad</c> (call <see cref="ClearGradients"/> first).
    /// The multinomial likelihood's output gradient is formed directly (<see cref="AutoencoderObjective.MultinomialWithGradient"/>);
    /// the others go through autograd.
    /// <paramref name="rows"/> index <paramref name="clicks"/>; their user keys (which seed dropout and noise) are the
    /// row numbers themselves unless <paramref name="userKeys"/> gives one per row. <paramref name="outputLayerReady"/>
    /// is called once the output layer's gradient is in place and before the rest of the backward pass runs (for the
    /// multinomial likelihood; for the others, after the whole pass).
    /// </summary>
    public static BatchLoss Accumulate(AutoencoderNetwork network, ClickMatrix clicks, ReadOnlySpan<int> rows,
        ulong seed, long epoch, double beta, int globalBatchUsers, ReadOnlySpan<long> userKeys = default, Action? outputLayerReady = null)
    {
        if (rows.Length == 0) return default;
        using var scope = torch.NewDisposeScope();
        var config = network.Config;
        var batch = SparseBatch.Create(clicks, rows, config.DropoutRate, seed, epoch, network.Device, userKeys, config.KeptClickWeight);
        var noise = config.Kind == ModelKind.Vae ? LatentNoise(batch.UserKeys, config.LatentDim, seed, epoch).to(network.Device) : null;
        var (nll, kl) = AccumulateBatch(network, batch, noise, beta, globalBatchUsers, outputLayerReady);
        return new BatchLoss(nll.item<float>(), kl?.item<float>() ?? 0.0, rows.Length);
    }

    /// <summary>
    /// <see cref="Accumulate(AutoencoderNetwork, ClickMatrix, ReadOnlySpan{int}, ulong, long, double, int, ReadOnlySpan{long}, Action?)"/> with the batch and noise gathered on the device from <paramref name="assembler"/>'s copy
    /// of the clicks (the same numbers as the host would build); waits for the device only to read the loss.
    /// </summary>
    public static BatchLoss Accumulate(AutoencoderNetwork network, DeviceBatchAssembler assembler, ReadOnlySpan<int> rows,
        ulong seed, long epoch, double beta, int globalBatchUsers, ReadOnlySpan<long> userKeys = default, Action? outputLayerReady = null)
    {
        if (rows.Length == 0) return default;
        using var scope = torch.NewDisposeScope();
        var config = network.Config;
        var (batch, noise) = assembler.Assemble(rows, config.DropoutRate, seed, epoch, config.Kind == ModelKind.Vae ? config.LatentDim : 0, userKeys,
            config.KeptClickWeight);
        var (nll, kl) = AccumulateBatch(network, batch, noise, beta, globalBatchUsers, outputLayerReady);
        return new BatchLoss(nll.item<float>(), kl?.item<float>() ?? 0.0, rows.Length);
    }

    /// <summary>
    /// The gradient of a prepared batch (built on the host or gathered on the device by <see cref="DeviceBatchAssembler"/>),
    /// added into each parameter's <c>.grad</c> as <see cref="Accumulate(AutoencoderNetwork, ClickMatrix, ReadOnlySpan{int}, ulong, long, double, int, ReadOnlySpan{long}, Action?)"/> says. Returns the batch's summed −log-likelihood
    /// and KL divergence (null for the DAE) as 0-dimensional tensors on the network's device, unread, so nothing here
    /// waits for the device; they belong to the caller's dispose scope.
    /// </summary>
    public static (torch.Tensor NegativeLogLikelihoodSum, torch.Tensor? KlDivergenceSum) AccumulateBatch(AutoencoderNetwork network,
        SparseBatch batch, torch.Tensor? noise, double beta, int globalBatchUsers, Action? outputLayerReady = null)
    {
        var config = network.Config;
        var (output, mean, logVariance, hidden) = network.ForwardWithLastHidden(batch, noise);
        var kl = mean is null ? null : AutoencoderObjective.KlDivergenceSum(mean, logVariance!);
        torch.Tensor nll;
        if (config.Likelihood == Likelihood.Multinomial)
        {
            (nll, var outputGradient) = AutoencoderObjective.MultinomialWithGradient(output, batch, globalBatchUsers);
            // The backward pass in two stages, output layer first (the biggest gradient, and the first a data-parallel
            // worker can send on), then the rest from the output layer's input gradient. Same operations as one pass.
            var (weight, bias) = network.OutputLayer;
            var neighbours = network.NeighbourWeight;
            var first = torch.autograd.grad([output], neighbours is null ? [hidden, weight, bias] : [hidden, weight, bias, neighbours],
                [outputGradient], retain_graph: true);
            AccumulateInto(weight, first[1]);
            AccumulateInto(bias, first[2]);
            if (neighbours is not null) AccumulateInto(neighbours, first[3]);
            outputLayerReady?.Invoke();
            if (kl is null)
                torch.autograd.backward([hidden], [first[0]]);
            else
                torch.autograd.backward([hidden, kl], [first[0], torch.ones([], device: kl.device).TimesInPlace(beta / globalBatchUsers)]);
        }
        else
        {
            nll = AutoencoderObjective.NegativeLogLikelihoodSum(output, batch, config);
            var objective = kl is null ? nll : nll.PlusScaled(kl, beta);
            objective.DividedBy(globalBatchUsers).backward();
            outputLayerReady?.Invoke();
        }
        return (nll.detach(), kl?.detach());
    }

    /// <summary>Stores <paramref name="gradient"/> as the parameter's gradient, or adds it to the one there.</summary>
    private static void AccumulateInto(TorchSharp.Modules.Parameter parameter, torch.Tensor gradient)
    {
        if (parameter.grad is { } existing)
        {
            using var noGrad = torch.no_grad();
            existing.AddInPlace(gradient);
        }
        else
        {
            // The parameter takes its own reference; the dispose scope frees only this handle.
            parameter.grad = gradient;
        }
    }

    /// <summary>
    /// Adds the weight-decay gradient 2λW to each weight's <c>.grad</c> (once per global batch), and 2λ_N·N to the
    /// item-item term's.
    /// </summary>
    public static void AddWeightDecay(AutoencoderNetwork network)
    {
        double lambda = network.Config.WeightDecay;
        using var noGrad = torch.no_grad();
        if (lambda != 0)
        {
            foreach (var w in network.Weights)
            {
                if (w.grad is null) continue;
                AddWeightDecay(w.grad, w, lambda);
            }
        }
        double neighbourLambda = network.Config.NeighbourWeightDecay;
        if (neighbourLambda != 0 && network.NeighbourWeight is { grad: { } neighbourGradient } neighbours)
            AddWeightDecay(neighbourGradient, neighbours, neighbourLambda);
    }

    /// <summary>
    /// gradient += 2λ·weight, as a product then a sum (two roundings per element), so the result does not depend on
    /// how a tensor is cut: a fused multiply-add in LibTorch's vectorised loop but not in its scalar tail would make a
    /// parameter shard that starts mid-tensor differ from one process in the last bit.
    /// </summary>
    public static void AddWeightDecay(torch.Tensor gradient, torch.Tensor weight, double lambda)
    {
        using var scope = torch.NewDisposeScope();
        gradient.AddInPlace(weight.Times(2 * lambda));
    }

    /// <summary>
    /// Drops every parameter's gradient, so the next backward pass stores its result instead of adding it to zeros
    /// (which would cost a zeroing pass and an addition pass over every weight).
    /// </summary>
    public static void ClearGradients(AutoencoderNetwork network)
    {
        foreach (var (_, p) in network.OrderedParameters) p.grad = null;
    }

    /// <summary>Standard normal ε [B, K], element (u, k) drawn from (seed, epoch, user key u, k).</summary>
    public static torch.Tensor LatentNoise(ReadOnlySpan<long> userKeys, int latentDim, ulong seed, long epoch)
    {
        var values = new float[userKeys.Length * latentDim];
        for (int u = 0; u < userKeys.Length; u++)
            for (int k = 0; k < latentDim; k++)
                values[u * latentDim + k] = (float)CounterRandom.Normal(seed, CounterRandom.NoiseStream, (ulong)epoch, (ulong)userKeys[u], (ulong)k);
        return torch.tensor(values, [userKeys.Length, latentDim]);
    }
}
