namespace VaeCfCluster.Deployment.Tests.Support;

/// <summary>
/// Runs the Helm and kubectl binaries that scripts/k8s-validate/install-helm.sh puts in scripts/k8s-validate/.tools/bin
/// (pinned versions, the ones the k8s/ drift check was made with). The tests never install them: .ci/run does.
/// </summary>
public static class HelmTools
{
    /// <summary>The script that installs the binaries.</summary>
    public const string InstallScript = "scripts/k8s-validate/install-helm.sh";

    /// <summary>Folder of the installed binaries.</summary>
    public static string BinDirectory => RepositoryFiles.PathOf("scripts/k8s-validate/.tools/bin");

    /// <summary>"helm" or "kubectl" when that binary is not installed; otherwise null.</summary>
    public static string? MissingTool() =>
        !File.Exists(PathOf("helm")) ? "helm" : !File.Exists(PathOf("kubectl")) ? "kubectl" : null;

    /// <summary>Runs <c>helm ARGS</c> from the repository root.</summary>
    public static ProcessResult Helm(params string[] args) => Run("helm", args);

    /// <summary>Runs <c>kubectl ARGS</c> from the repository root.</summary>
    public static ProcessResult Kubectl(params string[] args) => Run("kubectl", args);

    private static string PathOf(string tool) => Path.Combine(BinDirectory, tool);

    private static ProcessResult Run(string tool, string[] args)
    {
        if (!File.Exists(PathOf(tool)))
            throw new InvalidOperationException($"{tool} not found in {BinDirectory}: run {InstallScript}");
        return ProcessRunner.Run(PathOf(tool), RepositoryFiles.Root, TimeSpan.FromMinutes(1), args);
    }
}
