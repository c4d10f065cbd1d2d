namespace VaeCfCluster.Model.Distributed;

/// <summary>
/// A RecVAE replica built after an epoch's first update cannot know the composite prior's copy of the encoder (the
/// encoder as it was when the epoch began): the job must resume from its checkpoint, whose next epoch's first step
/// gives every new replica its copy.
/// </summary>
public sealed class RecVaePriorLostException(string message) : InvalidOperationException(message);
