using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using VaeCfCluster.Grains.Hosting;

namespace VaeCfCluster.Client.Cluster;

/// <summary>
/// One silo hosted in this process, for running cluster jobs without a cluster: localhost clustering on a free
/// loopback port, no gateway (nothing outside this process can connect), VaeCfCluster's grains with their job folders
/// under <see cref="StorageDirectory"/>, which it locks while it runs (<see cref="StorageLock"/>). Grains are reached
/// through <see cref="Client"/>, the silo's own client. Dispose it to stop the silo (running grains are deactivated).
/// A job that a killed command left unfinished is not resumed on its own: the next command starts it again.
/// </summary>
public sealed class InProcessCluster : IAsyncDisposable
{
    /// <summary>Cluster and service id of the in-process silo.</summary>
    public const string Id = "vaecf-local";

    private const int StartAttempts = 3;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly IHost _host;
    private readonly StorageLock _lock;

    private InProcessCluster(IHost host, string storageDirectory, StorageLock storageLock)
    {
        _host = host;
        _lock = storageLock;
        StorageDirectory = storageDirectory;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The silo's client: grain calls from this process.</summary>
    public IClusterClient Client { get; }

    /// <summary>Grain references through <see cref="Client"/>.</summary>
    public IGrainFactory GrainFactory => Client;

    /// <summary>The silo's services (options, <c>TorchRuntime</c>, ...).</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Absolute path of the job folders (the silo's <c>Storage:Directory</c>).</summary>
    public string StorageDirectory { get; }

    /// <summary>
    /// Starts the silo. <paramref name="storageDirectory"/> becomes <c>Storage:Directory</c> (created if missing);
    /// <paramref name="threads"/> becomes <c>Torch:Threads</c> (0 keeps LibTorch's choice, one per core). A silo port
    /// that another process takes between choosing and binding it is retried with another free port.
    /// </summary>
    public static Task<InProcessCluster> StartAsync(string storageDirectory, int threads, CancellationToken cancellationToken) =>
        StartAsync(storageDirectory, threads, "cpu", cancellationToken);

    /// <summary>Starts the silo as above, its workers and evaluators computing on <paramref name="device"/> (<c>Torch:Device</c>).</summary>
    public static async Task<InProcessCluster> StartAsync(string storageDirectory, int threads, string device, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storageDirectory);
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be 0 (LibTorch's choice) or positive.");
        var directory = Path.GetFullPath(storageDirectory);
        var storageLock = StorageLock.Acquire(directory);
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                var host = Build(directory, threads, device, FreeLoopbackPort());
                try
                {
                    await host.StartAsync(cancellationToken);
                    return new InProcessCluster(host, directory, storageLock);
                }
                catch (Exception e) when (attempt < StartAttempts && IsAddressInUse(e) && !cancellationToken.IsCancellationRequested)
                {
                    host.Dispose();
                }
                catch
                {
                    host.Dispose();
                    throw;
                }
            }
        }
        catch
        {
            storageLock.Dispose();
            throw;
        }
    }

    /// <summary>Stops the silo (waits up to 30 s for grains to deactivate) and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var stop = new CancellationTokenSource(StopTimeout);
            await _host.StopAsync(stop.Token);
        }
        finally
        {
            if (_host is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else _host.Dispose();
            _lock.Dispose();
        }
    }

    private static IHost Build(string storageDirectory, int threads, string device, int siloPort)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{JobStorageOptions.SectionName}:{nameof(JobStorageOptions.Directory)}"] = storageDirectory,
            [$"{TorchRuntimeOptions.SectionName}:{nameof(TorchRuntimeOptions.Threads)}"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"{TorchRuntimeOptions.SectionName}:{nameof(TorchRuntimeOptions.Device)}"] = device,
            // A job left unfinished by a command that was killed waits for the next command, which decides what to run.
            [$"{JobQueueOptions.SectionName}:{nameof(JobQueueOptions.ResumeOnActivation)}"] = "false",
        });
        // The silo's own log goes to silo.log beside the job folders: VaeCfCluster's messages from Information up,
        // Orleans's and the framework's from Warning up.
        builder.Logging.AddProvider(new FileLoggerProvider(Path.Combine(storageDirectory, "silo.log")));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("VaeCfCluster", LogLevel.Information);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: siloPort, gatewayPort: 0, serviceId: Id, clusterId: Id)
            .AddVaeCfGrains(builder.Configuration));
        return builder.Build();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsAddressInUse(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }) return true;
        return e is AggregateException a && a.InnerExceptions.Any(IsAddressInUse);
    }
}
