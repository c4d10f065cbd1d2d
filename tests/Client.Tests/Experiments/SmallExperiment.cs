using VaeCfCluster.Model.Data;

namespace VaeCfCluster.Client.Tests.Experiments;

/// <summary>
/// One small <c>vaecf experiment</c> on ml-100k (100 validation and 100 test users, 3 epochs, popularity and EASE with
/// two λ, two DAE weight decays) on the default in-process cluster, run once for the tests that read its report. It
/// runs on first use, so tests skipped for missing data start nothing.
/// </summary>
public sealed class SmallExperiment : IDisposable
{
    public const int Epochs = 3;
    public const int HeldOutUsers = 100;
    public const long Seed = 98765;
    public static readonly double[] DaeWeightDecays = [0.01, 0.0001];
    public static readonly double[] EaseLambdas = [200, 500];

    private readonly Lazy<VaecfProcess.Result> _first;

    public SmallExperiment()
    {
        Root = Directory.CreateTempSubdirectory("vaecf-experiment-").FullName;
        _first = new Lazy<VaecfProcess.Result>(() => Run());
    }

    public string Root { get; }

    public string Folder => Path.Combine(Root, "report");

    /// <summary>The first run's result (runs it on first use).</summary>
    internal VaecfProcess.Result First => _first.Value;

    /// <summary>The experiment's command line with <paramref name="extra"/> options appended.</summary>
    internal VaecfProcess.Result Run(params string[] extra) => VaecfProcess.Run(Root,
    [
        "experiment", "--data", "ml-100k", "--heldout-users", $"{HeldOutUsers}", "--epochs", $"{Epochs}", "--seed", $"{Seed}",
        "--baselines", "popularity,ease", "--ease-lambda", "200,500", "--dae-weight-decay", "0.01,0.0001", "--threads", "2",
        "--out", Folder, .. extra,
    ]);

    /// <summary>The split the experiment uses, made independently of the command: the data set's own split options, 100 held-out users.</summary>
    public static DataSplit Split()
    {
        var source = DataCatalog.DataSet("ml-100k");
        return StrongGeneralizationSplitter.Split(source.Load(), source.Split with { HeldOutUserCount = HeldOutUsers, Seed = 98765 });
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
