using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace VaeCfCluster.Model.Baselines;

/// <summary>
/// The weights of a CDAE: encoder W₁ [I, H] (stored input-major, so <c>x W₁</c>), bias b₁ [H], decoder W₂ [H, I],
/// bias b₂ [I] and user embeddings V [U, H]. Weights start Xavier-uniform (Glorot and Bengio 2010), biases at 0 and
/// embeddings from N(0, 0.01²), all from one seeded generator.
/// </summary>
internal sealed class CdaeParameters : IDisposable
{
    private CdaeParameters(Parameter encoder, Parameter encoderBias, Parameter decoder,
        Parameter decoderBias, Parameter users)
    {
        Encoder = encoder;
        EncoderBias = encoderBias;
        Decoder = decoder;
        DecoderBias = decoderBias;
        Users = users;
    }

    internal Parameter Encoder { get; }
    internal Parameter EncoderBias { get; }
    internal Parameter Decoder { get; }
    internal Parameter DecoderBias { get; }
    internal Parameter Users { get; }

    internal IEnumerable<Parameter> All => new[] { Encoder, EncoderBias, Decoder, DecoderBias, Users };

    internal static CdaeParameters Create(int users, int items, int hidden, Generator generator)
    {
        using var scope = NewDisposeScope();
        double bound = Math.Sqrt(6.0 / (items + hidden));
        var encoder = rand(new long[] { items, hidden }, generator: generator).TimesInPlace(2 * bound).ShiftInPlace(-bound);
        var decoder = rand(new long[] { hidden, items }, generator: generator).TimesInPlace(2 * bound).ShiftInPlace(-bound);
        var embeddings = randn(new long[] { users, hidden }, generator: generator).TimesInPlace(0.01);
        var result = new CdaeParameters(Keep(encoder), Keep(zeros(hidden)), Keep(decoder), Keep(zeros(items)), Keep(embeddings));
        return result;
    }

    /// <summary>
    /// <c>tanh(tanh(x W₁ + V_B + b₁) W₂ + b₂)</c> for a dense batch x [B, I]; <paramref name="userEmbeddings"/> [B, H]
    /// or null for zero embeddings (held-out users).
    /// </summary>
    internal Tensor Forward(Tensor clicks, Tensor? userEmbeddings)
    {
        var preActivation = clicks.matmul(Encoder).AddInPlace(EncoderBias);
        if (userEmbeddings is not null) preActivation = preActivation.Plus(userEmbeddings);
        return preActivation.tanh().matmul(Decoder).AddInPlace(DecoderBias).tanh();
    }

    public void Dispose()
    {
        foreach (var parameter in All) parameter.Dispose();
    }

    private static Parameter Keep(Tensor value)
    {
        var parameter = new Parameter(DetachedTensor.Copy(value), requires_grad: true);
        parameter.DetachFromDisposeScope();
        return parameter;
    }
}
