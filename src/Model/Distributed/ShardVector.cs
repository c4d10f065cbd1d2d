namespace VaeCfCluster.Model.Distributed;

/// <summary>Which of a parameter shard's vectors: the parameters or one of Adam's moments.</summary>
public enum ShardVector
{
    /// <summary>The parameters.</summary>
    Parameters = 0,

    /// <summary>Adam's first moments m.</summary>
    FirstMoment = 1,

    /// <summary>Adam's second moments v.</summary>
    SecondMoment = 2,
}
