using System.Runtime.CompilerServices;

namespace VaeCfCluster.Model.Tests.Support;

/// <summary>Applies the Model's LibTorch process settings before any test touches LibTorch directly.</summary>
internal static class TestModuleSetup
{
    [ModuleInitializer]
    internal static void Initialize() => TorchRuntime.EnsurePassiveWaiting();
}
