using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VaeCfCluster.Model;

/// <summary>
/// Process-wide LibTorch settings that must be in place before LibTorch loads. LibTorch's OpenMP runtime (libgomp)
/// spins idle threads by default; when several processes or thread pools share the cores (several silos on one
/// machine, a test run beside a build) the spinning starves real work, measured here at 3-10x slower steps. The
/// Model assembly therefore asks for passive waiting (<c>OMP_WAIT_POLICY=PASSIVE</c>) when it loads, unless the
/// variable is already set, so users who want spinning can still choose it.
/// </summary>
public static partial class TorchRuntime
{
    /// <summary>The OpenMP variable this class sets.</summary>
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>Runs when the Model assembly loads, before any LibTorch call made through it.</summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Must run before LibTorch is loaded.")]
    internal static void Initialize() => EnsurePassiveWaiting();

    /// <summary>Sets OMP_WAIT_POLICY=PASSIVE in the native environment if it is unset. Safe to call repeatedly.</summary>
    public static void EnsurePassiveWaiting()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        if (Environment.GetEnvironmentVariable(WaitPolicyVariable) is not null) return;
        // Environment.SetEnvironmentVariable changes only .NET's copy; OpenMP reads the C runtime's environment.
        _ = NativeEnvironment.setenv(WaitPolicyVariable, "PASSIVE", 0);
        Environment.SetEnvironmentVariable(WaitPolicyVariable, "PASSIVE");
    }

    private static partial class NativeEnvironment
    {
        [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int setenv(string name, string value, int overwrite);
    }
}
