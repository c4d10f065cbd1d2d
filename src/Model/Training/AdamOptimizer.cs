using TorchSharp;
using static TorchSharp.torch;

namespace VaeCfCluster.Model.Training;

/// <summary>
/// Adam over an explicit list of tensors, with its state (first and second moments, step count) exposed so that
/// checkpoints resume bit for bit and a parameter server can own the state of its shard. The update is PyTorch's:
/// m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²; p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε), where lr is
/// <see cref="AdamOptions.LearningRateAt"/> of t (constant unless a cosine decay is set).
/// On the CPU the update runs as one fused vectorised pass (<see cref="FusedAdamKernel"/>); elsewhere as tensor ops.
/// </summary>
public sealed class AdamOptimizer : IDisposable
{
    private readonly IReadOnlyList<Tensor> _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;

    /// <summary>Creates zero moments for each parameter.</summary>
    public AdamOptimizer(IReadOnlyList<Tensor> parameters, AdamOptions options)
    {
        options.Validate();
        Options = options;
        _parameters = parameters;
        _firstMoments = parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope()).ToArray();
        _secondMoments = parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>
    /// Adopts existing moments (for example views of another optimizer's moments over the same storage) and step count,
    /// so several optimizers can each update their part of one model's state without copies.
    /// </summary>
    public AdamOptimizer(IReadOnlyList<Tensor> parameters, AdamOptions options, IReadOnlyList<Tensor> firstMoments,
        IReadOnlyList<Tensor> secondMoments, long stepCount)
    {
        options.Validate();
        if (firstMoments.Count != parameters.Count || secondMoments.Count != parameters.Count)
            throw new ArgumentException("One first and one second moment per parameter are required.");
        Options = options;
        _parameters = parameters;
        _firstMoments = firstMoments.ToArray();
        _secondMoments = secondMoments.ToArray();
        StepCount = stepCount;
    }

    /// <summary>The hyperparameters.</summary>
    public AdamOptions Options { get; }

    /// <summary>Number of updates applied so far (t).</summary>
    public long StepCount { get; private set; }

    /// <summary>First-moment estimates, one per parameter.</summary>
    public IReadOnlyList<Tensor> FirstMoments => _firstMoments;

    /// <summary>Second-moment estimates, one per parameter.</summary>
    public IReadOnlyList<Tensor> SecondMoments => _secondMoments;

    /// <summary>Applies one update from the given gradients (one per parameter, same shapes).</summary>
    public void Step(IReadOnlyList<Tensor> gradients)
    {
        if (gradients.Count != _parameters.Count) throw new ArgumentException("One gradient per parameter is required.");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        StepCount++;
        double b1 = Options.Beta1, b2 = Options.Beta2;
        double stepSize = Options.LearningRateAt(StepCount) / (1 - Math.Pow(b1, StepCount));
        double rootCorrection = Math.Sqrt(1 - Math.Pow(b2, StepCount));
        for (int i = 0; i < _parameters.Count; i++)
        {
            var g = gradients[i];
            if (FusedAdamKernel.Supports(_parameters[i], g, _firstMoments[i], _secondMoments[i]))
            {
                FusedAdamKernel.Step(_parameters[i], g, _firstMoments[i], _secondMoments[i], (float)b1, (float)b2,
                    (float)stepSize, (float)rootCorrection, (float)Options.Epsilon);
                continue;
            }
            _firstMoments[i].TimesInPlace(b1).AddScaledInPlace(g, 1 - b1);
            using var secondWeight = (1 - b2).ToScalar();
            _secondMoments[i].TimesInPlace(b2).addcmul_(g, g, secondWeight);
            var denominator = _secondMoments[i].sqrt().TimesInPlace(1 / rootCorrection).ShiftInPlace(Options.Epsilon);
            using var negativeStep = (-stepSize).ToScalar();
            _parameters[i].addcdiv_(_firstMoments[i], denominator, negativeStep);
        }
    }

    /// <summary>Sets the step count t alone (the moments were written in place).</summary>
    public void SetStepCount(long stepCount) => StepCount = stepCount;

    /// <summary>Replaces the state with a checkpoint's (moments are copied into the existing tensors).</summary>
    public void Restore(long stepCount, IReadOnlyList<Tensor> firstMoments, IReadOnlyList<Tensor> secondMoments)
    {
        using var noGrad = torch.no_grad();
        for (int i = 0; i < _parameters.Count; i++)
        {
            _firstMoments[i].copy_(firstMoments[i]);
            _secondMoments[i].copy_(secondMoments[i]);
        }
        StepCount = stepCount;
    }

    /// <summary>Frees the moment tensors.</summary>
    public void Dispose()
    {
        foreach (var t in _firstMoments) t.Dispose();
        foreach (var t in _secondMoments) t.Dispose();
    }
}
