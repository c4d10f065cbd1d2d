using TorchSharp;
using TorchSharp.Modules;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>
/// The small middle of an item-sharded Mult-VAE / Mult-DAE, held once: the first layer's bias, the encoder's layers
/// after its first and the decoder's before its last, with their Adam state. It takes the item shards' summed
/// first-layer partials [B, H₁] and gives the output layer's input [B, H]; backwards, it takes the summed input-gradient
/// shares [B, H] and gives the first layer's output gradient [B, H₁] that every shard turns into its rows' gradient.
/// Nothing in it grows with the number of items.
/// </summary>
public sealed class ItemShardedMiddle : IDisposable
{
    private readonly List<(Parameter Weight, Parameter Bias)> _encoderAfterFirst = [];
    private readonly List<(Parameter Weight, Parameter Bias)> _decoderBeforeLast = [];
    private readonly AdamOptimizer _adam;

    private ItemShardedMiddle(AutoencoderConfig config, Parameter firstBias, IEnumerable<(Parameter, Parameter)> encoderAfterFirst,
        IEnumerable<(Parameter, Parameter)> decoderBeforeLast, AdamOptions adam, MatmulPrecision precision, SharedAdamState? shared)
    {
        if (config.Likelihood != Likelihood.Multinomial)
            throw new ArgumentException($"Item-sharded models need the multinomial likelihood (the model has {config.Likelihood}).");
        Config = config;
        FirstBias = firstBias;
        Precision = precision;
        _encoderAfterFirst.AddRange(encoderAfterFirst);
        _decoderBeforeLast.AddRange(decoderBeforeLast);
        _adam = shared is null
            ? new AdamOptimizer(Parameters.ToArray(), adam)
            : new AdamOptimizer(Parameters.ToArray(), adam, shared.FirstMoments, shared.SecondMoments, shared.StepCount);
    }

    /// <summary>The architecture.</summary>
    public AutoencoderConfig Config { get; }

    /// <summary>How dense products compute.</summary>
    public MatmulPrecision Precision { get; }

    /// <summary>The first layer's bias [H₁].</summary>
    public Parameter FirstBias { get; }

    /// <summary>The parameters: first-layer bias, then the encoder's and decoder's inner layers (weight before bias).</summary>
    public IEnumerable<Parameter> Parameters =>
        new[] { FirstBias }.Concat(_encoderAfterFirst.Concat(_decoderBeforeLast).SelectMany(l => new[] { l.Weight, l.Bias }));

    /// <summary>The Adam state of <see cref="Parameters"/>.</summary>
    public AdamOptimizer Optimizer => _adam;

    /// <summary>Number of updates taken (t of Adam).</summary>
    public long StepCount => _adam.StepCount;

    /// <summary>Copies of <paramref name="network"/>'s middle parameters, with fresh Adam state.</summary>
    public static ItemShardedMiddle CopyOf(AutoencoderNetwork network, AdamOptions adam)
    {
        using var noGrad = torch.no_grad();
        static (Parameter, Parameter) Copy((Parameter Weight, Parameter Bias) l) =>
            (new Parameter(DetachedTensor.Copy(l.Weight)), new Parameter(DetachedTensor.Copy(l.Bias)));
        var bias = new Parameter(DetachedTensor.Copy(network.EncoderLayers[0].Bias));
        return new ItemShardedMiddle(network.Config, bias, network.EncoderLayers.Skip(1).Select(Copy).ToArray(),
            network.DecoderLayers.SkipLast(1).Select(Copy).ToArray(), adam, network.Precision, null);
    }

    /// <summary>
    /// A middle holding <paramref name="parameters"/> (adopted, in parameter order: the first layer's bias, then the
    /// inner layers, weight before bias, as <see cref="ItemShardStartingWeights.Middle"/> gives them), with fresh Adam state.
    /// </summary>
    public static ItemShardedMiddle Of(AutoencoderConfig config, IReadOnlyList<Tensor> parameters, AdamOptions adam, MatmulPrecision precision)
    {
        int encoderRest = config.EncoderDims.Length - 2;
        if (parameters.Count % 2 != 1 || parameters.Count < 1)
            throw new ArgumentException($"A middle has the first bias and whole layers; {parameters.Count} tensors given.");
        using var noGrad = torch.no_grad();
        var adopted = parameters.Select(t => new Parameter(t)).ToArray();
        var layers = adopted.Skip(1).Chunk(2).Select(pair => (pair[0], pair[1])).ToArray();
        return new ItemShardedMiddle(config, adopted[0], layers.Take(encoderRest), layers.Skip(encoderRest), adam, precision, null);
    }

    /// <summary>
    /// The middle of <paramref name="network"/> in place: parameters and moments are views of the network's and of
    /// <paramref name="optimizer"/>'s (built over that network), so updates land in them; only the step count is kept
    /// apart (<see cref="StepCount"/>). The network and optimizer must outlive this object.
    /// </summary>
    public static ItemShardedMiddle Over(AutoencoderNetwork network, AdamOptimizer optimizer)
    {
        var whole = network.OrderedParameters.Select(p => (Tensor)p.Tensor).ToArray();
        int n = whole.Length;
        Parameter View(Tensor t)
        {
            using var noGrad = torch.no_grad();
            return new Parameter(t.detach());
        }
        var middle = Enumerable.Range(1, n - 3).Select(i => View(whole[i])).ToArray();
        var layers = middle.Skip(1).Chunk(2).Select(pair => (pair[0], pair[1])).ToArray();
        int encoderRest = network.EncoderLayers.Count - 1;
        var state = new SharedAdamState(Enumerable.Range(1, n - 3).Select(i => optimizer.FirstMoments[i].detach()).ToArray(),
            Enumerable.Range(1, n - 3).Select(i => optimizer.SecondMoments[i].detach()).ToArray(), optimizer.StepCount);
        return new ItemShardedMiddle(network.Config, middle[0], layers.Take(encoderRest), layers.Skip(encoderRest), optimizer.Options,
            network.Precision, state);
    }

    /// <summary>
    /// Runs the middle on the shards' summed first-layer partials [B, H₁] (with <paramref name="noise"/> for the VAE),
    /// keeping the graph for <see cref="Backward"/>.
    /// </summary>
    public MiddlePass Forward(Tensor firstLayerSum, Tensor? noise)
    {
        var firstOutput = firstLayerSum.detach().requires_grad_(true);
        var (hidden, mean, logVariance) = MiddleLayers.Forward(firstOutput.Plus(FirstBias), _encoderAfterFirst, _decoderBeforeLast, Config, noise, Precision);
        var kl = mean is null ? null : AutoencoderObjective.KlDivergenceSum(mean, logVariance!);
        return new MiddlePass(firstOutput, hidden, kl);
    }

    /// <summary>
    /// Backpropagates the summed gradient of the output layer's input [B, H] and β/B times the KL sum through the
    /// middle (gradients left in <see cref="Parameters"/>' <c>.grad</c>); returns the first layer's output gradient [B, H₁].
    /// </summary>
    public Tensor Backward(MiddlePass pass, Tensor hiddenGradient, double beta, int users)
    {
        if (pass.Kl is null)
            torch.autograd.backward([pass.Hidden], [hiddenGradient]);
        else
            torch.autograd.backward([pass.Hidden, pass.Kl], [hiddenGradient, torch.ones([], device: pass.Kl.device).TimesInPlace(beta / users)]);
        return pass.FirstOutput.grad ?? throw new InvalidOperationException("The middle's backward pass gave no first-layer gradient.");
    }

    /// <summary>Weight decay on the weights' gradients and one Adam step; gradients cleared.</summary>
    public void Update()
    {
        using var scope = torch.NewDisposeScope();
        var parameters = Parameters.ToArray();
        using (torch.no_grad())
            if (Config.WeightDecay != 0)
                foreach (var (w, _) in _encoderAfterFirst.Concat(_decoderBeforeLast))
                    if (w.grad is { } g) GradientComputer.AddWeightDecay(g, w, Config.WeightDecay);
        _adam.Step(parameters.Select(p => p.grad ?? torch.zeros_like(p)).ToArray());
        foreach (var p in parameters) p.grad = null;
    }

    /// <summary>The output layer's input [B, H] from the summed first-layer partials, with z = μ (scoring: no noise, no gradients).</summary>
    public Tensor ScoringHidden(Tensor firstLayerSum)
    {
        using var noGrad = torch.no_grad();
        return MiddleLayers.Forward(firstLayerSum.Plus(FirstBias), _encoderAfterFirst, _decoderBeforeLast, Config, null, Precision).LastHidden;
    }

    /// <summary>Frees the Adam state and the parameters (views or copies).</summary>
    public void Dispose()
    {
        _adam.Dispose();
        foreach (var p in Parameters) p.Dispose();
    }
}

/// <summary>One forward pass of the middle: the first layer's output (a leaf whose gradient the shards need), the output layer's input, the KL sum (VAE).</summary>
public sealed record MiddlePass(Tensor FirstOutput, Tensor Hidden, Tensor? Kl);
