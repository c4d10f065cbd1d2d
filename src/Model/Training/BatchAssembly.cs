namespace VaeCfCluster.Model.Training;

/// <summary>Where the single-process trainer builds its training batches and keeps each step's loss.</summary>
public enum BatchAssembly
{
    /// <summary>On the device when it is not the CPU (a GPU), on the host otherwise (default).</summary>
    Auto = 0,

    /// <summary>
    /// On the host: each step's batch and latent noise are built in managed code and copied to the device, and its loss
    /// is read back at once (the fastest way on a CPU, where host and device are one).
    /// </summary>
    Host = 1,

    /// <summary>
    /// On the device: the training clicks are uploaded once, batches, dropout masks and noise are made there, and losses
    /// stay there until the loop reads them every <see cref="TrainingLoop.LossReadInterval"/> steps, so a step never
    /// waits for the device.
    /// </summary>
    Device = 2,
}
