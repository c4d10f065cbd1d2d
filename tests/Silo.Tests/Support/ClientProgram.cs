using System.Runtime.CompilerServices;
using VaeCfCluster.Client.Tests;

namespace VaeCfCluster.Silo.Tests.Support;

/// <summary>
/// Points the linked <see cref="VaecfProcess"/> at the client's own build output: this folder is a web app's (the
/// silo's), whose shared-framework assemblies are not copied beside it, so <c>vaecf</c> cannot run from here.
/// </summary>
internal static class ClientProgram
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        // tests/Silo.Tests/bin/<Configuration>/<tfm>/ → src/Client/bin/<Configuration>/<tfm>/vaecf.dll
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = output.Name, configuration = output.Parent!.Name;
        var root = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        VaecfProcess.ProgramPath = Path.Combine(root, "src", "Client", "bin", configuration, framework, "vaecf.dll");
    }
}
