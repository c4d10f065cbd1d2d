using System.Globalization;
using System.Text;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Model.Evaluation;

namespace VaeCfCluster.Client.Console;

/// <summary>Renders evaluation results as a plain-text table: one row per model, mean ± standard error per metric.</summary>
internal static class MetricsTable
{
    /// <summary>A table with a header row and one row per (name, result).</summary>
    public static string Render(IReadOnlyList<(string Name, EvaluationResult Result)> rows)
    {
        if (rows.Count == 0) return "";
        var metrics = rows[0].Result.Metrics;
        int nameWidth = Math.Max(5, rows.Max(r => r.Name.Length));
        var text = new StringBuilder();
        text.Append("model".PadRight(nameWidth));
        foreach (var m in metrics) text.Append("  ").Append(m.Name.PadLeft(18));
        text.Append("  users").AppendLine();
        foreach (var (name, result) in rows)
        {
            text.Append(name.PadRight(nameWidth));
            foreach (var m in metrics)
            {
                var s = result[m];
                text.Append("  ").Append(string.Create(CultureInfo.InvariantCulture, $"{s.Mean:F4} ± {s.StandardError:F4}").PadLeft(18));
            }
            text.Append("  ").Append(result.EvaluatedUserCount.ToString(CultureInfo.InvariantCulture)).AppendLine();
        }
        return text.ToString();
    }

    /// <summary>A one-row table of a cluster job's test metrics.</summary>
    public static string Render(string name, IReadOnlyList<MetricValue> metrics)
    {
        int nameWidth = Math.Max(5, name.Length);
        var text = new StringBuilder();
        text.Append("model".PadRight(nameWidth));
        foreach (var m in metrics) text.Append("  ").Append(m.Name.PadLeft(18));
        text.Append("  users").AppendLine();
        text.Append(name.PadRight(nameWidth));
        foreach (var m in metrics)
            text.Append("  ").Append(string.Create(CultureInfo.InvariantCulture, $"{m.Mean:F4} ± {m.StandardError:F4}").PadLeft(18));
        text.Append("  ").Append((metrics.Count == 0 ? 0 : metrics[0].Users).ToString(CultureInfo.InvariantCulture)).AppendLine();
        return text.ToString();
    }
}
