namespace VaeCfCluster.Grains.Abstractions.ParameterServer;

/// <summary>Which of a shard's vectors a state chunk belongs to.</summary>
public enum ShardStateKind
{
    /// <summary>The parameters.</summary>
    Parameters = 0,

    /// <summary>Adam's first moments.</summary>
    FirstMoment = 1,

    /// <summary>Adam's second moments.</summary>
    SecondMoment = 2,
}
