using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Client.Experiments;
using VaeCfCluster.Client.Reports;
using VaeCfCluster.Grains.Abstractions.Jobs;
using VaeCfCluster.Model;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Experiments;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// <c>vaecf experiment</c>: runs the paper's studies (Tables 2-4, Figures 1 and 3) on one data set and split and writes
/// a report folder: report.md with the tables and plots, the PNG plots, and CSV files with the numbers behind them.
/// Autoencoders train on a cluster like <c>vaecf train</c> (in-process by default, <c>--cluster</c> for a remote one,
/// <c>--single-process</c> without Orleans); baselines fit in this process. Every finished run is kept in the folder,
/// so the same command continues an interrupted experiment.
/// </summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var experiment = new ExperimentOptions();
        var cluster = new ClusterOptions();
        var output = new Option<string?>("--out")
        {
            Description = "Report folder (report.md, *.png, *.csv, and runs/ with every finished run). Default: runs/experiment-<data>.",
        };
        var fresh = new Option<bool>("--fresh") { Description = "Delete the folder's finished runs and start over." };
        var threads = new Option<int>("--threads")
        {
            Description = "LibTorch threads of this process (baselines, single-process or in-process training); 0 uses one per core.",
            DefaultValueFactory = _ => 0,
        };
        var device = new Option<string>("--device")
        {
            Description = "cpu, cuda or cuda:N for autoencoders trained in this process.", DefaultValueFactory = _ => "cpu",
        };
        var splitSeeds = new Option<string?>("--split-seeds")
        {
            Description = "Run the studies on several splits (comma-separated seeds, e.g. 98765,98766,98767): each gets its report in " +
                          "split-<seed>/, and seeds.md gives Table 2 on every seed, the mean ± standard error across seeds and paired t-tests against EASE.",
        };
        var command = new Command("experiment",
            "Run the paper's studies on one data set and write a report: Table 2 (Mult-VAE^PR, Mult-DAE and tuned baselines), " +
            "Table 4 (multinomial, Gaussian and logistic likelihoods), Figure 1 (annealing curves), Figure 3 (NDCG@100 by user " +
            "activity with paired t-tests) and Table 3 (leave-one-out with sampled negatives). Interrupt it at any time; the same " +
            "command continues without redoing finished runs.");
        data.AddTo(command);
        experiment.AddTo(command);
        cluster.AddTo(command, jobOptions: false);
        foreach (var o in new Option[] { output, fresh, threads, device, splitSeeds }) command.Options.Add(o);
        command.SetAction(result => CommandRunner.Run(() =>
            Run(result, data, experiment, cluster, splitSeeds, result.GetValue(output), result.GetValue(fresh), result.GetValue(threads), result.GetValue(device)!)));
        return command;
    }

    private static int Run(ParseResult result, DataOptions dataOptions, ExperimentOptions experimentOptions, ClusterOptions clusterOptions,
        Option<string?> splitSeeds, string? output, bool fresh, int threads, string device)
    {
        var log = System.Console.Error;
        var settings = experimentOptions.Resolve(result);
        if (threads < 0) throw new ArgumentException($"--threads must be 0 or positive (was {threads}).");
        OutputFolder.RequireFolder(output);
        bool singleProcess = result.GetValue(clusterOptions.SingleProcess);
        var clusterSettings = singleProcess ? null : clusterOptions.Resolve(result);
        var address = !singleProcess && result.GetValue(clusterOptions.Cluster) is { } text ? ClusterAddress.Parse(text) : null;
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);

        var loaded = SplitLoader.Load(result, dataOptions, log);
        var root = output ?? Path.Combine("runs", $"experiment-{loaded.Name}");
        var seeds = ValueList.SplitSeeds(result.GetValue(splitSeeds), loaded.SplitSeed);
        using var signals = new StopSignals(() =>
        {
            log.WriteLine();
            log.WriteLine($"stopping; finished runs are kept in {(seeds.Length == 1 ? Path.Combine(root, "runs") : root)} (run the same command to continue)");
        });
        var perSeed = new List<(ulong Seed, string Folder, ExperimentResults Results)>();
        foreach (var seed in seeds)
        {
            // One seed keeps the report in the folder itself; several give each seed its own report folder.
            var data = seed == loaded.SplitSeed ? loaded : loaded with { Split = SplitLoader.Resplit(loaded, result, dataOptions, seed), SplitSeed = seed };
            var folder = seeds.Length == 1 ? root : Path.Combine(root, $"split-{seed}");
            if (seeds.Length > 1) log.WriteLine($"split seed {seed}: report folder {folder}");
            perSeed.Add((seed, folder, RunOne(result, data, settings, clusterOptions, clusterSettings, singleProcess, address, folder, fresh, threads, device, log, signals.Token)));
        }
        if (seeds.Length > 1)
        {
            var summary = SplitSeedsReport.Write(root, loaded.Name, perSeed, "vaecf " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
            System.Console.Out.WriteLine($"across split seeds: {summary}");
        }
        return 0;
    }

    private static ExperimentResults RunOne(ParseResult result, LoadedData data, ExperimentSettings settings, ClusterOptions clusterOptions,
        ClusterSettings? clusterSettings, bool singleProcess, ClusterAddress? address, string folder, bool fresh, int threads, string device,
        TextWriter log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        // One command at a time per folder, claimed before --fresh could delete another command's runs.
        using var claim = StorageLock.Acquire(folder);
        var ledger = new RunLedger(Path.Combine(folder, "runs"));
        var identity = Identity(data, settings, clusterSettings?.CompressGradients == true);
        // This machine's device is checked before anything is claimed; with --fresh the finished runs (and an in-process
        // cluster's job storage) are deleted only once the run can start: after that check, or once a remote cluster answered.
        if (address is null) TorchDevices.Resolve(device);
        void Claim()
        {
            ledger.Claim(identity, fresh, ExperimentIdentity.Same);
            if (fresh && Directory.Exists(Path.Combine(folder, "cluster"))) Directory.Delete(Path.Combine(folder, "cluster"), recursive: true);
        }
        if (address is null) Claim();
        var inputs = new ExperimentInputs(data.Name, data.Split, data.Clicks, LeaveOneOutData(data), data.SplitSeed);
        try
        {
            var results = RunStudiesAsync(settings, inputs, ledger, folder, singleProcess, address, clusterSettings, result, clusterOptions,
                threads, device, identity, data.Name, log, address is null ? null : Claim, cancellationToken).GetAwaiter().GetResult();
            var context = new ReportContext(data.Description, settings, data.SplitSeed, started, clock.Elapsed, RunnerDescription(singleProcess, address),
                "vaecf " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)));
            var files = ExperimentReport.Write(folder, results, context);
            System.Console.Out.WriteLine($"report: {Path.Combine(folder, "report.md")} ({files.Count} files, {clock.Elapsed.TotalMinutes:F1} min)");
            return results;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("interrupted");
        }
    }

    private static async Task<ExperimentResults> RunStudiesAsync(ExperimentSettings settings, ExperimentInputs inputs, RunLedger ledger,
        string folder, bool singleProcess, ClusterAddress? address, ClusterSettings? clusterSettings, ParseResult result,
        ClusterOptions clusterOptions, int threads, string device, string identity, string dataName, TextWriter log,
        Action? claimOnceConnected, CancellationToken cancellationToken)
    {
        if (singleProcess)
        {
            var runner = new SingleProcessAutoencoderRunner(Path.Combine(folder, "runs"), TrainingProgressPrinter.ForStandardError());
            return await new ExperimentRunner(settings, inputs, ledger, runner, log).RunAsync(cancellationToken);
        }
        await using var host = address is null
            ? await ClusterHost.StartLocalAsync(Path.Combine(folder, "cluster"), threads, device, log, cancellationToken)
            : await ClusterHost.ConnectAsync(address, result.GetValue(clusterOptions.ClusterId)!, result.GetValue(clusterOptions.ServiceId)!,
                clusterOptions.Tls.Resolve(result), log,
                cancellationToken);
        claimOnceConnected?.Invoke();
        var jobPrefix = "x" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identity)))[..10] + "-";
        var clusterRunner = new ClusterAutoencoderRunner(host, clusterSettings!, jobPrefix, dataName, Path.Combine(folder, "runs", "models"), log);
        return await new ExperimentRunner(settings, inputs, ledger, clusterRunner, log).RunAsync(cancellationToken);
    }

    /// <summary>Table 3's data: the same source read with every rating as an interaction, as NCF counts them.</summary>
    private static Func<ClickDataSet>? LeaveOneOutData(LoadedData data)
    {
        if (data.Source is { } source)
            return () => ClickPreprocessor.Preprocess(source.ReadRatings(), source.Preprocessing with { RatingThreshold = null });
        return data.Clicks is { } clicks ? () => clicks : null;
    }

    /// <summary>
    /// What decides the numbers (<see cref="ExperimentIdentity"/>): cluster size and single-process or cluster training
    /// give the same models, so neither is part of it.
    /// </summary>
    private static string Identity(LoadedData data, ExperimentSettings settings, bool compressGradients) =>
        ExperimentIdentity.Of(data.Name, Convert.ToHexStringLower(SHA256.HashData(SplitSerializer.Serialize(data.Split))), data.SplitSeed,
            settings, compressGradients);

    private static string RunnerDescription(bool singleProcess, ClusterAddress? address) =>
        singleProcess ? "this process (single-process trainer)" : address is null ? "an in-process Orleans cluster" : $"the cluster at {address.Text}";
}
