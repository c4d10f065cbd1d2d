namespace VaeCfCluster.Cluster.Tests.Support;

/// <summary>Tests that share the two-silo cluster with a job limit (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class TwoSiloCollection : ICollectionFixture<TwoSiloCluster>
{
    public const string Name = "two-silo cluster";
}
