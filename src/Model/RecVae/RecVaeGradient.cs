using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// The gradient of one RecVAE batch, or of one worker's slice of it: the negative ELBO of the rows
/// (<see cref="RecVaeNetwork.Loss"/>) scaled by slice users / batch users, so the slices' gradients add up to the
/// batch's, back-propagated into the parameters of the side the phase trains (the other side is frozen and gets no
/// gradient). Masks and noise come from (seed, pass, user key), so a slice computes what the whole batch computes for
/// its users. The single-process trainer and the cluster's workers both call it.
/// </summary>
public static class RecVaeGradient
{
    /// <summary>
    /// Leaves the gradient of rows <paramref name="rows"/> of <paramref name="clicks"/> (user keys <paramref name="keys"/>,
    /// the rows themselves when empty) in the trained side's <c>.grad</c>; returns the slice's loss terms summed over its
    /// users (the likelihood's, then the weighted KL's; the KL is 0 in a decoder pass).
    /// </summary>
    public static BatchLoss Accumulate(RecVaeNetwork network, ClickMatrix clicks, ReadOnlySpan<int> rows, ReadOnlySpan<long> keys,
        RecVaePhase phase, long pass, ulong seed, int batchUsers)
    {
        if (rows.Length == 0) return default;
        var options = network.Options;
        bool withKl = phase != RecVaePhase.Decoder;
        double dropout = phase == RecVaePhase.Decoder ? 0 : options.DropoutRate;
        SetTrainable(network.Encoder.Parameters, phase != RecVaePhase.Decoder);
        SetTrainable(network.DecoderParameters, phase != RecVaePhase.Encoder);
        using var scope = NewDisposeScope();
        var input = SparseBatch.Create(clicks, rows, dropout, seed, pass, network.Device, keys);
        // The un-dropped batch feeds only the composite prior's frozen encoder (click counts are the same in both).
        var clean = dropout > 0 && withKl && network.PriorParameters.Count > 0 ? SparseBatch.Create(clicks, rows, 0, seed, pass, network.Device, keys) : input;
        var noise = GradientComputer.LatentNoise(input.UserKeys, options.Latent, seed, pass).to(network.Device);
        var (loss, logLikelihood, kl) = network.Loss(input, clean, noise, withKl);
        ClearGradients(network);
        (rows.Length == batchUsers ? loss : loss.Times((double)rows.Length / batchUsers)).backward();
        int users = rows.Length;
        // Both terms come back in one read, so a step on a GPU waits for the device once, not once per term.
        var terms = (kl is null ? logLikelihood.detach().unsqueeze(0) : stack([logLikelihood.detach(), kl.detach()])).cpu().data<float>().ToArray();
        return new BatchLoss(-terms[0] * (double)users, kl is null ? 0 : terms[1] * (double)users, users);
    }

    /// <summary>Drops every parameter's gradient.</summary>
    public static void ClearGradients(RecVaeNetwork network)
    {
        foreach (var p in network.Parameters) p.grad = null;
    }

    /// <summary>Makes every parameter trainable again (after a pass that froze one side).</summary>
    public static void Unfreeze(RecVaeNetwork network) => SetTrainable(network.Parameters, true);

    private static void SetTrainable(IEnumerable<TorchSharp.Modules.Parameter> parameters, bool trainable)
    {
        foreach (var p in parameters) p.requires_grad = trainable;
    }
}
