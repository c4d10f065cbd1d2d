using TorchSharp;
using TorchSharp.Modules;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Evaluation;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// A RecVAE: <see cref="RecVaeEncoder"/> q(z | x), a linear decoder f(z) = z·W + b [B, I] with the multinomial
/// likelihood, and, with the composite prior, a frozen copy of the encoder whose posterior is one of the prior's
/// components. As a scorer it ranks by f(μ(x)) on the un-dropped fold-in clicks, a range of items at a time past
/// <see cref="MaxScoresPerRange"/> scores per batch (<see cref="ItemRangeRanking"/>).
/// </summary>
public sealed class RecVaeNetwork : ITopItemsScorer, IDisposable
{
    private readonly RecVaeEncoder? _previousEncoder;
    private readonly (Parameter Weight, Parameter Bias) _decoder;

    /// <summary>
    /// Creates a network for <paramref name="itemCount"/> items, its weights drawn from <paramref name="seed"/> (on the CPU,
    /// the same numbers for every device) and kept on <paramref name="device"/> (the CPU by default).
    /// </summary>
    public RecVaeNetwork(int itemCount, RecVaeOptions options, long seed, Device? device = null)
        : this(itemCount, options, seed, device, withPrior: true)
    {
    }

    /// <summary>
    /// As the public constructor; without <paramref name="withPrior"/> the composite prior's frozen encoder (a second
    /// [I, H] matrix) is not made: a network loaded for scoring never forms the prior.
    /// </summary>
    internal RecVaeNetwork(int itemCount, RecVaeOptions options, long seed, Device? device, bool withPrior)
    {
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(itemCount, 1);
        Options = options;
        ItemCount = itemCount;
        Device = device ?? CPU;
        using var generator = new Generator((ulong)seed);
        Encoder = new RecVaeEncoder(itemCount, options, generator, Device);
        _decoder = RecVaeEncoder.Linear(options.Latent, itemCount, generator, Device);
        // The reference code draws the prior's encoder separately; until the first encoder phase ends it is random.
        if (withPrior && options.Prior == RecVaePriorKind.Composite) _previousEncoder = new RecVaeEncoder(itemCount, options, generator, Device);
    }

    /// <summary>Where the parameters live; batches and noise are made there.</summary>
    public Device Device { get; }

    /// <inheritdoc />
    public int ItemCount { get; }

    /// <summary>The most scores [rows × items] <see cref="TopItems"/> forms at once before ranking by item ranges.</summary>
    public long MaxScoresPerRange { get; set; } = ItemRangeRanking.DefaultMaxScoresPerRange;

    /// <summary>The settings the network was built with.</summary>
    public RecVaeOptions Options { get; }

    /// <summary>The trained encoder.</summary>
    public RecVaeEncoder Encoder { get; }

    /// <summary>The decoder's weight [K, I] and bias [I].</summary>
    public IReadOnlyList<Parameter> DecoderParameters => [_decoder.Weight, _decoder.Bias];

    /// <summary>Every trained tensor: the encoder's, then the decoder's.</summary>
    public IReadOnlyList<Parameter> Parameters => [.. Encoder.Parameters, .. DecoderParameters];

    /// <summary>
    /// Every trained tensor with its name, in <see cref="Parameters"/>' order: the encoder's (the first, the item rows
    /// [I, H] of the input layer, only has rows of clicked items in a batch's gradient), then the decoder's weight [K, I]
    /// and bias [I]. The cluster lays them end to end as its flat parameter vector.
    /// </summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> NamedParameters =>
        [.. Encoder.Parameters.Select((p, i) => ($"encoder.{i}", (Tensor)p)), ("decoder.weight", _decoder.Weight), ("decoder.bias", _decoder.Bias)];

    /// <summary>How many of <see cref="Parameters"/> are the encoder's (the rest are the decoder's).</summary>
    public int EncoderTensorCount => Encoder.Parameters.Count;

    /// <summary>The prior's frozen copy of the encoder (empty without the composite prior).</summary>
    public IReadOnlyList<Parameter> PriorParameters => _previousEncoder?.Parameters ?? [];

    /// <summary>Number of trained values.</summary>
    public long ParameterCount => Parameters.Sum(p => p.numel());

    /// <summary>Copies the encoder into the prior's frozen copy (the end of an encoder phase); nothing without the composite prior.</summary>
    public void RefreshPrior() => _previousEncoder?.CopyFrom(Encoder);

    /// <summary>
    /// The negative ELBO of one batch, averaged over its users: −(1/B)Σ_u Σ_{i∈X_u} log softmax(f(z_u))_i + (1/B)Σ_u β_u·Σ_k
    /// [log q(z_uk | x_u) − log p(z_uk)] with z = μ + ε ⊙ σ from <paramref name="input"/> (dropped-out) and
    /// <paramref name="noise"/> [B, K]. β_u is γ·|X_u|, or the constant β when γ = 0. The prior's frozen encoder sees
    /// <paramref name="cleanInput"/> (the same users without dropout). Without <paramref name="withKl"/> (a decoder pass,
    /// whose gradient the KL term does not reach) only the likelihood term is formed.
    /// </summary>
    public (Tensor Loss, Tensor LogLikelihood, Tensor? Kl) Loss(SparseBatch input, SparseBatch cleanInput, Tensor noise, bool withKl)
    {
        var (mean, logVariance) = Encoder.Forward(input);
        var z = mean.addcmul(noise, logVariance.Times(0.5).exp(), SafeTensorMath.One);
        var logits = MiddleLayers.Dense(z, _decoder, Options.Precision);
        int users = input.UserCount;
        var logLikelihood = logits.log_softmax(1).view(-1).index_select(0, input.ClickFlatIndices).sum().DividedBy(users);
        if (!withKl) return (logLikelihood.neg(), logLikelihood, null);

        Tensor logPrior;
        if (_previousEncoder is null)
        {
            logPrior = RecVaeDensity.LogCenteredNormal(z, 0);
        }
        else
        {
            Tensor oldMean, oldLogVariance;
            using (no_grad()) (oldMean, oldLogVariance) = _previousEncoder.Forward(cleanInput);
            logPrior = RecVaeDensity.LogCompositePrior(z, oldMean, oldLogVariance, Options.MixtureWeights);
        }
        var perUser = RecVaeDensity.LogNormal(z, mean, logVariance).Minus(logPrior).sum(1);
        var weighted = Options.Gamma > 0 ? perUser.mul(cleanInput.ClickCounts).Times(Options.Gamma) : perUser.Times(Options.Beta);
        var kl = weighted.mean();
        return (kl.Minus(logLikelihood), logLikelihood, kl);
    }

    /// <summary>Scores f(μ(x)) [count, I] of fold-in rows [start, start + count), without dropout or noise.</summary>
    public Tensor Score(ClickMatrix foldIn, int start, int count)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = SparseBatch.ForScoring(foldIn, start, count, Device);
        var (mean, _) = Encoder.Forward(batch);
        return MiddleLayers.Dense(mean, _decoder, Options.Precision).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public long[] TopItems(ClickMatrix foldIn, int start, int count, int k)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var batch = SparseBatch.ForScoring(foldIn, start, count, Device);
        var (mean, _) = Encoder.Forward(batch);
        return ItemRangeRanking.TopItems(ItemCount, count, batch.ClickFlatIndices,
            (first, width) => MiddleLayers.Dense(mean, _decoder.Weight.narrow(1, first, width), _decoder.Bias.narrow(0, first, width), Options.Precision),
            k, MaxScoresPerRange, $"users [{start}, {start + count})");
    }

    /// <summary>Detached copies of <see cref="Parameters"/> (a snapshot, e.g. of the best epoch).</summary>
    public Tensor[] Snapshot()
    {
        using var noGrad = no_grad();
        return Parameters.Select(DetachedTensor.Copy).ToArray();
    }

    /// <summary>Writes a <see cref="Snapshot"/> back into the parameters.</summary>
    public void Restore(IReadOnlyList<Tensor> snapshot)
    {
        using var noGrad = no_grad();
        var parameters = Parameters;
        if (snapshot.Count != parameters.Count) throw new ArgumentException($"{snapshot.Count} tensors for {parameters.Count} parameters.");
        for (int i = 0; i < parameters.Count; i++) parameters[i].copy_(snapshot[i]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Encoder.Dispose();
        _previousEncoder?.Dispose();
        _decoder.Weight.Dispose();
        _decoder.Bias.Dispose();
    }
}
