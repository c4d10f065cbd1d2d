namespace VaeCfCluster.Deployment.Tests.Support;

/// <summary>Exit code and combined standard output and error of a finished process.</summary>
public sealed record ProcessResult(int ExitCode, string Output);
