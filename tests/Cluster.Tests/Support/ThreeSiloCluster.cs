using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using VaeCfCluster.Grains.Hosting;

namespace VaeCfCluster.Cluster.Tests.Support;

/// <summary>
/// An in-process Orleans cluster of three silos running VaeCfCluster's grains, shared by the cluster tests
/// (one per test run), with job storage in a temporary folder.
/// </summary>
public sealed class ThreeSiloCluster : IAsyncLifetime
{
    /// <summary>
    /// Job folders of this test run: a new folder (not one named by the process id, which repeats in a fresh container
    /// and would hand this run a killed earlier run's jobs).
    /// </summary>
    public static string StorageDirectory { get; } = Directory.CreateTempSubdirectory("vaecf-cluster-tests-").FullName;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        if (Directory.Exists(StorageDirectory)) Directory.Delete(StorageDirectory, recursive: true);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddVaeCfGrains();
            siloBuilder.Services.Configure<JobStorageOptions>(o => o.Directory = StorageDirectory);
            siloBuilder.Services.Configure<TorchRuntimeOptions>(o => o.Threads = 1);
        }
    }
}
