using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Model.Tuning;

/// <summary>
/// The settings <c>vaecf tune</c> searches for a model, and their defaults. Trial 0 is the defaults (the paper's for
/// Mult-VAE^PR and Mult-DAE, the RecVAE paper's for RecVAE); trial k draws every setting from its list by counter-based
/// random numbers of (seed, k), skipping combinations already drawn, so the same seed gives the same trials and
/// raising the trial count only adds new ones.
/// </summary>
public static class TuningSpace
{
    /// <summary>Models that can be tuned.</summary>
    public static IReadOnlyList<string> Models { get; } = ["recvae", "vae", "dae", "dae-neighbours"];

    /// <summary>
    /// Mult-DAE with the item-item term under the Gaussian likelihood (clicks weighing c1 against 1), whose defaults are
    /// citeulike-a's best VAE-family model (docs/results/quality.md). Its "neighbour_decay_per_user" v sets the term's
    /// λ_N = v / (2 × training users), as EASE's λ is scaled; "neighbours" is capped at the item count less one.
    /// </summary>
    public const string DaeWithNeighbours = "dae-neighbours";

    private const ulong Stream = 0x70E5;

    /// <summary>Setting name → the values searched, for <paramref name="model"/>.</summary>
    public static IReadOnlyDictionary<string, double[]> Space(string model) => model switch
    {
        "recvae" => new Dictionary<string, double[]>
        {
            ["lr"] = [5e-4, 1e-4, 1e-3],
            ["dropout"] = [0.5, 0.3, 0.7],
            ["gamma"] = [0.005, 0.0025, 0.01, 0.02],
            ["hidden"] = [600, 300, 900],
            ["latent"] = [200, 100, 300],
        },
        "vae" => new Dictionary<string, double[]>
        {
            ["lr"] = [1e-3, 5e-4, 3e-3],
            ["dropout"] = [0.5, 0.3, 0.7],
            ["beta_cap"] = [0.2, 0.1, 0.3, 0.5],
            ["anneal_fraction"] = [0.8, 0.4, 0.2],
            ["weight_decay"] = [0, 1e-5, 1e-4],
            ["hidden"] = [600, 300, 900],
            ["latent"] = [200, 100, 300],
        },
        "dae" => new Dictionary<string, double[]>
        {
            ["lr"] = [1e-3, 5e-4, 3e-3],
            ["dropout"] = [0.5, 0.3, 0.7, 0.2, 0.1],
            // 1e-5, a 1,000-wide code and dropout 0.1-0.2 did best on citeulike-a (16,926 items, few users; docs/results/quality.md).
            ["weight_decay"] = [0.01, 1e-4, 1e-3, 0.1, 1e-5],
            ["latent"] = [200, 100, 400, 600, 1000],
        },
        DaeWithNeighbours => new Dictionary<string, double[]>
        {
            ["lr"] = [1e-3, 5e-4],
            ["dropout"] = [0.1, 0.2, 0.3, 0.5],
            ["weight_decay"] = [1e-5, 1e-4],
            ["latent"] = [1000, 200, 600],
            ["c1"] = [2, 1.5, 5],
            ["neighbours"] = [1000, 200, 2000],
            ["neighbour_decay_per_user"] = [50, 25, 100, 200, 500],
        },
        _ => throw new ArgumentException($"'{model}' cannot be tuned; one of {string.Join(", ", Models)}.", nameof(model)),
    };

    /// <summary>
    /// The settings a compared (not searched) model is run with, picked on validation: the defaults, and for Mult-DAE also
    /// the weight decays 0.001 and 0.0001 (the paper tunes the DAE's weight decay; 0.01 alone can shrink a sparse, wide
    /// catalog's DAE to popularity).
    /// </summary>
    public static IReadOnlyList<Dictionary<string, double>> CompareGrid(string model) => model == "dae"
        ? [.. new[] { 0.01, 1e-3, 1e-4 }.Select(d => new Dictionary<string, double>(Defaults(model)) { ["weight_decay"] = d })]
        : [Defaults(model)];

    /// <summary>The defaults of <paramref name="model"/> (each list's first value).</summary>
    public static Dictionary<string, double> Defaults(string model) => Space(model).ToDictionary(s => s.Key, s => s.Value[0]);

    /// <summary>
    /// The first <paramref name="count"/> distinct trials of <paramref name="model"/> for <paramref name="seed"/> (fewer when
    /// the space has fewer combinations).
    /// </summary>
    public static IReadOnlyList<Dictionary<string, double>> Trials(string model, int count, ulong seed)
    {
        var space = Space(model);
        long combinations = space.Values.Aggregate(1L, (n, v) => n * v.Length);
        var trials = new List<Dictionary<string, double>>();
        var seen = new HashSet<string>();
        for (ulong k = 0; trials.Count < Math.Min(count, combinations) && k < 1000 * (ulong)Math.Max(1, count); k++)
        {
            var trial = k == 0
                ? Defaults(model)
                : space.Select((s, d) => (s.Key, Value: s.Value[(int)(CounterRandom.Uniform(seed, Stream, k, (ulong)d, 0) * s.Value.Length)]))
                    .ToDictionary(x => x.Key, x => x.Value);
            if (seen.Add(string.Join(",", trial.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value:R}"))))
                trials.Add(trial);
        }
        return trials;
    }
}
