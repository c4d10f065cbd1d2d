namespace VaeCfCluster.Model.Training;

/// <summary>Which held-out users to score.</summary>
public enum HeldOutSet
{
    /// <summary>Validation users: choose the epoch (and automatic β).</summary>
    Validation = 0,

    /// <summary>Test users: the final report.</summary>
    Test = 1,
}
