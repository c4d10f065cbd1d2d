using TorchSharp;
using TorchSharp.Modules;
using VaeCfCluster.Model.Networks;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.RecVae;

/// <summary>
/// RecVAE's encoder q(z | x): the L2-normalised (and, in training, dropped-out) click vector through
/// <see cref="RecVaeOptions.EncoderLayers"/> densely connected layers h_l = LN_l(swish(h_{l−1}·W_l + b_l + Σ_{j&lt;l} h_j))
/// (the first without the sum), then one layer to (μ, log σ²). The <see cref="RecVaeEncoderKind.MultVae"/> variant is
/// Mult-VAE's one tanh layer. Weights are [in, out]; the first layer's rows are items and it is computed from the
/// clicks only (an embedding bag over the first weight). Weights and biases start as PyTorch's nn.Linear does,
/// U(−1/√in, 1/√in); layer norms start at gain 1 and shift 0. The dense products run at <see cref="RecVaeOptions.Precision"/>.
/// </summary>
public sealed class RecVaeEncoder : IDisposable
{
    private readonly List<(Parameter Weight, Parameter Bias)> _layers = [];
    private readonly List<(Parameter Gain, Parameter Shift)> _norms = [];
    private readonly (Parameter Weight, Parameter Bias) _output;
    private readonly EmbeddingBag _inputLayer;
    private readonly RecVaeOptions _options;

    /// <summary>
    /// Creates an encoder for <paramref name="itemCount"/> items with weights drawn from <paramref name="generator"/> (on the
    /// CPU, so every device starts from the same numbers) and kept on <paramref name="device"/> (the CPU by default).
    /// </summary>
    public RecVaeEncoder(int itemCount, RecVaeOptions options, Generator generator, Device? device = null)
    {
        _options = options;
        int hidden = options.Hidden;
        int layers = options.Encoder == RecVaeEncoderKind.Dense ? options.EncoderLayers : 1;
        for (int l = 0; l < layers; l++)
        {
            _layers.Add(Linear(l == 0 ? itemCount : hidden, hidden, generator, device));
            if (options.Encoder == RecVaeEncoderKind.Dense)
                _norms.Add((new Parameter(ones(hidden, device: device)), new Parameter(zeros(hidden, device: device))));
        }
        _output = Linear(hidden, 2 * options.Latent, generator, device);
        // Its own weight is replaced by the first layer's at once: a one-row placeholder, not a second [I, H] matrix.
        _inputLayer = nn.EmbeddingBag(1, hidden, mode: EmbeddingBagMode.Sum);
        _inputLayer.weight = _layers[0].Weight;
    }

    /// <summary>Every trained tensor, in a fixed order.</summary>
    public IReadOnlyList<Parameter> Parameters =>
        _layers.SelectMany(l => new[] { l.Weight, l.Bias }).Concat(_norms.SelectMany(n => new[] { n.Gain, n.Shift }))
            .Concat([_output.Weight, _output.Bias]).ToList();

    /// <summary>(μ, log σ²) [B, K] of the batch's (already normalised and dropped-out) input.</summary>
    public (Tensor Mean, Tensor LogVariance) Forward(SparseBatch input) =>
        FromFirstLayerSum(_inputLayer.forward(input.InputItems, input.InputOffsets, input.InputWeights));

    /// <summary>
    /// (μ, log σ²) [B, K] from the first layer's weighted row sum [B, H] (without its bias): the rest of <see cref="Forward"/>,
    /// for callers that form that sum themselves, one item range at a time.
    /// </summary>
    public (Tensor Mean, Tensor LogVariance) FromFirstLayerSum(Tensor itemSum)
    {
        // CUDA's TensorFloat-32 switch is process-wide: set for this network's products (and the decoder's after them).
        if (_layers[0].Weight.device.type == DeviceType.CUDA) backends.cuda.matmul.allow_tf32 = _options.Precision == MatmulPrecision.Tf32;
        var first = itemSum.Plus(_layers[0].Bias);
        Tensor h;
        if (_options.Encoder == RecVaeEncoderKind.MultVae)
        {
            h = first.tanh();
        }
        else
        {
            h = Normalize(Swish(first), 0);
            var sum = h;
            for (int l = 1; l < _layers.Count; l++)
            {
                h = Normalize(Swish(MiddleLayers.Dense(h, _layers[l], _options.Precision).Plus(sum)), l);
                sum = sum.Plus(h);
            }
        }
        var output = MiddleLayers.Dense(h, _output, _options.Precision);
        int k = _options.Latent;
        return (output.narrow(1, 0, k), output.narrow(1, k, k));
    }

    /// <summary>Copies <paramref name="other"/>'s weights into this encoder (same architecture).</summary>
    public void CopyFrom(RecVaeEncoder other)
    {
        using var noGrad = no_grad();
        var mine = Parameters;
        var theirs = other.Parameters;
        for (int i = 0; i < mine.Count; i++) mine[i].copy_(theirs[i]);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _inputLayer.Dispose();
        foreach (var p in Parameters) p.Dispose();
    }

    private static Tensor Swish(Tensor x) => x.mul(x.sigmoid());

    private Tensor Normalize(Tensor x, int layer) =>
        nn.functional.layer_norm(x, [x.shape[1]], _norms[layer].Gain, _norms[layer].Shift, _options.LayerNormEpsilon);

    internal static (Parameter Weight, Parameter Bias) Linear(int inDim, int outDim, Generator generator, Device? device = null)
    {
        double limit = 1 / Math.Sqrt(inDim);
        using var scope = NewDisposeScope();
        var weight = new Parameter(rand([inDim, outDim], generator: generator).TimesInPlace(2 * limit).ShiftInPlace(-limit).to(device ?? CPU));
        var bias = new Parameter(rand([outDim], generator: generator).TimesInPlace(2 * limit).ShiftInPlace(-limit).to(device ?? CPU));
        scope.Detach(weight, bias);
        return (weight, bias);
    }
}
