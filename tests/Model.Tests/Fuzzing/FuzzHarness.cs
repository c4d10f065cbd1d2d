using System.Diagnostics;
using System.Text;

namespace VaeCfCluster.Model.Tests.Fuzzing;

/// <summary>
/// Runs one format's fuzz campaign: <see cref="FuzzSettings.Inputs"/> inputs from <see cref="FuzzTarget.Next"/>, each
/// fed to <see cref="FuzzTarget.Parse"/>. An input passes when it parses (and the parse's own checks hold) or is refused
/// with an exception <see cref="FuzzTarget.IsClearRefusal"/> accepts. It fails on any other exception, on an input
/// that allocates more than <see cref="FuzzTarget.AllocationBudget"/> managed bytes, on one that takes longer than
/// <see cref="FuzzTarget.InputTimeout"/>, or when the whole run exceeds <see cref="FuzzSettings.TotalTimeout"/> (a
/// hang). Failing inputs are minimized (chunks removed while the same exception type remains) and printed.
/// </summary>
internal static class FuzzHarness
{
    private const int MaxReportedFailures = 5;

    public static FuzzReport Run(FuzzTarget target, Action<string>? log = null)
    {
        int inputs = FuzzSettings.Inputs;
        var random = new Random(FuzzSettings.Seed ^ StableHash(target.Format));
        var failures = new List<string>();
        var seenKinds = new HashSet<string>(StringComparer.Ordinal);
        int accepted = 0, refused = 0, done = 0;
        double slowestMs = 0;
        byte[] current = [];
        var clock = Stopwatch.StartNew();
        var worker = new Thread(() =>
        {
            for (int n = 0; n < inputs && failures.Count < MaxReportedFailures; n++)
            {
                current = target.Next(random);
                var outcome = Attempt(target, current, out double ms);
                slowestMs = Math.Max(slowestMs, ms);
                done = n + 1;
                if (outcome.Failure is null)
                {
                    if (outcome.Accepted) accepted++;
                    else refused++;
                    continue;
                }
                if (!seenKinds.Add(outcome.Kind)) continue;
                var minimal = Minimize(target, current, outcome.Kind);
                failures.Add($"{outcome.Failure}\n  minimized input ({minimal.Length} bytes): {Escape(minimal)}\n  base64: {Convert.ToBase64String(minimal)}");
            }
        }, maxStackSize: 16 << 20) { IsBackground = true, Name = $"fuzz {target.Format}" };
        worker.Start();
        if (!worker.Join(FuzzSettings.TotalTimeout))
            Assert.Fail($"{target.Format}: no answer after {FuzzSettings.TotalTimeout.TotalSeconds:F0} s at input {done + 1} (a hang?): {Escape(current)}");

        var report = new FuzzReport(target.Format, done, accepted, refused, clock.Elapsed, slowestMs);
        log?.Invoke(report.ToString());
        if (failures.Count > 0) Assert.Fail($"{target.Format}: {failures.Count} kind(s) of failure after {done} inputs:\n{string.Join("\n", failures)}");
        // An oracle that never sees both outcomes tests nothing: the seeds must parse and the mutations must be refused.
        Assert.True(accepted > 0, $"{target.Format}: no mutated input parsed; the seed or the harness is wrong.");
        Assert.True(refused > 0, $"{target.Format}: no mutated input was refused; the mutations do not reach the parser.");
        Assert.Equal(inputs, done);
        return report;
    }

    private readonly record struct Outcome(bool Accepted, string? Failure, string Kind);

    private static Outcome Attempt(FuzzTarget target, byte[] input, out double milliseconds)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        Exception? error = null;
        try
        {
            target.Parse(input);
        }
        catch (Exception e)
        {
            error = e;
        }
        milliseconds = clock.Elapsed.TotalMilliseconds;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > target.AllocationBudget)
            return new(false, $"allocated {allocated:N0} bytes (budget {target.AllocationBudget:N0}) for a {input.Length}-byte input ({Describe(error)})", "allocation");
        if (clock.Elapsed > target.InputTimeout)
            return new(false, $"took {milliseconds:F0} ms (limit {target.InputTimeout.TotalMilliseconds:F0})", "slow");
        if (error is null) return new(true, null, "");
        if (target.IsClearRefusal(error)) return new(false, null, "");
        return new(false, $"unexpected {Describe(error)}\n{error.StackTrace}", error.GetType().FullName!);
    }

    /// <summary>FNV-1a of the format name: string.GetHashCode differs between processes.</summary>
    private static int StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text) hash = (hash ^ c) * 16777619;
        return (int)(hash & 0x7FFFFFFF);
    }

    private static string Describe(Exception? e) => e is null ? "parsed" : $"{e.GetType().Name}: {e.Message}";

    /// <summary>Removes chunks (halves, quarters, ... single bytes) while the input still fails the same way.</summary>
    private static byte[] Minimize(FuzzTarget target, byte[] input, string kind)
    {
        int budget = 3000;
        for (int chunk = Math.Max(1, input.Length / 2); chunk >= 1 && budget > 0; chunk /= 2)
        {
            for (int start = 0; start < input.Length && budget > 0; budget--)
            {
                var candidate = input[..start].Concat(input[Math.Min(input.Length, start + chunk)..]).ToArray();
                if (Attempt(target, candidate, out _) is { Failure: not null } o && o.Kind == kind) input = candidate;
                else start += chunk;
            }
        }
        return input;
    }

    /// <summary>Printable ASCII as is, everything else as \xNN (newline \n, tab \t), at most 400 bytes.</summary>
    public static string Escape(byte[] bytes)
    {
        var text = new StringBuilder("\"");
        foreach (byte b in bytes.Take(400))
            text.Append(b switch
            {
                (byte)'\n' => "\\n",
                (byte)'\t' => "\\t",
                (byte)'\r' => "\\r",
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                >= 32 and < 127 => ((char)b).ToString(),
                _ => $"\\x{b:X2}",
            });
        return text.Append(bytes.Length > 400 ? "\"..." : "\"").ToString();
    }
}

/// <summary>One format under fuzzing: how to make an input, how to parse it and which refusals are clear.</summary>
internal sealed class FuzzTarget
{
    public required string Format { get; init; }

    /// <summary>The next input (a mutated seed); called on the fuzzing thread with its seeded random source.</summary>
    public required Func<Random, byte[]> Next { get; init; }

    /// <summary>Parses an input, throwing <see cref="FuzzOracleException"/> when a parse result breaks an invariant.</summary>
    public required Action<byte[]> Parse { get; init; }

    /// <summary>Whether an exception is the format's documented, clear refusal.</summary>
    public required Func<Exception, bool> IsClearRefusal { get; init; }

    /// <summary>
    /// Managed bytes one input may allocate. The default, 96 MiB, admits the readers' by-design ceiling: ids that are
    /// canonical numbers below 2^24 are looked up in a flat array (at most 64 MiB), so a mutated id of 16,777,215 may
    /// allocate that much; a length field read from a corrupted file must never allocate more.
    /// </summary>
    public long AllocationBudget { get; init; } = 96L << 20;

    public TimeSpan InputTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>A parse that succeeded but produced something the format forbids (a non-finite rating, a bad index).</summary>
internal sealed class FuzzOracleException(string message) : Exception(message);

/// <summary>What one format's run did.</summary>
internal sealed record FuzzReport(string Format, int Inputs, int Accepted, int Refused, TimeSpan Elapsed, double SlowestInputMs)
{
    public override string ToString() =>
        $"{Format}: {Inputs} inputs ({Accepted} parsed, {Refused} refused) in {Elapsed.TotalSeconds:F1} s, slowest {SlowestInputMs:F0} ms";
}
