using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VaeCfCluster.Client.Cluster;
using VaeCfCluster.Client.Console;
using VaeCfCluster.Model;
using VaeCfCluster.Model.Checkpoints;
using VaeCfCluster.Model.Data;
using VaeCfCluster.Model.Networks;
using VaeCfCluster.Model.RecVae;
using VaeCfCluster.Model.Training;

namespace VaeCfCluster.Client.Commands;

/// <summary>
/// <c>vaecf train --model recvae</c>: trains RecVAE in this process, keeps the epoch with the best validation NDCG@100,
/// reports its test metrics, and writes metrics.json, training.jsonl and the best epoch's model (model.recvae, which
/// evaluate and recommend read). A checkpoint
/// (checkpoint.recvae) is written after every epoch, and the same command resumes from it (<c>--fresh</c> starts over).
/// With <c>--cluster</c> the same loop runs as a cluster job (<see cref="RunOnCluster"/>).
/// </summary>
internal static class RecVaeTraining
{
    /// <summary>A RecVAE run's files in its output folder, which <c>--fresh</c> replaces together.</summary>
    private static readonly string[] RunFiles = ["checkpoint.recvae", "training.jsonl", "model.recvae", "metrics.json"];

    public static int Run(LoadedData data, RecVaeOptions options, int threads, string deviceName, string folder, bool fresh)
    {
        var stderr = System.Console.Error;
        var split = data.Split;
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);
        var device = TorchDevices.Resolve(deviceName);
        Describe(stderr, options, split.Train.RowCount, $"in this process on {device}");

        Directory.CreateDirectory(folder);
        // Claimed before --fresh clears anything: a second command on the folder is refused, never run beside the first.
        using var claim = StorageLock.Acquire(folder);
        var checkpoint = Path.Combine(folder, "checkpoint.recvae");
        if (fresh) FreshRun.Clear(folder, stderr, RunFiles);
        RecVaeTrainingResult trained;
        using (var signals = new StopSignals(() =>
        {
            stderr.WriteLine();
            stderr.WriteLine($"stopping; the last finished epoch is in {checkpoint} (run the same command to resume)");
        }))
        {
            trained = new RecVaeTrainer(options, device).Train(split, line => stderr.WriteLine(line), signals.Token, checkpoint);
        }
        using (trained)
        {
            var weightsPath = Path.Combine(folder, "model.recvae");
            RecVaeModelFile.Save(weightsPath, trained.BestNetwork, split.ItemIds, trained.BestEpoch, trained.BestValidationNdcg100);
            var metrics = new
            {
                data = data.Description,
                model = "recvae",
                recvae = options,
                bestEpoch = trained.BestEpoch,
                bestValidationNdcg100 = trained.BestValidationNdcg100,
                secondsPerEpoch = trained.History.Average(h => h.Seconds),
                trainingSeconds = trained.TrainingSeconds,
                parameterCount = trained.BestNetwork.ParameterCount,
                test = trained.Test.Summaries.ToDictionary(s => s.Metric.Name, s => new { mean = s.Mean, standardError = s.StandardError }),
                testUsers = trained.Test.EvaluatedUserCount,
                history = trained.History,
            };
            AtomicFile.WriteAllText(Path.Combine(folder, "metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));
            EpochLog.Write(Path.Combine(folder, "training.jsonl"), trained.History);

            var stdout = System.Console.Out;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"best epoch {trained.BestEpoch} (validation NDCG@100 {trained.BestValidationNdcg100:F4}), {metrics.secondsPerEpoch:F2} s per epoch"));
            stdout.WriteLine($"test users: {trained.Test.EvaluatedUserCount}");
            stdout.Write(MetricsTable.Render([("recvae", trained.Test)]));
            stdout.WriteLine($"saved {weightsPath}, {Path.Combine(folder, "metrics.json")}, {Path.Combine(folder, "training.jsonl")}");
            return 0;
        }
    }

    /// <summary>
    /// <c>vaecf train --model recvae --cluster ...</c> (or with <c>--workers</c>, <c>--shards</c> or <c>--evaluators</c>, on an
    /// in-process cluster whose job storage is under the output folder): submits the RecVAE job, follows it, downloads the best
    /// epoch's model (model.recvae) and writes metrics.json and training.jsonl as <see cref="Run"/> does. The job checkpoints
    /// after every epoch in the cluster's storage; the same command resumes it.
    /// </summary>
    public static int RunOnCluster(ParseResult result, ClusterOptions clusterOptions, LoadedData data, RecVaeOptions options, int threads,
        string device, string folder, bool fresh)
    {
        var stderr = System.Console.Error;
        Describe(stderr, options, data.Split.Train.RowCount, result.GetValue(clusterOptions.Cluster) is null ? "on an in-process cluster" : "on the cluster");
        var (exitCode, status) = ClusterTraining.RunAsync(result, clusterOptions, data, options, threads, device, folder, fresh, stderr,
            started: fresh ? () => FreshRun.Clear(folder, stderr, RunFiles) : null).GetAwaiter().GetResult();
        if (exitCode != 0 || status is null) return exitCode;
        var history = status.History.Select(h => new RecVaeEpoch(h.Epoch, h.Loss, h.ValidationNdcg100, h.Seconds)).ToArray();
        var weightsPath = Path.Combine(folder, "model.recvae");
        double secondsPerEpoch = history.Length == 0 ? 0 : history.Average(h => h.Seconds);
        var metrics = new
        {
            data = data.Description,
            model = "recvae",
            recvae = options,
            cluster = new { status.Silos, status.Workers, status.ParameterShards, status.Evaluators, status.ParameterCount },
            bestEpoch = status.BestEpoch,
            bestValidationNdcg100 = status.BestValidationNdcg100,
            secondsPerEpoch,
            trainingSeconds = status.ElapsedSeconds,
            bytesPerEpoch = status.History.Count == 0 ? 0 : status.History.Average(h => (double)h.BytesSent),
            parameterCount = status.ParameterCount,
            test = status.Test.ToDictionary(t => t.Name, t => new { mean = t.Mean, standardError = t.StandardError }),
            testUsers = status.Test.Count == 0 ? 0 : status.Test[0].Users,
            history,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, "metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }));
        EpochLog.Write(Path.Combine(folder, "training.jsonl"), history);

        var stdout = System.Console.Out;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"best epoch {status.BestEpoch} (validation NDCG@100 {status.BestValidationNdcg100:F4}), {secondsPerEpoch:F2} s per epoch on {status.Workers} worker(s)"));
        stdout.WriteLine($"test users: {metrics.testUsers}");
        stdout.Write(MetricsTable.Render("recvae", status.Test));
        stdout.WriteLine($"saved {weightsPath}, {Path.Combine(folder, "metrics.json")}, {Path.Combine(folder, "training.jsonl")}");
        return 0;
    }

    private static void Describe(TextWriter stderr, RecVaeOptions options, int users, string where)
    {
        string encoder = options.Encoder == RecVaeEncoderKind.Dense
            ? FormattableString.Invariant($"{options.EncoderLayers} dense layers of {options.Hidden}")
            : FormattableString.Invariant($"one tanh layer of {options.Hidden}");
        string klWeight = options.Gamma > 0 ? FormattableString.Invariant($"beta_u = {options.Gamma} x clicks") : FormattableString.Invariant($"beta {options.Beta}");
        stderr.WriteLine(FormattableString.Invariant(
            $"model: RecVAE, {encoder}, latent {options.Latent}, {options.Prior.ToString().ToLowerInvariant()} prior, {klWeight}, dropout {options.DropoutRate}"));
        string passes = options.Alternating
            ? FormattableString.Invariant($"{options.EncoderEpochs} encoder + {options.DecoderEpochs} decoder passes")
            : "one joint pass";
        stderr.WriteLine(FormattableString.Invariant(
            $"training: {options.Epochs} epochs of {passes} over {users} users in batches of {options.BatchSize}, Adam lr {options.LearningRate}, seed {options.Seed}, {options.Precision.Name()} products, {where}"));
    }
}
