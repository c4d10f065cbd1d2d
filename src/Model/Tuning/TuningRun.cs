using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace VaeCfCluster.Model.Tuning;

/// <summary>
/// One training run of <c>vaecf tune</c>: a model ("recvae", "vae", "dae", "ease", "wmf") with its settings on the split
/// of one seed. Its <see cref="Id"/> hashes the data, split and settings (not the search space that produced it), so a
/// search that grows, or another command asking for the same run, reuses a finished one.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Settings">Setting name → value (names as <see cref="TuningSpace"/> uses them).</param>
/// <param name="SplitSeed">The split's seed.</param>
/// <param name="DataIdentity">What identifies the data and held-out size (name, counts).</param>
public sealed record TuningRun(string Model, IReadOnlyDictionary<string, double> Settings, ulong SplitSeed, string DataIdentity)
{
    /// <summary>A hash of everything that decides the run's numbers.</summary>
    public string Id
    {
        get
        {
            var canonical = JsonSerializer.Serialize(new
            {
                Model,
                Settings = Settings.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value.ToString("R", CultureInfo.InvariantCulture)),
                SplitSeed,
                DataIdentity,
            });
            return $"{Model}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16]}";
        }
    }

    /// <summary>The settings as "name value, …" (the report's words).</summary>
    public string Describe() => Settings.Count == 0
        ? "-"
        : string.Join(", ", Settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:G4}")));

    /// <summary>A setting, or <paramref name="fallback"/> when the run does not set it.</summary>
    public double Get(string name, double fallback) => Settings.TryGetValue(name, out var v) ? v : fallback;
}
