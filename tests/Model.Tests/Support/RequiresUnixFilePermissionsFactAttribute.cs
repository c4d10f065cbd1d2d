namespace VaeCfCluster.Model.Tests.Support;

/// <summary>
/// A fact that needs Unix file modes to stop this process: skipped, with the reason, on Windows and where the tests
/// run as root, who reads a file whatever its mode.
/// </summary>
public sealed class RequiresUnixFilePermissionsFactAttribute : FactAttribute
{
    public RequiresUnixFilePermissionsFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Unix file modes only.";
        else if (Environment.IsPrivilegedProcess)
            Skip = "The tests run as root, whom file modes do not stop: run them as another user to check this.";
    }
}
