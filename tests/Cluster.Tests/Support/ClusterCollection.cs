namespace VaeCfCluster.Cluster.Tests.Support;

/// <summary>Tests that share the three-silo cluster (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ThreeSiloCluster>
{
    public const string Name = "three-silo cluster";
}
