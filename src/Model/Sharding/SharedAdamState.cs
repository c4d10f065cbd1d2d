using static TorchSharp.torch;

namespace VaeCfCluster.Model.Sharding;

/// <summary>Adam moments (views over state kept elsewhere) and the step count, for an optimizer that updates part of a model in place.</summary>
public sealed record SharedAdamState(IReadOnlyList<Tensor> FirstMoments, IReadOnlyList<Tensor> SecondMoments, long StepCount);
