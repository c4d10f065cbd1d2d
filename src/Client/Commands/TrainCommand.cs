using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// <c>vaecf train</c>: reads and splits the data, trains with validation after every epoch, keeps the best model,
/// reports its test metrics and saves it. Training runs as a job on a cluster: an in-process one by default, a remote
/// one with <c>--cluster</c>; <c>--single-process</c> runs the plain trainer instead. Either way the same command
/// resumes from the last finished epoch's checkpoint.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var model = new ModelOptions();
        var training = new TrainingOptions();
        var cluster = new ClusterOptions();
        var recVae = new RecVaeCommandOptions();
        var output = new Option<string?>("--out")
        {
            Description = "Output folder for model.vaecf, checkpoint.vaecf (resumable), training.jsonl and metrics.json. " +
                          "Default: runs/<data>-<model> (<data>: the data set's name, or a csv file's name without its extension).",
        };
        var fresh = new Option<bool>("--fresh")
        {
            Description = "Start over even if the output folder holds a checkpoint of the same run.",
        };
        var command = new Command("train",
            "Train Mult-VAE^PR or Mult-DAE and evaluate it under strong generalization. With no options it trains the " +
            "paper's Mult-VAE^PR on the built-in synthetic data set on an in-process Orleans cluster; --cluster submits " +
            "the job to a running cluster, --single-process trains without Orleans.");
        data.AddTo(command);
        model.AddTo(command);
        training.AddTo(command);
        cluster.AddTo(command);
        recVae.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(fresh);
        command.SetAction(result => CommandRunner.Run(() => Run(result, data, model, training, cluster, recVae, output, fresh)));
        return command;
    }

    private static int Run(ParseResult result, DataOptions dataOptions, ModelOptions modelOptions, TrainingOptions trainingOptions,
        ClusterOptions clusterOptions, RecVaeCommandOptions recVaeOptions, Option<string?> outputOption, Option<bool> freshOption)
    {
        var stderr = System.Console.Error;
        OutputFolder.RequireFolder(result.GetValue(outputOption));
        clusterOptions.RequireClusterFor(result);
        if (result.GetValue(modelOptions.Model) == ModelKind.RecVae)
        {
            if (result.GetValue(trainingOptions.ItemShards) > 0)
                throw new ArgumentException("--item-shards does not apply to --model recvae: its encoder layers are dense.");
            // RecVAE trains in this process unless a cluster is asked for: --cluster, or a worker, shard or evaluator
            // count (an in-process cluster, as Mult-VAE's default).
            bool onCluster = !result.GetValue(clusterOptions.SingleProcess) && (result.GetValue(clusterOptions.Cluster) is not null
                || new Option[] { clusterOptions.Workers, clusterOptions.WorkersPerSilo, clusterOptions.Shards, clusterOptions.Evaluators }
                    .Any(o => result.GetResult(o) is { Implicit: false }));
            if (onCluster)
            {
                clusterOptions.Resolve(result);
                if (result.GetValue(clusterOptions.Cluster) is { } address) Cluster.ClusterAddress.Parse(address);
            }
            var recVae = recVaeOptions.Resolve(result, modelOptions, trainingOptions);
            string device = result.GetValue(trainingOptions.Device) ?? "cpu";
            var loaded = SplitLoader.Load(result, dataOptions, stderr);
            var recVaeFolder = result.GetValue(outputOption) ?? Path.Combine("runs", $"{loaded.Name}-recvae");
            return onCluster
                ? RecVaeTraining.RunOnCluster(result, clusterOptions, loaded, recVae, result.GetValue(trainingOptions.Threads), device, recVaeFolder,
                    result.GetValue(freshOption))
                : RecVaeTraining.Run(loaded, recVae, result.GetValue(trainingOptions.Threads), device, recVaeFolder, result.GetValue(freshOption));
        }
        // Cluster options are checked before the data is read, so a typo fails at once.
        if (!result.GetValue(clusterOptions.SingleProcess))
        {
            clusterOptions.Resolve(result);
            if (result.GetValue(clusterOptions.Cluster) is { } address) Cluster.ClusterAddress.Parse(address);
        }
        // The model's and training's settings are checked before the data is read too (with stand-in sizes: the real
        // ones come from the data), so a bad value fails at once and leaves nothing behind.
        modelOptions.Resolve(result, AutoencoderConfig.MaxItemsWithNeighbours - 1);
        trainingOptions.Resolve(result, trainUsers: 1, defaultEpochs: 1, checkpointPath: null, logPath: null, resume: true);
        var data = SplitLoader.Load(result, dataOptions, stderr);
        var split = data.Split;
        var config = modelOptions.Resolve(result, split.ItemCount);
        int itemShards = result.GetValue(trainingOptions.ItemShards);
        if (itemShards > 0 && config.Likelihood != Likelihood.Multinomial)
            throw new ArgumentException($"--item-shards {itemShards} needs --likelihood multinomial (was {config.Likelihood.ToString().ToLowerInvariant()}): " +
                                        "only the multinomial's log-sum-exp is combined across item shards.");
        if (itemShards > 0 && config.KeptClickWeight != 1)
            throw new ArgumentException($"--item-shards {itemShards} does not support --kept-click-weight (was {config.KeptClickWeight.ToString(CultureInfo.InvariantCulture)}): " +
                                        "a user's weighted click count would span shards.");
        if (itemShards > 0 && config.ItemNeighbours > 0)
            throw new ArgumentException($"--item-shards {itemShards} does not support --item-neighbours yet: the item-item term is not split across shards.");
        if (itemShards > split.ItemCount)
            throw new ArgumentException($"--item-shards {itemShards} is more than the {split.ItemCount} items: each shard needs an item.");
        var folder = result.GetValue(outputOption)
            ?? Path.Combine("runs", $"{data.Name}-{config.Kind.ToString().ToLowerInvariant()}");
        var options = trainingOptions.Resolve(result, split.Train.RowCount, data.DefaultEpochs,
            Path.Combine(folder, "checkpoint.vaecf"), Path.Combine(folder, "training.jsonl"), resume: !result.GetValue(freshOption));
        // A device this machine lacks is refused before the folder is touched (a remote cluster's silos have their own).
        // A remote cluster's job writes into the folder only once it has finished, so a cluster that cannot be reached
        // leaves no empty folder behind.
        bool remote = !result.GetValue(clusterOptions.SingleProcess) && result.GetValue(clusterOptions.Cluster) is not null;
        if (!remote)
        {
            TorchDevices.Resolve(options.Device);
            Directory.CreateDirectory(folder);
        }
        if (options.Resume && File.Exists(options.CheckpointPath))
        {
            stderr.WriteLine($"found {options.CheckpointPath}: the run goes on from it if it holds the same data and settings (--fresh starts over)");
        }

        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model: {config.Kind} [{string.Join("-", config.EncoderDims)}-{string.Join("-", config.EncoderDims.Reverse().Skip(1))}], " +
            $"{config.Likelihood} likelihood, dropout {config.DropoutRate}, weight decay {config.WeightDecay}{(config.KeptClickWeight != 1 ? ", kept-click weight " + config.KeptClickWeight.ToString(CultureInfo.InvariantCulture) : "")}" +
            $"{(config.CodeActivation == CodeActivation.Linear ? ", linear code" : "")}" +
            $"{(config.ItemNeighbours > 0 ? $", item-item term over {config.ItemNeighbours} neighbours (weight decay {config.NeighbourWeightDecay})" : "")}"));
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"training: {options.Epochs} epochs of {(split.Train.RowCount + options.BatchSize - 1) / options.BatchSize} batches of " +
            $"{options.BatchSize} users, Adam lr {options.Adam.LearningRate}{(options.Adam.CosineDecaySteps > 0 ? $" with cosine decay over {options.Adam.CosineDecaySteps} updates" : "")}{(config.Kind == ModelKind.Vae ? $", beta {Describe(options.Beta)}" : "")}, seed {options.Seed}, device {options.Device}, {options.Precision.Name()} products" +
            $"{(options.Patience > 0 ? $", early stop after {options.Patience} epochs without a better validation NDCG@100" : "")}"));

        if (options.ItemShards > 0)
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"item shards: {options.ItemShards} of about {split.ItemCount / options.ItemShards} items"));
        if (!result.GetValue(clusterOptions.SingleProcess))
            return RunOnCluster(result, clusterOptions, data, config, options, folder);
        // Claimed before --fresh clears anything: a second command on the folder is refused, never run beside the first.
        using var claim = StorageLock.Acquire(folder);
        if (!options.Resume) FreshRun.Clear(folder, stderr, RunFiles);
        return RunSingleProcess(data, config, options, folder);
    }

    private static int RunOnCluster(ParseResult result, ClusterOptions clusterOptions, LoadedData data, AutoencoderConfig config,
        TrainerOptions options, string folder)
    {
        var (exitCode, status) = ClusterTraining.RunAsync(result, clusterOptions, data, config, options, folder, fresh: !options.Resume,
            System.Console.Error, started: options.Resume ? null : () => FreshRun.Clear(folder, System.Console.Error, RunFiles)).GetAwaiter().GetResult();
        if (exitCode != 0 || status is null) return exitCode;
        var modelPath = Path.Combine(folder, "model.vaecf");
        double secondsPerEpoch = status.History.Count == 0 ? 0 : status.History.Average(h => h.Seconds);
        var metrics = new
        {
            data = data.Description,
            model = config,
            cluster = new { status.Silos, status.Workers, status.ParameterShards, status.Evaluators, status.ItemShards, status.ParameterCount },
            bestEpoch = status.BestEpoch,
            bestValidationNdcg100 = status.BestValidationNdcg100,
            chosenBeta = config.Kind == ModelKind.Vae ? status.ChosenBeta : (double?)null,
            secondsPerEpoch,
            bytesPerEpoch = status.History.Count == 0 ? 0 : status.History.Average(h => (double)h.BytesSent),
            lastStepMilliseconds = status.LastStep,
            bytesPerStep = status.History.Count == 0 || status.Batches == 0 ? 0 : status.History.Average(h => (double)h.BytesSent) / status.Batches,
            test = status.Test.ToDictionary(t => t.Name, t => new { mean = t.Mean, standardError = t.StandardError }),
            testUsers = status.Test.Count == 0 ? 0 : status.Test[0].Users,
            epochsRun = status.History.Count,
            stoppedEarly = EarlyStop.StoppedEarly(options, status.History.Count),
            history = status.History,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));
        EpochLog.Write(Path.Combine(folder, "training.jsonl"), status.History);
        var stdout = System.Console.Out;
        var beta = config.Kind == ModelKind.Vae ? string.Create(CultureInfo.InvariantCulture, $"beta {status.ChosenBeta:F4}, ") : "";
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"best epoch {status.BestEpoch} (validation NDCG@100 {status.BestValidationNdcg100:F4}), {beta}{secondsPerEpoch:F2} s per epoch on {(status.ItemShards > 0 ? $"{status.ItemShards} item shard(s)" : $"{status.Workers} worker(s)")}"));
        EarlyStop.Report(stdout, options, status.History.Count, status.BestEpoch);
        stdout.WriteLine($"test users: {metrics.testUsers}");
        stdout.Write(MetricsTable.Render($"{config.Kind}-{config.Likelihood}".ToLowerInvariant(), status.Test));
        stdout.WriteLine($"saved {modelPath}, {Path.Combine(folder, "metrics.json")}, {Path.Combine(folder, "training.jsonl")}");
        return 0;
    }

    private static int RunSingleProcess(LoadedData data, AutoencoderConfig config, TrainerOptions options, string folder)
    {
        var stderr = System.Console.Error;
        var split = data.Split;
        TrainingResult trained;
        using (var signals = new StopSignals(() =>
        {
            stderr.WriteLine();
            stderr.WriteLine("stopping after this batch; the last finished epoch is in the checkpoint (run the same command to resume)");
        }))
        {
            trained = new Trainer(options).Train(split, config, TrainingProgressPrinter.ForStandardError(), signals.Token);
        }
        if (!trained.Completed) return CommandRunner.Interrupted;

        var modelPath = Path.Combine(folder, "model.vaecf");
        ModelFile.Save(modelPath, trained.BestNetwork, split.ItemIds, new ModelSummary(options.Epochs, trained.BestEpoch,
            trained.BestValidationNdcg100, trained.ChosenBeta, options.Seed, DateTimeOffset.UtcNow));
        var metrics = new
        {
            data = data.Description,
            model = config,
            bestEpoch = trained.BestEpoch,
            bestValidationNdcg100 = trained.BestValidationNdcg100,
            chosenBeta = config.Kind == ModelKind.Vae ? trained.ChosenBeta : (double?)null,
            secondsPerEpoch = trained.History.Count == 0 ? 0 : trained.History.Average(h => h.Seconds),
            test = trained.Test.Summaries.ToDictionary(s => s.Metric.Name, s => new { mean = s.Mean, standardError = s.StandardError }),
            testUsers = trained.Test.EvaluatedUserCount,
            epochsRun = trained.History.Count,
            stoppedEarly = trained.StoppedEarly,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));

        var stdout = System.Console.Out;
        var beta = config.Kind == ModelKind.Vae ? string.Create(CultureInfo.InvariantCulture, $"beta {trained.ChosenBeta:F4}, ") : "";
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"best epoch {trained.BestEpoch} (validation NDCG@100 {trained.BestValidationNdcg100:F4}), {beta}{metrics.secondsPerEpoch:F2} s per epoch"));
        EarlyStop.Report(stdout, options, trained.History.Count, trained.BestEpoch);
        stdout.WriteLine($"test users: {trained.Test.EvaluatedUserCount}");
        stdout.Write(MetricsTable.Render([($"{config.Kind}-{config.Likelihood}".ToLowerInvariant(), trained.Test)]));
        stdout.WriteLine($"saved {modelPath}, {Path.Combine(folder, "metrics.json")}, {options.LogPath}");
        return 0;
    }

    /// <summary>A Mult-VAE / Mult-DAE run's files in its output folder, which <c>--fresh</c> replaces together.</summary>
    private static readonly string[] RunFiles = ["checkpoint.vaecf", "training.jsonl", "model.vaecf", "metrics.json"];

    private static string Describe(BetaScheduleOptions beta) => beta.Mode switch
    {
        BetaMode.Constant => string.Create(CultureInfo.InvariantCulture, $"constant {beta.Constant}"),
        BetaMode.Auto => string.Create(CultureInfo.InvariantCulture, $"auto (anneal to 1 over {beta.TotalAnnealSteps} updates, patience {beta.AutoPatienceEpochs})"),
        _ => string.Create(CultureInfo.InvariantCulture, $"annealed to {beta.Cap} over {beta.TotalAnnealSteps * beta.Cap:F0} updates"),
    };
}
