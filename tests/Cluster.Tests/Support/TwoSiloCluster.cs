using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using VaeCfCluster.Grains.Hosting;

namespace VaeCfCluster.Cluster.Tests.Support;

/// <summary>
/// An in-process cluster of two silos for the job queue tests: two jobs at once (<see cref="MaxConcurrent"/>) and a
/// small memory budget (<see cref="MemoryBudgetBytes"/>), with its own storage folder (and so its own queue).
/// </summary>
public sealed class TwoSiloCluster : IAsyncLifetime
{
    public const int MaxConcurrent = 2;

    public const long MemoryBudgetBytes = 64_000_000;

    /// <summary>Jobs:SlotLeaseSeconds, the default: long enough that no stall on a busy machine gives a slot away.</summary>
    public const double SlotLeaseSeconds = 30;

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
                // No test here lets a lease run out (a slot is freed by release; lease expiry is tested with silo processes in
                // tests/Silo.Tests/JobQueueFailoverTests). A short one would: a 5 s lease, renewed every 1.7 s, runs out
                // when a silo stalls 3.3 s on a busy machine, and its slot goes to the next job, upsetting the asserted order.
                o.SlotLeaseSeconds = SlotLeaseSeconds;
            });
        }
    }
}
