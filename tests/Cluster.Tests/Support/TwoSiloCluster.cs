using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using VaeCfCluster.Grains.Hosting;

namespace VaeCfCluster.Cluster.Tests.Support;

/// <summary>
/// An in-process cluster of two silos for the job queue tests: two jobs at once (<see cref="MaxConcurrent"/>), short
/// slot leases and a small memory budget (<see cref="MemoryBudgetBytes"/>), with its own storage folder (and so its
/// own queue).
/// </summary>
public sealed class TwoSiloCluster : IAsyncLifetime
{
    public const int MaxConcurrent = 2;

    public const long MemoryBudgetBytes = 64_000_000;

    /// <summary>
    /// Job folders (and the queue) of this cluster: a new folder (not one named by the process id, which repeats in a
    /// fresh container and would hand this run a killed earlier run's queue.json and jobs).
    /// </summary>
    public static string StorageDirectory { get; } = Directory.CreateTempSubdirectory("vaecf-queue-tests-").FullName;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
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
            siloBuilder.Services.Configure<JobQueueOptions>(o =>
            {
                o.MaxConcurrent = MaxConcurrent;
                o.MemoryBudgetBytes = MemoryBudgetBytes;
                o.SlotLeaseSeconds = 5;
            });
        }
    }
}
