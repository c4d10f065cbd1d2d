using System.Reflection;
using Orleans.Runtime;
using VaeCfCluster.Grains.Abstractions.Access;

namespace VaeCfCluster.Grains.Access;

/// <summary>
/// Refuses calls from clients outside the cluster to grain interfaces not marked <see cref="ClientFacingAttribute"/>.
/// Calls from grains, from silo services and from a silo's own hosted client (the in-process cluster's) pass, as do
/// calls to Orleans' own interfaces. This guards against a client reaching internal grains by mistake or by a stray
/// tool; it does not authenticate clients, which is the network's job (only trusted hosts reach the gateway port).
/// </summary>
internal sealed class InternalGrainCallFilter : IIncomingGrainCallFilter
{
    /// <summary>Prefix of the key of a client hosted inside a silo process (Orleans' <c>hosted-{silo}</c> client id).</summary>
    private const string HostedClientKeyPrefix = "hosted-";

    /// <summary>The interfaces clients may call, from <see cref="ClientFacingAttribute"/>, as named in the refusal.</summary>
    public static IReadOnlyList<Type> ClientFacingInterfaces { get; } = typeof(ClientFacingAttribute).Assembly.GetExportedTypes()
        .Where(t => t.IsInterface && t.GetCustomAttribute<ClientFacingAttribute>() is not null)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    /// <inheritdoc />
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (IsFromExternalClient(context.SourceId) && IsInternal(context.Request.GetInterfaceType()))
            throw new UnauthorizedAccessException(RefusalMessage(context.Request.GetInterfaceType()));
        return context.Invoke();
    }

    /// <summary>The message a client sees when it calls <paramref name="interfaceType"/>.</summary>
    public static string RefusalMessage(Type interfaceType) =>
        $"{interfaceType.Name} is internal to the cluster; clients use {string.Join(", ", ClientFacingInterfaces.Select(t => t.Name))}.";

    /// <summary>Whether <paramref name="interfaceType"/> is one of this application's grain interfaces that clients may not call.</summary>
    public static bool IsInternal(Type interfaceType) =>
        interfaceType.Assembly.GetName().Name?.StartsWith("VaeCfCluster.", StringComparison.Ordinal) == true
        && interfaceType.GetCustomAttribute<ClientFacingAttribute>() is null;

    private static bool IsFromExternalClient(GrainId? source) =>
        source is { } id && GrainTypePrefix.IsClient(id)
        && !id.Key.ToString().StartsWith(HostedClientKeyPrefix, StringComparison.Ordinal);
}
