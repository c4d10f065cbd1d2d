using System.CommandLine;
using System.Globalization;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Client.Reports;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Tuning;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// <c>vaecf tune</c>: searches a VAE-family model's settings on validation NDCG@100 (on the first split seed), then runs
/// the best setting, the compared models' defaults and the tuned baselines on every split seed, and writes a report with
/// the mean ± standard error across seeds and a per-user paired t-test against EASE on each seed. Every finished run is
/// kept under the output folder by a hash of its data, split and settings, so the same command resumes and a larger
/// search reuses the runs it already has.
/// </summary>
internal static class TuneCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var model = new Option<string>("--model")
        {
            Description = "The model to tune: recvae (default), vae, dae, or dae-neighbours (Mult-DAE with an item-item term under the " +
                          "Gaussian likelihood, --item-neighbours; its defaults are citeulike-a's best VAE-family model).",
            DefaultValueFactory = _ => "recvae",
        };
        model.AcceptOnlyFromAmong([.. TuningSpace.Models]);
        var compare = new Option<string>("--compare")
        {
            Description = "Models run with their defaults on every split seed, next to the tuned one (comma-separated; 'none' for none); " +
                          "Mult-DAE picks its weight decay in {0.01, 0.001, 0.0001} on validation, as the paper tunes it.",
            DefaultValueFactory = _ => "vae,dae,recvae",
        };
        var baselines = new Option<string>("--baselines")
        {
            Description = "Baselines tuned on validation NDCG@100 on every split seed: ease, wmf (comma-separated; 'none' for none).",
            DefaultValueFactory = _ => "ease,wmf",
        };
        var splitSeeds = new Option<string?>("--split-seeds")
        {
            Description = "Split seeds, comma-separated (for example 98765,98766,98767); the search runs on the first. Default: --split-seed.",
        };
        var trials = new Option<int>("--trials")
        {
            Description = "Settings tried by the search: trial 1 is the defaults, the others are drawn from the model's space (see README).",
            DefaultValueFactory = _ => 8,
        };
        var minutes = new Option<double>("--minutes")
        {
            Description = "Time budget of the search in minutes: no new trial starts after it (finished trials still count); 0 for none.",
            DefaultValueFactory = _ => 0,
        };
        var epochs = new Option<int?>("--epochs")
        {
            Description = "Epochs per autoencoder run. Default: 50 for RecVAE, 100 for Mult-VAE and Mult-DAE, 30 for dae-neighbours (squared error " +
                          "overfits after about 10 epochs; the best validation epoch is kept).",
        };
        var patience = new Option<int?>("--patience")
        {
            Description = "A run stops after this many epochs without a better validation NDCG@100 (its best epoch is kept); 0 runs every " +
                          "epoch. Default: 10 for RecVAE, 0 for Mult-VAE, Mult-DAE and dae-neighbours.",
        };
        var easeLambdas = new Option<string?>("--ease-lambda") { Description = "EASE λ grid. Default 50,100,200,500,1000,2000." };
        var wmfWeights = new Option<string?>("--wmf-c1") { Description = "WMF click confidence grid. Default 2,5,10,30,50." };
        var wmfFactors = new Option<string?>("--wmf-factors") { Description = "WMF dimension grid. Default 100." };
        var seed = new Option<long>("--seed") { Description = "Seed of weights, shuffles, dropout and the search's draws.", DefaultValueFactory = _ => 98765 };
        var threads = new Option<int>("--threads")
        {
            Description = "LibTorch threads (of each run, with --parallel); 0 uses one per core, or the cores shared among --parallel runs.",
            DefaultValueFactory = _ => 0,
        };
        var parallel = new Option<int>("--parallel")
        {
            Description = "Runs trained at once, each on its own threads (the search's trials, then every split seed's runs): several small " +
                          "runs use many cores better than one. Each run's result is what it gives alone with the same --threads.",
            DefaultValueFactory = _ => 1,
        };
        var precision = PrecisionOption.Create(
            "Dense products of the VAE-family runs: fp32, tf32 (CUDA only) or bf16 (about 0.6x the time on a CPU with AVX-512 BF16). " +
            "Runs of another precision are other runs: they do not resume or replace fp32 ones. [default: fp32]");
        var output = new Option<string?>("--out") { Description = "Report folder (tune.md, runs.csv, runs/). Default: runs/tune-<data>-<model>." };
        var command = new Command("tune",
            "Tune a VAE-family model on validation NDCG@100 and compare it, over several split seeds, with the paper's models and " +
            "tuned EASE and WMF, with paired t-tests against EASE. Resumable: the same command continues.");
        data.AddTo(command);
        foreach (var o in new Option[] { model, compare, baselines, splitSeeds, trials, minutes, epochs, patience, easeLambdas, wmfWeights, wmfFactors, seed, threads, parallel, precision, output })
            command.Options.Add(o);
        command.SetAction(result => CommandRunner.Run(() =>
        {
            int t = result.GetValue(threads);
            if (t < 0) throw new ArgumentException("--threads must be 0 or positive.");
            if (result.GetValue(trials) < 1) throw new ArgumentException("--trials must be at least 1.");
            if (!(result.GetValue(minutes) >= 0)) throw new ArgumentException("--minutes must be 0 or positive.");
            if (result.GetValue(patience) is < 0) throw new ArgumentException("--patience must be 0 or positive.");
            if (result.GetValue(epochs) is < 1) throw new ArgumentException($"--epochs must be at least 1 (was {result.GetValue(epochs)}).");
            // Tuning runs train on this machine's CPU, where tf32 is fp32: such runs would be fp32 runs under other ids.
            if (result.GetValue(precision) == MatmulPrecision.Tf32)
                throw new ArgumentException("--precision tf32 is for CUDA; tune trains on the CPU, where it is fp32 (use fp32 or bf16).");
            int runsAtOnce = result.GetValue(parallel);
            if (runsAtOnce < 1) throw new ArgumentException($"--parallel must be at least 1 (was {runsAtOnce}).");
            int threadsPerRun = t > 0 ? t : runsAtOnce > 1 ? Math.Max(1, Environment.ProcessorCount / runsAtOnce) : 0;
            var tuned = result.GetValue(model)!;
            var compared = Names("--compare", result.GetValue(compare)!, TuningSpace.Models);
            var baselineNames = Names("--baselines", result.GetValue(baselines)!, ["ease", "wmf"]);
            var seeds = ValueList.SplitSeeds(result.GetValue(splitSeeds), result.GetValue(data.SplitSeed));
            var easeGrid = ValueList.Doubles("--ease-lambda", result.GetValue(easeLambdas), 50, 100, 200, 500, 1000, 2000);
            if (easeGrid.Any(l => l <= 0)) throw new ArgumentException("--ease-lambda: EASE's λ must be positive (0 leaves its Gram matrix unregularised).");
            var wmfGrid = (from c in ValueList.Doubles("--wmf-c1", result.GetValue(wmfWeights), 2, 5, 10, 30, 50)
                           from k in ValueList.Integers("--wmf-factors", result.GetValue(wmfFactors), 100)
                           select new Dictionary<string, double> { ["c1"] = c, ["factors"] = k }).ToList();
            if (t > 0) TorchSharp.torch.set_num_threads(t);
            OutputFolder.RequireFolder(result.GetValue(output));

            var log = System.Console.Error;
            var loaded = SplitLoader.Load(result, data, log);
            var folder = result.GetValue(output) ?? Path.Combine("runs", $"tune-{loaded.Name}-{tuned}");
            var splits = seeds.ToDictionary(s => s, s => SplitLoader.Resplit(loaded, result, data, s));
            string identity = string.Create(CultureInfo.InvariantCulture,
                $"{loaded.Description}; {loaded.Split.ItemCount} items; {loaded.Split.Train.RowCount} training, {loaded.Split.Validation.UserCount}+{loaded.Split.Test.UserCount} held-out users");
            int EpochsOf(string m) => result.GetValue(epochs) ?? DefaultEpochs(m);
            int PatienceOf(string m) => result.GetValue(patience) ?? DefaultPatience(m);
            long runSeed = result.GetValue(seed);
            // One command at a time per folder: two would train the same runs side by side over the same checkpoints.
            using var claim = StorageLock.Acquire(folder);
            var ledger = new TuningLedger(Path.Combine(folder, "runs"));
            // A run's identity covers the data, split and training settings, never the search space. Epochs, patience, seed
            // and precision enter it when they differ from their defaults (so runs made with the defaults keep their ids).
            string Identity(string m)
            {
                var parts = new List<string>();
                if (m is not ("ease" or "wmf") && EpochsOf(m) != DefaultEpochs(m)) parts.Add($"epochs {EpochsOf(m)}");
                if (m is not ("ease" or "wmf") && PatienceOf(m) != DefaultPatience(m)) parts.Add($"patience {PatienceOf(m)}");
                if (runSeed != 98765) parts.Add(string.Create(CultureInfo.InvariantCulture, $"seed {runSeed}"));
                if (m is not ("ease" or "wmf") && result.GetValue(precision) != MatmulPrecision.Fp32) parts.Add($"{result.GetValue(precision).Name()} products");
                return parts.Count == 0 ? identity : $"{identity}; {string.Join(", ", parts)}";
            }
            var session = new TuningSession(ledger,
                m => new TuningRunner(EpochsOf(m), PatienceOf(m), runSeed, Path.Combine(folder, "checkpoints"), result.GetValue(precision)),
                line => log.WriteLine(line), runsAtOnce, threadsPerRun);
            if (runsAtOnce > 1) log.WriteLine($"tune: {runsAtOnce} runs at once, {threadsPerRun} LibTorch thread(s) each");

            using var signals = new StopSignals(() =>
            {
                log.WriteLine();
                log.WriteLine("stopping: a run training stops after its current step and resumes from its last finished epoch; finished runs are kept (run the same command to continue)");
            });
            var token = signals.Token;
            var search = session.Search(tuned, TuningSpace.Trials(tuned, result.GetValue(trials), unchecked((ulong)runSeed)), splits[seeds[0]],
                seeds[0], Identity(tuned), result.GetValue(minutes) > 0 ? TimeSpan.FromMinutes(result.GetValue(minutes)) : null, token);
            var best = search.OrderByDescending(o => o.ValidationNdcg100).First();
            log.WriteLine($"search: best of {search.Count} trial(s) is {new TuningRun(tuned, best.Settings, seeds[0], Identity(tuned)).Describe()} " +
                          string.Create(CultureInfo.InvariantCulture, $"(validation NDCG@100 {best.ValidationNdcg100:F4})"));

            var easeSettings = easeGrid.Select(l => new Dictionary<string, double> { ["lambda"] = l }).ToList();
            // Every split seed's runs, in the order the report takes them: with --parallel they train side by side first.
            var perSeed = seeds.SelectMany(s => compared.SelectMany(m => TuningSpace.CompareGrid(m).Select(c => new TuningRun(m, c, s, Identity(m))))
                .Append(new TuningRun(tuned, best.Settings, s, Identity(tuned)))
                .Concat(baselineNames.Contains("ease") ? easeSettings.Select(c => new TuningRun("ease", c, s, Identity("ease"))) : [])
                .Concat(baselineNames.Contains("wmf") ? wmfGrid.Select(c => new TuningRun("wmf", c, s, Identity("wmf"))) : [])
                .Select(r => (r, splits[s])));
            session.RunAll(perSeed, null, token);

            var rows = new List<TuneReport.Row>();
            foreach (var s in seeds)
            {
                var split = splits[s];
                foreach (var m in compared)
                    rows.Add(new(DisplayName(m), s, session.Best(m, TuningSpace.CompareGrid(m), split, s, Identity(m), token)));
                rows.Add(new($"{DisplayName(tuned)}, tuned", s, session.Get(new TuningRun(tuned, best.Settings, s, Identity(tuned)), split, token)));
                if (baselineNames.Contains("ease"))
                    rows.Add(new("EASE", s, session.Best("ease", easeSettings, split, s, Identity("ease"), token)));
                if (baselineNames.Contains("wmf"))
                    rows.Add(new("WMF", s, session.Best("wmf", wmfGrid, split, s, Identity("wmf"), token)));
            }
            var report = new TuneReport(loaded.Name, tuned, seeds, search, best, rows, Environment.GetCommandLineArgs().Skip(1).ToArray());
            report.Write(folder);
            System.Console.Out.Write(report.Summary());
            System.Console.Out.WriteLine($"saved {Path.Combine(folder, "tune.md")}, {Path.Combine(folder, "runs.csv")}");
            return 0;
        }));
        return command;
    }

    /// <summary>The report's name of a model.</summary>
    public static string DisplayName(string model) => model switch
    {
        "recvae" => "RecVAE",
        "vae" => "Mult-VAE^PR",
        "dae" => "Mult-DAE",
        TuningSpace.DaeWithNeighbours => "Mult-DAE + item-item term",
        _ => model,
    };

    /// <summary>Epochs per run of <paramref name="model"/> when --epochs is not given.</summary>
    private static int DefaultEpochs(string model) => model switch
    {
        "recvae" => 50,
        TuningSpace.DaeWithNeighbours => 30,
        _ => 100,
    };

    /// <summary>RecVAE's runs stop after 10 epochs without a better one (its paper's budget); the paper's models run every epoch.</summary>
    private static int DefaultPatience(string model) => model == "recvae" ? 10 : 0;

    private static string[] Names(string option, string text, IReadOnlyList<string> allowed)
    {
        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return [];
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()).ToArray();
        foreach (var n in names)
            if (!allowed.Contains(n)) throw new ArgumentException($"{option}: '{n}' is not one of {string.Join(", ", allowed)}.");
        return names.Distinct().ToArray();
    }
}
