using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Networks;

/// <summary>
/// The part of the network between its two item-sized layers: from the first layer's output (x·W₁ + b₁, [B, H₁]) to
/// the input of the output layer ([B, H_last]), through the tanh hidden layers, (μ, log σ²) and z = μ + ε ⊙ σ for the
/// VAE or the DAE's code (tanh, or linear when so configured). One code path for the whole network (<see cref="AutoencoderNetwork"/>) and for the
/// item-sharded model, whose shards hold only the item-sized layers.
/// </summary>
public static class MiddleLayers
{
    /// <summary>
    /// Runs the middle: <paramref name="encoderAfterFirst"/> are the encoder's layers after its first,
    /// <paramref name="decoderBeforeLast"/> the decoder's layers before its last. Returns the output layer's input and,
    /// for the VAE, μ and log σ² [B, K].
    /// </summary>
    public static (Tensor LastHidden, Tensor? Mean, Tensor? LogVariance) Forward(Tensor firstLayerOutput,
        IReadOnlyList<(Parameter Weight, Parameter Bias)> encoderAfterFirst, IReadOnlyList<(Parameter Weight, Parameter Bias)> decoderBeforeLast,
        AutoencoderConfig config, Tensor? noise, MatmulPrecision precision)
    {
        var h = firstLayerOutput;
        foreach (var layer in encoderAfterFirst) h = Dense(h.tanh(), layer, precision);
        Tensor? mean = null, logVariance = null;
        Tensor z;
        if (config.Kind == ModelKind.Vae)
        {
            int k = config.LatentDim;
            mean = h.narrow(1, 0, k);
            logVariance = h.narrow(1, k, k);
            z = noise is null ? mean : mean.addcmul(noise, logVariance.Times(0.5).exp(), SafeTensorMath.One);
        }
        else
        {
            z = config.CodeActivation == CodeActivation.Linear ? h : h.tanh();
        }
        var output = z;
        for (int l = 0; l < decoderBeforeLast.Count; l++) output = Dense(l > 0 ? output.tanh() : output, decoderBeforeLast[l], precision);
        return (decoderBeforeLast.Count > 0 ? output.tanh() : z, mean, logVariance);
    }

    /// <summary>x·W + b at <paramref name="precision"/>; the result is float32.</summary>
    public static Tensor Dense(Tensor x, (Parameter Weight, Parameter Bias) layer, MatmulPrecision precision) => Dense(x, layer.Weight, layer.Bias, precision);

    /// <summary>x·W + b at <paramref name="precision"/> (bf16: inputs cast to bfloat16, result back to float32).</summary>
    public static Tensor Dense(Tensor x, Tensor weight, Tensor bias, MatmulPrecision precision)
    {
        if (precision != MatmulPrecision.Bf16) return torch.addmm(bias, x, weight, 1, 1);
        return torch.addmm(bias.to(ScalarType.BFloat16), x.to(ScalarType.BFloat16), weight.to(ScalarType.BFloat16), 1, 1)
            .to(ScalarType.Float32);
    }
}
