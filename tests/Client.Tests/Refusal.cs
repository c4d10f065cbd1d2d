namespace VaeCfCluster.Client.Tests;

/// <summary>What every refused command shows: exit code 2 and one <c>error:</c> line, no stack trace or .NET parameter text.</summary>
internal static class Refusal
{
    /// <summary>The one error line of <paramref name="result"/>, after checking it is a clean refusal.</summary>
    public static string OneLine(VaecfProcess.Result result)
    {
        Assert.True(result.ExitCode == 2, $"exit code {result.ExitCode}: {result.StandardError}");
        var errors = result.StandardError.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToArray();
        Assert.Single(errors);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.DoesNotContain("(Parameter '", result.StandardError);
        Assert.DoesNotContain("Exception", result.StandardError);
        return errors[0];
    }
}
