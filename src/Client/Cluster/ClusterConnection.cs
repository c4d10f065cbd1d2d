using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Hosting;
using VaeCfCluster.Grains.Hosting;

namespace VaeCfCluster.Client.Cluster;

/// <summary>
/// An Orleans client connected to a running VaeCfCluster cluster: a small generic host with
/// <c>UseOrleansClient</c>, Redis or static-gateway clustering from a <see cref="ClusterAddress"/>, and no logging
/// output. Dispose it to close the connection.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    /// <summary>How long <see cref="ConnectAsync(ClusterAddress, string, string, CancellationToken)"/> waits for a gateway.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly IHost _host;

    private ClusterConnection(ClusterAddress address, IHost host)
    {
        Address = address;
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The address this connection was made to.</summary>
    public ClusterAddress Address { get; }

    /// <summary>The connected client.</summary>
    public IClusterClient Client { get; }

    /// <summary>Grain references through <see cref="Client"/>.</summary>
    public IGrainFactory GrainFactory => Client;

    /// <summary>Connects within <see cref="DefaultConnectTimeout"/>; see the overload with a timeout.</summary>
    public static Task<ClusterConnection> ConnectAsync(ClusterAddress address, string clusterId, string serviceId, CancellationToken cancellationToken) =>
        ConnectAsync(address, clusterId, serviceId, DefaultConnectTimeout, cancellationToken);

    /// <summary>
    /// Connects to the cluster <paramref name="clusterId"/>/<paramref name="serviceId"/> (the silos'
    /// <c>Silo:ClusterId</c> and <c>Silo:ServiceId</c>, "vaecf" by default) at <paramref name="address"/>, retrying
    /// every half second until <paramref name="connectTimeout"/>. Throws <see cref="ClusterUnavailableException"/>
    /// ("--cluster 127.0.0.1:30000: no gateway answered within 15 s") when nothing answers in time, and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public static Task<ClusterConnection> ConnectAsync(ClusterAddress address, string clusterId, string serviceId,
        TimeSpan connectTimeout, CancellationToken cancellationToken) =>
        ConnectAsync(address, clusterId, serviceId, tls: null, connectTimeout, cancellationToken);

    /// <summary>
    /// Connects as <see cref="ConnectAsync(ClusterAddress, string, string, TimeSpan, CancellationToken)"/> does, over
    /// mutual TLS when <paramref name="tls"/> is given: the client presents its certificate and accepts only gateways
    /// whose certificate chains to its CA. A refused handshake fails at once with
    /// <see cref="ClusterUnavailableException"/> saying which side refused which certificate.
    /// </summary>
    public static async Task<ClusterConnection> ConnectAsync(ClusterAddress address, string clusterId, string serviceId,
        TlsCredentials? tls, TimeSpan connectTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(connectTimeout, TimeSpan.Zero);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(connectTimeout);
        var gateways = address.IsRedis ? [] : await address.ResolveGatewaysAsync(deadline.Token);
        var retry = new DeadlineRetryFilter(RetryDelay, tls);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseOrleansClient(client =>
        {
            if (address.IsRedis) client.UseRedisClustering(address.RedisConnectionString!);
            else client.UseStaticClustering(gateways);
            client.Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = serviceId; });
            client.UseConnectionRetryFilter(retry);
            if (tls is not null)
                client.UseTls(tls.Certificate, o =>
                {
                    o.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
                    o.RemoteCertificateValidation = tls.ValidatePeer;
                });
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(deadline.Token);
            return new ClusterConnection(address, host);
        }
        catch (Exception e)
        {
            await StopQuietlyAsync(host);
            if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException("Connecting to the cluster was cancelled.", e, cancellationToken);
            var cause = retry.LastError ?? e;
            if (TlsRefusal.Describe(tls, cause, retry.Closes) is { } refusal)
                throw new ClusterUnavailableException($"{ClusterAddress.OptionName} {address}: {refusal}", cause);
            var seconds = connectTimeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
            // Redis answered but lists no gateway for these ids: most often --cluster-id or --service-id differs from the silos'.
            string idHint = address.IsRedis && cause.Message.Contains("Could not find any gateway", StringComparison.Ordinal)
                ? $"; Redis lists no silo of cluster '{clusterId}' (service '{serviceId}'): check --cluster-id and --service-id against the silos' Silo:ClusterId and Silo:ServiceId"
                : "";
            throw new ClusterUnavailableException(
                $"{ClusterAddress.OptionName} {address}: no gateway answered within {seconds} s (last error: {FirstSentence(cause.Message)}){TlsRefusal.Hint(tls, retry.Closes)}{idHint}.", cause);
        }
    }

    /// <summary>Closes the connection (waits up to 5 s for a clean close).</summary>
    public async ValueTask DisposeAsync() => await StopQuietlyAsync(_host);

    private static async Task StopQuietlyAsync(IHost host)
    {
        try
        {
            using var stop = new CancellationTokenSource(StopTimeout);
            await host.StopAsync(stop.Token);
        }
        catch (Exception)
        {
            // Closing a connection that never opened, or to a cluster that is gone, has nothing left to report.
        }
        finally
        {
            if (host is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else host.Dispose();
        }
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).TrimEnd('.');
    }

    /// <summary>Retries every failed connection attempt after a short delay until the connect deadline cancels it.</summary>
    private sealed class DeadlineRetryFilter(TimeSpan delay, TlsCredentials? tls) : IClientConnectionRetryFilter
    {
        public Exception? LastError { get; private set; }

        /// <summary>Failed attempts where the gateway accepted the connection and then closed it.</summary>
        public int Closes { get; private set; }

        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            LastError = exception;
            if (TlsRefusal.IsClosedByGateway(exception)) Closes++;
            // A refused certificate stays refused: report it now rather than at the deadline.
            if (TlsRefusal.Describe(tls, exception, Closes) is not null) return false;
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            return !cancellationToken.IsCancellationRequested;
        }
    }
}
