using System.Net;
using VaeCfCluster.Grains.Hosting;
using VaeCfCluster.Silo;
using VaeCfCluster.Silo.Diagnostics;
using VaeCfCluster.Silo.Health;
using VaeCfCluster.Silo.Hosting;

// vaecf-silo: one Orleans silo with VaeCfCluster's grains and its health probes. Settings come from appsettings.json
// (next to this program), then the environment (Silo__Clustering=Redis), then the command line (--Silo:SiloPort=11112).
if (args.Any(a => a is "--help" or "-h" or "-?"))
{
    Console.Out.Write(SiloHelp.Text);
    return 0;
}
if (args.Contains("--version"))
{
    Console.Out.WriteLine(SiloHelp.Version);
    return 0;
}
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (StartupSettings.FindProblem(builder.Configuration, out var silo, out var tls) is { } problem)
{
    Console.Error.WriteLine($"error: {problem}");
    return StartupSettings.BadSettingsExitCode;
}

builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(silo.ListensOnLoopbackOnly ? IPAddress.Loopback : IPAddress.Any, silo.HttpPort));
builder.UseOrleans(orleans =>
{
    orleans.UseVaeCfClustering(silo).AddVaeCfGrains(builder.Configuration);
    if (tls is not null) orleans.UseVaeCfTls(tls);
});
builder.Services.AddVaeCfHealth();
builder.Services.AddVaeCfMetrics();

var app = builder.Build();
if (tls is not null)
{
    var tlsLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("VaeCfCluster.Silo.Tls");
    tls.Rejected = reason => Log.PeerRefused(tlsLog, reason);
    Log.TlsEnabled(tlsLog, tls.Certificate.Subject, tls.Certificate.NotAfter.ToUniversalTime(), tls.CaPath);
}
app.MapVaeCfHealth();
app.MapVaeCfMetrics();
return await SiloRunner.RunAsync(app);
